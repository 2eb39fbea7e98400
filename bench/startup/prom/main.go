// Command prom is hello linked with the Prometheus client packages the watch daemon uses
// (prometheus, promhttp, collectors) and nothing else: bench/startup.sh times it, and
// counts its package inits, to show what linking the client costs a command that never
// serves metrics.
package main

import (
	"fmt"
	"os"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		// Never run by the benchmark: it keeps the packages linked as the daemon links them.
		reg := prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector())
		_ = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
		return
	}
	fmt.Println("hello")
}

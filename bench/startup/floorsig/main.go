// Command floorsig is floor (bench/startup/floor) that also sets up, before anything
// else, what iiskit's main sets up for every command: a context cancelled by SIGINT or
// SIGTERM (so that an action's closing events are still written) and SIGPIPE ignored.
// bench/startup.sh times it beside floor to show what that costs a process's start
// (os/signal's watcher goroutines and the threads they need).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	signal.Ignore(syscall.SIGPIPE)
	url := flag.String("url", "", "GET this URL")
	flag.Parse()
	if *url == "" {
		fmt.Println("floorsig 1.0")
		return
	}
	// Reached only with -url: it keeps the four packages linked and used.
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		log.Error("request", "err", err)
		os.Exit(2)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Error("get", "err", err)
		os.Exit(1)
	}
	resp.Body.Close()
	_ = json.NewEncoder(os.Stdout).Encode(map[string]int{"status": resp.StatusCode})
}

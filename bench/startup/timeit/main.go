// Command timeit times whole processes, interleaved: each round runs every command once,
// in turn, so that a shared machine's slow moments fall on all of them alike (a
// benchmark that runs one command's batch after another's measures the machine's mood as
// much as the commands). It prints a Markdown table: the median, 10th and 90th percentile
// wall time and the median CPU time (user + system) of each command, and each median
// over the first command's.
//
//	timeit [-runs N] [-warmup N] LABEL=COMMAND [LABEL=COMMAND ...]
//
// A COMMAND is split on spaces (no quoting); its output is discarded, and a command that
// fails stops the run.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

type command struct {
	label     string
	argv      []string
	wall, cpu []time.Duration
}

func main() {
	runs := flag.Int("runs", 200, "measured rounds")
	warmup := flag.Int("warmup", 10, "rounds run first and not counted")
	flag.Parse()
	if flag.NArg() == 0 || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: timeit [-runs N] [-warmup N] LABEL=COMMAND ...")
		os.Exit(2)
	}
	var cmds []*command
	for _, a := range flag.Args() {
		label, line, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(line) == "" {
			fmt.Fprintf(os.Stderr, "timeit: %q is not LABEL=COMMAND\n", a)
			os.Exit(2)
		}
		cmds = append(cmds, &command{label: label, argv: strings.Fields(line)})
	}
	for round := 0; round < *warmup+*runs; round++ {
		for _, c := range cmds {
			wall, cpu, err := run(c.argv)
			if err != nil {
				fmt.Fprintf(os.Stderr, "timeit: %s: %v\n", c.label, err)
				os.Exit(1)
			}
			if round >= *warmup {
				c.wall = append(c.wall, wall)
				c.cpu = append(c.cpu, cpu)
			}
		}
	}
	ref := median(cmds[0].wall)
	fmt.Println("| command | median ms | p10 ms | p90 ms | CPU ms (median) | median / first |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for _, c := range cmds {
		m := median(c.wall)
		fmt.Printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", c.label, ms(m), ms(pct(c.wall, 10)), ms(pct(c.wall, 90)),
			ms(median(c.cpu)), float64(m)/float64(ref))
	}
}

// run starts argv, waits for it and returns its wall time and CPU time.
func run(argv []string) (time.Duration, time.Duration, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, err
	}
	wall := time.Since(start)
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

func median(d []time.Duration) time.Duration { return pct(d, 50) }

// pct returns the p-th percentile (nearest rank) of d.
func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(i-1, 0)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Command cosell is the one cosell binary: a local, wire-compatible AWS
// Partner Central.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand: its one-line summary and what runs it.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":   {"run the Partner Central endpoint", runServe},
		"seed":    {"add generated opportunities to a data directory", runSeed},
		"aws":     {"act as AWS on a running server: review, refer, expire, verify, clock", runAws},
		"bench":   {"measure throughput and latency of the main operations", runBench},
		"events":  {"print the events a server has emitted, or follow them", runEvents},
		"sync":    {"keep a CRM database in step with Partner Central", runSync},
		"version": {"print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 {
		// Nothing asked for is a mistake a script should notice.
		usage(stderr, cmds)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout, cmds)
		return 0
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "cosell: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	if err := cmd.run(ctx, args[1:], stdout, stderr); err != nil {
		if err == errUsage {
			return 2
		}
		fmt.Fprintf(stderr, "cosell %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// usageOrder is the order commands are listed in; every command is in it.
var usageOrder = []string{"serve", "aws", "seed", "bench", "events", "sync", "version"}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: cosell <command> [flags]")
	fmt.Fprintln(w)
	for _, name := range usageOrder {
		fmt.Fprintf(w, "  %-8s %s\n", name, cmds[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'cosell <command> -h' for a command's flags; 'cosell --version' for the build.")
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/cosell/cosell/internal/bench"
	"github.com/cosell/cosell/internal/syncer/syncbench"
)

// runSyncBench is `cosell sync bench`: the connector's initial load of a
// seeded in-process cosell, then the incremental syncs after a share of
// the opportunities changed server-side, and after none did.
func runSyncBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cosell sync bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := syncbench.Config{}
	fs.StringVar(&cfg.DataDir, "data", "", "data directory of the in-process server, kept afterwards: only the opportunities missing to reach --opportunities are seeded (default: a temporary directory)")
	fs.IntVar(&cfg.Opportunities, "opportunities", 100_000, "opportunities in the catalog before the initial load")
	fs.StringVar(&cfg.Catalog, "catalog", "AWS", "catalog the opportunities live in and the connector syncs")
	fs.Float64Var(&cfg.ChangedPercent, "changed-percent", 1, "share of the opportunities changed server-side before the incremental sync")
	fs.IntVar(&cfg.Workers, "workers", bench.DefaultConcurrency(), "UpdateOpportunity requests in flight while changing")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (connector and in-process server) to this file")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if cfg.Opportunities < 1 || cfg.ChangedPercent < 0 || cfg.ChangedPercent > 100 || cfg.Workers < 1 {
		return errors.New("--opportunities wants at least 1, --changed-percent 0 to 100 and --workers at least 1")
	}
	cfg.Log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg.Seeding = setBar(seedBar(stderr, cfg.Opportunities))
	cfg.Loading = loadProgress(stderr, "initial load", cfg.Opportunities)
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	res, err := syncbench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d opportunities in catalog %s (%d seeded by this run); quotas off, client rate limiting off\n\n",
		res.Opportunities, cfg.Catalog, res.Seeded)
	return syncbench.Print(stdout, res)
}

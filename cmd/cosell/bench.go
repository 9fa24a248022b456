package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/cosell/cosell/internal/bench"
	"github.com/cosell/cosell/internal/server"
)

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cosell bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("opportunities", 100_000, "store size: opportunities seeded before measuring")
	conc := fs.Int("concurrency", bench.DefaultConcurrency(), "requests in flight (2 per core here)")
	duration := fs.Duration("duration", 5*time.Second, "how long each operation runs; 0 for --requests only")
	requests := fs.Int("requests", 0, "stop each operation after this many requests; 0 for --duration only")
	opsFlag := fs.String("ops", strings.Join(bench.AllOps, ","), "operations to measure, in order")
	catalog := fs.String("catalog", "AWS", "catalog the opportunities live in")
	data := fs.String("data", "", "data directory of the in-process server, kept afterwards: only the opportunities missing to reach --opportunities are seeded, so a large store is seeded once (default: a temporary directory)")
	storeURL := storeFlag(fs)
	endpoint := fs.String("endpoint", "", "bench this running server instead of an in-process one")
	accessKey := fs.String("access-key", envOr("AWS_ACCESS_KEY_ID", ""), "with --endpoint: access key to sign with (env AWS_ACCESS_KEY_ID)")
	secretKey := fs.String("secret-key", envOr("AWS_SECRET_ACCESS_KEY", ""), "with --endpoint: secret key (env AWS_SECRET_ACCESS_KEY)")
	region := fs.String("region", envOr("AWS_REGION", server.DefaultRegion), "with --endpoint: region to sign for (env AWS_REGION)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measuring (client and in-process server) to this file")
	floodIdle := fs.Int("flood", 0, "with --endpoint (loopback only): instead of measuring operations, open this many idle keep-alive connections, hold them --duration and probe /health")
	floodSlow := fs.Int("flood-slow", 0, "with --flood: also this many connections trickling a request body a byte every 2 s")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *floodIdle > 0 || *floodSlow > 0 {
		cfg := bench.FloodConfig{Endpoint: *endpoint, Idle: *floodIdle, Slow: *floodSlow, Hold: *duration, Probes: 20}
		rep, err := bench.Flood(ctx, cfg)
		rep.Print(stdout, cfg)
		return err
	}
	ops := strings.Split(*opsFlag, ",")
	for _, op := range ops {
		if !slices.Contains(bench.AllOps, op) {
			return fmt.Errorf("--ops: unknown operation %q; want some of %s", op, strings.Join(bench.AllOps, ","))
		}
	}

	start := time.Now()
	bar := seedBar(stderr, *n)
	var client *bench.Client
	var ids, kept []string
	owner := "the signing account"
	if *endpoint == "" {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		pgURL, err := server.ParseStore(*storeURL)
		if err != nil {
			return err
		}
		local, err := bench.StartLocalOn(ctx, pgURL, *data, *catalog, *n, setBar(bar), logger)
		if err != nil {
			return err
		}
		defer local.Close()
		kind := "file-backed SQLite store"
		if pgURL != "" {
			kind = "PostgreSQL store"
		}
		fmt.Fprintf(stdout, "in-process server at %s, %s\n", local.URL, kind)
		client, ids, owner = local.Client(*conc), local.IDs, "account "+local.Account.AccountID
		// Only the seeded ones are reported as seeded; all of them are benchmarked.
		kept, ids = ids[:len(ids)-local.Seeded], ids[len(ids)-local.Seeded:]
		if len(kept) > 0 {
			fmt.Fprintf(stdout, "%d opportunities were already in the store\n", len(kept))
		}
	} else {
		if *accessKey == "" || *secretKey == "" {
			return errors.New("--endpoint needs --access-key and --secret-key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
		}
		client = bench.NewClient(*endpoint, *region, *accessKey, *secretKey, *conc)
		if ops = withoutMissingNoOp(ctx, client, ops); !slices.Contains(ops, bench.OpNoOp) {
			fmt.Fprintf(stdout, "%s does not serve the NoOp benchmark API: no ceiling row\n", *endpoint)
		}
		var err error
		if ids, err = bench.SeedRemote(ctx, client, *catalog, *n, *conc, setBar(bar)); err != nil {
			return err
		}
	}
	printSeeded(stdout, ids, owner, *catalog, time.Since(start))
	ids = append(kept, ids...)

	fmt.Fprintf(stdout, "measuring %s with %d concurrent clients, %s\n\n", strings.Join(ops, ", "), *conc, limits(*duration, *requests))
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	results, err := bench.Run(ctx, bench.Config{
		Client: client, Catalog: *catalog, IDs: ids, Concurrency: *conc, Duration: *duration, Requests: *requests, Ops: ops,
		Done: func(r bench.Result) { fmt.Fprintf(stderr, "  %s done\n", r.Op) },
	})
	if err != nil {
		return err
	}
	if failed := bench.Report(stdout, results, len(ids)); failed > 0 {
		return fmt.Errorf("%d requests failed", failed)
	}
	return nil
}

// startCPUProfile profiles the process into path until the returned stop.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// withoutMissingNoOp drops NoOp from ops when the server does not answer
// it, as a server started without the benchmark API does not.
func withoutMissingNoOp(ctx context.Context, c *bench.Client, ops []string) []string {
	if r, err := c.Do(ctx, bench.NoOpTarget, []byte("{}")); err == nil && r.OK() {
		return ops
	}
	return slices.DeleteFunc(ops, func(op string) bool { return op == bench.OpNoOp })
}

func limits(d time.Duration, requests int) string {
	switch {
	case requests == 0:
		return d.String() + " per operation"
	case d == 0:
		return fmt.Sprintf("%d requests per operation", requests)
	}
	return fmt.Sprintf("%s or %d requests per operation", d, requests)
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/server"
)

func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cosell seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr("COSELL_DATA", server.DefaultDataDir), "data directory to seed (env COSELL_DATA)")
	storeURL := storeFlag(fs)
	region := fs.String("region", envOr("COSELL_REGION", server.DefaultRegion), "region the server presents; ARNs name it (env COSELL_REGION)")
	n := fs.Int("opportunities", 100_000, "how many opportunities to add")
	account := fs.String("account", auth.DefaultAccounts().List()[0].AccountID, "account that owns them")
	catalog := fs.String("catalog", "AWS", "catalog: AWS or Sandbox")
	if help, err := parseFlags(fs, args); help || err != nil {
		return err
	}
	if *catalog != "AWS" && *catalog != "Sandbox" {
		return fmt.Errorf("--catalog %q: want AWS or Sandbox", *catalog)
	}
	pgURL, err := server.ParseStore(*storeURL)
	if err != nil {
		return err
	}
	start := time.Now()
	bar := seedBar(stderr, *n)
	ids, err := server.SeedOpportunities(ctx, server.Config{DataDir: *data, Store: pgURL, Region: *region}, *account, *catalog, *n, setBar(bar))
	if err != nil {
		return err
	}
	printSeeded(stdout, ids, "account "+*account, *catalog, time.Since(start))
	return nil
}

// seedBar is the progress bar of a seeding of n opportunities.
func seedBar(w io.Writer, n int) *progressbar.ProgressBar {
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("seeding opportunities"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("opp"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionFullWidth(),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	)
}

// setBar adapts a bar to the seeders' progress callbacks.
func setBar(bar *progressbar.ProgressBar) func(done int) {
	return func(done int) { _ = bar.Set(done) } // a progress bar that cannot draw is no reason to stop
}

func printSeeded(w io.Writer, ids []string, owner, catalog string, took time.Duration) {
	if len(ids) == 0 {
		fmt.Fprintln(w, "seeded no opportunities")
		return
	}
	fmt.Fprintf(w, "seeded %d opportunities (%s..%s) for %s in catalog %s in %s (%.0f/s)\n",
		len(ids), ids[0], ids[len(ids)-1], owner, catalog, took.Round(time.Millisecond), float64(len(ids))/took.Seconds())
}

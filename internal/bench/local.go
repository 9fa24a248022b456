package bench

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/server"
)

// Local is an in-process server set up for a benchmark: listening on a free
// loopback port, with a file-backed SQLite store (as users run it, not a
// throwaway store) or a PostgreSQL one, and the NoOp API enabled.
type Local struct {
	URL     string
	Region  string
	Account auth.Account // the account the store is seeded for and requests are signed as
	IDs     []string     // the account's opportunities in the catalog
	Seeded  int          // how many of IDs this start seeded; the rest were in the data directory

	removeDir string // the temporary data directory to delete on Close; "" keeps the data
	stop      context.CancelFunc
	served    chan error
}

// StartLocal starts a Local with n opportunities in catalog; progress, if
// not nil, follows the seeding, and logger gets the server's log. dir is the
// data directory: "" for a temporary one removed by Close, else a directory
// kept afterwards, where only the opportunities missing to reach n are
// seeded, so a large store is seeded once and benchmarked many times.
func StartLocal(ctx context.Context, dir, catalog string, n int, progress func(done int), logger *slog.Logger) (*Local, error) {
	return StartLocalOn(ctx, "", dir, catalog, n, progress, logger)
}

// StartLocalOn is StartLocal on the PostgreSQL database at storeURL (a
// server.Config.Store; "" for SQLite in dir), where, as in a kept data
// directory, only the opportunities missing to reach n are seeded.
func StartLocalOn(ctx context.Context, storeURL, dir, catalog string, n int, progress func(done int), logger *slog.Logger) (_ *Local, err error) {
	l := &Local{served: make(chan error, 1)}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "cosell-bench-"); err != nil {
			return nil, err
		}
		l.removeDir = dir
	}
	defer func() {
		if err != nil && l.removeDir != "" {
			os.RemoveAll(l.removeDir)
		}
	}()
	cfg := server.Config{Addr: "127.0.0.1:0", DataDir: dir, Store: storeURL, Logger: logger, BenchNoOp: true}
	// Seeding comes first: a server holds its data directory exclusively.
	l.Account = auth.DefaultAccounts().List()[0] // the server serves the default accounts
	if l.IDs, err = server.OpportunityIDs(ctx, cfg, l.Account.AccountID, catalog); err != nil {
		return nil, err
	}
	if missing := n - len(l.IDs); missing > 0 {
		have := len(l.IDs)
		more, err := server.SeedOpportunities(ctx, cfg, l.Account.AccountID, catalog, missing, func(done int) {
			if progress != nil {
				progress(have + done)
			}
		})
		if err != nil {
			return nil, err
		}
		l.IDs, l.Seeded = append(l.IDs, more...), len(more)
	}
	srv, err := server.New(cfg)
	if err != nil {
		return nil, err
	}
	l.URL, l.Region = srv.URL(), srv.Region()
	serveCtx, stop := context.WithCancel(context.Background())
	l.stop = stop
	go func() { l.served <- srv.Serve(serveCtx) }()
	return l, nil
}

// Client returns a client signed as the seeded account, sized for conns
// requests in flight.
func (l *Local) Client(conns int) *Client {
	return NewClient(l.URL, l.Region, l.Account.AccessKeyID, l.Account.SecretAccessKey, conns)
}

// Close stops the server and removes its data unless it was given a
// directory to keep.
func (l *Local) Close() error {
	l.stop()
	err := <-l.served
	if l.removeDir != "" {
		err = errors.Join(err, os.RemoveAll(l.removeDir))
	}
	return err
}

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
// loopback port, with a file-backed SQLite store in a temporary directory
// (as users run it, not a throwaway store) and the NoOp API enabled.
type Local struct {
	URL     string
	Region  string
	Account auth.Account // the account the store is seeded for and requests are signed as
	IDs     []string     // the seeded opportunities

	dir    string
	stop   context.CancelFunc
	served chan error
}

// StartLocal starts a Local seeded with n opportunities in catalog;
// progress, if not nil, follows the seeding. logger gets the server's log.
func StartLocal(ctx context.Context, catalog string, n int, progress func(done int), logger *slog.Logger) (_ *Local, err error) {
	dir, err := os.MkdirTemp("", "cosell-bench-")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	cfg := server.Config{Addr: "127.0.0.1:0", DataDir: dir, Logger: logger, BenchNoOp: true}
	srv, err := server.New(cfg)
	if err != nil {
		return nil, err
	}
	l := &Local{URL: srv.URL(), Region: srv.Region(), Account: srv.Accounts()[0], dir: dir, served: make(chan error, 1)}
	serveCtx, stop := context.WithCancel(context.Background())
	l.stop = stop
	go func() { l.served <- srv.Serve(serveCtx) }()
	if l.IDs, err = server.SeedOpportunities(ctx, cfg, l.Account.AccountID, catalog, n, progress); err != nil {
		return nil, errors.Join(err, l.Close())
	}
	return l, nil
}

// Client returns a client signed as the seeded account, sized for conns
// requests in flight.
func (l *Local) Client(conns int) *Client {
	return NewClient(l.URL, l.Region, l.Account.AccessKeyID, l.Account.SecretAccessKey, conns)
}

// Close stops the server and removes its data.
func (l *Local) Close() error {
	l.stop()
	return errors.Join(<-l.served, os.RemoveAll(l.dir))
}

package postgres

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// WatchCommits calls fn whenever a transaction that appended events
// commits, in this process or in any other on the same database: one
// connection per Store LISTENs for the NOTIFY that AppendEvent queues. fn
// is also called after the connection is (re)established, since commits
// made while it was down were not announced. fn must not block. The
// watching ends with Close.
func (s *Store) WatchCommits(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.watch == nil {
		ctx, cancel := context.WithCancel(context.Background())
		s.watch = &watcher{cancel: cancel, done: make(chan struct{})}
		go s.watch.run(ctx, s.pool.Config().ConnConfig.Copy())
	}
	s.watch.add(fn)
}

// watcher holds the listening connection and the functions to call.
type watcher struct {
	cancel context.CancelFunc
	done   chan struct{}

	mu  sync.Mutex
	fns []func()
}

func (w *watcher) add(fn func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fns = append(w.fns, fn)
}

func (w *watcher) fire() {
	w.mu.Lock()
	fns := w.fns
	w.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

func (w *watcher) stop() {
	w.cancel()
	<-w.done
}

// reconnectPause is how long the watcher waits after losing its
// connection before trying again.
const reconnectPause = 500 * time.Millisecond

func (w *watcher) run(ctx context.Context, cfg *pgx.ConnConfig) {
	defer close(w.done)
	for ctx.Err() == nil {
		_ = w.listen(ctx, cfg) // an error means a lost connection: try again
		select {
		case <-ctx.Done():
		case <-time.After(reconnectPause):
		}
	}
}

// listen LISTENs on one connection until it fails or ctx ends.
func (w *watcher) listen(ctx context.Context, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+outboxChannel); err != nil {
		return err
	}
	w.fire()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		w.fire()
	}
}

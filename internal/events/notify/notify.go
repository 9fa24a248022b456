// Package notify tells event followers that the outbox has grown, so they
// wake at once instead of polling the store in a tight loop.
package notify

import (
	"context"
	"sync"

	"github.com/cosell/cosell/internal/store"
)

// Notifier wakes everyone waiting on Changed when Notify is called.
type Notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

// New returns a Notifier nobody waits on yet.
func New() *Notifier { return &Notifier{ch: make(chan struct{})} }

// Changed returns a channel closed by the next Notify. Take it before
// reading the store, so an append between the read and the wait is not
// missed.
func (n *Notifier) Changed() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.ch
}

// Notify wakes the current waiters; it never blocks.
func (n *Notifier) Notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	close(n.ch)
	n.ch = make(chan struct{})
}

// CommitWatcher is a store that other processes may write to as well (the
// PostgreSQL store shared by replicas), and that tells when any of them
// commits events.
type CommitWatcher interface {
	// WatchCommits calls fn, which must not block, after every commit
	// that appended events, from whichever process, until the store closes.
	WatchCommits(fn func())
}

// Store wraps a store so that every committed transaction that appended an
// event notifies n. When st is a CommitWatcher, commits of other processes
// on the same database notify n too; otherwise they are not seen, and
// followers also poll now and then for them.
type Store struct {
	store.Store
	n *Notifier
}

// Wrap returns st notifying n.
func Wrap(st store.Store, n *Notifier) *Store {
	if w, ok := st.(CommitWatcher); ok {
		w.WatchCommits(n.Notify)
	}
	return &Store{Store: st, n: n}
}

// Update runs fn in a transaction and notifies after a commit that
// appended events.
func (s *Store) Update(ctx context.Context, fn func(tx store.Tx) error) error {
	var appended bool
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		appended = false // fn may run again if the store retries the transaction
		return fn(&watchedTx{Tx: tx, appended: &appended})
	})
	if err == nil && appended {
		s.n.Notify()
	}
	return err
}

// watchedTx records that an event was appended.
type watchedTx struct {
	store.Tx
	appended *bool
}

func (t *watchedTx) AppendEvent(ctx context.Context, e *store.Event) error {
	err := t.Tx.AppendEvent(ctx, e)
	if err == nil {
		*t.appended = true
	}
	return err
}

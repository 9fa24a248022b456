// Package lease runs work that must run in one place at a time among
// servers sharing a store (a webhook's deliveries, the ACE exchange's
// worker): each server calls Run for the same name, and the work runs only
// on the server holding the name's lease (store.AcquireLease), renewed
// every TTL/3. When that server dies, another takes over once TTL has
// passed; when it stops, it releases the lease and another takes over at
// its next try (within TTL/3).
package lease

import (
	"context"
	"log/slog"
	"time"

	"github.com/cosell/cosell/internal/store"
)

// DefaultTTL bounds how long the work pauses after the server doing it
// dies.
const DefaultTTL = 3 * time.Second

// Config names the lease and its holder.
type Config struct {
	Store  store.Store
	Name   string
	Holder string        // this server among those sharing Store
	TTL    time.Duration // zero: DefaultTTL
	Logger *slog.Logger  // nil: slog.Default()
}

// Run calls work while this server holds the lease, until ctx ends; work
// must return soon after its context ends, which happens when a renewal
// fails (another server may take the lease once it expires).
func Run(ctx context.Context, cfg Config, work func(context.Context)) {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	log := cfg.Logger.With("lease", cfg.Name, "holder", cfg.Holder)
	tick := time.NewTicker(cfg.TTL / 3)
	defer tick.Stop()
	for {
		held, err := store.AcquireLease(ctx, cfg.Store, cfg.Name, cfg.Holder, cfg.TTL, time.Now())
		if err != nil && ctx.Err() == nil {
			log.Warn("lease unreadable", "err", err)
		}
		if held {
			log.Info("lease held: working here")
			whileHeld(ctx, cfg, tick.C, log, work)
			// Give the lease up, so another server takes over at its next
			// try instead of after the lease expires.
			if err := store.ReleaseLease(context.WithoutCancel(ctx), cfg.Store, cfg.Name, cfg.Holder); err != nil {
				log.Warn("lease not released", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// whileHeld runs work and renews the lease on every tick; it stops work as
// soon as a renewal fails, or when ctx ends.
func whileHeld(ctx context.Context, cfg Config, tick <-chan time.Time, log *slog.Logger, work func(context.Context)) {
	held, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		work(held)
	}()
	for {
		select {
		case <-done:
			return
		case <-tick:
			ok, err := store.AcquireLease(held, cfg.Store, cfg.Name, cfg.Holder, cfg.TTL, time.Now())
			if ok && err == nil {
				continue
			}
			if ctx.Err() == nil {
				log.Warn("lease lost: work stops here", "err", err)
			}
			stop()
			<-done
			return
		}
	}
}

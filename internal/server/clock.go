package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/store"
)

// clockSetting is the server-wide setting that keeps the server clock's
// state (clock.State as JSON) across restarts. It lives in the store's
// settings, read and written through the store interface, so any store
// (and several servers sharing one) keeps the clock the same way.
const clockSetting = "server-clock"

// clockSaveEvery bounds what a crash (kill -9) can lose of the clock: after
// one, the clock resumes no earlier than this long before the crash, which
// real time has already made up by the time a restart reads it.
const clockSaveEvery = 10 * time.Second

// durableClock is a Manual clock whose state lives in the store: resumed
// when the server starts, saved whenever the admin API moves it, every
// clockSaveEvery and when the server stops. A restart therefore resumes
// where the clock was, never earlier, so the times the APIs stamp
// (CreatedDate, LastModifiedDate, event times) never go backwards.
type durableClock struct {
	*clock.Manual
	store  store.Store
	logger *slog.Logger
}

// resumeClock wraps m with its state kept in st, merging in what st kept.
func resumeClock(ctx context.Context, m *clock.Manual, st store.Store, logger *slog.Logger) (*durableClock, error) {
	c := &durableClock{Manual: m, store: st, logger: logger}
	var kept clock.State
	found, err := store.ReadJSONSetting(ctx, st, store.Scope{}, clockSetting, &kept)
	if err != nil {
		return nil, err
	}
	if found {
		m.Resume(kept)
	}
	return c, c.save(ctx)
}

// Advance moves the clock forward and saves it at once, so a restart right
// after POST /_cosell/clock keeps the move.
func (c *durableClock) Advance(d time.Duration) {
	c.Manual.Advance(d)
	if err := c.save(context.Background()); err != nil {
		c.logger.Error("saving the server clock", "err", err)
	}
}

// save merges the kept state with the clock's (another server sharing the
// store may have moved it further) and keeps the result.
func (c *durableClock) save(ctx context.Context) error {
	return c.store.Update(ctx, func(tx store.Tx) error {
		var kept clock.State
		found, err := store.ReadJSONSetting(ctx, tx, store.Scope{}, clockSetting, &kept)
		if err != nil {
			return err
		}
		if found {
			c.Resume(kept)
		}
		return store.WriteJSONSetting(ctx, tx, store.Scope{}, clockSetting, c.State())
	})
}

// run saves the clock every clockSaveEvery until ctx ends, then once more.
func (c *durableClock) run(ctx context.Context) {
	tick := time.NewTicker(clockSaveEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if err := c.save(ctx); err != nil && ctx.Err() == nil {
				c.logger.Warn("saving the server clock", "err", err)
			}
		case <-ctx.Done():
			if err := c.save(context.Background()); err != nil {
				c.logger.Warn("saving the server clock at shutdown", "err", err)
			}
			return
		}
	}
}

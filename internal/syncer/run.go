package syncer

import (
	"context"
	"time"

	"github.com/cosell/cosell/internal/syncer/feed"
)

// delivery is one event handed from the source to the engine's loop,
// with where to report its outcome.
type delivery struct {
	event feed.Event
	done  chan error
}

// Run syncs until ctx ends: a cycle at once, then each event as it comes
// and a cycle every pollEvery as the safety net. Everything happens on
// one goroutine, so an event and a cycle never touch a row together.
// When ctx ends, the item in hand (one opportunity, one event) is
// finished and committed first; nothing acknowledged is lost.
func (e *Engine) Run(ctx context.Context, src feed.Source, pollEvery time.Duration) error {
	st, err := e.DB.State(ctx, e.Catalog)
	if err != nil {
		return err
	}
	events := make(chan delivery)
	sourceDone := make(chan error, 1)
	go func() {
		sourceDone <- src.Run(ctx, st.EventCursor, func(ctx context.Context, ev feed.Event) error {
			d := delivery{event: ev, done: make(chan error, 1)}
			select {
			case events <- d:
			case <-ctx.Done():
				return ctx.Err()
			}
			return <-d.done // the loop always answers a delivery it took
		})
	}()
	e.cycle(ctx)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return <-sourceDone
		case d := <-events:
			err := e.HandleEvent(context.WithoutCancel(ctx), d.event)
			if err != nil {
				e.Log.Warn("event failed; it will be delivered again", "event", d.event.ID, "err", err)
			}
			d.done <- err
		case <-tick.C:
			e.cycle(ctx)
		}
	}
}

// cycle runs SyncOnce, logging instead of stopping on failure: the next
// cycle starts again from the stored state.
func (e *Engine) cycle(ctx context.Context) {
	if err := e.SyncOnce(ctx); err != nil && ctx.Err() == nil {
		e.Log.Error("sync cycle failed", "err", err)
	}
}

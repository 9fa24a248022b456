// Package delivery follows the outbox for one destination and hands it
// every event at least once, in commit order: a dispatcher reads events
// after its cursor, delivers each until the destination acknowledges it,
// and only then moves the cursor, which it keeps in the store so a restart
// resumes where the last acknowledgement left off.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/cosell/cosell/internal/events/chaos"
	"github.com/cosell/cosell/internal/store"
)

// Sink is a destination. Deliver returns nil once the destination has
// acknowledged the event; any error means "try again later".
type Sink interface {
	Deliver(ctx context.Context, e store.Event) error
}

// Backoff spaces retries of an unacknowledged event: Initial, doubling up
// to Max.
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
}

// DefaultBackoff is 100 ms doubling to 30 s.
var DefaultBackoff = Backoff{Initial: 100 * time.Millisecond, Max: 30 * time.Second}

// wait returns the pause before retry number attempt (1 for the first).
func (b Backoff) wait(attempt int) time.Duration {
	d := b.Initial
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// Defaults for Config's zero values.
const (
	DefaultBatch = 100
	// DefaultPoll is how often a dispatcher looks at the outbox without
	// being notified: commits in this process notify at once; polling only
	// catches writes the notifier cannot see.
	DefaultPoll = time.Second
)

// Config is one dispatcher's destination and how it follows the outbox.
type Config struct {
	// Name identifies the destination; its cursor is the server setting
	// CursorSetting(Name), so it must stay the same across restarts.
	Name    string
	Store   store.Store
	Account string                 // only this account's events; "" for all
	Match   func(store.Event) bool // nil delivers every event
	Sink    Sink
	Changed func() <-chan struct{} // wakes the dispatcher after a commit; nil polls only
	Chaos   *chaos.Settings        // nil: faithful delivery
	Backoff Backoff                // zero: DefaultBackoff
	Batch   int                    // events read at a time; zero: DefaultBatch
	Poll    time.Duration          // zero: DefaultPoll
	Logger  *slog.Logger
	OnAck   func(e store.Event, n int) // optional: called after each acknowledged delivery (n-th of the event in its plan)
}

// CursorSetting is the name of the server setting holding a destination's
// cursor: the Seq of the last event it acknowledged, or that it skipped.
func CursorSetting(name string) string { return "events-cursor:" + name }

// serverScope is where server-wide settings live.
var serverScope = store.Scope{}

// Status is what a dispatcher reports about itself.
type Status struct {
	Cursor    int64  `json:"cursor"`
	Failures  int    `json:"failures"`            // consecutive failed attempts of the event at the head
	LastError string `json:"lastError,omitempty"` // of the latest failed attempt, cleared by an acknowledgement
}

// Dispatcher delivers the outbox to one Sink.
type Dispatcher struct {
	cfg     Config
	planner *chaos.Planner

	mu     sync.Mutex
	status Status
}

// New checks cfg and fills in its defaults.
func New(cfg Config) (*Dispatcher, error) {
	if cfg.Name == "" || cfg.Store == nil || cfg.Sink == nil {
		return nil, errors.New("delivery: a dispatcher needs a name, a store and a sink")
	}
	if cfg.Backoff.Initial <= 0 {
		cfg.Backoff.Initial = DefaultBackoff.Initial
	}
	if cfg.Backoff.Max < cfg.Backoff.Initial {
		cfg.Backoff.Max = max(DefaultBackoff.Max, cfg.Backoff.Initial)
	}
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Logger = cfg.Logger.With("destination", cfg.Name)
	return &Dispatcher{cfg: cfg, planner: chaos.NewPlanner(cfg.Chaos, cfg.Name)}, nil
}

// Status is a snapshot of the dispatcher's progress.
func (d *Dispatcher) Status() Status {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.status
}

// Run delivers until ctx is cancelled, then returns nil. It returns an
// error only for a cursor that is not a number: guessing one would skip
// events or resend them all.
func (d *Dispatcher) Run(ctx context.Context) error {
	var cursor int64
	for {
		var err error
		cursor, err = ReadCursor(ctx, d.cfg.Store, d.cfg.Name)
		var bad *strconv.NumError
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.As(err, &bad):
			return fmt.Errorf("delivery: cursor of %s: %w", d.cfg.Name, err)
		case err != nil:
			d.cfg.Logger.Warn("events: read the cursor", "err", err)
			sleep(ctx, d.cfg.Poll, nil)
			continue
		}
		break
	}
	d.setStatus(func(s *Status) { s.Cursor = cursor })
	for ctx.Err() == nil {
		var changed <-chan struct{}
		if d.cfg.Changed != nil {
			changed = d.cfg.Changed()
		}
		batch, err := d.cfg.Store.ListEvents(ctx, store.EventQuery{Account: d.cfg.Account, AfterSeq: cursor, Limit: d.cfg.Batch})
		if err != nil {
			if ctx.Err() == nil {
				d.cfg.Logger.Warn("events: read the outbox", "err", err)
			}
			sleep(ctx, d.cfg.Poll, nil)
			continue
		}
		if len(batch) == 0 {
			sleep(ctx, d.cfg.Poll, changed)
			continue
		}
		cursor = d.deliverBatch(ctx, batch, cursor)
	}
	return nil
}

// deliverBatch delivers the matching events of batch as the chaos plan
// orders them, and returns the new cursor: the last event up to which
// every matching event has been acknowledged.
func (d *Dispatcher) deliverBatch(ctx context.Context, batch []store.Event, cursor int64) int64 {
	done := make([]bool, len(batch)) // acknowledged, or not for this destination
	var matching []int
	for i, e := range batch {
		if d.cfg.Match == nil || d.cfg.Match(e) {
			matching = append(matching, i)
		} else {
			done[i] = true
		}
	}
	plan := d.planner.Plan(len(matching))
	next := 0 // first batch index not yet known done
	advance := func() {
		for next < len(batch) && done[next] {
			next++
		}
		if next > 0 && batch[next-1].Seq > cursor {
			cursor = batch[next-1].Seq
			d.saveCursor(ctx, cursor)
		}
	}
	advance()
	sent := make(map[int]int, len(matching))
	for _, m := range plan.Order {
		i := matching[m]
		if plan.Delay > 0 && !sleep(ctx, plan.Delay, nil) {
			return cursor
		}
		if !d.deliver(ctx, batch[i]) {
			return cursor
		}
		sent[i]++
		if d.cfg.OnAck != nil {
			d.cfg.OnAck(batch[i], sent[i])
		}
		done[i] = true
		advance()
	}
	return cursor
}

// deliver retries e until the sink acknowledges it (true) or ctx ends
// (false). A blocked event blocks this destination only, which is what
// keeps its deliveries in commit order.
func (d *Dispatcher) deliver(ctx context.Context, e store.Event) bool {
	for attempt := 1; ; attempt++ {
		err := d.cfg.Sink.Deliver(ctx, e)
		if err == nil {
			d.setStatus(func(s *Status) { s.Failures, s.LastError = 0, "" })
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		wait := d.cfg.Backoff.wait(attempt)
		d.setStatus(func(s *Status) { s.Failures, s.LastError = attempt, err.Error() })
		level := slog.LevelWarn
		if attempt > 3 {
			level = slog.LevelDebug // the first failures say it; the rest would flood the log
		}
		d.cfg.Logger.Log(ctx, level, "events: delivery failed, will retry", "seq", e.Seq, "event", e.ID, "attempt", attempt, "retryIn", wait, "err", err)
		if !sleep(ctx, wait, nil) {
			return false
		}
	}
}

// saveCursor persists the cursor. It outlives ctx: an acknowledgement that
// arrived as the dispatcher was being stopped must still be recorded, or
// the event would be sent again after a restart. A failure only costs a
// redelivery, so it is logged, not fatal.
func (d *Dispatcher) saveCursor(ctx context.Context, cursor int64) {
	d.setStatus(func(s *Status) { s.Cursor = cursor })
	save, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := d.cfg.Store.Update(save, func(tx store.Tx) error {
		return tx.PutSetting(save, serverScope, CursorSetting(d.cfg.Name), strconv.FormatInt(cursor, 10))
	})
	if err != nil {
		d.cfg.Logger.Warn("events: save the cursor", "cursor", cursor, "err", err)
	}
}

func (d *Dispatcher) setStatus(f func(*Status)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(&d.status)
}

// ReadCursor returns a destination's persisted cursor; 0 when it has none.
func ReadCursor(ctx context.Context, r store.Reader, name string) (int64, error) {
	v, err := r.GetSetting(ctx, serverScope, CursorSetting(name))
	if errors.Is(err, store.ErrNotFound) || (err == nil && v == "") {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// WriteCursor sets a destination's cursor inside tx, e.g. to start a new
// destination somewhere other than the beginning.
func WriteCursor(ctx context.Context, tx store.Tx, name string, cursor int64) error {
	return tx.PutSetting(ctx, serverScope, CursorSetting(name), strconv.FormatInt(cursor, 10))
}

// sleep waits d, or until wake is closed; it returns false if ctx ended
// first.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-wake:
		return true
	case <-t.C:
		return true
	}
}

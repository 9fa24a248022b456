// Package hub runs the event destinations of one server: a dispatcher per
// webhook and one for EventBridge, all following the same outbox, plus the
// controls the admin API exposes (webhook configuration, chaos knobs, the
// event log and its change notifications).
package hub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cosell/cosell/internal/events/chaos"
	"github.com/cosell/cosell/internal/events/delivery"
	"github.com/cosell/cosell/internal/events/eventbridge"
	"github.com/cosell/cosell/internal/events/notify"
	"github.com/cosell/cosell/internal/events/webhook"
	"github.com/cosell/cosell/internal/lease"
	"github.com/cosell/cosell/internal/store"
)

// Options configure the destinations; the zero value delivers to webhooks
// only, faithfully, with the default backoff.
type Options struct {
	EventBridge eventbridge.Options // Endpoint "" leaves EventBridge off
	Chaos       chaos.Knobs
	// ChaosSet says the start named Chaos (flags or variables), so it
	// replaces the knobs an earlier run saved; otherwise knobs left at zero
	// restore the saved ones.
	ChaosSet bool
	Backoff  delivery.Backoff
	Poll     time.Duration
	Client   *http.Client // for webhooks; nil: one with webhook.DefaultTimeout
	Logger   *slog.Logger
	// Lease, when it names a holder, makes each destination deliver from
	// one server at a time among those sharing the store.
	Lease Lease
}

// Lease is how servers sharing a store share the destinations: each runs
// every destination's dispatcher only while it holds the destination's
// lease (package lease).
type Lease struct {
	Holder string        // this server's name among those sharing the store; "" runs every destination here
	TTL    time.Duration // zero: lease.DefaultTTL
}

// EventBridgeDestination is the EventBridge dispatcher's name (and so its
// cursor's).
const EventBridgeDestination = "eventbridge"

// webhookDestination is a webhook dispatcher's name.
func webhookDestination(id string) string { return "webhook:" + id }

// Hub owns the dispatchers.
type Hub struct {
	st       store.Store
	notifier *notify.Notifier
	chaos    *chaos.Settings
	opts     Options
	eb       delivery.Sink // nil when EventBridge is off

	mu      sync.Mutex
	ctx     context.Context // the dispatchers' parent; nil until Start
	stop    context.CancelFunc
	running map[string]*running
	stopped bool
	closing chan struct{}
	halted  chan struct{} // closed once Stop has seen every dispatcher end
}

type running struct {
	account string          // whose events it follows; "" for every account
	hook    *webhook.Config // the webhook it delivers to; nil for EventBridge
	d       *delivery.Dispatcher
	held    atomic.Bool // the dispatcher is delivering here (always, without leases)
	cancel  context.CancelFunc
	done    chan struct{}
}

// New returns a hub over st, woken by n (st should be n's wrapped store, so
// commits notify). It starts nothing until Start.
func New(ctx context.Context, st store.Store, n *notify.Notifier, opts Options) (*Hub, error) {
	if err := opts.Chaos.Validate(); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	h := &Hub{st: st, notifier: n, chaos: chaos.NewSettings(opts.Chaos), opts: opts,
		running: map[string]*running{}, closing: make(chan struct{}), halted: make(chan struct{})}
	if opts.ChaosSet || opts.Chaos != (chaos.Knobs{}) {
		if err := h.SetChaos(ctx, opts.Chaos); err != nil {
			return nil, err
		}
	} else if err := h.RestoreChaos(ctx); err != nil {
		return nil, err
	}
	if opts.EventBridge.Endpoint != "" {
		sink, err := eventbridge.New(ctx, opts.EventBridge)
		if err != nil {
			return nil, err
		}
		h.eb = sink
	}
	return h, nil
}

// Start starts every configured destination; they run until Stop or until
// ctx ends.
func (h *Hub) Start(ctx context.Context) error {
	// Read the configuration even if ctx is already over: a server asked
	// to stop as it starts should stop cleanly, not fail.
	hooks, err := webhook.Load(context.WithoutCancel(ctx), h.st)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ctx != nil || h.stopped {
		return errors.New("events: the hub was already started")
	}
	h.ctx, h.stop = context.WithCancel(ctx)
	for _, c := range hooks {
		if err := h.startWebhookLocked(c); err != nil {
			h.opts.Logger.Error("events: webhook not started", "webhook", c.ID, "err", err)
		}
	}
	if h.eb != nil {
		if err := h.startLocked(delivery.Config{Name: EventBridgeDestination, Sink: h.eb}, nil); err != nil {
			return err
		}
	}
	return nil
}

// Stop stops every dispatcher, waits for them (an acknowledged delivery
// still gets its cursor saved) and ends event streams. Every call waits
// until the dispatchers have ended, so a caller about to close the store
// may call it even while another call is under way.
func (h *Hub) Stop() {
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		<-h.halted
		return
	}
	h.stopped = true
	close(h.closing)
	if h.stop != nil {
		h.stop()
	}
	all := make([]*running, 0, len(h.running))
	for _, r := range h.running {
		all = append(all, r)
	}
	h.running = map[string]*running{}
	h.mu.Unlock()
	for _, r := range all {
		<-r.done
	}
	close(h.halted)
}

// startLocked starts a dispatcher for cfg, completed with the hub's
// common settings, delivering to hook (nil for EventBridge). h.mu is held.
func (h *Hub) startLocked(cfg delivery.Config, hook *webhook.Config) error {
	if h.ctx == nil {
		return nil // not started yet: Start will pick it up from the store
	}
	cfg.Store, cfg.Changed, cfg.Chaos = h.st, h.notifier.Changed, h.chaos
	cfg.Backoff, cfg.Poll, cfg.Logger = h.opts.Backoff, h.opts.Poll, h.opts.Logger
	d, err := delivery.New(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(h.ctx)
	r := &running{account: cfg.Account, hook: hook, d: d, cancel: cancel, done: make(chan struct{})}
	r.held.Store(h.opts.Lease.Holder == "") // without leases it delivers here from the start
	h.running[cfg.Name] = r
	go func() {
		defer close(r.done)
		h.runLeased(ctx, cfg.Name, r)
	}()
	return nil
}

// runLeased runs r's dispatcher while this server holds its destination's
// lease, until ctx ends; without leases it simply runs it.
func (h *Hub) runLeased(ctx context.Context, name string, r *running) {
	deliver := func(ctx context.Context) {
		r.held.Store(true)
		defer r.held.Store(false)
		if err := r.d.Run(ctx); err != nil {
			h.opts.Logger.Error("events: dispatcher stopped", "destination", name, "err", err)
		}
	}
	if h.opts.Lease.Holder == "" {
		deliver(ctx)
		return
	}
	lease.Run(ctx, lease.Config{Store: h.st, Name: name, Holder: h.opts.Lease.Holder, TTL: h.opts.Lease.TTL, Logger: h.opts.Logger}, deliver)
}

func (h *Hub) startWebhookLocked(c webhook.Config) error {
	p, err := c.Validate()
	if err != nil {
		return err
	}
	match := func(e store.Event) bool {
		ok, err := p.Match(e.Body)
		if err != nil {
			h.opts.Logger.Warn("events: unreadable event skipped", "webhook", c.ID, "seq", e.Seq, "err", err)
		}
		return ok
	}
	sink := &webhook.Sink{URL: c.URL, Secret: c.Secret, Client: h.opts.Client}
	return h.startLocked(delivery.Config{Name: webhookDestination(c.ID), Account: c.Account, Match: match, Sink: sink}, &c)
}

// SyncWebhooks makes the running webhooks those the store holds: servers
// sharing the store call it when another server may have changed them, so
// each runs (and can take over) every webhook. Webhooks whose
// configuration changed restart with the new one.
func (h *Hub) SyncWebhooks(ctx context.Context) error {
	hooks, err := webhook.Load(ctx, h.st)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ctx == nil || h.stopped {
		return nil
	}
	want := make(map[string]webhook.Config, len(hooks))
	for _, c := range hooks {
		want[webhookDestination(c.ID)] = c
	}
	for name, r := range h.running {
		if r.hook == nil {
			continue
		}
		if c, ok := want[name]; !ok || !sameWebhook(*r.hook, c) {
			h.stopLocked(name)
		}
	}
	for name, c := range want {
		if h.running[name] != nil {
			continue
		}
		if err := h.startWebhookLocked(c); err != nil {
			h.opts.Logger.Error("events: webhook not started", "webhook", c.ID, "err", err)
		}
	}
	return nil
}

func sameWebhook(a, b webhook.Config) bool {
	return a.ID == b.ID && a.Account == b.Account && a.URL == b.URL && a.Secret == b.Secret && bytes.Equal(a.Pattern, b.Pattern)
}

// stopLocked stops one dispatcher and waits for it. h.mu is held, so a
// concurrent change to the same webhook waits its turn.
func (h *Hub) stopLocked(name string) {
	r := h.running[name]
	if r == nil {
		return
	}
	delete(h.running, name)
	r.cancel()
	<-r.done
}

// WebhookState is a webhook's configuration (without its secret) and its
// dispatcher's progress.
type WebhookState struct {
	webhook.Config
	Delivery *delivery.Status `json:"delivery,omitempty"` // nil when not delivering from this server
	// Deliverer is the server delivering it, when servers share the store
	// (the lease holder; "" while none holds it).
	Deliverer string `json:"deliverer,omitempty"`
}

// PutWebhook adds or replaces a webhook. A new webhook starts at the
// beginning of its account's events, or after the newest event when
// fromLatest; a replaced one keeps its cursor.
func (h *Hub) PutWebhook(ctx context.Context, c webhook.Config, fromLatest bool) error {
	if _, err := c.Validate(); err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	name := webhookDestination(c.ID)
	// Stop the old dispatcher before the configuration changes, so it does
	// not save a cursor over the reset of a re-created webhook.
	h.stopLocked(name)
	err := h.st.Update(ctx, func(tx store.Tx) error {
		replaced, err := webhook.Put(ctx, tx, c)
		if err != nil || replaced {
			return err
		}
		var start int64
		if fromLatest {
			if start, err = tx.LastEventSeq(ctx); err != nil {
				return err
			}
		}
		return delivery.WriteCursor(ctx, tx, name, start)
	})
	if err != nil {
		return err
	}
	if h.stopped {
		return nil
	}
	return h.startWebhookLocked(c)
}

// DeleteWebhook removes a webhook and stops its deliveries.
func (h *Hub) DeleteWebhook(ctx context.Context, id string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopLocked(webhookDestination(id))
	return h.st.Update(ctx, func(tx store.Tx) error { return webhook.Delete(ctx, tx, id) })
}

// Webhooks lists the webhooks by ID.
func (h *Hub) Webhooks(ctx context.Context) ([]WebhookState, error) {
	hooks, err := webhook.Load(ctx, h.st)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	out := make([]WebhookState, len(hooks))
	for i, c := range hooks {
		c.Secret = "" // write-only: whoever lists webhooks need not learn how to forge their signatures
		out[i].Config = c
		if r := h.running[webhookDestination(c.ID)]; r != nil && r.held.Load() {
			s := r.d.Status()
			out[i].Delivery = &s
		}
	}
	h.mu.Unlock()
	if h.opts.Lease.Holder != "" {
		for i := range out {
			if out[i].Deliverer, err = store.LeaseHolder(ctx, h.st, webhookDestination(out[i].ID), time.Now()); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Lags is, per destination delivering from this server, how many events of its account lie
// after its cursor, still to deliver or skip; counting stops at max, to
// keep a scrape of a destination far behind cheap.
func (h *Hub) Lags(ctx context.Context, max int) (map[string]int, error) {
	type dest struct {
		account string
		cursor  int64
	}
	h.mu.Lock()
	dests := make(map[string]dest, len(h.running))
	for name, r := range h.running {
		if r.held.Load() {
			dests[name] = dest{r.account, r.d.Status().Cursor}
		}
	}
	h.mu.Unlock()
	lags := make(map[string]int, len(dests))
	for name, d := range dests {
		events, err := h.st.ListEvents(ctx, store.EventQuery{Account: d.account, AfterSeq: d.cursor, Limit: max})
		if err != nil {
			return nil, err
		}
		lags[name] = len(events)
	}
	return lags, nil
}

// SetChaos changes the chaos knobs and saves them; dispatchers apply them
// from their next batch.
func (h *Hub) SetChaos(ctx context.Context, k chaos.Knobs) error {
	if err := k.Validate(); err != nil {
		return err
	}
	err := h.st.Update(ctx, func(tx store.Tx) error { return store.WriteJSONSetting(ctx, tx, store.Scope{}, ChaosSetting, k) })
	if err != nil {
		return fmt.Errorf("events: save the chaos knobs: %w", err)
	}
	return h.chaos.Set(k)
}

// ChaosSetting keeps the chaos knobs in the store, so knobs set through
// the admin API survive a restart.
const ChaosSetting = "events-chaos"

// RestoreChaos applies the knobs last saved, if there are any (another
// server sharing the store may have changed them).
func (h *Hub) RestoreChaos(ctx context.Context) error {
	var k chaos.Knobs
	found, err := store.ReadJSONSetting(ctx, h.st, store.Scope{}, ChaosSetting, &k)
	if err != nil || !found {
		return err
	}
	return h.chaos.Set(k)
}

// Chaos returns the chaos knobs in force.
func (h *Hub) Chaos() chaos.Knobs { return h.chaos.Get() }

// ListEvents reads the outbox.
func (h *Hub) ListEvents(ctx context.Context, q store.EventQuery) ([]store.Event, error) {
	return h.st.ListEvents(ctx, q)
}

// Changed returns a channel closed when events may have been appended.
func (h *Hub) Changed() <-chan struct{} { return h.notifier.Changed() }

// Closing is closed when the hub stops, so long-lived streams end with
// the server instead of holding its shutdown.
func (h *Hub) Closing() <-chan struct{} { return h.closing }

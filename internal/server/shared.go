package server

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/events/hub"
	"github.com/cosell/cosell/internal/events/notify"
	"github.com/cosell/cosell/internal/events/webhook"
	"github.com/cosell/cosell/internal/faults"
	"github.com/cosell/cosell/internal/quota"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
)

// Several servers (replicas) may share one store (PostgreSQL). The runtime
// settings a harness changes on one of them (webhooks, chaos knobs, the
// automatic reviewer, fault rules, quotas on or off, the server clock) are
// kept in the store's server-wide settings, and every replica polls those
// few rows and applies what another changed: one mechanism for all of
// them, a handful of point reads a second, and a change takes effect on
// every replica within sharedSettingsPoll.

// sharedSettingsPoll is how often a replica looks for settings another
// replica changed.
const sharedSettingsPoll = time.Second

// Settings kept for replicas only (one process needs no copy in the store).
const (
	faultsSetting = "fault-rules"
	quotasSetting = "quotas-enabled"
)

// sharesStore says whether st is made for several servers at once: it
// reports other processes' commits.
func sharesStore(st store.Store) bool {
	_, ok := st.(notify.CommitWatcher)
	return ok
}

// replicaName names this process among the replicas sharing a store, as
// leases record their holder: host, pid and a random part (pids repeat
// across restarts and containers).
func replicaName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%04x", host, os.Getpid(), rand.Uint32()&0xffff)
}

// sharedSetting is one watched setting and how to apply it when another
// replica changed it.
type sharedSetting struct {
	name  string
	apply func(ctx context.Context, raw string) error
}

// sharedSettings applies the settings other replicas change, and keeps
// this replica in the list of live ones, whose length splits the quotas'
// per-second rates.
type sharedSettings struct {
	store    store.Store
	settings []sharedSetting
	seen     map[string]string // each setting's value as last applied
	replica  string
	quotas   *quota.Limiter
	logger   *slog.Logger
}

// replicasSetting lists the live replicas: name → when it stops counting
// unless it says it is alive again (every sharedSettingsPoll).
const replicasSetting = "replicas"

// replicaAlive is how long a replica counts as live after it last said so.
const replicaAlive = 3 * sharedSettingsPoll

// newSharedSettings watches what s's replicas share; it records the values
// in force now, which the server applied as it started.
func newSharedSettings(ctx context.Context, st store.Store, replica string, ctl *controls, events *hub.Hub, sell *selling.Service, clk *durableClock, logger *slog.Logger) (*sharedSettings, error) {
	w := &sharedSettings{store: st, seen: map[string]string{}, replica: replica, quotas: ctl.quotas, logger: logger}
	ctl.quotas.Share(quota.StoreCounter{Store: st})
	if err := w.heartbeat(ctx, true); err != nil {
		return nil, err
	}
	w.settings = []sharedSetting{
		{webhook.SettingName, func(ctx context.Context, _ string) error { return events.SyncWebhooks(ctx) }},
		{hub.ChaosSetting, func(ctx context.Context, _ string) error { return events.RestoreChaos(ctx) }},
		{selling.AutoReviewSetting, func(ctx context.Context, _ string) error { return sell.RestoreAutoReview(ctx) }},
		{faultsSetting, func(ctx context.Context, _ string) error { return ctl.loadFaults(ctx) }},
		{quotasSetting, func(ctx context.Context, _ string) error { return ctl.loadQuotasEnabled(ctx) }},
	}
	if clk != nil {
		w.settings = append(w.settings, sharedSetting{clockSetting, func(ctx context.Context, _ string) error { return clk.load(ctx) }})
	}
	// A replica joining a running group takes the group's fault rules and
	// quota switch (the others are restored by their own packages).
	if err := ctl.loadFaults(ctx); err != nil {
		return nil, err
	}
	if err := ctl.loadQuotasEnabled(ctx); err != nil {
		return nil, err
	}
	ctl.share(ctx, logger)
	for _, s := range w.settings {
		raw, err := readSetting(ctx, st, s.name)
		if err != nil {
			return nil, err
		}
		w.seen[s.name] = raw
	}
	return w, nil
}

func readSetting(ctx context.Context, r store.Reader, name string) (string, error) {
	raw, err := r.GetSetting(ctx, store.Scope{}, name)
	if err == store.ErrNotFound {
		return "", nil
	}
	return raw, err
}

// run applies changes every sharedSettingsPoll until ctx ends, then takes
// this replica off the list of live ones.
func (w *sharedSettings) run(ctx context.Context) {
	tick := time.NewTicker(sharedSettingsPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := w.heartbeat(context.WithoutCancel(ctx), false); err != nil {
				w.logger.Warn("replicas: not taken off the live list", "err", err)
			}
			return
		case <-tick.C:
			if err := w.heartbeat(ctx, true); err != nil && ctx.Err() == nil {
				w.logger.Warn("replicas: live list not updated", "err", err)
			}
			w.check(ctx)
		}
	}
}

// heartbeat puts this replica on the live list (or takes it off), drops
// the replicas that stopped saying they are alive, and splits the quotas'
// per-second rates among those left.
func (w *sharedSettings) heartbeat(ctx context.Context, alive bool) error {
	var live int
	err := w.store.Update(ctx, func(tx store.Tx) error {
		replicas := map[string]time.Time{}
		if _, err := store.ReadJSONSetting(ctx, tx, store.Scope{}, replicasSetting, &replicas); err != nil {
			return err
		}
		now := time.Now()
		for name, until := range replicas {
			if !now.Before(until) {
				delete(replicas, name)
			}
		}
		delete(replicas, w.replica)
		if alive {
			replicas[w.replica] = now.Add(replicaAlive)
		}
		live = len(replicas)
		return store.WriteJSONSetting(ctx, tx, store.Scope{}, replicasSetting, replicas)
	})
	if err == nil && alive {
		w.quotas.SetReplicas(live)
	}
	return err
}

// check applies every watched setting whose value changed since it was
// last applied; one that fails to apply is tried again next time.
func (w *sharedSettings) check(ctx context.Context) {
	for _, s := range w.settings {
		raw, err := readSetting(ctx, w.store, s.name)
		if err != nil || raw == w.seen[s.name] {
			if err != nil && ctx.Err() == nil {
				w.logger.Warn("replicas: shared setting unreadable", "setting", s.name, "err", err)
			}
			continue
		}
		if err := s.apply(ctx, raw); err != nil {
			if ctx.Err() == nil {
				w.logger.Warn("replicas: shared setting not applied", "setting", s.name, "err", err)
			}
			continue
		}
		w.seen[s.name] = raw
	}
}

// loadFaults applies the fault rules the replicas share, if any were set.
func (c *controls) loadFaults(ctx context.Context) error {
	var rules []faults.Rule
	found, err := store.ReadJSONSetting(ctx, c.store, store.Scope{}, faultsSetting, &rules)
	if err != nil || !found {
		return err
	}
	return c.faults.Load(rules)
}

// loadQuotasEnabled applies the quota switch the replicas share, if it was
// ever switched.
func (c *controls) loadQuotasEnabled(ctx context.Context) error {
	var on bool
	found, err := store.ReadJSONSetting(ctx, c.store, store.Scope{}, quotasSetting, &on)
	if err == nil && found {
		c.quotasOn.Store(on)
	}
	return err
}

// share makes the fault rules and the quota switch changed here known to
// the other replicas.
func (c *controls) share(ctx context.Context, logger *slog.Logger) {
	save := func(name string, v any) {
		err := c.store.Update(context.WithoutCancel(ctx), func(tx store.Tx) error {
			return store.WriteJSONSetting(ctx, tx, store.Scope{}, name, v)
		})
		if err != nil {
			logger.Error("replicas: setting not shared", "setting", name, "err", err)
		}
	}
	c.faults.OnChange(func(rules []faults.Rule) { save(faultsSetting, rules) })
	c.onQuotasSwitched = func(on bool) { save(quotasSetting, on) }
}

// load merges the clock state another replica saved (it moved the clock).
func (c *durableClock) load(ctx context.Context) error {
	var kept clock.State
	found, err := store.ReadJSONSetting(ctx, c.store, store.Scope{}, clockSetting, &kept)
	if err == nil && found {
		c.Resume(kept)
	}
	return err
}

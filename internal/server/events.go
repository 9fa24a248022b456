package server

import (
	"context"

	"github.com/cosell/cosell/internal/events/hub"
	"github.com/cosell/cosell/internal/events/notify"
)

// watchEvents makes every commit that appends events wake the event
// followers: the domains get a store that notifies, so webhooks, the
// EventBridge forwarder and streams react at once instead of polling.
func watchEvents(d *deps) {
	d.notifier = notify.New()
	d.store = notify.Wrap(d.store, d.notifier)
}

// newEvents builds the event destinations over the domains' store; Serve
// starts and stops them.
func newEvents(d *deps) (*hub.Hub, error) {
	opts := d.cfg.Events
	if opts.EventBridge.Region == "" {
		opts.EventBridge.Region = d.cfg.Region
	}
	if opts.Logger == nil {
		opts.Logger = d.cfg.Logger
	}
	if opts.Lease.Holder == "" {
		opts.Lease.Holder = d.replica // each destination delivered by one replica at a time
	}
	return hub.New(context.Background(), d.store, d.notifier, opts)
}

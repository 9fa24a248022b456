package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/cosell/cosell/internal/events/chaos"
	"github.com/cosell/cosell/internal/events/hub"
)

// eventFlags registers `cosell serve`'s event flags on fs and returns a
// function that reads them once fs is parsed. Numbers are taken as text so
// that a bad COSELL_* value is reported like a bad flag, not ignored.
func eventFlags(fs *flag.FlagSet) func() (hub.Options, error) {
	endpoint := fs.String("eventbridge-endpoint", envOr("COSELL_EVENTBRIDGE_ENDPOINT", ""), "EventBridge endpoint URL that every event is also PutEvents to, with credentials and region from the AWS environment; empty sends none (env COSELL_EVENTBRIDGE_ENDPOINT)")
	bus := fs.String("eventbridge-bus", envOr("COSELL_EVENTBRIDGE_BUS", ""), "event bus name for PutEvents; empty is the default bus (env COSELL_EVENTBRIDGE_BUS)")
	duplicate := fs.String("chaos-duplicate", envOr("COSELL_CHAOS_DUPLICATE", "0"), "probability that a pushed event is delivered twice (env COSELL_CHAOS_DUPLICATE)")
	window := fs.String("chaos-reorder-window", envOr("COSELL_CHAOS_REORDER_WINDOW", "0"), "shuffle pushed events within windows of this many (env COSELL_CHAOS_REORDER_WINDOW)")
	delay := fs.String("chaos-delay", envOr("COSELL_CHAOS_DELAY", "0s"), "delay added before every pushed event (env COSELL_CHAOS_DELAY)")
	drop := fs.String("chaos-drop-then-redeliver", envOr("COSELL_CHAOS_DROP_THEN_REDELIVER", "0"), "probability that an event's first push is lost and it comes after later ones (env COSELL_CHAOS_DROP_THEN_REDELIVER)")
	seed := fs.String("chaos-seed", envOr("COSELL_CHAOS_SEED", "0"), "seed of the chaos choices, for repeatable runs (env COSELL_CHAOS_SEED)")
	return func() (hub.Options, error) {
		opts := hub.Options{}
		opts.EventBridge.Endpoint, opts.EventBridge.Bus = *endpoint, *bus
		var err error
		k := &opts.Chaos
		if k.Duplicate, err = strconv.ParseFloat(*duplicate, 64); err != nil {
			return opts, fmt.Errorf("--chaos-duplicate %q: want a probability", *duplicate)
		}
		if k.ReorderWindow, err = strconv.Atoi(*window); err != nil {
			return opts, fmt.Errorf("--chaos-reorder-window %q: want a number of events", *window)
		}
		d, err := time.ParseDuration(*delay)
		if err != nil {
			return opts, fmt.Errorf("--chaos-delay %q: want a Go duration such as 200ms", *delay)
		}
		k.Delay = chaos.Duration(d)
		if k.DropThenRedeliver, err = strconv.ParseFloat(*drop, 64); err != nil {
			return opts, fmt.Errorf("--chaos-drop-then-redeliver %q: want a probability", *drop)
		}
		if k.Seed, err = strconv.ParseUint(*seed, 10, 64); err != nil {
			return opts, fmt.Errorf("--chaos-seed %q: want a whole number", *seed)
		}
		opts.ChaosSet = named(fs, []string{"chaos-duplicate", "chaos-reorder-window", "chaos-delay", "chaos-drop-then-redeliver", "chaos-seed"},
			"COSELL_CHAOS_DUPLICATE", "COSELL_CHAOS_REORDER_WINDOW", "COSELL_CHAOS_DELAY", "COSELL_CHAOS_DROP_THEN_REDELIVER", "COSELL_CHAOS_SEED")
		return opts, k.Validate()
	}
}

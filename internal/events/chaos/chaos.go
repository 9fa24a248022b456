// Package chaos misbehaves on purpose when delivering events, the way AWS
// is allowed to: EventBridge delivers at least once, so consumers must
// cope with duplicates, events out of order, late events and slow ones.
// Every knob is off by default, and a seed makes the misbehaviour
// repeatable in tests.
package chaos

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"time"
)

// Knobs are the misbehaviours; the zero value is faithful delivery.
type Knobs struct {
	// Duplicate is the probability that a delivered event is delivered
	// again straight after.
	Duplicate float64 `json:"duplicate"`
	// ReorderWindow shuffles deliveries within consecutive windows of this
	// many events; 0 or 1 keeps commit order.
	ReorderWindow int `json:"reorderWindow"`
	// Delay is added before every delivery.
	Delay Duration `json:"delay"`
	// DropThenRedeliver is the probability that an event's first delivery
	// is lost: it is delivered only after the rest of its batch.
	DropThenRedeliver float64 `json:"dropThenRedeliver"`
	// Seed seeds the random choices; the same seed and the same events give
	// the same misbehaviour.
	Seed uint64 `json:"seed"`
}

// Validate reports knobs that make no sense.
func (k Knobs) Validate() error {
	switch {
	case k.Duplicate < 0 || k.Duplicate > 1:
		return fmt.Errorf("chaos: duplicate %v is not a probability in [0, 1]", k.Duplicate)
	case k.DropThenRedeliver < 0 || k.DropThenRedeliver > 1:
		return fmt.Errorf("chaos: dropThenRedeliver %v is not a probability in [0, 1]", k.DropThenRedeliver)
	case k.ReorderWindow < 0:
		return fmt.Errorf("chaos: reorderWindow %d is negative", k.ReorderWindow)
	case k.Delay < 0:
		return fmt.Errorf("chaos: delay %v is negative", time.Duration(k.Delay))
	}
	return nil
}

// Duration is a time.Duration written in JSON as a Go duration ("200ms").
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a Go duration such as \"200ms\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// Settings are the knobs in force, changed at run time by the admin API
// and read by every dispatcher before each batch.
type Settings struct {
	mu      sync.Mutex
	knobs   Knobs
	version uint64
}

// NewSettings starts with k (which must be valid).
func NewSettings(k Knobs) *Settings { return &Settings{knobs: k} }

// Set replaces the knobs.
func (s *Settings) Set(k Knobs) error {
	if err := k.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knobs = k
	s.version++
	return nil
}

// Get returns the knobs in force.
func (s *Settings) Get() Knobs {
	k, _ := s.current()
	return k
}

func (s *Settings) current() (Knobs, uint64) {
	if s == nil {
		return Knobs{}, 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.knobs, s.version
}

// Planner turns a batch of events into the deliveries one destination
// makes. Each destination has its own, seeded from the knobs' seed and the
// destination's name, so destinations do not disturb each other's
// sequence of choices.
type Planner struct {
	settings *Settings
	name     string
	version  uint64
	seeded   bool
	rng      *rand.Rand
}

// NewPlanner plans for the destination called name; settings may be nil
// (no chaos).
func NewPlanner(settings *Settings, name string) *Planner {
	return &Planner{settings: settings, name: name}
}

// Plan is one batch's deliveries.
type Plan struct {
	// Order lists indexes into the batch, in delivery order; an index may
	// appear twice (a duplicate). Every index appears at least once.
	Order []int
	Delay time.Duration // before each delivery
}

// Plan returns the deliveries of a batch of n events.
func (p *Planner) Plan(n int) Plan {
	k, version := p.settings.current()
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	plan := Plan{Order: order, Delay: time.Duration(k.Delay)}
	if k.ReorderWindow < 2 && k.Duplicate == 0 && k.DropThenRedeliver == 0 {
		return plan
	}
	if !p.seeded || version != p.version {
		h := fnv.New64a()
		_, _ = h.Write([]byte(p.name))
		p.rng = rand.New(rand.NewPCG(k.Seed, h.Sum64()))
		p.version, p.seeded = version, true
	}
	if w := k.ReorderWindow; w >= 2 {
		for start := 0; start < n; start += w {
			window := order[start:min(start+w, n)]
			p.rng.Shuffle(len(window), func(i, j int) { window[i], window[j] = window[j], window[i] })
		}
	}
	if k.DropThenRedeliver > 0 {
		var kept, dropped []int
		for _, i := range order {
			if p.rng.Float64() < k.DropThenRedeliver {
				dropped = append(dropped, i)
			} else {
				kept = append(kept, i)
			}
		}
		order = append(kept, dropped...)
	}
	if k.Duplicate > 0 {
		withDups := make([]int, 0, len(order))
		for _, i := range order {
			withDups = append(withDups, i)
			if p.rng.Float64() < k.Duplicate {
				withDups = append(withDups, i)
			}
		}
		order = withDups
	}
	plan.Order = order
	return plan
}

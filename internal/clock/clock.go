// Package clock is the one source of time for the server. Tests and the
// simulated AWS side use a Manual clock so expiry and time-based transitions
// can be driven without sleeping.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// System is the real wall clock.
type System struct{}

// Now returns the current UTC time.
func (System) Now() time.Time { return time.Now().UTC() }

// Manual is a clock that runs with real time from a base offset, and can be
// moved forward. It never reads earlier than it has read before: advancing
// ignores negative durations, and a wall clock stepped back (NTP, a VM
// restored) holds it still until real time catches up.
type Manual struct {
	mu     sync.Mutex
	offset time.Duration
	frozen *time.Time
	latest time.Time // the latest time Now returned or Resume set: the floor
}

// NewManual returns a clock that reads real time until advanced or frozen.
func NewManual() *Manual { return &Manual{} }

// Now returns the clock's current time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.frozen != nil {
		return *m.frozen
	}
	t := time.Now().UTC().Add(m.offset)
	if t.Before(m.latest) {
		return m.latest
	}
	m.latest = t
	return t
}

// Advance moves the clock forward by d (negative durations are ignored).
func (m *Manual) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.frozen != nil {
		t := m.frozen.Add(d)
		m.frozen = &t
		return
	}
	m.offset += d
}

// Freeze stops the clock at t; it then moves only by Advance.
func (m *Manual) Freeze(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t = t.UTC()
	m.frozen = &t
}

// State is what a restart must not forget of a running Manual clock: how
// far it was moved ahead of real time, and the latest time it read.
type State struct {
	Offset time.Duration `json:"offset"`
	Latest time.Time     `json:"latest"`
}

// State returns the clock's state to keep, read now.
func (m *Manual) State() State {
	now := m.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	return State{Offset: m.offset, Latest: now}
}

// Resume merges a kept state into the clock: the larger offset wins and the
// clock never reads earlier than s.Latest. Merging (rather than replacing)
// lets several processes sharing one store converge on the furthest clock.
func (m *Manual) Resume(s State) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.offset = max(m.offset, s.Offset)
	if s.Latest.After(m.latest) {
		m.latest = s.Latest.UTC()
	}
}

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
// moved forward. Advancing never moves it backwards.
type Manual struct {
	mu     sync.Mutex
	offset time.Duration
	frozen *time.Time
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
	return time.Now().UTC().Add(m.offset)
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

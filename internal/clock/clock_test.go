package clock

import (
	"testing"
	"time"
)

func TestManualAdvanceAndFreeze(t *testing.T) {
	m := NewManual()
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	m.Freeze(base)
	if got := m.Now(); !got.Equal(base) {
		t.Fatalf("frozen clock reads %v, want %v", got, base)
	}
	m.Advance(15 * 24 * time.Hour)
	if got, want := m.Now(), base.Add(15*24*time.Hour); !got.Equal(want) {
		t.Fatalf("after advance %v, want %v", got, want)
	}
	m.Advance(-time.Hour)
	if got, want := m.Now(), base.Add(15*24*time.Hour); !got.Equal(want) {
		t.Fatalf("negative advance moved the clock to %v", got)
	}
}

func TestManualRunsFromOffset(t *testing.T) {
	m := NewManual()
	m.Advance(48 * time.Hour)
	if d := m.Now().Sub(time.Now()); d < 47*time.Hour {
		t.Fatalf("advanced running clock is only %v ahead", d)
	}
}

// A resumed state never lets the clock read earlier than it did: the
// larger offset wins, and the latest time read is a floor.
func TestManualResumeNeverGoesBack(t *testing.T) {
	m := NewManual()
	m.Advance(360 * time.Hour)
	kept := m.State()

	restarted := NewManual()
	restarted.Resume(kept)
	if got := restarted.Now(); got.Before(kept.Latest) {
		t.Fatalf("resumed clock reads %v, before the kept %v", got, kept.Latest)
	}
	restarted.Resume(State{Offset: time.Hour}) // a smaller offset elsewhere does not pull it back
	if got := restarted.State().Offset; got != 360*time.Hour {
		t.Fatalf("offset %v after merging a smaller one", got)
	}

	// A floor ahead of real time (the wall clock was stepped back) holds
	// the clock there.
	floor := time.Now().UTC().Add(time.Hour)
	held := NewManual()
	held.Resume(State{Latest: floor})
	if got := held.Now(); !got.Equal(floor) {
		t.Fatalf("clock reads %v under a floor of %v", got, floor)
	}
}

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

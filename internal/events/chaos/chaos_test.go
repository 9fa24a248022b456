package chaos

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func plan(k Knobs, n int) Plan { return NewPlanner(NewSettings(k), "dest").Plan(n) }

func TestOffByDefault(t *testing.T) {
	p := NewPlanner(nil, "dest").Plan(5)
	if !slices.Equal(p.Order, []int{0, 1, 2, 3, 4}) || p.Delay != 0 {
		t.Fatalf("no chaos planned %+v", p)
	}
}

func TestSameSeedSamePlan(t *testing.T) {
	k := Knobs{Duplicate: 0.3, ReorderWindow: 4, DropThenRedeliver: 0.2, Seed: 42}
	a, b := plan(k, 50), plan(k, 50)
	if !slices.Equal(a.Order, b.Order) {
		t.Fatalf("one seed, two plans:\n%v\n%v", a.Order, b.Order)
	}
	k.Seed = 43
	if c := plan(k, 50); slices.Equal(a.Order, c.Order) {
		t.Fatal("another seed planned the same misbehaviour")
	}
}

func TestEveryEventIsPlanned(t *testing.T) {
	k := Knobs{Duplicate: 0.5, ReorderWindow: 3, DropThenRedeliver: 0.5, Seed: 9}
	p := plan(k, 30)
	seen := map[int]int{}
	for _, i := range p.Order {
		seen[i]++
	}
	for i := 0; i < 30; i++ {
		if seen[i] < 1 || seen[i] > 2 {
			t.Fatalf("event %d planned %d times: %v", i, seen[i], p.Order)
		}
	}
	if len(p.Order) == 30 {
		t.Fatal("duplicate 0.5 duplicated nothing in 30 events")
	}
}

func TestReorderStaysInItsWindow(t *testing.T) {
	p := plan(Knobs{ReorderWindow: 4, Seed: 3}, 10)
	for pos, i := range p.Order {
		if pos/4 != i/4 {
			t.Fatalf("event %d delivered at %d, outside its window: %v", i, pos, p.Order)
		}
	}
}

func TestSettingsChangeReseeds(t *testing.T) {
	s := NewSettings(Knobs{})
	pl := NewPlanner(s, "dest")
	if got := pl.Plan(3).Order; !slices.Equal(got, []int{0, 1, 2}) {
		t.Fatalf("no chaos planned %v", got)
	}
	if err := s.Set(Knobs{Duplicate: 1}); err != nil {
		t.Fatal(err)
	}
	if got := pl.Plan(2).Order; !slices.Equal(got, []int{0, 0, 1, 1}) {
		t.Fatalf("duplicate 1 planned %v", got)
	}
	if err := s.Set(Knobs{Duplicate: 2}); err == nil {
		t.Fatal("a probability of 2 was accepted")
	}
}

func TestKnobsJSON(t *testing.T) {
	var k Knobs
	body := `{"duplicate":0.1,"reorderWindow":3,"delay":"200ms","dropThenRedeliver":0.05}`
	if err := json.Unmarshal([]byte(body), &k); err != nil {
		t.Fatal(err)
	}
	want := Knobs{Duplicate: 0.1, ReorderWindow: 3, Delay: Duration(200 * time.Millisecond), DropThenRedeliver: 0.05}
	if k != want {
		t.Fatalf("decoded %+v, want %+v", k, want)
	}
	out, _ := json.Marshal(k)
	var back Knobs
	if err := json.Unmarshal(out, &back); err != nil || back != k {
		t.Fatalf("round trip %s gave %+v (%v)", out, back, err)
	}
}

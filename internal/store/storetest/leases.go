package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

func testLeases(t *testing.T, s store.Store) {
	ctx := context.Background()
	const ttl = 10 * time.Second
	acquire := func(holder string, at time.Time) bool {
		t.Helper()
		ok, err := store.AcquireLease(ctx, s, "webhook:w1", holder, ttl, at)
		if err != nil {
			t.Fatalf("AcquireLease(%s): %v", holder, err)
		}
		return ok
	}
	holder := func(at time.Time) string {
		t.Helper()
		h, err := store.LeaseHolder(ctx, s, "webhook:w1", at)
		if err != nil {
			t.Fatalf("LeaseHolder: %v", err)
		}
		return h
	}
	if h := holder(baseTime); h != "" {
		t.Fatalf("holder of a lease never taken = %q, want none", h)
	}
	if !acquire("a", baseTime) {
		t.Fatal("a free lease was refused")
	}
	if acquire("b", baseTime.Add(ttl-time.Millisecond)) {
		t.Fatal("b took a's lease before it expired")
	}
	if !acquire("a", baseTime.Add(ttl/2)) {
		t.Fatal("a could not renew its own lease")
	}
	// Renewed at ttl/2, so it now runs to 1.5 ttl.
	if acquire("b", baseTime.Add(ttl+time.Second)) {
		t.Fatal("b took a's renewed lease")
	}
	if h := holder(baseTime.Add(ttl + time.Second)); h != "a" {
		t.Fatalf("holder = %q, want a", h)
	}
	// Another lease is independent.
	if ok, err := store.AcquireLease(ctx, s, "eventbridge", "b", ttl, baseTime); err != nil || !ok {
		t.Fatalf("b on another lease = %v, %v; want it held", ok, err)
	}
	// a stops renewing: b takes over once the lease has expired.
	if !acquire("b", baseTime.Add(ttl*3/2)) {
		t.Fatal("b could not take the expired lease")
	}
	if acquire("a", baseTime.Add(ttl*3/2+time.Second)) {
		t.Fatal("a took back the lease b holds")
	}
	// Releasing someone else's lease changes nothing; releasing one's own
	// frees it at once.
	if err := store.ReleaseLease(ctx, s, "webhook:w1", "a"); err != nil {
		t.Fatal(err)
	}
	if h := holder(baseTime.Add(ttl * 2)); h != "b" {
		t.Fatalf("after a's release of b's lease, holder = %q, want b", h)
	}
	if err := store.ReleaseLease(ctx, s, "webhook:w1", "b"); err != nil {
		t.Fatal(err)
	}
	if h := holder(baseTime.Add(ttl * 2)); h != "" {
		t.Fatalf("after release, holder = %q, want none", h)
	}
	// Many contenders for a free lease at once: exactly one gets it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var winners []string
	at := baseTime.Add(time.Hour)
	for _, h := range []string{"c1", "c2", "c3", "c4", "c5", "c6"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := store.AcquireLease(ctx, s, "ace", h, ttl, at)
			if err != nil {
				t.Errorf("AcquireLease(%s): %v", h, err)
			}
			if ok {
				mu.Lock()
				winners = append(winners, h)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("holders of one lease taken at once: %v, want exactly one", winners)
	}
}

package quota

import (
	"testing"
	"time"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// Two servers sharing one store admit, between them, exactly the daily
// quota; the window rolls by the minute.
func TestSharedDailyWindowIsExactAcrossServers(t *testing.T) {
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, rateA, day := newLimiter()
	b := New(rateA.now, day.now)
	for _, l := range []*Limiter{a, b} {
		l.Share(StoreCounter{Store: st})
		l.SetReplicas(2)
	}
	const account = "111111111111"
	admitted := 0
	for i := range SellingWrite.Daily + 10 {
		rateA.advance(time.Second) // each bucket holds 1 write and refills at 0.5/s
		l := []*Limiter{a, b}[i%2]
		err := l.Allow(account, selling, "UpdateOpportunity")
		switch {
		case err == nil:
			admitted++
		case !apierr.Is(err, apierr.KindThrottling):
			t.Fatalf("write %d: %v", i+1, err)
		}
	}
	if admitted != SellingWrite.Daily {
		t.Fatalf("two servers admitted %d writes in a day, want exactly %d", admitted, SellingWrite.Daily)
	}
	// Another account has its own window.
	if err := b.Allow("222222222222", selling, "UpdateOpportunity"); err != nil {
		t.Fatalf("another account: %v", err)
	}
	// 24 hours later the whole first minute's writes have left the window
	// only once that minute has ended.
	day.advance(24*time.Hour - time.Minute)
	rateA.advance(time.Second)
	if err := a.Allow(account, selling, "UpdateOpportunity"); !apierr.Is(err, apierr.KindThrottling) {
		t.Fatalf("a write before the window rolled: %v", err)
	}
	day.advance(2 * time.Minute)
	rateA.advance(time.Second)
	if err := a.Allow(account, selling, "UpdateOpportunity"); err != nil {
		t.Fatalf("a write after the window rolled: %v", err)
	}
}

// With n servers, each bucket holds and refills an n-th of the rate (at
// least one request).
func TestPerSecondRateIsSplitAmongReplicas(t *testing.T) {
	l, _, _ := newLimiter()
	const account = "111111111111"
	if n := burst(t, l, account, "GetOpportunity", 20); n != SellingRead.PerSecond {
		t.Fatalf("one server: %d reads at once, want %d", n, SellingRead.PerSecond)
	}
	l.SetReplicas(2)
	l.Reset()
	if n := burst(t, l, account, "GetOpportunity", 20); n != SellingRead.PerSecond/2 {
		t.Fatalf("one of two servers: %d reads at once, want %d", n, SellingRead.PerSecond/2)
	}
	l.SetReplicas(3)
	if n := burst(t, l, "222222222222", "UpdateOpportunity", 5); n != 1 {
		t.Fatalf("one of three servers: %d writes at once, want 1", n)
	}
}

package awsjson

import (
	"testing"
	"time"
)

var sellingService = Service{
	Name:       "AWSPartnerCentralSelling",
	Operations: []string{"GetOpportunity", "ListOpportunities", "CreateOpportunity", "GetEngagement"},
}

// Reservations at one instant show how the buckets space calls, without
// waiting: a class's burst goes at once, the next request waits 1/rate.
func TestLimitersSpaceCalls(t *testing.T) {
	l, err := newLimiters(RateLimit{Classes: DefaultRateClasses(sellingService)})
	if err != nil {
		t.Fatal(err)
	}
	if l["GetOpportunity"] != l["ListOpportunities"] {
		t.Fatal("the reads do not share one bucket")
	}
	if l["GetEngagement"] != nil {
		t.Fatal("an operation without a documented quota is limited")
	}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		op    string
		burst int
		next  time.Duration
	}{
		{"GetOpportunity", 10, 100 * time.Millisecond},
		{"CreateOpportunity", 1, time.Second},
	} {
		b := l[tc.op]
		for i := range tc.burst {
			if d := b.ReserveN(now, 1).DelayFrom(now); d != 0 {
				t.Fatalf("%s: request %d of the burst waits %v", tc.op, i+1, d)
			}
		}
		if d := b.ReserveN(now, 1).DelayFrom(now); d != tc.next {
			t.Fatalf("%s: the request after the burst waits %v, want %v", tc.op, d, tc.next)
		}
	}
}

func TestLimitersOffOrInvalid(t *testing.T) {
	l, err := newLimiters(RateLimit{Disabled: true, Classes: DefaultRateClasses(sellingService)})
	if err != nil || len(l) != 0 {
		t.Fatalf("disabled: %d limiters, %v", len(l), err)
	}
	twice := []RateClass{
		{Name: "a", PerSecond: 1, Burst: 1, Operations: []string{"X"}},
		{Name: "b", PerSecond: 1, Burst: 1, Operations: []string{"X"}},
	}
	if _, err := newLimiters(RateLimit{Classes: twice}); err == nil {
		t.Fatal("an operation in two classes was accepted")
	}
	if _, err := newLimiters(RateLimit{Classes: []RateClass{{Name: "a", PerSecond: 1}}}); err == nil {
		t.Fatal("a zero burst was accepted")
	}
}

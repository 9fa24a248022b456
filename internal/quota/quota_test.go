package quota

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/apierr"
)

const selling = "AWSPartnerCentralSelling"

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newLimiter() (*Limiter, *fakeClock, *fakeClock) {
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	rateClock, dayClock := &fakeClock{start}, &fakeClock{start}
	return New(rateClock.now, dayClock.now), rateClock, dayClock
}

// burst makes n calls at one instant and returns how many were admitted,
// failing the test on an error that is not a ThrottlingException.
func burst(t *testing.T, l *Limiter, account, op string, n int) int {
	t.Helper()
	ok := 0
	for range n {
		err := l.Allow(account, selling, op)
		switch {
		case err == nil:
			ok++
		case !apierr.Is(err, apierr.KindThrottling):
			t.Fatalf("%s: %v, want a ThrottlingException", op, err)
		}
	}
	return ok
}

func TestRatePerClass(t *testing.T) {
	for _, tc := range []struct {
		op   string
		rate int
	}{
		{"GetOpportunity", 10},
		{"ListEngagementInvitations", 10},
		{"CreateOpportunity", 1},
		{"StartEngagementByAcceptingInvitationTask", 1},
		{"CreateEngagement", 15},
	} {
		t.Run(tc.op, func(t *testing.T) {
			l, rateClock, _ := newLimiter()
			if got := burst(t, l, "111111111111", tc.op, tc.rate+5); got != tc.rate {
				t.Fatalf("%d of a burst admitted, want %d", got, tc.rate)
			}
			// Another account has its own bucket.
			if got := burst(t, l, "222222222222", tc.op, 1); got != 1 {
				t.Fatal("a second account was throttled by the first one's use")
			}
			rateClock.advance(time.Second)
			if got := burst(t, l, "111111111111", tc.op, tc.rate+5); got != tc.rate {
				t.Fatalf("%d admitted a second later, want %d", got, tc.rate)
			}
		})
	}
}

func TestClassesAreSeparate(t *testing.T) {
	l, _, _ := newLimiter()
	if burst(t, l, "111111111111", "CreateOpportunity", 1) != 1 {
		t.Fatal("first write refused")
	}
	// The write bucket is empty, but reads and CreateEngagement are not writes.
	if burst(t, l, "111111111111", "UpdateOpportunity", 1) != 0 {
		t.Fatal("second write in the same second admitted")
	}
	if burst(t, l, "111111111111", "GetOpportunity", 1) != 1 || burst(t, l, "111111111111", "CreateEngagement", 1) != 1 {
		t.Fatal("a read or CreateEngagement was throttled by the write quota")
	}
}

func TestUnlistedOperationsAreUnlimited(t *testing.T) {
	l, _, _ := newLimiter()
	for _, c := range []struct{ service, op string }{
		{selling, "SubmitOpportunity"},
		{selling, "ListEngagements"},
		{"PartnerCentralAccount", "GetPartner"},
		// The Account API has no quotas even for a Selling operation's name.
		{"PartnerCentralAccount", "CreateOpportunity"},
	} {
		for i := range 100 {
			if err := l.Allow("111111111111", c.service, c.op); err != nil {
				t.Fatalf("%s.%s call %d: %v", c.service, c.op, i, err)
			}
		}
	}
}

func TestRollingDailyWindow(t *testing.T) {
	l, rateClock, dayClock := newLimiter()
	const account = "111111111111"
	// Spread the day's 10,000 writes over the first 10 hours, one a
	// second as the rate allows, the first 5,000 an hour before the rest.
	write := func() error {
		rateClock.advance(time.Second)
		return l.Allow(account, selling, "UpdateOpportunity")
	}
	for i := range SellingWrite.Daily {
		if i == SellingWrite.Daily/2 {
			dayClock.advance(time.Hour)
		}
		if err := write(); err != nil {
			t.Fatalf("write %d: %v", i+1, err)
		}
	}
	err := write()
	e, ok := apierr.As(err)
	if !ok || e.Kind != apierr.KindThrottling {
		t.Fatalf("write 10,001: %v, want a ThrottlingException", err)
	}
	if want := fmt.Sprintf("account %s has made 10000 write requests in the last 24 hours", account); !contains(e.Message, want) {
		t.Errorf("message %q does not say %q", e.Message, want)
	}
	// The refused request took no token and left no trace: reads still pass.
	if err := l.Allow(account, selling, "GetOpportunity"); err != nil {
		t.Fatalf("a read after the write quota ran out: %v", err)
	}
	// Just short of 24 hours after the first writes, all 10,000 still count.
	dayClock.advance(23*time.Hour - time.Millisecond)
	if err := write(); !apierr.Is(err, apierr.KindThrottling) {
		t.Fatalf("a write 1 ms before the first ones leave the window: %v", err)
	}
	// At 24 hours the first half leaves the window: 5,000 more fit, no more.
	dayClock.advance(time.Millisecond)
	for i := range SellingWrite.Daily / 2 {
		if err := write(); err != nil {
			t.Fatalf("write %d after the first half left the window: %v", i+1, err)
		}
	}
	if err := write(); !apierr.Is(err, apierr.KindThrottling) {
		t.Fatalf("write beyond the refreshed window: %v", err)
	}
	l.Reset()
	if err := write(); err != nil {
		t.Fatalf("write after Reset: %v", err)
	}
}

func TestRateMessage(t *testing.T) {
	l, _, _ := newLimiter()
	burst(t, l, "111111111111", "CreateOpportunity", 1)
	err := l.Allow("111111111111", selling, "CreateOpportunity")
	e, ok := apierr.As(err)
	if !ok || e.Message != "Rate exceeded: account 111111111111 is limited to 1 request per second for write requests." {
		t.Fatalf("rate breach: %v", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// Usage reports what Allow recorded: admitted requests in the daily
// window, refused ones not at all, and the window forgets after a day.
func TestUsageCountsAdmittedRequestsInTheWindow(t *testing.T) {
	l, _, day := newLimiter()
	if got := burst(t, l, "111", "CreateOpportunity", 3); got != 1 {
		t.Fatalf("admitted %d writes at once, want 1", got)
	}
	burst(t, l, "111", "GetOpportunity", 4)
	burst(t, l, "222", "GetOpportunity", 2)
	u := l.Usage()
	want := []struct {
		account, class string
		lastDay        int
	}{{"111", "read", 4}, {"111", "write", 1}, {"222", "read", 2}}
	if len(u) != len(want) {
		t.Fatalf("usage %+v, want %d rows", u, len(want))
	}
	for i, w := range want {
		if u[i].Account != w.account || u[i].Class != w.class || u[i].LastDay != w.lastDay {
			t.Errorf("row %d = %+v, want %s %s %d", i, u[i], w.account, w.class, w.lastDay)
		}
	}
	if u[1].TokensLeft >= 1 {
		t.Errorf("write bucket has %.2f tokens right after its one request, want < 1", u[1].TokensLeft)
	}
	day.advance(Window)
	if got := l.Usage()[0].LastDay; got != 0 {
		t.Errorf("a day later the window holds %d requests, want 0", got)
	}
}

// The Benefits API's documented rates, each class with its own bucket.
func TestBenefitsRates(t *testing.T) {
	l, _, _ := newLimiter()
	const benefits = "PartnerCentralBenefitsService"
	for _, c := range []struct {
		op   string
		want int
	}{
		{"GetBenefit", 20}, {"ListBenefitApplications", 30}, {"CreateBenefitApplication", 10}, {"SubmitBenefitApplication", 0},
	} {
		ok := 0
		for range 40 {
			if l.Allow("111111111111", benefits, c.op) == nil {
				ok++
			}
		}
		if ok != c.want {
			t.Errorf("%s: %d admitted in one instant, want %d", c.op, ok, c.want)
		}
	}
	// Another service's operation of the same name is not limited by it.
	if ClassOf("SomeOtherService", "GetBenefit") != nil {
		t.Error("a class for another service")
	}
}

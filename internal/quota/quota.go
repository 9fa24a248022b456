// Package quota enforces Partner Central's documented per-account request
// quotas: a per-second rate (a token bucket) and, for some classes, a daily
// quota over a rolling 24-hour window. It knows operations only by service
// and name; the protocol layer asks it before a handler runs.
package quota

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/cosell/cosell/internal/apierr"
)

// Class is a group of operations that share one per-account quota.
type Class struct {
	Name      string
	PerSecond int // the sustained rate; also the bucket size, so a second's worth may come at once
	Daily     int // requests per rolling 24 hours; 0 for none
}

// The Selling API's quota classes, from AWS's Partner Central developer
// guide, "Quotas" (semantics.md §5.2): the per-second rates and the daily
// quotas are per partner account.
var (
	SellingRead     = Class{Name: "read", PerSecond: 10, Daily: 100_000}
	SellingWrite    = Class{Name: "write", PerSecond: 1, Daily: 10_000}
	EngagementWrite = Class{Name: "engagement write", PerSecond: 15}
)

// sellingService is the Selling API's Smithy service name, the X-Amz-Target
// prefix.
const sellingService = "AWSPartnerCentralSelling"

// sellingClasses lists the operations AWS documents a quota for. Every
// other operation of both APIs is unlimited here, because AWS documents no
// quota for it (semantics.md §5.2: engagement, snapshot, context and task
// reads, SubmitOpportunity, Accept...; §5.3: no TPS quota for the Account
// API, whose daily quotas the Account domain enforces itself).
var sellingClasses = map[string]*Class{
	"GetOpportunity":            &SellingRead,
	"GetAwsOpportunitySummary":  &SellingRead,
	"ListOpportunities":         &SellingRead,
	"ListSolutions":             &SellingRead,
	"GetEngagementInvitation":   &SellingRead,
	"ListEngagementInvitations": &SellingRead,

	"CreateOpportunity":                        &SellingWrite,
	"UpdateOpportunity":                        &SellingWrite,
	"AssociateOpportunity":                     &SellingWrite,
	"DisassociateOpportunity":                  &SellingWrite,
	"RejectEngagementInvitation":               &SellingWrite,
	"AssignOpportunity":                        &SellingWrite,
	"StartEngagementFromOpportunityTask":       &SellingWrite,
	"StartEngagementByAcceptingInvitationTask": &SellingWrite,

	"CreateEngagement": &EngagementWrite,
}

// Revenue Measurement's classes, from AWS's developer guide, "Revenue
// Measurement quotas" (semantics-2026.md §5.5), per partner account; AWS
// documents no daily quota for them.
var (
	RevenueRead  = Class{Name: "revenue read", PerSecond: 50}
	RevenueList  = Class{Name: "revenue list", PerSecond: 10}
	RevenueWrite = Class{Name: "revenue write", PerSecond: 2}
	RevenueTask  = Class{Name: "revenue allocation task", PerSecond: 1}
)

var revenueClasses = map[string]*Class{
	"GetRevenueAttribution":                   &RevenueRead,
	"GetRevenueAttributionAllocation":         &RevenueRead,
	"GetRevenueAttributionAllocationsTask":    &RevenueRead,
	"GetMarketplaceRevenueShare":              &RevenueRead,
	"GetMarketplaceRevenueShareAllocation":    &RevenueRead,
	"ListRevenueAttributions":                 &RevenueList,
	"ListRevenueAttributionAllocations":       &RevenueList,
	"ListMarketplaceRevenueShares":            &RevenueList,
	"ListMarketplaceRevenueShareAllocations":  &RevenueList,
	"ListTagsForResource":                     &RevenueList,
	"CreateRevenueAttribution":                &RevenueWrite,
	"UpdateRevenueAttribution":                &RevenueWrite,
	"CreateMarketplaceRevenueShare":           &RevenueWrite,
	"CreateMarketplaceRevenueShareAllocation": &RevenueWrite,
	"UpdateMarketplaceRevenueShareAllocation": &RevenueWrite,
	"TagResource":                             &RevenueWrite,
	"UntagResource":                           &RevenueWrite,
	"StartRevenueAttributionAllocationsTask":  &RevenueTask,
}

// ClassOf is the quota class of an operation of a service (by Smithy
// service name), or nil when it has none.
func ClassOf(service, operation string) *Class {
	return serviceClasses[service][operation]
}

// serviceClasses are the quota classes of each service, by Smithy service
// name.
var serviceClasses = map[string]map[string]*Class{
	sellingService:                     sellingClasses,
	channelService:                     channelClasses,
	"PartnerCentralRevenueMeasurement": revenueClasses,
	benefitsService:                    benefitsClasses,
}

// Window is the length of the rolling daily window.
const Window = 24 * time.Hour

// Limiter holds every account's buckets and daily windows.
type Limiter struct {
	// now is the time the per-second buckets see. It defaults to the wall
	// clock; tests give a fake one so bursts are deterministic.
	now func() time.Time
	// day is the server clock, which the daily window follows so that a
	// test can move it a day forward through the admin API.
	day func() time.Time

	mu      sync.Mutex
	buckets map[key]*bucket
	// replicas is how many servers share the accounts' quotas: each
	// bucket refills at PerSecond/replicas (see SetReplicas).
	replicas int
	// daily, when set, keeps the daily windows for every server sharing
	// them; b.recent is then unused.
	daily DailyCounter
}

// DailyCounter keeps the daily windows where several servers share them,
// so the daily quota holds exactly across them.
type DailyCounter interface {
	// Admit records one request of account in class c at now and reports
	// true, unless c.Daily requests were already recorded in the Window
	// before now; then it records nothing and reports false.
	Admit(ctx context.Context, account string, c *Class, now time.Time) (bool, error)
}

// Share has daily keep the daily windows, for servers sharing the
// accounts' quotas (SetReplicas splits their per-second rates).
func (l *Limiter) Share(daily DailyCounter) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.daily = daily
}

// SetReplicas splits each per-second rate among n servers: every bucket
// refills at PerSecond/n and holds at least one request, so across the
// servers an account gets about its rate when a load balancer spreads its
// requests evenly (approximate: a client that hits one server only gets
// 1/n of it, and at rates below n per second a little more than the rate).
func (l *Limiter) SetReplicas(n int) {
	n = max(n, 1)
	l.mu.Lock()
	defer l.mu.Unlock()
	if n == l.replicas {
		return
	}
	l.replicas = n
	now := l.now()
	for k, b := range l.buckets {
		limit, burst := l.rateOf(k.class)
		b.rate.SetLimitAt(now, limit)
		b.rate.SetBurstAt(now, burst)
	}
}

// rateOf is c's per-second bucket on this server: its refill rate and size.
func (l *Limiter) rateOf(c *Class) (rate.Limit, int) {
	n := max(l.replicas, 1)
	return rate.Limit(float64(c.PerSecond) / float64(n)), max(1, (c.PerSecond+n-1)/n)
}

type key struct {
	account string
	class   *Class
}

// bucket is one account's state for one class.
type bucket struct {
	rate *rate.Limiter
	// recent is a ring of the times of the last Daily admitted requests,
	// oldest at next once full. Only admitted requests are recorded and
	// the ring never holds more than Daily, so the window is exact: a
	// request is refused exactly when Daily of them lie within the last
	// 24 hours.
	recent []time.Time
	next   int
}

// New returns a limiter. rateNow is the clock of the per-second buckets
// (nil: time.Now); dayNow is the clock of the daily window (the server
// clock).
func New(rateNow, dayNow func() time.Time) *Limiter {
	if rateNow == nil {
		rateNow = time.Now
	}
	if dayNow == nil {
		dayNow = time.Now
	}
	return &Limiter{now: rateNow, day: dayNow, buckets: map[key]*bucket{}}
}

// Allow admits one request of account to an operation or refuses it with a
// ThrottlingException. A refused request counts against neither quota: it
// takes no token and is not recorded in the daily window, since AWS
// counts the actions performed ("if you have performed 10,000 write
// actions in the last 24 hours and are trying to perform the 10,001st
// request", developer guide, "Quotas").
func (l *Limiter) Allow(account, service, operation string) error {
	c := ClassOf(service, operation)
	if c == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	k := key{account, c}
	b := l.buckets[k]
	if b == nil {
		b = &bucket{rate: rate.NewLimiter(l.rateOf(c))}
		l.buckets[k] = b
	}
	// The daily quota is checked first and recorded last, so a request the
	// bucket refuses leaves no trace in the window, and one the window
	// refuses takes no token.
	day := l.day()
	overDaily := func() error {
		return apierr.Throttled("Rate exceeded: account %s has made %d %s requests in the last 24 hours, the daily quota.",
			account, c.Daily, c.Name)
	}
	if l.daily == nil && c.Daily > 0 && len(b.recent) == c.Daily && day.Sub(b.recent[b.next]) < Window {
		return overDaily()
	}
	now := l.now()
	token := b.rate.ReserveN(now, 1)
	if !token.OK() || token.DelayFrom(now) > 0 {
		token.CancelAt(now)
		return apierr.Throttled("Rate exceeded: account %s is limited to %s per second for %s requests.",
			account, perSecond(c.PerSecond), c.Name)
	}
	if l.daily != nil && c.Daily > 0 {
		// Shared windows: checked and recorded in one store transaction.
		ok, err := l.daily.Admit(context.Background(), account, c, day)
		if err != nil || !ok {
			token.CancelAt(now)
		}
		if err != nil {
			return fmt.Errorf("quota: the shared daily window: %w", err)
		}
		if !ok {
			return overDaily()
		}
		return nil
	}
	if c.Daily > 0 {
		if len(b.recent) < c.Daily {
			b.recent = append(b.recent, day)
		} else {
			b.recent[b.next] = day
			b.next = (b.next + 1) % c.Daily
		}
	}
	return nil
}

func perSecond(n int) string {
	if n == 1 {
		return "1 request"
	}
	return fmt.Sprintf("%d requests", n)
}

// Reset forgets every account's usage, as a reset server starts afresh.
func (l *Limiter) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.buckets)
}

// Usage is where one account stands against one quota class.
type Usage struct {
	Account    string
	Class      string
	PerSecond  int
	Daily      int     // 0: no daily quota
	LastDay    int     // requests admitted in the last 24 hours (by the daily window's clock)
	TokensLeft float64 // of the per-second bucket, now
}

// Usage lists every account's standing in each class it has used, by
// account then class name.
func (l *Limiter) Usage() []Usage {
	l.mu.Lock()
	defer l.mu.Unlock()
	day, now := l.day(), l.now()
	out := make([]Usage, 0, len(l.buckets))
	for k, b := range l.buckets {
		u := Usage{Account: k.account, Class: k.class.Name, PerSecond: k.class.PerSecond, Daily: k.class.Daily, TokensLeft: b.rate.TokensAt(now)}
		for _, t := range b.recent {
			if day.Sub(t) < Window {
				u.LastDay++
			}
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b Usage) int {
		return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.Class, b.Class))
	})
	return out
}

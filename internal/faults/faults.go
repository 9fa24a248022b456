// Package faults injects failures and latency into API requests on rules a
// test sets at run time: the first rule that matches a request decides, by
// its probability, whether the request fails with the rule's error or is
// delayed. The random draws come from a seeded generator, so a test that
// sets the seed sees the same sequence every run.
package faults

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cosell/cosell/internal/wire"
)

// DefaultCode and DefaultStatus are the error of a rule that names none,
// LocalStack's default for its chaos rules.
const (
	DefaultCode   = "ServiceUnavailable"
	DefaultStatus = 503
)

// Rule is one fault. Empty match fields match every request.
type Rule struct {
	Service   string `json:"service,omitempty"` // signing name ("partnercentral-selling") or Smithy service name
	Region    string `json:"region,omitempty"`
	Operation string `json:"operation,omitempty"`
	Account   string `json:"account,omitempty"`
	// Probability that a matching request is hit, 0 to 1; nil means 1.
	Probability *float64 `json:"probability,omitempty"`
	ErrorCode   string   `json:"errorCode,omitempty"`
	StatusCode  int      `json:"statusCode,omitempty"`
	Latency     Duration `json:"latency,omitempty"`
}

// Duration is a latency: a Go duration string ("250ms") or a number of
// milliseconds in JSON; always a string on the way out.
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var ms float64
	if err := json.Unmarshal(b, &ms); err == nil {
		*d = Duration(ms * float64(time.Millisecond))
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New(`latency: want a duration such as "250ms" or a number of milliseconds`)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("latency: %w", err)
	}
	*d = Duration(v)
	return nil
}

// maxLatency keeps a typo ("5000s") from holding connections for hours.
const maxLatency = 5 * time.Minute

// exceptionName is what an exception name looks like on the wire.
var exceptionName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,99}$`)

// normalize checks r and fills its defaults, so a stored rule shows what
// it does and rules compare equal by what they do.
func (r Rule) normalize() (Rule, error) {
	if p := r.Probability; p != nil && (*p < 0 || *p > 1) {
		return r, fmt.Errorf("probability %v: want 0 to 1", *p)
	}
	if r.Latency < 0 || time.Duration(r.Latency) > maxLatency {
		return r, fmt.Errorf("latency %v: want 0 to %v", time.Duration(r.Latency), maxLatency)
	}
	if r.StatusCode != 0 && (r.StatusCode < 400 || r.StatusCode > 599) {
		return r, fmt.Errorf("statusCode %d: want an error status, 400 to 599", r.StatusCode)
	}
	if r.ErrorCode != "" && !exceptionName.MatchString(r.ErrorCode) {
		return r, fmt.Errorf("errorCode %q: want an exception name such as ThrottlingException", r.ErrorCode)
	}
	switch {
	case r.ErrorCode == "" && r.StatusCode != 0:
		return r, errors.New("statusCode without errorCode: name the exception the status goes with")
	case r.ErrorCode == "" && r.Latency == 0:
		// A rule that says nothing fails the request as LocalStack's does.
		r.ErrorCode, r.StatusCode = DefaultCode, DefaultStatus
	case r.ErrorCode == DefaultCode && r.StatusCode == 0:
		r.StatusCode = DefaultStatus
	}
	if r.Probability != nil && *r.Probability == 1 {
		r.Probability = nil
	}
	return r, nil
}

func (r Rule) equal(o Rule) bool {
	pr, po := 1.0, 1.0
	if r.Probability != nil {
		pr = *r.Probability
	}
	if o.Probability != nil {
		po = *o.Probability
	}
	r.Probability, o.Probability = nil, nil
	return r == o && pr == po
}

// matches says whether r applies to a request, ignoring probability.
func (r Rule) matches(c wire.Call, region string) bool {
	return (r.Service == "" || strings.EqualFold(r.Service, c.Service.SigningName) || strings.EqualFold(r.Service, c.Service.Name)) &&
		(r.Region == "" || strings.EqualFold(r.Region, region)) &&
		(r.Operation == "" || strings.EqualFold(r.Operation, c.Operation)) &&
		(r.Account == "" || r.Account == c.Account)
}

// Injector holds the rules and applies them.
type Injector struct {
	region string // the server's; rules naming another region never match

	mu       sync.Mutex
	rules    []Rule
	rng      *rand.Rand
	onChange func([]Rule) // see OnChange
}

// OnChange has fn called with the rules after every change through Set,
// Add or Remove (not Load), so a server can share them with others.
func (in *Injector) OnChange(fn func([]Rule)) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.onChange = fn
}

// changed tells the OnChange function about the rules now in force.
func (in *Injector) changed() {
	in.mu.Lock()
	fn, rules := in.onChange, slices.Clone(in.rules)
	in.mu.Unlock()
	if fn != nil {
		fn(rules)
	}
}

// Load replaces every rule with rules another server set, without
// calling the OnChange function.
func (in *Injector) Load(rules []Rule) error {
	norm, err := normalizeAll(rules)
	if err != nil {
		return err
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = norm
	return nil
}

// New returns an injector without rules for a server in region, its draws
// seeded with seed.
func New(region string, seed uint64) *Injector {
	return &Injector{region: region, rng: newRand(seed)}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// Rules returns a copy of the rules in evaluation order.
func (in *Injector) Rules() []Rule {
	in.mu.Lock()
	defer in.mu.Unlock()
	return slices.Clone(in.rules)
}

// Set replaces every rule; on an invalid rule nothing changes.
func (in *Injector) Set(rules []Rule) error {
	if err := in.Load(rules); err != nil {
		return err
	}
	in.changed()
	return nil
}

// Add appends rules after the existing ones, skipping any already present,
// so adding the same rule twice does not change the order of evaluation.
func (in *Injector) Add(rules []Rule) error {
	norm, err := normalizeAll(rules)
	if err != nil {
		return err
	}
	in.mu.Lock()
	for _, r := range norm {
		if !slices.ContainsFunc(in.rules, r.equal) {
			in.rules = append(in.rules, r)
		}
	}
	in.mu.Unlock()
	in.changed()
	return nil
}

// Remove deletes the rules equal to any of rules, or every rule when
// rules is empty.
func (in *Injector) Remove(rules []Rule) error {
	norm, err := normalizeAll(rules)
	if err != nil {
		return err
	}
	in.mu.Lock()
	if len(norm) == 0 {
		in.rules = nil
	} else {
		in.rules = slices.DeleteFunc(in.rules, func(r Rule) bool { return slices.ContainsFunc(norm, r.equal) })
	}
	in.mu.Unlock()
	in.changed()
	return nil
}

// Seed restarts the random draws from seed.
func (in *Injector) Seed(seed uint64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rng = newRand(seed)
}

func normalizeAll(rules []Rule) ([]Rule, error) {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		var err error
		if out[i], err = r.normalize(); err != nil {
			return nil, fmt.Errorf("rule %d: %w", i, err)
		}
	}
	return out, nil
}

// Admit applies the first rule that matches the request: when its draw
// hits, the request waits out the rule's latency, then fails with its error
// if it has one. Later rules are not consulted even when the first one's
// draw misses, so a rule's probability is exactly how often it fires.
func (in *Injector) Admit(ctx context.Context, c wire.Call) error {
	rule, hit := in.pick(c)
	if !hit {
		return nil
	}
	if rule.Latency > 0 {
		t := time.NewTimer(time.Duration(rule.Latency))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	if rule.ErrorCode == "" {
		return nil
	}
	return &wire.Fault{Code: rule.ErrorCode, Status: rule.StatusCode}
}

func (in *Injector) pick(c wire.Call) (Rule, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, r := range in.rules {
		if !r.matches(c, in.region) {
			continue
		}
		switch {
		case r.Probability == nil:
			return r, true
		case *r.Probability <= 0:
			return r, false
		default:
			return r, in.rng.Float64() < *r.Probability
		}
	}
	return Rule{}, false
}

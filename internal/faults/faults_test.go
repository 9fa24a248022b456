package faults

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/smithy"
	"github.com/cosell/cosell/internal/wire"
)

var (
	sellingSvc = &smithy.Service{Name: "AWSPartnerCentralSelling", SigningName: "partnercentral-selling"}
	accountSvc = &smithy.Service{Name: "PartnerCentralAccount", SigningName: "partnercentral-account"}
)

func call(svc *smithy.Service, op, account string) wire.Call {
	return wire.Call{Service: svc, Operation: op, Account: account}
}

func prob(p float64) *float64 { return &p }

// faultOf runs Admit and returns the injected fault, or nil.
func faultOf(t *testing.T, in *Injector, c wire.Call) *wire.Fault {
	t.Helper()
	err := in.Admit(context.Background(), c)
	if err == nil {
		return nil
	}
	var f *wire.Fault
	if !errors.As(err, &f) {
		t.Fatalf("Admit: %v, want a *wire.Fault", err)
	}
	return f
}

func TestFirstMatchWins(t *testing.T) {
	in := New("us-east-1", 1)
	err := in.Set([]Rule{
		{Operation: "GetOpportunity", Account: "111111111111", ErrorCode: "ThrottlingException", StatusCode: 429},
		{Service: "partnercentral-selling", ErrorCode: "InternalServerException"},
		{Region: "eu-west-1", ErrorCode: "AccessDeniedException"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c    wire.Call
		want string
	}{
		{call(sellingSvc, "GetOpportunity", "111111111111"), "ThrottlingException"},
		// Another account falls through to the service-wide rule.
		{call(sellingSvc, "GetOpportunity", "222222222222"), "InternalServerException"},
		{call(sellingSvc, "ListSolutions", "111111111111"), "InternalServerException"},
		// The Account API matches neither; the third rule is for another region.
		{call(accountSvc, "GetPartner", "111111111111"), ""},
	} {
		f := faultOf(t, in, tc.c)
		got := ""
		if f != nil {
			got = f.Code
		}
		if got != tc.want {
			t.Errorf("%s by %s: fault %q, want %q", tc.c.Operation, tc.c.Account, got, tc.want)
		}
	}
	if f := faultOf(t, in, call(sellingSvc, "GetOpportunity", "111111111111")); f.Status != 429 {
		t.Errorf("status %d, want the rule's 429", f.Status)
	}
}

func TestServiceMatchesEitherName(t *testing.T) {
	in := New("us-east-1", 1)
	for _, name := range []string{"partnercentral-account", "PartnerCentralAccount"} {
		if err := in.Set([]Rule{{Service: name, ErrorCode: "InternalServerException"}}); err != nil {
			t.Fatal(err)
		}
		if faultOf(t, in, call(accountSvc, "GetPartner", "1")) == nil {
			t.Errorf("service %q did not match the Account API", name)
		}
		if faultOf(t, in, call(sellingSvc, "GetOpportunity", "1")) != nil {
			t.Errorf("service %q matched the Selling API", name)
		}
	}
}

func TestProbability(t *testing.T) {
	in := New("us-east-1", 42)
	if err := in.Set([]Rule{{Operation: "GetOpportunity", Probability: prob(0), ErrorCode: "InternalServerException"},
		{ErrorCode: "ThrottlingException"}}); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		// Probability 0 never fires, and as the first match it also keeps
		// later rules from applying.
		if f := faultOf(t, in, call(sellingSvc, "GetOpportunity", "1")); f != nil {
			t.Fatalf("probability 0 fired: %v", f)
		}
		if f := faultOf(t, in, call(sellingSvc, "ListSolutions", "1")); f == nil {
			t.Fatal("probability 1 (the default) did not fire")
		}
	}

	// A half-probability rule fires about half the time, and the same seed
	// gives the same sequence.
	sequence := func(seed uint64) []bool {
		in := New("us-east-1", seed)
		if err := in.Set([]Rule{{Probability: prob(0.5), ErrorCode: "InternalServerException"}}); err != nil {
			t.Fatal(err)
		}
		var out []bool
		for range 1000 {
			out = append(out, faultOf(t, in, call(sellingSvc, "GetOpportunity", "1")) != nil)
		}
		return out
	}
	a, b := sequence(7), sequence(7)
	hits := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d differs between runs with the same seed", i)
		}
		if a[i] {
			hits++
		}
	}
	if hits < 400 || hits > 600 {
		t.Errorf("probability 0.5 fired %d times in 1000", hits)
	}
}

func TestLatency(t *testing.T) {
	in := New("us-east-1", 1)
	if err := in.Set([]Rule{{Operation: "GetOpportunity", Latency: Duration(80 * time.Millisecond)}}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if f := faultOf(t, in, call(sellingSvc, "GetOpportunity", "1")); f != nil {
		t.Fatalf("a latency-only rule failed the request: %v", f)
	}
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("request delayed %v, want at least 80ms", d)
	}
	start = time.Now()
	faultOf(t, in, call(sellingSvc, "ListSolutions", "1"))
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("an unmatched request was delayed %v", d)
	}
	// A cancelled request stops waiting.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := in.Admit(ctx, call(sellingSvc, "GetOpportunity", "1")); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled request: %v", err)
	}
}

func TestValidationAndDefaults(t *testing.T) {
	in := New("us-east-1", 1)
	for _, bad := range []Rule{
		{Probability: prob(1.5)},
		{StatusCode: 200, ErrorCode: "X"},
		{StatusCode: 429},
		{ErrorCode: "not an exception"},
		{Latency: Duration(time.Hour)},
	} {
		if err := in.Set([]Rule{{ErrorCode: "ThrottlingException"}, bad}); err == nil {
			t.Errorf("rule %+v accepted", bad)
		}
	}
	if len(in.Rules()) != 0 {
		t.Fatalf("a rejected Set left rules: %+v", in.Rules())
	}
	// An empty rule fails everything with LocalStack's default.
	if err := in.Set([]Rule{{}}); err != nil {
		t.Fatal(err)
	}
	if got := in.Rules()[0]; got.ErrorCode != "ServiceUnavailable" || got.StatusCode != 503 {
		t.Errorf("empty rule became %+v", got)
	}
}

func TestAddAndRemove(t *testing.T) {
	in := New("us-east-1", 1)
	a := Rule{Operation: "GetOpportunity", ErrorCode: "ThrottlingException"}
	b := Rule{Operation: "ListSolutions", ErrorCode: "InternalServerException", Probability: prob(1)}
	if err := in.Add([]Rule{a, b}); err != nil {
		t.Fatal(err)
	}
	// Adding a rule again (probability 1 written out or not) changes nothing.
	b.Probability = nil
	if err := in.Add([]Rule{b, a}); err != nil {
		t.Fatal(err)
	}
	if got := in.Rules(); len(got) != 2 || got[0].Operation != "GetOpportunity" {
		t.Fatalf("rules %+v", got)
	}
	if err := in.Remove([]Rule{a}); err != nil {
		t.Fatal(err)
	}
	if got := in.Rules(); len(got) != 1 || got[0].Operation != "ListSolutions" {
		t.Fatalf("after removing a: %+v", got)
	}
	if err := in.Remove(nil); err != nil || len(in.Rules()) != 0 {
		t.Fatalf("remove all: %v, %+v", err, in.Rules())
	}
}

func TestLocalStackFormat(t *testing.T) {
	var rules []LocalStackRule
	body := `[{"service":"partnercentral-selling","region":"us-east-1","operation":"CreateOpportunity","probability":1,"error":{"statusCode":429,"code":"ThrottlingException"}},
		{"service":"partnercentral-account"},
		{"operation":"GetOpportunity","latency":"20ms"}]`
	if err := json.Unmarshal([]byte(body), &rules); err != nil {
		t.Fatal(err)
	}
	in := New("us-east-1", 1)
	if err := in.Set(FromLocalStack(rules)); err != nil {
		t.Fatal(err)
	}
	if f := faultOf(t, in, call(sellingSvc, "CreateOpportunity", "1")); f == nil || f.Code != "ThrottlingException" || f.Status != 429 {
		t.Errorf("CreateOpportunity: %+v", f)
	}
	if f := faultOf(t, in, call(accountSvc, "GetPartner", "1")); f == nil || f.Code != "ServiceUnavailable" || f.Status != 503 {
		t.Errorf("a rule without error: %+v, want LocalStack's 503 ServiceUnavailable", f)
	}
	if f := faultOf(t, in, call(sellingSvc, "GetOpportunity", "1")); f != nil {
		t.Errorf("a latency-only rule failed the request: %+v", f)
	}
	out, err := json.Marshal(ToLocalStack(in.Rules()))
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"service":"partnercentral-selling","region":"us-east-1","operation":"CreateOpportunity","error":{"statusCode":429,"code":"ThrottlingException"}},` +
		`{"service":"partnercentral-account","error":{"statusCode":503,"code":"ServiceUnavailable"}},` +
		`{"operation":"GetOpportunity","latency":"20ms"}]`
	if string(out) != want {
		t.Errorf("GET form\n got %s\nwant %s", out, want)
	}
	// What GET returns, DELETE takes back.
	var back []LocalStackRule
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if err := in.Remove(FromLocalStack(back)); err != nil || len(in.Rules()) != 0 {
		t.Errorf("removing the rules GET returned: %v, left %+v", err, in.Rules())
	}
}

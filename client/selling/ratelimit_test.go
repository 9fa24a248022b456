package sellingclient_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	sellingclient "github.com/cosell/cosell/client/selling"
)

// The default classes are the documented Selling API quotas.
func TestDefaultRateClasses(t *testing.T) {
	c := sellingclient.New(aws.Config{})
	rl := c.Options().RateLimit
	if rl.Disabled {
		t.Fatal("rate limiting is off by default")
	}
	want := map[string]struct {
		perSecond float64
		ops       []string
	}{
		"read":             {10, []string{"GetOpportunity", "ListOpportunities", "ListEngagementInvitations"}},
		"write":            {1, []string{"CreateOpportunity", "UpdateOpportunity", "AssignOpportunity"}},
		"engagement write": {15, []string{"CreateEngagement"}},
	}
	if len(rl.Classes) != len(want) {
		t.Fatalf("%d classes, want %d: %+v", len(rl.Classes), len(want), rl.Classes)
	}
	for _, class := range rl.Classes {
		w := want[class.Name]
		if class.PerSecond != w.perSecond || class.Burst != int(w.perSecond) {
			t.Errorf("class %q: %v/s burst %d, want %v/s burst %v", class.Name, class.PerSecond, class.Burst, w.perSecond, w.perSecond)
		}
		for _, op := range w.ops {
			if !slices.Contains(class.Operations, op) {
				t.Errorf("class %q lacks %s", class.Name, op)
			}
		}
	}
}

// With a bucket of two reads an hour, the third read waits for a token;
// a context ending sooner fails it before any request is sent.
func TestRateLimitHoldsBackCalls(t *testing.T) {
	srv := startCosell(t)
	httpClient := &countingClient{before: func(int64) {}}
	c := srv.client(func(o *sellingclient.Options) {
		o.HTTPClient = httpClient
		o.RateLimit.Disabled = false
		for i := range o.RateLimit.Classes {
			if o.RateLimit.Classes[i].Name == "read" {
				o.RateLimit.Classes[i].PerSecond, o.RateLimit.Classes[i].Burst = 2.0/3600, 2
			}
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range 2 {
		if _, err := c.ListOpportunities(ctx, listRequest()); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.ListOpportunities(ctx, listRequest())
	var op *sellingclient.OperationError
	if err == nil || !errors.As(err, &op) || op.Attempts != 0 || httpClient.sent.Load() != 2 {
		t.Fatalf("third read: %v with %d requests sent, want a rate limit error and 2 sent", err, httpClient.sent.Load())
	}
	// Writes have their own bucket.
	if _, err := c.CreateOpportunity(ctx, newOpportunity("Writer Co")); err != nil {
		t.Fatalf("a write waited for the read bucket: %v", err)
	}
}

func TestInvalidRateClassFailsEveryCall(t *testing.T) {
	c := startCosell(t).client(func(o *sellingclient.Options) {
		o.RateLimit.Disabled = false
		o.RateLimit.Classes = []sellingclient.RateClass{{Name: "broken", PerSecond: 0, Burst: 1, Operations: []string{"ListOpportunities"}}}
	})
	if _, err := c.ListOpportunities(context.Background(), listRequest()); err == nil {
		t.Fatal("a zero-rate class was accepted")
	}
}

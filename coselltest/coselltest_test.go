package coselltest_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/api/selling"
	accountclient "github.com/cosell/cosell/client/account"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/coselltest"
)

// Servers started side by side by parallel tests are independent: each
// has its own store, port and clock.
func TestParallelServersAreIndependent(t *testing.T) {
	for _, company := range []string{"One Co", "Two Co", "Three Co"} {
		t.Run(company, func(t *testing.T) {
			t.Parallel()
			srv := coselltest.Start(t)
			c := sellingclient.New(srv.Config())
			if _, err := c.CreateOpportunity(t.Context(), &selling.CreateOpportunityRequest{Catalog: "Sandbox", Customer: &selling.Customer{Account: &selling.Account{CompanyName: company}}}); err != nil {
				t.Fatal(err)
			}
			list, err := c.ListOpportunities(t.Context(), &selling.ListOpportunitiesRequest{Catalog: "Sandbox"})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.OpportunitySummaries) != 1 {
				t.Fatalf("%d opportunities, want this test's one", len(list.OpportunitySummaries))
			}
			if _, err := srv.Admin.Advance(t.Context(), 24*time.Hour); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The config signs as the account it is for, which the official SDKs and
// cosell's clients take as it is.
func TestConfigSignsAsTheAccount(t *testing.T) {
	t.Parallel()
	srv := coselltest.Start(t)
	if len(srv.Accounts) != 2 || !strings.HasPrefix(srv.URL, "http://127.0.0.1:") || srv.Region != "us-east-1" {
		t.Fatalf("server %+v", srv)
	}
	second := srv.Accounts[1].ID
	q := sqs.NewFromConfig(srv.ConfigFor(second))
	url, err := q.GetQueueUrl(t.Context(), &sqs.GetQueueUrlInput{QueueName: aws.String("cosell-partnercentral-events")})
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/" + second + "/cosell-partnercentral-events"; aws.ToString(url.QueueUrl) != want {
		t.Fatalf("queue %q, want %q", aws.ToString(url.QueueUrl), want)
	}
	prefs, err := accountclient.New(srv.ConfigFor(second)).GetConnectionPreferences(t.Context(), &account.GetConnectionPreferencesRequest{Catalog: "Sandbox"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(prefs.Arn, second) {
		t.Fatalf("ARN %q is not account %s's", prefs.Arn, second)
	}
}

func TestAdmin(t *testing.T) {
	t.Parallel()
	srv := coselltest.Start(t)
	ctx := t.Context()
	c := sellingclient.New(srv.Config(), func(o *sellingclient.Options) { o.RateLimit.Disabled = true; o.Retry.MaxAttempts = 1 })

	before, err := srv.Admin.Now(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after, err := srv.Admin.Advance(ctx, 48*time.Hour)
	if err != nil || after.Sub(before) < 48*time.Hour {
		t.Fatalf("advanced from %v to %v (%v)", before, after, err)
	}
	if err := srv.Admin.SetClock(ctx, before); err == nil || !strings.Contains(err.Error(), "HTTP 400") {
		t.Fatalf("moving the clock back: %v, want the admin API's 400", err)
	}

	if err := srv.Admin.SetFaults(ctx, coselltest.FaultRule{Operation: "ListOpportunities", ErrorCode: "ThrottlingException"}); err != nil {
		t.Fatal(err)
	}
	_, err = c.ListOpportunities(ctx, &selling.ListOpportunitiesRequest{Catalog: "Sandbox"})
	var throttled *sellingclient.ThrottlingException
	if !errors.As(err, &throttled) {
		t.Fatalf("with a fault rule: %v, want ThrottlingException", err)
	}
	if err := srv.Admin.SetFaults(ctx); err != nil {
		t.Fatal(err)
	}

	if _, err := c.CreateOpportunity(ctx, &selling.CreateOpportunityRequest{Catalog: "Sandbox", Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Reset Co"}}}); err != nil {
		t.Fatal(err)
	}
	events, err := srv.Admin.Events(ctx, srv.Accounts[0].ID, 0)
	if err != nil || len(events) != 1 || events[0].DetailType() != "Opportunity Created" || events[0].Seq == 0 {
		t.Fatalf("events %+v (%v)", events, err)
	}
	if err := srv.Admin.ResetCatalog(ctx, srv.Accounts[0].ID, "Sandbox"); err != nil {
		t.Fatal(err)
	}
	list, err := c.ListOpportunities(ctx, &selling.ListOpportunitiesRequest{Catalog: "Sandbox"})
	if err != nil || len(list.OpportunitySummaries) != 0 {
		t.Fatalf("after the reset: %+v (%v)", list, err)
	}
	if err := srv.Admin.ResetCatalog(ctx, "999999999999", "Sandbox"); err == nil {
		t.Fatal("reset of an account the server does not have succeeded")
	}
	if err := srv.Admin.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Admin.Review(ctx, "Sandbox", srv.Accounts[0].ID, "O404", coselltest.ReviewRequest{Status: "Approved"}); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Fatalf("review of an opportunity that does not exist: %v", err)
	}
}

// A closed server answers nothing, and closing again changes nothing.
func TestClose(t *testing.T) {
	t.Parallel()
	srv, err := coselltest.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if _, err := srv.Admin.Now(ctx); err == nil {
		t.Fatal("a closed server answered")
	}
}

// A server on a data directory keeps its data for the next one.
func TestDataDirOutlivesTheServer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := coselltest.Start(t, coselltest.WithDataDir(dir))
	created, err := sellingclient.New(first.Config()).CreateOpportunity(t.Context(), &selling.CreateOpportunityRequest{Catalog: "Sandbox", Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Kept Co"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second := coselltest.Start(t, coselltest.WithDataDir(dir))
	if _, err := sellingclient.New(second.Config()).GetOpportunity(t.Context(), &selling.GetOpportunityRequest{Catalog: "Sandbox", Identifier: created.Id}); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkStart measures starting and stopping one server, the cost a
// test pays for its own: go test -run '^$' -bench Start ./coselltest/
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		srv, err := coselltest.New()
		if err != nil {
			b.Fatal(err)
		}
		if err := srv.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

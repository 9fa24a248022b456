// Package replicatest runs several cosell servers on one PostgreSQL
// database, as replicas behind a load balancer, and checks that a client
// spreading its requests over them sees one server.
package replicatest

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
	"github.com/cosell/cosell/internal/testpg"
)

func TestMain(m *testing.M) { testpg.Main(m) }

func startReplicas(t *testing.T, n int) []*servertest.Server {
	t.Helper()
	db := testpg.NewDatabase(t)
	out := make([]*servertest.Server, n)
	for i := range out {
		u, err := url.Parse(db)
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 { // pgxpool's settings in the URL must suit every user of it
			q := u.Query()
			q.Set("pool_max_conns", "2")
			u.RawQuery = q.Encode()
		}
		out[i] = servertest.Start(t, server.Config{Store: u.String()})
	}
	return out
}

func newOpportunity(token, company string) *selling.CreateOpportunityRequest {
	return &selling.CreateOpportunityRequest{Catalog: "Sandbox", ClientToken: token,
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: company}}}
}

// What one replica commits, the other reads; a ClientToken, a
// LastModifiedDate and a NextToken issued by one hold on the other.
func TestReplicasServeOneTruth(t *testing.T) {
	replicas := startReplicas(t, 2)
	ctx := context.Background()
	a, b := replicas[0].SellingClient("test", "test"), replicas[1].SellingClient("test", "test")

	created, err := a.CreateOpportunity(ctx, newOpportunity("token-1", "Replica Co"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := b.CreateOpportunity(ctx, newOpportunity("token-1", "Replica Co"))
	if err != nil || again.Id != created.Id {
		t.Fatalf("the same ClientToken on the other replica: %v, %v; want %s again", again, err, created.Id)
	}
	got, err := b.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: "Sandbox", Identifier: created.Id})
	if err != nil || !got.LastModifiedDate.Equal(*created.LastModifiedDate) {
		t.Fatalf("read on the other replica: %v, %v", got, err)
	}

	update := &selling.UpdateOpportunityRequest{Catalog: "Sandbox", Identifier: created.Id, LastModifiedDate: got.LastModifiedDate,
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Renamed Co"}}}
	if _, err := b.UpdateOpportunity(ctx, update); err != nil {
		t.Fatal(err)
	}
	_, err = a.UpdateOpportunity(ctx, update) // the LastModifiedDate is stale now
	var conflict *sellingclient.ConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("a stale update on the other replica: %v, want a ConflictException", err)
	}

	for i := range 2 {
		if _, err := a.CreateOpportunity(ctx, newOpportunity("more-"+string(rune('a'+i)), "More Co")); err != nil {
			t.Fatal(err)
		}
	}
	first, err := a.ListOpportunities(ctx, &selling.ListOpportunitiesRequest{Catalog: "Sandbox", MaxResults: aws.Int32(2)})
	if err != nil || first.NextToken == nil {
		t.Fatalf("first page: %v, %v", first, err)
	}
	rest, err := b.ListOpportunities(ctx, &selling.ListOpportunitiesRequest{Catalog: "Sandbox", MaxResults: aws.Int32(2), NextToken: first.NextToken})
	if err != nil {
		t.Fatalf("a NextToken of one replica on the other: %v", err)
	}
	if n := len(first.OpportunitySummaries) + len(rest.OpportunitySummaries); n != 3 || rest.NextToken != nil {
		t.Fatalf("two pages across replicas hold %d opportunities (next %v), want 3", n, rest.NextToken)
	}
}

// An event stream on one replica follows the commits of another.
func TestReplicasStreamEachOthersEvents(t *testing.T) {
	replicas := startReplicas(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // a hang guard, not a speed check
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, replicas[1].URL()+"/_cosell/events/stream?account=111111111111", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+servertest.AdminToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stream: HTTP %d", res.StatusCode)
	}
	created, err := replicas[0].SellingClient("test", "test").CreateOpportunity(context.Background(), newOpportunity("streamed", "Streamed Co"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(res.Body)
	for lines.Scan() {
		data, ok := strings.CutPrefix(lines.Text(), "data:")
		if ok && strings.Contains(data, "Opportunity Created") && strings.Contains(data, created.Id) {
			return
		}
	}
	t.Fatalf("the other replica's stream ended without the event: %v", lines.Err())
}

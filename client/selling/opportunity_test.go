package sellingclient_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
)

func newOpportunity(company string) *selling.CreateOpportunityRequest {
	return &selling.CreateOpportunityRequest{
		Catalog:  "Sandbox",
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: company}},
	}
}

// The LastModifiedDate read back through the client is the optimistic lock
// token: it round-trips exactly, and a stale one is a typed ConflictException.
func TestOpportunityRoundTrip(t *testing.T) {
	ctx := context.Background()
	c := startCosell(t).client()

	created, err := c.CreateOpportunity(ctx, newOpportunity("Round Trip Co"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: "Sandbox", Identifier: created.Id})
	if err != nil {
		t.Fatal(err)
	}
	if created.LastModifiedDate == nil || !created.LastModifiedDate.Equal(got.LastModifiedDate) {
		t.Fatalf("LastModifiedDate: created %v, read back %v", created.LastModifiedDate, got.LastModifiedDate)
	}
	if got.Customer == nil || got.Customer.Account == nil || got.Customer.Account.CompanyName != "Round Trip Co" {
		t.Fatalf("customer read back as %+v", got.Customer)
	}

	update := &selling.UpdateOpportunityRequest{
		Catalog: "Sandbox", Identifier: created.Id, LastModifiedDate: got.LastModifiedDate,
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Renamed Co"}},
	}
	updated, err := c.UpdateOpportunity(ctx, update)
	if err != nil {
		t.Fatalf("update with the LastModifiedDate just read: %v", err)
	}
	if !updated.LastModifiedDate.After(got.LastModifiedDate) {
		t.Fatalf("LastModifiedDate did not move forward: %v then %v", got.LastModifiedDate, updated.LastModifiedDate)
	}

	// The same update again carries a stale LastModifiedDate.
	_, err = c.UpdateOpportunity(ctx, update)
	var conflict *sellingclient.ConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("stale update: %v, want a ConflictException", err)
	}
	if conflict.StatusCode != 409 || conflict.RequestID == "" || conflict.ErrorMessage() == "" {
		t.Fatalf("ConflictException without its metadata: %+v", conflict)
	}

	list, err := c.ListOpportunities(ctx, &selling.ListOpportunitiesRequest{Catalog: "Sandbox", Identifier: []string{created.Id}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.OpportunitySummaries) != 1 || !list.OpportunitySummaries[0].LastModifiedDate.Equal(updated.LastModifiedDate) {
		t.Fatalf("ListOpportunities: %+v, want the one opportunity at %v", list.OpportunitySummaries, updated.LastModifiedDate)
	}
}

// A ClientToken the caller leaves empty is filled once per call; one the
// caller sets makes the call idempotent.
func TestClientToken(t *testing.T) {
	ctx := context.Background()
	c := startCosell(t).client()
	ids := map[string]bool{}
	for range 2 {
		out, err := c.CreateOpportunity(ctx, newOpportunity("Token Co"))
		if err != nil {
			t.Fatal(err)
		}
		ids[out.Id] = true
	}
	if len(ids) != 2 {
		t.Fatalf("two calls without a ClientToken made %d opportunities, want 2", len(ids))
	}
	in := newOpportunity("Token Co")
	in.ClientToken = "same-token"
	first, err := c.CreateOpportunity(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.CreateOpportunity(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if first.Id != second.Id {
		t.Fatalf("one ClientToken made two opportunities, %s and %s", first.Id, second.Id)
	}
}

func TestPaginatorWalksEveryPage(t *testing.T) {
	ctx := context.Background()
	c := startCosell(t).client()
	const n = 250
	for i := range n {
		if _, err := c.CreateOpportunity(ctx, newOpportunity(fmt.Sprintf("Company %03d", i))); err != nil {
			t.Fatal(err)
		}
	}
	in := &selling.ListOpportunitiesRequest{Catalog: "Sandbox", MaxResults: aws.Int32(40)}
	p := sellingclient.NewListOpportunitiesPaginator(c, in)
	seen, pages := map[string]bool{}, 0
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, o := range page.OpportunitySummaries {
			if seen[*o.Id] {
				t.Fatalf("%s on two pages", *o.Id)
			}
			seen[*o.Id] = true
		}
	}
	if len(seen) != n || pages != 7 {
		t.Fatalf("%d opportunities on %d pages, want %d on 7", len(seen), pages, n)
	}
	if in.NextToken != nil {
		t.Fatal("the paginator wrote its tokens into the caller's input")
	}
	if _, err := p.NextPage(ctx); err == nil {
		t.Fatal("NextPage after the last page succeeded")
	}
}

package selling

import (
	"slices"
	"testing"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

// listingArn is the ARN of account's i-th starter listing in the Sandbox.
func listingArn(account string, i int) string {
	l := starterListings[i]
	return marketplaceArn(account, l.kind, listingID(listingPrefix(l.kind), account, CatalogSandbox, i))
}

func TestMarketplaceAssociations(t *testing.T) {
	f := newInvitationFixture(t)
	id := f.create(t, acctA, completeOpportunity(CatalogSandbox, "m"))
	solution, saas, ami, draft := listingArn(acctA, 0), listingArn(acctA, 1), listingArn(acctA, 2), listingArn(acctA, 3)
	sol, prod := api.RelatedEntityTypeAwsMarketplaceSolutions, api.RelatedEntityTypeAwsMarketplaceProducts
	for _, c := range []struct {
		kind api.RelatedEntityType
		arn  string
	}{{sol, solution}, {prod, saas}, {prod, ami}} {
		if err := f.associate(acctA, CatalogSandbox, id, c.kind, c.arn); err != nil {
			t.Fatalf("%s %s: %v", c.kind, c.arn, err)
		}
	}
	rel := f.get(t, acctA, CatalogSandbox, id).RelatedEntityIdentifiers
	if !slices.Equal(rel.AwsMarketplaceSolutions, []string{solution}) || !slices.Equal(rel.AwsMarketplaceProducts, []string{saas, ami}) {
		t.Fatalf("related %+v", rel)
	}
	if ids := f.awsSummary(t, acctA, CatalogSandbox, id).RelatedEntityIds; !slices.Equal(ids.AwsMarketplaceProducts, []string{saas, ami}) {
		t.Fatalf("AWS summary related %+v", ids)
	}
	e := wantErr(t, f.associate(acctA, CatalogSandbox, id, prod, draft), apierr.KindValidation, apierr.ReasonBusinessValidation)
	if !hasField(e, "relatedEntityIdentifier", apierr.CodeInvalidResourceState) {
		t.Fatalf("draft listing: %+v", e.Fields)
	}
	wantErr(t, f.associate(acctA, CatalogSandbox, id, sol, saas), apierr.KindNotFound, "") // a product is not a solution
	// Another seller's listing associates only over a SUBSIDIARY connection.
	f.svc.connections = connections{apart: map[[2]string]bool{{acctA, acctB}: true}}
	wantErr(t, f.associate(acctA, CatalogSandbox, id, prod, listingArn(acctB, 1)), apierr.KindNotFound, "")
	f.svc.connections = connections{}
	if err := f.associate(acctA, CatalogSandbox, id, prod, listingArn(acctB, 1)); err != nil {
		t.Fatalf("a subsidiary's listing: %v", err)
	}
	if _, err := f.svc.DisassociateOpportunity(f.ctx, acctA, &api.DisassociateOpportunityRequest{Catalog: CatalogSandbox, OpportunityIdentifier: id, RelatedEntityType: prod, RelatedEntityIdentifier: listingArn(acctB, 1)}); err != nil {
		t.Fatal(err)
	}
	if err := f.associate(acctA, CatalogSandbox, id, prod, saas); !apierr.Is(err, apierr.KindConflict) {
		t.Fatalf("second association of the same product: %v", err)
	}
	if _, err := f.svc.DisassociateOpportunity(f.ctx, acctA, &api.DisassociateOpportunityRequest{Catalog: CatalogSandbox, OpportunityIdentifier: id, RelatedEntityType: prod, RelatedEntityIdentifier: ami}); err != nil {
		t.Fatal(err)
	}
	if rel := f.get(t, acctA, CatalogSandbox, id).RelatedEntityIdentifiers; !slices.Equal(rel.AwsMarketplaceProducts, []string{saas}) {
		t.Fatalf("after disassociation %+v", rel)
	}

	// An AWS-side listing of a Marketplace solution standing for a solution.
	added, err := f.svc.AddListing(f.ctx, acctA, CatalogSandbox, Listing{Kind: ListingSolution, Name: "Kubernetes Ops", SolutionId: solutionID(acctA, CatalogSandbox, 1)})
	if err != nil {
		t.Fatal(err)
	}
	list := func(arns ...string) map[string]string {
		t.Helper()
		out, err := f.svc.ListSolutions(f.ctx, acctA, &api.ListSolutionsRequest{Catalog: CatalogSandbox, AwsMarketplaceSolutionArn: arns})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, s := range out.SolutionSummaries {
			got[s.Id] = deref(s.AwsMarketplaceSolutionArn)
		}
		return got
	}
	if got := list(); len(got) != len(starterSolutions) || got[sandboxTestSolution] != solution || got[solutionID(acctA, CatalogSandbox, 1)] != added.Arn {
		t.Fatalf("all solutions %v", got)
	}
	if got := list(added.Arn); len(got) != 1 || got[solutionID(acctA, CatalogSandbox, 1)] != added.Arn {
		t.Fatalf("filtered %v", got)
	}
	if got := list("arn:aws:aws-marketplace:us-east-1:111111111111:AWSMarketplace/Solution/soln-nothing000000"); len(got) != 0 {
		t.Fatalf("unknown ARN %v", got)
	}
}

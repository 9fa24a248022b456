package selling

import (
	"slices"
	"testing"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

// Solutions AWS adds are listed and associable like the seeded ones, each
// with its own id; bad ones are refused with every field at fault.
func TestAddSolution(t *testing.T) {
	f := newInvitationFixture(t)
	ids := map[string]bool{}
	for _, name := range []string{"Edge Analytics", "Retail Vision"} {
		sol, err := f.svc.AddSolution(f.ctx, acctA, CatalogSandbox, Solution{Name: name, Category: "Software Products"})
		if err != nil {
			t.Fatal(err)
		}
		if sol.Status != api.SolutionStatusActive || sol.Name != name || ids[sol.Id] {
			t.Fatalf("added %+v (ids so far %v)", sol, ids)
		}
		ids[sol.Id] = true
	}
	listed, err := f.svc.ListSolutions(f.ctx, acctA, &api.ListSolutionsRequest{Catalog: CatalogSandbox, Status: []api.SolutionStatus{api.SolutionStatusActive}})
	if err != nil {
		t.Fatal(err)
	}
	for id := range ids {
		if !slices.ContainsFunc(listed.SolutionSummaries, func(s api.SolutionBase) bool { return s.Id == id }) {
			t.Errorf("%s is not listed: %+v", id, listed.SolutionSummaries)
		}
	}
	opp := f.create(t, acctA, completeOpportunity(CatalogSandbox, "with-added-solution"))
	for id := range ids {
		if _, err := f.svc.AssociateOpportunity(f.ctx, acctA, &api.AssociateOpportunityRequest{Catalog: CatalogSandbox,
			OpportunityIdentifier: opp, RelatedEntityType: api.RelatedEntityTypeSolutions, RelatedEntityIdentifier: id}); err != nil {
			t.Errorf("associate %s: %v", id, err)
		}
	}

	_, err = f.svc.AddSolution(f.ctx, acctA, CatalogSandbox, Solution{Status: "Retired"})
	e := wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
	for _, field := range []string{"name", "category", "status"} {
		if !slices.ContainsFunc(e.Fields, func(fe apierr.FieldError) bool { return fe.FieldName == field }) {
			t.Errorf("no problem reported for %s: %+v", field, e.Fields)
		}
	}
	_, err = f.svc.AddSolution(f.ctx, "999999999999", CatalogSandbox, Solution{Name: "N", Category: "C"})
	wantErr(t, err, apierr.KindNotFound, "")
}

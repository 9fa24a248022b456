package selling

import (
	"testing"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

func TestExpectedContractDuration(t *testing.T) {
	f := newFixture(t)
	months := func(v string) *api.ExpectedContractDuration {
		return &api.ExpectedContractDuration{Term: api.ExpectedContractDurationTermMonths, Value: v}
	}
	self := api.ExpectedCustomerSpend{Amount: ptr("120000"), CurrencyCode: api.CurrencyCodeUsd, Frequency: api.PaymentFrequencyMonthly, TargetCompany: "Self"}
	withTCV := func(token string, d *api.ExpectedContractDuration, spend ...api.ExpectedCustomerSpend) *api.CreateOpportunityRequest {
		in := completeOpportunity(CatalogSandbox, token)
		in.Project.ExpectedContractDuration = d
		in.Project.ExpectedCustomerSpend = append(in.Project.ExpectedCustomerSpend, spend...)
		return in
	}
	for _, c := range []struct {
		name  string
		in    *api.CreateOpportunityRequest
		field string
	}{
		{"zero months", withTCV("a", months("0"), self), "project.expectedContractDuration.value"},
		{"145 months", withTCV("b", months("145"), self), "project.expectedContractDuration.value"},
		{"not a number", withTCV("c", months("12.5"), self), "project.expectedContractDuration.value"},
		{"Self without duration", withTCV("d", nil, self), "project.expectedContractDuration"},
		{"duration without Self", withTCV("e", months("12")), "project.expectedCustomerSpend"},
		{"two Self entries", withTCV("f", months("12"), self, self), "project.expectedCustomerSpend"},
	} {
		_, err := f.svc.CreateOpportunity(f.ctx, acctA, c.in)
		e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
		if !hasField(e, c.field, apierr.CodeInvalidValue) {
			t.Errorf("%s: fields %+v, want %s", c.name, e.Fields, c.field)
		}
	}
	id := f.create(t, acctA, withTCV("ok", months("36"), self))
	got := f.get(t, acctA, CatalogSandbox, id)
	if d := got.Project.ExpectedContractDuration; d == nil || d.Value != "36" {
		t.Fatalf("stored duration %+v", d)
	}
	// An update that leaves the duration out keeps it (deal sizing's
	// exception to the full replace).
	up := updateFrom(got)
	up.Project.ExpectedContractDuration = nil
	if _, err := f.svc.UpdateOpportunity(f.ctx, acctA, up); err != nil {
		t.Fatal(err)
	}
	if d := f.get(t, acctA, CatalogSandbox, id).Project.ExpectedContractDuration; d == nil || d.Value != "36" {
		t.Fatalf("after an update without it: %+v", d)
	}
	// A duration without the Self entry gets the stored Self entry back.
	up = updateFrom(f.get(t, acctA, CatalogSandbox, id))
	up.Project.ExpectedContractDuration = months("48")
	up.Project.ExpectedCustomerSpend = up.Project.ExpectedCustomerSpend[:1]
	if _, err := f.svc.UpdateOpportunity(f.ctx, acctA, up); err != nil {
		t.Fatal(err)
	}
	p := f.get(t, acctA, CatalogSandbox, id).Project
	if p.ExpectedContractDuration.Value != "48" || len(p.ExpectedCustomerSpend) != 2 || p.ExpectedCustomerSpend[1].TargetCompany != "Self" {
		t.Fatalf("after an update without the Self entry: %+v %+v", p.ExpectedContractDuration, p.ExpectedCustomerSpend)
	}
}

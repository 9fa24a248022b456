package selling

import (
	"fmt"
	"slices"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

func TestAceOpportunityDecodes(t *testing.T) {
	f := newFixture(t)
	in := completeOpportunity(CatalogAWS, "t1")
	in.PartnerOpportunityIdentifier = ptr("CRM-1")
	id := f.create(t, acctA, in)
	o, err := f.svc.Opportunity(f.ctx, acctA, CatalogAWS, id)
	if err != nil {
		t.Fatal(err)
	}
	if o.Id != id || deref(o.PartnerOpportunityIdentifier) != "CRM-1" || deref(o.Project.Title) != "Data lake" {
		t.Fatalf("decoded %+v", o)
	}
	_, err = f.svc.Opportunity(f.ctx, acctB, CatalogAWS, id)
	wantErr(t, err, apierr.KindNotFound, "")
}

func TestAceOpportunitiesModifiedSince(t *testing.T) {
	f := newFixture(t)
	old := f.create(t, acctA, completeOpportunity(CatalogAWS, "old"))
	f.clock.Advance(time.Hour)
	since := f.clock.Now()
	// More than one page of the listing, so paging is followed.
	var want []string
	for i := range 102 {
		want = append(want, f.create(t, acctA, completeOpportunity(CatalogAWS, fmt.Sprintf("new%d", i))))
	}
	f.create(t, acctB, completeOpportunity(CatalogAWS, "other account"))
	got, err := f.svc.OpportunitiesModifiedSince(f.ctx, acctA, CatalogAWS, since)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(got, old) || !slices.Equal(got, want) {
		t.Fatalf("got %d ids %v, want the %d created since", len(got), got, len(want))
	}
}

func TestAceAwsInvitationsAndLead(t *testing.T) {
	f := newInvitationFixture(t)
	lead := leadPayload("Lead Corp").Lead
	ref, err := f.svc.Refer(f.ctx, acctA, CatalogAWS, Referral{Lead: lead})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Refer(f.ctx, acctA, CatalogAWS, Referral{Opportunity: &api.OpportunityInvitationPayload{
		Customer: api.EngagementCustomer{CompanyName: "Referred Corp", CountryCode: api.CountryCodeUs, Industry: api.IndustryRetail, WebsiteUrl: "https://referred.example"},
		Project:  api.ProjectDetails{Title: "Migration", BusinessProblem: "Leaving its data centre.", TargetCompletionDate: "2026-12-31"},
	}}); err != nil {
		t.Fatal(err)
	}
	leads, err := f.svc.AwsInvitations(f.ctx, acctA, CatalogAWS, api.EngagementInvitationPayloadTypeLeadInvitation)
	if err != nil {
		t.Fatal(err)
	}
	if len(leads) != 1 || leads[0].Id != ref.InvitationId || leads[0].Payload == nil || leads[0].Payload.LeadInvitation == nil {
		t.Fatalf("lead invitations %+v", leads)
	}
	if others, _ := f.svc.AwsInvitations(f.ctx, acctB, CatalogAWS, api.EngagementInvitationPayloadTypeLeadInvitation); len(others) != 0 {
		t.Fatalf("another account sees %+v", others)
	}

	// AWS reads the whole lead; the partner only once it has accepted.
	got, err := f.svc.EngagementLead(f.ctx, AwsAccountID, CatalogAWS, ref.EngagementId)
	if err != nil || got.Lead.Interactions[0].Contact.Email != "cto@example.com" || got.ContextID != "1" {
		t.Fatalf("AWS reads %+v %v", got, err)
	}
	_, err = f.svc.EngagementLead(f.ctx, acctA, CatalogAWS, ref.EngagementId)
	wantErr(t, err, apierr.KindAccessDenied, "")
	if _, err := f.svc.AcceptEngagementInvitation(f.ctx, acctA, &api.AcceptEngagementInvitationRequest{Catalog: CatalogAWS, Identifier: ref.InvitationId}); err != nil {
		t.Fatal(err)
	}
	got, err = f.svc.EngagementLead(f.ctx, acctA, CatalogAWS, ref.EngagementId)
	if err != nil || got.Lead.Customer.CompanyName != "Lead Corp" || got.ModifiedAt.Before(got.CreatedAt) {
		t.Fatalf("the partner reads %+v %v", got, err)
	}
}

// The opportunities an accepted AWS referral made are AWS-referred; the
// partner's own are not, nor is a referral still pending.
func TestAceAwsReferredOpportunities(t *testing.T) {
	f := newInvitationFixture(t)
	own := f.create(t, acctA, completeOpportunity(CatalogSandbox, "own"))
	refer := func(company string) string {
		t.Helper()
		ref, err := f.svc.Refer(f.ctx, acctA, CatalogSandbox, Referral{Opportunity: &api.OpportunityInvitationPayload{
			Customer: api.EngagementCustomer{CompanyName: company, CountryCode: api.CountryCodeUs, Industry: api.IndustryRetail, WebsiteUrl: "https://referred.example"},
			Project:  api.ProjectDetails{Title: "Migration", BusinessProblem: "Leaving its data centre.", TargetCompletionDate: "2026-12-31"},
		}})
		if err != nil {
			t.Fatal(err)
		}
		return ref.InvitationId
	}
	accepted, err := f.svc.StartEngagementByAcceptingInvitationTask(f.ctx, acctA, &api.StartEngagementByAcceptingInvitationTaskRequest{
		Catalog: CatalogSandbox, ClientToken: "accept", Identifier: refer("Accepted Corp")})
	if err != nil {
		t.Fatal(err)
	}
	refer("Pending Corp")
	got, err := f.svc.AwsReferredOpportunities(f.ctx, acctA, CatalogSandbox)
	if err != nil {
		t.Fatal(err)
	}
	if want := deref(accepted.OpportunityId); !slices.Equal(got, []string{want}) || slices.Contains(got, own) {
		t.Fatalf("AWS-referred %v, want only %s (not the partner's own %s)", got, want, own)
	}
}

package exchange

import (
	"slices"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/selling"
)

func (f *fixture) referOpportunity() *selling.ReferralResult {
	f.t.Helper()
	ref, err := f.svc.Refer(f.ctx, partnerAccount, selling.CatalogSandbox, selling.Referral{Opportunity: &api.OpportunityInvitationPayload{
		Customer: api.EngagementCustomer{CompanyName: "Referred Corp", CountryCode: api.CountryCodeUs, Industry: api.IndustryRetail, WebsiteUrl: "https://referred.example"},
		Project:  api.ProjectDetails{Title: "Migration to AWS", BusinessProblem: "The customer is leaving its data centre.", TargetCompletionDate: "2026-12-31"},
	}})
	if err != nil {
		f.t.Fatal(err)
	}
	return ref
}

func TestAceReferralExportAcceptAndReexport(t *testing.T) {
	f := newFixture(t)
	ref := f.referOpportunity()
	res := f.export()
	records := f.exported(res, ace.OpportunityOutbound)
	if res.Opportunities != 1 || len(records) != 1 {
		t.Fatalf("export %+v records %v", res, records)
	}
	if got := records[0]; got["apnCrmUniqueIdentifier"] != ref.InvitationId || got["customerCompanyName"] != "Accept To View" {
		t.Fatalf("masked referral %v", got)
	}
	if !slices.ContainsFunc(res.Keys, func(k string) bool { return strings.HasPrefix(k, ace.OpportunityOutboundArchive) }) {
		t.Errorf("no archive copy in %v", res.Keys)
	}

	f.clock.Advance(time.Minute)
	r := f.process(ace.OpportunityInbound+"accept_03012026120100.json", inboundBody(ace.KindOpportunity, map[string]any{
		"partnerAcceptanceStatus": "Accepted", "apnCrmUniqueIdentifier": ref.InvitationId, "partnerCrmUniqueIdentifier": "CRM-REF-1",
	}))
	wantSuccess(t, r, "ALL")
	id := deref(r.InboundApiResults[0].ApnCrmUniqueIdentifier)
	if w := r.InboundApiResults[0].Warnings; len(w) > 0 {
		t.Fatalf("warnings %q", w)
	}
	o := f.opportunity(id)
	if deref(o.LifeCycle.ReviewStatus) != api.ReviewStatusApproved || deref(o.Customer).Account.CompanyName != "Referred Corp" {
		t.Fatalf("accepted referral's opportunity %+v %+v", o.LifeCycle, o.Customer)
	}

	f.clock.Advance(time.Minute)
	res = f.export()
	records = f.exported(res, ace.OpportunityOutbound)
	if len(records) != 1 {
		t.Fatalf("second export %+v %v", res, records)
	}
	if got := records[0]; got["apnCrmUniqueIdentifier"] != id || got["customerCompanyName"] != "Referred Corp" || got["partnerCrmUniqueIdentifier"] != "CRM-REF-1" {
		t.Fatalf("unmasked opportunity %v", got)
	}

	// Nothing changed since: no file.
	f.clock.Advance(time.Minute)
	if res := f.export(); len(res.Keys) != 0 || res.Opportunities+res.Leads != 0 {
		t.Fatalf("an export with no change wrote %+v", res)
	}
}

func TestAceReferralRejectedByFile(t *testing.T) {
	f := newFixture(t)
	ref := f.referOpportunity()
	r := f.process(ace.OpportunityInbound+"reject_03012026120100.json", inboundBody(ace.KindOpportunity, map[string]any{
		"partnerAcceptanceStatus": "Rejected", "apnCrmUniqueIdentifier": ref.InvitationId, "rejectionReason": "Customer problem unclear",
	}))
	wantSuccess(t, r, "ALL")
	inv, err := f.svc.GetEngagementInvitation(f.ctx, partnerAccount, &api.GetEngagementInvitationRequest{Catalog: selling.CatalogSandbox, Identifier: ref.InvitationId})
	if err != nil || deref(inv.Status) != api.InvitationStatusRejected || deref(inv.RejectionReason) != "Customer problem unclear" {
		t.Fatalf("invitation %+v %v", inv, err)
	}
}

func TestAceLeadExportAcceptAndUpdate(t *testing.T) {
	f := newFixture(t)
	ref, err := f.svc.Refer(f.ctx, partnerAccount, selling.CatalogSandbox, selling.Referral{Lead: &api.LeadContext{
		Customer: api.LeadCustomer{CompanyName: "Lead Corp", Address: &api.LeadAddress{CountryCode: ptr("US"), City: ptr("Seattle")}},
		Interactions: []api.LeadInteraction{{
			SourceType: ptr("Campaign"), SourceId: ptr("C1"), SourceName: ptr("Spring campaign"), CustomerAction: ptr("Completed Form"),
			Contact: api.LeadContact{BusinessTitle: "CTO", Email: "cto@example.com", FirstName: "Ada", LastName: "Lovelace"},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	res := f.export()
	leads := f.exported(res, ace.LeadOutbound)
	if res.Leads != 1 || len(leads) != 1 || leads[0]["apnCrmUniqueIdentifier"] != ref.EngagementId || leads[0]["email"] != "Accept To View" {
		t.Fatalf("masked lead export %+v %v", res, leads)
	}

	// An update before acceptance is refused; acceptance then works.
	f.clock.Advance(time.Minute)
	r := f.process(ace.LeadInbound+"early_03012026120100.json", inboundBody(ace.KindLead, map[string]any{
		"apnCrmUniqueIdentifier": ref.EngagementId, "status": "Research",
	}))
	wantSuccess(t, r, "NONE")
	r = f.process(ace.LeadInbound+"accept_03012026120200.json", inboundBody(ace.KindLead, map[string]any{
		"apnCrmUniqueIdentifier": ref.EngagementId, "currentLeadStage": "Accepted",
	}))
	wantSuccess(t, r, "ALL")
	r = f.process(ace.LeadInbound+"update_03012026120300.json", inboundBody(ace.KindLead, map[string]any{
		"apnCrmUniqueIdentifier": ref.EngagementId, "partnerCrmLeadId": "LEAD-1", "status": "Research",
	}))
	wantSuccess(t, r, "ALL")
	lead, err := f.svc.EngagementLead(f.ctx, partnerAccount, selling.CatalogSandbox, ref.EngagementId)
	if err != nil || deref(lead.Lead.QualificationStatus) != "Research" {
		t.Fatalf("lead after update %+v %v", lead, err)
	}
	// The same update again changes nothing: ACE's own message.
	r = f.process(ace.LeadInbound+"again_03012026120400.json", inboundBody(ace.KindLead, map[string]any{
		"apnCrmUniqueIdentifier": ref.EngagementId, "status": "Research",
	}))
	if errs := r.InboundApiResults[0].Errors; !slices.Equal(errs, []string{"No new update identified for this record"}) {
		t.Fatalf("unchanged lead answered %q", errs)
	}

	// A new contact joins the lead's history; the export shows the latest,
	// and sending it again changes nothing.
	r = f.process(ace.LeadInbound+"contact_03012026120500.json", inboundBody(ace.KindLead, map[string]any{
		"apnCrmUniqueIdentifier": ref.EngagementId, "email": "cio@example.com",
	}))
	wantSuccess(t, r, "ALL")
	r = f.process(ace.LeadInbound+"contact_03012026120600.json", inboundBody(ace.KindLead, map[string]any{
		"apnCrmUniqueIdentifier": ref.EngagementId, "email": "cio@example.com",
	}))
	wantSuccess(t, r, "NONE")

	f.clock.Advance(time.Minute)
	leads = f.exported(f.export(), ace.LeadOutbound)
	if len(leads) != 1 || leads[0]["email"] != "cio@example.com" || leads[0]["status"] != "Research" || leads[0]["title"] != "CTO" {
		t.Fatalf("accepted lead export %v", leads)
	}
	f.clock.Advance(time.Minute)
	if res := f.export(); len(res.Keys) != 0 {
		t.Fatalf("an export with no change wrote %+v", res)
	}
}

func TestAceExportNamesNeverCollide(t *testing.T) {
	f := newFixture(t) // the clock is frozen: both exports share a timestamp
	f.referOpportunity()
	first := f.export()
	f.referOpportunity()
	second := f.export()
	if len(first.Keys) != 2 || len(second.Keys) != 2 || first.Keys[0] == second.Keys[0] {
		t.Fatalf("exports %v and %v", first.Keys, second.Keys)
	}
	if got := f.objects.keys(f.bucket, ace.OpportunityOutboundArchive); len(got) != 2 {
		t.Fatalf("archive %v", got)
	}
}

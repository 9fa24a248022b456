package selling

import (
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

// A lead invitation shows the receiver AWS's enrichment of its engagement:
// none before AWS scores or prospects it, then the lead's readiness and
// the prospecting result without the task's details.
func TestInvitationEnrichmentContext(t *testing.T) {
	f := newInvitationFixture(t)
	lead := leadPayload("Umbrella")
	out, err := f.svc.Refer(f.ctx, acctA, CatalogSandbox, Referral{Lead: lead.Lead})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.invGet(t, acctA, out.InvitationId); got.EnrichmentContext != nil {
		t.Fatalf("enrichment before AWS scored anything: %+v", got.EnrichmentContext)
	}
	if _, err := f.svc.ScoreLead(f.ctx, CatalogSandbox, out.EngagementId, "Top"); !apierr.Is(err, apierr.KindValidation) {
		t.Fatalf("a score AWS does not give: %v", err)
	}
	if _, err := f.svc.ScoreLead(f.ctx, CatalogSandbox, out.EngagementId, "High"); err != nil {
		t.Fatal(err)
	}
	got := f.invGet(t, acctA, out.InvitationId).EnrichmentContext
	if got == nil || deref(deref(got.LeadInsights).LeadReadinessScore) != "High" || got.ProspectingResultAws != nil {
		t.Fatalf("after scoring: %+v", got)
	}
	// A partner cannot set the score itself.
	own := f.engagement(t, acctB, "own", api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: &api.EngagementContextPayload{Lead: &api.LeadContext{
		Customer: lead.Lead.Customer, Interactions: lead.Lead.Interactions, Insights: &api.LeadInsights{LeadReadinessScore: ptr("High")},
	}}})
	if ins := f.getEngagement(t, acctB, own).Contexts[0].Payload.Lead.Insights; ins != nil {
		t.Fatalf("a partner's LeadReadinessScore was kept: %+v", ins)
	}

	// AWS's engagement joins the partner on acceptance; prospecting it then
	// shows in the invitation too.
	if err := f.invAccept(acctA, out.InvitationId); err != nil {
		t.Fatal(err)
	}
	task := f.startProspecting(t, acctA, "enrich", "e1", out.EngagementId)
	f.clock.Advance(2 * time.Second)
	f.getProspecting(t, acctA, *task.TaskId)
	got = f.invGet(t, acctA, out.InvitationId).EnrichmentContext
	if got == nil || got.ProspectingResultAws == nil || deref(got.ProspectingResultAws.Customer.AccountName) != "Umbrella" || got.ProspectingResultAws.Insights == nil {
		t.Fatalf("after prospecting: %+v", got)
	}
}

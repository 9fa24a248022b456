package exchange

import (
	"slices"
	"strings"
	"testing"

	"github.com/cosell/cosell/internal/ace"
)

// A partial update that sends a field the opportunity's state makes
// read-only succeeds, applies the rest, and names the ignored field.
func TestAceUpdateWarnsOfIgnoredFields(t *testing.T) {
	f := newFixture(t)
	r := f.process(sampleKey, sample(t, nil))
	wantSuccess(t, r, "ALL")
	id := *r.InboundApiResults[0].ApnCrmUniqueIdentifier
	title := deref(f.opportunity(id).Project.Title)

	// partnerProjectTitle is set on create only (Opportunity-Fields.csv).
	r = f.process(ace.OpportunityInbound+"edit_03012026120100.json", inboundBody(ace.KindOpportunity, map[string]any{
		"apnCrmUniqueIdentifier": id, "partnerProjectTitle": "Renamed", "nextStep": "Schedule the workshop",
	}))
	wantSuccess(t, r, "ALL")
	want := []string{"partnerProjectTitle: not updatable in the opportunity's current state; ignored"}
	if got := r.InboundApiResults[0].Warnings; !slices.Equal(got, want) {
		t.Errorf("warnings %q, want %q", got, want)
	}
	o := f.opportunity(id)
	if deref(o.Project.Title) != title || deref(o.LifeCycle.NextSteps) != "Schedule the workshop" {
		t.Errorf("title %q (want %q kept), next step %q", deref(o.Project.Title), title, deref(o.LifeCycle.NextSteps))
	}

	// An update of editable fields only has no such warning.
	r = f.process(ace.OpportunityInbound+"edit_03012026120200.json", inboundBody(ace.KindOpportunity, map[string]any{
		"apnCrmUniqueIdentifier": id, "nextStep": "Send the proposal",
	}))
	wantSuccess(t, r, "ALL")
	if slices.ContainsFunc(r.InboundApiResults[0].Warnings, func(w string) bool { return strings.Contains(w, "ignored") }) {
		t.Errorf("warnings %q", r.InboundApiResults[0].Warnings)
	}
}

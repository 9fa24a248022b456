package exchange

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/selling"
)

const sampleKey = ace.OpportunityInbound + "create_03012026120000.json"

func wantSuccess(t *testing.T, r ace.Result, want string) {
	t.Helper()
	if r.Success != want {
		t.Fatalf("success %q, want %q: %+v", r.Success, want, r.InboundApiResults)
	}
}

func TestAceSampleCreatesThenUpdates(t *testing.T) {
	f := newFixture(t)
	r := f.process(sampleKey, sample(t, nil))
	wantSuccess(t, r, "ALL")
	if len(r.InboundApiResults) != 1 || r.SpmsID != partnerSpms || r.FileName != sampleKey {
		t.Fatalf("result %+v", r)
	}
	rec := r.InboundApiResults[0]
	if rec.ApnCrmUniqueIdentifier == nil || deref(rec.PartnerCrmUniqueIdentifier) != "TestIdentifier" {
		t.Fatalf("record result %+v", rec)
	}
	// The sample's solution "S-XXXXXXX" is a placeholder no catalog has.
	if !slices.ContainsFunc(rec.Warnings, func(w string) bool { return strings.Contains(w, "S-XXXXXXX") }) {
		t.Errorf("warnings %q", rec.Warnings)
	}
	id := *rec.ApnCrmUniqueIdentifier
	o := f.opportunity(id)
	if deref(o.PartnerOpportunityIdentifier) != "TestIdentifier" || deref(o.Customer).Account.CompanyName != "Test LLC" ||
		!strings.HasPrefix(deref(o.Project.Title), "Partner Project Title") || len(o.RelatedEntityIdentifiers.AwsProducts) != 3 {
		t.Fatalf("created opportunity %+v %+v %+v", o.PartnerOpportunityIdentifier, o.Customer, o.Project)
	}
	// The input moved to the archive; the result is also in its archive.
	if keys := f.objects.keys(f.bucket, ace.OpportunityInbound); len(keys) != 0 {
		t.Errorf("inbound still holds %v", keys)
	}
	archived := f.objects.keys(f.bucket, ace.OpportunityInboundArchive)
	results := f.objects.keys(f.bucket, ace.OpportunityResultsArchive)
	if len(archived) != 1 || len(results) != 1 {
		t.Errorf("archives: inbound %v, results %v", archived, results)
	}

	// The same partner id again: an update of that opportunity, not a new one.
	r = f.process(ace.OpportunityInbound+"update_03012026120100.json", inboundBody(ace.KindOpportunity, map[string]any{
		"partnerCrmUniqueIdentifier": "TestIdentifier", "nextStep": "Schedule the workshop",
	}))
	wantSuccess(t, r, "ALL")
	if got := deref(r.InboundApiResults[0].ApnCrmUniqueIdentifier); got != id {
		t.Fatalf("update answered %s, want %s", got, id)
	}
	if o := f.opportunity(id); deref(o.LifeCycle.NextSteps) != "Schedule the workshop" {
		t.Fatalf("after the update: %+v", o.LifeCycle)
	}
	list, err := f.svc.OpportunitiesModifiedSince(f.ctx, partnerAccount, selling.CatalogSandbox, f.clock.Now().AddDate(-1, 0, 0))
	if err != nil || len(list) != 1 {
		t.Fatalf("opportunities %v %v", list, err)
	}
}

func TestAcePartialResult(t *testing.T) {
	f := newFixture(t)
	var records []map[string]any
	for _, crm := range []string{"good-1", "bad-1"} {
		body := sample(t, func(r map[string]any) { r["partnerCrmUniqueIdentifier"] = crm })
		records = append(records, firstRecord(t, body))
	}
	records[1]["targetCloseDate"] = "2020-01-01" // the API refuses a past date
	r := f.process(ace.OpportunityInbound+"two_03012026120000.json", inboundBody(ace.KindOpportunity, records[0], records[1]))
	wantSuccess(t, r, "PARTIAL")
	if !r.InboundApiResults[0].IsSuccess || r.InboundApiResults[1].IsSuccess || len(r.InboundApiResults[1].Errors) == 0 {
		t.Fatalf("records %+v", r.InboundApiResults)
	}
	if deref(r.InboundApiResults[1].PartnerCrmUniqueIdentifier) != "bad-1" || r.InboundApiResults[1].ApnCrmUniqueIdentifier != nil {
		t.Fatalf("failed record %+v", r.InboundApiResults[1])
	}
}

func TestAceFileRejections(t *testing.T) {
	f := newFixture(t)
	wrongSpms := sample(t, nil)
	wrongSpms = []byte(strings.Replace(string(wrongSpms), `"spmsId":"`+partnerSpms+`"`, `"spmsId":"999"`, 1))
	for _, c := range []struct {
		name, key string
		body      []byte
		want      string
	}{
		{"bad name", ace.OpportunityInbound + "no-timestamp.json", sample(t, nil), "Invalid file name"},
		{"oversize", ace.OpportunityInbound + "big_03012026120000.json", append(sample(t, nil), make([]byte, ace.MaxInboundSize)...), "exceeds"},
		{"invalid JSON", ace.OpportunityInbound + "broken_03012026120000.json", []byte(`{"version": "2.0", `), "Invalid JSON"},
		{"spmsId mismatch", ace.OpportunityInbound + "other_03012026120000.json", wrongSpms, "spmsId"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := f.process(c.key, c.body)
			if r.Success != "NONE" || !r.IsApiError || len(r.ApiErrors) != 1 || !strings.Contains(r.ApiErrors[0], c.want) {
				t.Fatalf("result %+v", r)
			}
			if keys := f.objects.keys(f.bucket, c.key); len(keys) != 0 {
				t.Errorf("input left in inbound")
			}
		})
	}
	if ids, _ := f.svc.OpportunitiesModifiedSince(f.ctx, partnerAccount, selling.CatalogSandbox, f.clock.Now().AddDate(-1, 0, 0)); len(ids) != 0 {
		t.Errorf("a rejected file created %v", ids)
	}
}

func TestAceNotJSONGetsErrorFile(t *testing.T) {
	f := newFixture(t)
	key := ace.LeadInbound + "leads_03012026120000.csv"
	f.put(key, []byte("a,b\n1,2\n"))
	if err := f.x.Process(f.ctx, f.bucket, key); err != nil {
		t.Fatal(err)
	}
	r := f.result(ace.ErrorKey(key))
	if !r.IsApiError || !strings.Contains(r.ApiErrors[0], ".json") {
		t.Fatalf("error file %+v", r)
	}
	if got := f.objects.keys(f.bucket, ace.LeadInboundArchive); !slices.Equal(got, []string{ace.LeadInboundArchive + "leads_03012026120000.csv"}) {
		t.Fatalf("archive %v", got)
	}
}

func TestAceDuplicateFileName(t *testing.T) {
	f := newFixture(t)
	first := f.process(sampleKey, sample(t, nil))
	wantSuccess(t, first, "ALL")
	f.clock.Advance(1)
	f.put(sampleKey, sample(t, func(r map[string]any) { r["partnerCrmUniqueIdentifier"] = "another" }))
	if err := f.x.Process(f.ctx, f.bucket, sampleKey); err != nil {
		t.Fatal(err)
	}
	dup := f.result(ace.ErrorKey(sampleKey))
	if !dup.IsApiError || !strings.Contains(dup.ApiErrors[0], "Duplicate") {
		t.Fatalf("duplicate answered %+v", dup)
	}
	if again := f.result(ace.ResultKey(sampleKey)); again.Success != "ALL" {
		t.Fatalf("the first file's result was replaced: %+v", again)
	}
	if keys := f.objects.keys(f.bucket, ace.OpportunityInbound); len(keys) != 0 {
		t.Errorf("duplicate left in inbound: %v", keys)
	}
	if archived := f.objects.keys(f.bucket, ace.OpportunityInboundArchive); len(archived) != 2 {
		t.Errorf("archive %v: want the original and the duplicate", archived)
	}
	if ids, _ := f.svc.OpportunitiesModifiedSince(f.ctx, partnerAccount, selling.CatalogSandbox, f.clock.Now().AddDate(-1, 0, 0)); len(ids) != 1 {
		t.Errorf("the duplicate was processed: %v", ids)
	}
}

func TestAceRecordNotEditableInReview(t *testing.T) {
	f := newFixture(t)
	solutions, err := f.svc.ListSolutions(f.ctx, partnerAccount, &api.ListSolutionsRequest{Catalog: selling.CatalogSandbox})
	if err != nil || len(solutions.SolutionSummaries) == 0 {
		t.Fatalf("solutions %+v %v", solutions, err)
	}
	solution := solutions.SolutionSummaries[0].Id
	r := f.process(sampleKey, sample(t, func(r map[string]any) { r["solutionOffered"] = []string{solution} }))
	wantSuccess(t, r, "ALL")
	id := *r.InboundApiResults[0].ApnCrmUniqueIdentifier
	if got := f.opportunity(id).RelatedEntityIdentifiers.Solutions; !slices.Equal(got, []string{solution}) {
		t.Fatalf("solutions %v, want the record's %s", got, solution)
	}
	// The stage is not taken on create (ACE's field list); submitting needs it.
	r = f.process(ace.OpportunityInbound+"stage_03012026120100.json", inboundBody(ace.KindOpportunity, map[string]any{
		"apnCrmUniqueIdentifier": id, "stage": "Prospect",
	}))
	wantSuccess(t, r, "ALL")
	task, err := f.svc.StartEngagementFromOpportunityTask(f.ctx, partnerAccount, &api.StartEngagementFromOpportunityTaskRequest{
		Catalog: selling.CatalogSandbox, ClientToken: "submit", Identifier: id, AwsSubmission: api.AwsSubmission{InvolvementType: api.SalesInvolvementTypeCoSell},
	})
	if err != nil || deref(task.TaskStatus) != api.TaskStatusComplete {
		t.Fatalf("submit: %s %v", deref(task.Message), err)
	}
	if s := deref(f.opportunity(id).LifeCycle.ReviewStatus); s != api.ReviewStatusSubmitted {
		t.Fatalf("review status %s", s)
	}
	r = f.process(ace.OpportunityInbound+"edit_03012026120500.json", inboundBody(ace.KindOpportunity, map[string]any{
		"apnCrmUniqueIdentifier": id, "partnerCrmUniqueIdentifier": "TestIdentifier", "nextStep": "Too soon",
	}))
	wantSuccess(t, r, "NONE")
	if errs := r.InboundApiResults[0].Errors; !slices.Equal(errs, []string{"Record is not editable."}) {
		t.Fatalf("errors %q", errs)
	}
}

func firstRecord(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var env struct{ Opportunities []map[string]any }
	if err := json.Unmarshal(body, &env); err != nil || len(env.Opportunities) == 0 {
		t.Fatalf("sample: %v", err)
	}
	return env.Opportunities[0]
}

// "Other" in solutionOffered is the CSV's placeholder for a solution with no
// Offering ID: the record is taken with no warning, no solution is
// associated, otherSolutionOffered becomes Project.OtherSolutionDescription;
// at Committed it is refused, as the CSV says.
func TestAceOtherSolutionIsAPlaceholder(t *testing.T) {
	f := newFixture(t)
	r := f.process(sampleKey, sample(t, func(r map[string]any) {
		r["solutionOffered"] = []string{"Other"}
		r["otherSolutionOffered"] = "An in-house data platform"
	}))
	wantSuccess(t, r, "ALL")
	rec := r.InboundApiResults[0]
	if len(rec.Warnings) != 0 {
		t.Errorf("warnings %q, want none for the Other placeholder", rec.Warnings)
	}
	id := *rec.ApnCrmUniqueIdentifier
	o := f.opportunity(id)
	if got := o.RelatedEntityIdentifiers.Solutions; len(got) != 0 {
		t.Errorf("solutions %v, want none associated", got)
	}
	if got := deref(deref(o.Project).OtherSolutionDescription); got != "An in-house data platform" {
		t.Errorf("OtherSolutionDescription %q", got)
	}
	// Without the description, "Other" is incomplete.
	r = f.process(ace.OpportunityInbound+"nodesc_03012026120100.json", sample(t, func(r map[string]any) {
		r["partnerCrmUniqueIdentifier"] = "other-2"
		r["solutionOffered"] = []string{"Other"}
		delete(r, "otherSolutionOffered")
	}))
	wantSuccess(t, r, "NONE")
	// A record that moves the opportunity to Committed with "Other" is refused.
	r = f.process(ace.OpportunityInbound+"commit_03012026120200.json", inboundBody(ace.KindOpportunity, map[string]any{
		"apnCrmUniqueIdentifier": id, "stage": "Committed", "solutionOffered": []string{"Other"}, "otherSolutionOffered": "Still in-house",
	}))
	wantSuccess(t, r, "NONE")
	if errs := r.InboundApiResults[0].Errors; !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, `cannot be "Other"`) }) {
		t.Errorf("errors %q", errs)
	}
}

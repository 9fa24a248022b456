package selling

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

// snapEnv is an engagement of acctA (with acctB as a second member) and an
// opportunity of acctA in the Sandbox catalog.
type snapEnv struct {
	*fixture
	eng, opp string
}

func newSnapEnv(t *testing.T, contexts ...api.EngagementContextDetails) *snapEnv {
	t.Helper()
	f := newFixture(t)
	e := &snapEnv{fixture: f, opp: f.create(t, acctA, completeOpportunity(CatalogSandbox, "opp"))}
	e.eng = f.engagement(t, acctA, "eng", contexts...)
	f.changeEngagement(t, e.eng, func(r *engagementRecord) { r.addMember(Party{AccountID: acctB}) })
	return e
}

func (e *snapEnv) trySnapshot(account, token, template string) (*api.CreateResourceSnapshotResponse, error) {
	return e.svc.CreateResourceSnapshot(e.ctx, account, &api.CreateResourceSnapshotRequest{
		Catalog: CatalogSandbox, ClientToken: token, EngagementIdentifier: e.eng,
		ResourceType: api.ResourceTypeOpportunity, ResourceIdentifier: e.opp, ResourceSnapshotTemplateIdentifier: template,
	})
}

// snapshot creates a snapshot a second after the previous step, so
// listings in creation order do not fall back to ordering by id.
func (e *snapEnv) snapshot(t *testing.T, token, template string) int32 {
	t.Helper()
	e.clock.Advance(time.Second)
	out, err := e.trySnapshot(acctA, token, template)
	if err != nil {
		t.Fatalf("CreateResourceSnapshot: %v", err)
	}
	return *out.Revision
}

func (e *snapEnv) getSnapshot(account, template string, revision *int32) (*snapshotOutput, error) {
	return e.svc.GetResourceSnapshot(e.ctx, account, &api.GetResourceSnapshotRequest{
		Catalog: CatalogSandbox, EngagementIdentifier: e.eng, ResourceType: api.ResourceTypeOpportunity,
		ResourceIdentifier: e.opp, ResourceSnapshotTemplateIdentifier: template, Revision: revision,
	})
}

func (e *snapEnv) mustGetSnapshot(t *testing.T, template string, revision *int32) *snapshotOutput {
	t.Helper()
	out, err := e.getSnapshot(acctA, template, revision)
	if err != nil {
		t.Fatalf("GetResourceSnapshot: %v", err)
	}
	return out
}

// update applies change to acctA's opportunity through UpdateOpportunity.
func (e *snapEnv) update(t *testing.T, change func(*api.UpdateOpportunityRequest)) {
	t.Helper()
	in := updateFrom(e.get(t, acctA, CatalogSandbox, e.opp))
	change(in)
	if _, err := e.svc.UpdateOpportunity(e.ctx, acctA, in); err != nil {
		t.Fatalf("UpdateOpportunity: %v", err)
	}
}

func TestCreateResourceSnapshotRevisions(t *testing.T) {
	e := newSnapEnv(t)
	if r := e.snapshot(t, "s1", templateOpportunitySummaryView); r != 1 {
		t.Fatalf("first revision %d", r)
	}
	if r := e.snapshot(t, "s2", templateOpportunitySummaryView); r != 2 {
		t.Fatalf("second revision %d", r)
	}
	// Revisions count per template.
	if r := e.snapshot(t, "s3", templateOpportunity); r != 1 {
		t.Fatalf("first Opportunity-template revision %d", r)
	}
	out, err := e.trySnapshot(acctA, "s2", templateOpportunitySummaryView)
	if err != nil || *out.Revision != 2 {
		t.Fatalf("replay: %v %v", out, err)
	}
	want := fmt.Sprintf("arn:aws:partnercentral:us-east-1::catalog/Sandbox/engagement/%s/resource/Opportunity/%s/template/OpportunitySummaryView/snapshot/2", e.eng, e.opp)
	if *out.Arn != want {
		t.Errorf("Arn %s, want %s", *out.Arn, want)
	}
	_, err = e.trySnapshot(acctA, "s2", templateOpportunity)
	wantErr(t, err, apierr.KindConflict, "")

	latest := e.mustGetSnapshot(t, templateOpportunitySummaryView, nil)
	if *latest.Revision != 2 || *latest.CreatedBy != acctA || *latest.Arn != want || *latest.EngagementId != e.eng {
		t.Errorf("latest: %+v", latest.GetResourceSnapshotResponse)
	}
	if first := e.mustGetSnapshot(t, templateOpportunitySummaryView, ptr[int32](1)); *first.Revision != 1 {
		t.Errorf("revision 1 answered %d", *first.Revision)
	}
	_, err = e.getSnapshot(acctA, templateOpportunitySummaryView, ptr[int32](3))
	wantErr(t, err, apierr.KindNotFound, "")
	_, err = e.getSnapshot(acctA, templateAwsOpportunitySummaryFullView, nil)
	wantErr(t, err, apierr.KindNotFound, "")

	// The resource is now associated with the engagement, by its owner.
	d, err := loadEngagement(e.ctx, e.svc.store, CatalogSandbox, e.eng)
	if err != nil {
		t.Fatal(err)
	}
	if res := d.Value.Resources; len(res) != 1 || res[0].ResourceId != e.opp || res[0].CreatedBy != acctA {
		t.Errorf("resources %+v", res)
	}
}

func TestResourceSnapshotPayloadShape(t *testing.T) {
	e := newSnapEnv(t)
	e.snapshot(t, "s1", templateOpportunity)
	out := e.mustGetSnapshot(t, templateOpportunity, nil)
	v := out.Payload.OpportunitySummary
	if v == nil || out.Payload.AwsOpportunitySummaryFullView != nil {
		t.Fatalf("payload %+v", out.Payload)
	}
	if deref(v.Lifecycle.Stage) != api.StageProspect || deref(v.Lifecycle.ReviewStatus) != api.ReviewStatusPendingSubmission ||
		v.Customer.Account.CompanyName != "Example Customer" || deref(v.Project.CustomerUseCase) != "Business Intelligence & Data Warehouse" {
		t.Errorf("view %+v", v)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"Lifecycle":{`, `"RelatedEntityIdentifiers":{"AwsMarketplaceOffers":[],`, `"ResourceSnapshotTemplateName":"Opportunity"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("answer lacks %s: %s", s, b)
		}
	}
	if strings.Contains(string(b), `"Title"`) {
		t.Errorf("the view has no project title: %s", b)
	}

	e.snapshot(t, "s2", templateAwsOpportunitySummaryFullView)
	full := e.mustGetSnapshot(t, templateAwsOpportunitySummaryFullView, nil).Payload.AwsOpportunitySummaryFullView
	if full == nil || deref(full.RelatedOpportunityId) != e.opp || deref(full.Origin) != api.OpportunityOriginPartnerReferral {
		t.Errorf("full view %+v", full)
	}
}

func TestResourceSnapshotsAreImmutable(t *testing.T) {
	e := newSnapEnv(t)
	e.snapshot(t, "s1", templateOpportunitySummaryView)
	e.update(t, func(in *api.UpdateOpportunityRequest) { in.LifeCycle.NextSteps = ptr("Call the CTO") })
	if v := e.mustGetSnapshot(t, templateOpportunitySummaryView, ptr[int32](1)).Payload.OpportunitySummary; v.Lifecycle.NextSteps != nil {
		t.Errorf("revision 1 changed: NextSteps %q", *v.Lifecycle.NextSteps)
	}
	e.snapshot(t, "s2", templateOpportunitySummaryView)
	if v := e.mustGetSnapshot(t, templateOpportunitySummaryView, nil).Payload.OpportunitySummary; deref(v.Lifecycle.NextSteps) != "Call the CTO" {
		t.Errorf("revision 2 NextSteps %v", v.Lifecycle.NextSteps)
	}
}

func TestCreateResourceSnapshotRefusals(t *testing.T) {
	e := newSnapEnv(t)
	_, err := e.trySnapshot(acctC, "c", templateOpportunitySummaryView)
	wantErr(t, err, apierr.KindAccessDenied, "")
	// acctB is a member but the opportunity is not in its scope.
	_, err = e.trySnapshot(acctB, "b", templateOpportunitySummaryView)
	wantErr(t, err, apierr.KindNotFound, "")
	ve := wantErr(t, func() error { _, err := e.trySnapshot(acctA, "t", "Unknown"); return err }(), apierr.KindValidation, apierr.ReasonBusinessValidation)
	if !hasField(ve, "resourceSnapshotTemplateIdentifier", apierr.CodeInvalidValue) {
		t.Errorf("fields %+v", ve.Fields)
	}
	e.eng = "eng-00000000000000"
	_, err = e.trySnapshot(acctA, "n", templateOpportunitySummaryView)
	wantErr(t, err, apierr.KindNotFound, "")
}

func TestResourceSnapshotVisibility(t *testing.T) {
	e := newSnapEnv(t)
	e.snapshot(t, "s1", templateOpportunitySummaryView)
	e.snapshot(t, "s2", templateAwsOpportunitySummaryFullView)
	if _, err := e.getSnapshot(acctB, templateOpportunitySummaryView, nil); err != nil {
		t.Errorf("member reading a shared view: %v", err)
	}
	_, err := e.getSnapshot(acctB, templateAwsOpportunitySummaryFullView, nil)
	wantErr(t, err, apierr.KindAccessDenied, "")
	_, err = e.getSnapshot(acctC, templateOpportunitySummaryView, nil)
	wantErr(t, err, apierr.KindAccessDenied, "")

	list := func(account string) []string {
		out, err := e.svc.ListResourceSnapshots(e.ctx, account, &api.ListResourceSnapshotsRequest{Catalog: CatalogSandbox, EngagementIdentifier: e.eng})
		if err != nil {
			t.Fatalf("ListResourceSnapshots: %v", err)
		}
		var names []string
		for _, s := range out.ResourceSnapshotSummaries {
			names = append(names, *s.ResourceSnapshotTemplateName)
		}
		return names
	}
	if got := fmt.Sprint(list(acctA)); got != "[OpportunitySummaryView AwsOpportunitySummaryFullView]" {
		t.Errorf("owner lists %s", got)
	}
	if got := fmt.Sprint(list(acctB)); got != "[OpportunitySummaryView]" {
		t.Errorf("other member lists %s", got)
	}
	_, err = e.svc.ListResourceSnapshots(e.ctx, acctC, &api.ListResourceSnapshotsRequest{Catalog: CatalogSandbox, EngagementIdentifier: e.eng})
	wantErr(t, err, apierr.KindAccessDenied, "")
}

func TestListResourceSnapshotsFiltersAndPages(t *testing.T) {
	e := newSnapEnv(t)
	for i := range 3 {
		e.snapshot(t, fmt.Sprint("v", i), templateOpportunitySummaryView)
	}
	e.snapshot(t, "o", templateOpportunity)
	var got []string
	in := &api.ListResourceSnapshotsRequest{Catalog: CatalogSandbox, EngagementIdentifier: e.eng, MaxResults: ptr[int32](2)}
	for pages := 0; ; pages++ {
		out, err := e.svc.ListResourceSnapshots(e.ctx, acctA, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.ResourceSnapshotSummaries {
			got = append(got, fmt.Sprintf("%s/%d", *s.ResourceSnapshotTemplateName, *s.Revision))
		}
		if out.NextToken == nil {
			if pages != 1 {
				t.Errorf("%d pages, want 2", pages+1)
			}
			break
		}
		in.NextToken = out.NextToken
	}
	if fmt.Sprint(got) != "[OpportunitySummaryView/1 OpportunitySummaryView/2 OpportunitySummaryView/3 Opportunity/1]" {
		t.Errorf("listing %v", got)
	}
	filtered := func(in api.ListResourceSnapshotsRequest) int {
		in.Catalog, in.EngagementIdentifier = CatalogSandbox, e.eng
		out, err := e.svc.ListResourceSnapshots(e.ctx, acctA, &in)
		if err != nil {
			t.Fatal(err)
		}
		return len(out.ResourceSnapshotSummaries)
	}
	for name, c := range map[string]struct {
		in   api.ListResourceSnapshotsRequest
		want int
	}{
		"template":     {api.ListResourceSnapshotsRequest{ResourceSnapshotTemplateIdentifier: ptr(templateOpportunity)}, 1},
		"resource":     {api.ListResourceSnapshotsRequest{ResourceType: ptr(api.ResourceTypeOpportunity), ResourceIdentifier: ptr(e.opp)}, 4},
		"other id":     {api.ListResourceSnapshotsRequest{ResourceIdentifier: ptr("O1")}, 0},
		"created by":   {api.ListResourceSnapshotsRequest{CreatedBy: ptr(acctA)}, 4},
		"other author": {api.ListResourceSnapshotsRequest{CreatedBy: ptr(acctB)}, 0},
	} {
		if n := filtered(c.in); n != c.want {
			t.Errorf("%s: %d snapshots, want %d", name, n, c.want)
		}
	}
	in.NextToken = ptr("garbage")
	_, err := e.svc.ListResourceSnapshots(e.ctx, acctA, in)
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
}

func TestResourceSnapshotAddsCustomerProjectToLead(t *testing.T) {
	e := newSnapEnv(t, api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: ptr(leadPayload("Lead Co"))})
	e.snapshot(t, "s1", templateOpportunitySummaryView)
	e.snapshot(t, "s2", templateOpportunity)
	ctxs := e.getEngagement(t, acctA, e.eng).Contexts
	if len(ctxs) != 2 || ctxs[1].Type != api.EngagementContextTypeCustomerProject || deref(ctxs[1].Id) != "2" {
		t.Fatalf("contexts %+v", ctxs)
	}
	cp := ctxs[1].Payload.CustomerProject
	if cp.Project.Title != "Data lake" || cp.Project.TargetCompletionDate != "2026-12-31" || cp.Customer.CompanyName != "Example Customer" || cp.Customer.CountryCode != api.CountryCodeUs {
		t.Errorf("customer project %+v %+v", cp.Customer, cp.Project)
	}

	plain := newSnapEnv(t)
	plain.snapshot(t, "s1", templateOpportunitySummaryView)
	if ctxs := plain.getEngagement(t, acctA, plain.eng).Contexts; len(ctxs) != 0 {
		t.Errorf("an engagement without a lead got contexts %+v", ctxs)
	}
}

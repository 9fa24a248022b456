package selling

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

const (
	acctA = "111111111111"
	acctB = "222222222222"
)

type fixture struct {
	svc   *Service
	clock *clock.Manual
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := clock.NewManual()
	clk.Freeze(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	f := &fixture{svc: New(Config{Store: st, Clock: clk, Region: "us-east-1", TokenKey: []byte("test key of thirty two bytes...."), Connections: connections{}}), clock: clk, ctx: context.Background()}
	for _, a := range []string{acctA, acctB} {
		if err := f.svc.SeedAccount(f.ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// completeOpportunity is a payload with everything submission needs.
func completeOpportunity(catalog, token string) *api.CreateOpportunityRequest {
	return &api.CreateOpportunityRequest{
		Catalog:     catalog,
		ClientToken: token,
		Customer: &api.Customer{Account: &api.Account{
			CompanyName: "Example Customer", Industry: ptr(api.IndustryAerospace), WebsiteUrl: ptr("https://example.com"),
			Address: &api.Address{CountryCode: ptr(api.CountryCodeUs), PostalCode: ptr("98101"), StateOrRegion: ptr("Washington"), City: ptr("Seattle")},
		}},
		Project: &api.Project{
			Title: ptr("Data lake"), CustomerBusinessProblem: ptr("The customer needs a scalable analytics platform."),
			CustomerUseCase: ptr("Business Intelligence & Data Warehouse"), DeliveryModels: []api.DeliveryModel{api.DeliveryModelSaaSOrPaaS},
			ExpectedCustomerSpend: []api.ExpectedCustomerSpend{{Amount: ptr("1000"), CurrencyCode: api.CurrencyCodeUsd, Frequency: api.PaymentFrequencyMonthly, TargetCompany: "AWS"}},
			SalesActivities:       []api.SalesActivity{api.SalesActivityInitializedDiscussionsWithCustomer},
		},
		LifeCycle: &api.LifeCycle{Stage: ptr(api.StageProspect), TargetCloseDate: ptr("2026-12-31")},
	}
}

func (f *fixture) create(t *testing.T, account string, in *api.CreateOpportunityRequest) string {
	t.Helper()
	out, err := f.svc.CreateOpportunity(f.ctx, account, in)
	if err != nil {
		t.Fatalf("CreateOpportunity: %v", err)
	}
	return out.Id
}

func (f *fixture) get(t *testing.T, account, catalog, id string) *opportunityOutput {
	t.Helper()
	raw, err := f.svc.GetOpportunity(f.ctx, account, &api.GetOpportunityRequest{Catalog: catalog, Identifier: id})
	if err != nil {
		t.Fatalf("GetOpportunity: %v", err)
	}
	// Decoded as a client would, into the output type the JSON came from.
	out := new(opportunityOutput)
	if err := json.Unmarshal(*raw, out); err != nil {
		t.Fatalf("GetOpportunity answered %s: %v", *raw, err)
	}
	return out
}

// updateFrom builds a full-replace update from the current state, as a
// client that follows AWS's advice (Get, change, Update) does.
func updateFrom(o *opportunityOutput) *api.UpdateOpportunityRequest {
	return &api.UpdateOpportunityRequest{
		Catalog: o.Catalog, Identifier: o.Id, LastModifiedDate: o.LastModifiedDate,
		PrimaryNeedsFromAws: o.PrimaryNeedsFromAws, NationalSecurity: o.NationalSecurity, PartnerOpportunityIdentifier: o.PartnerOpportunityIdentifier,
		Customer: o.Customer, Project: o.Project, OpportunityType: o.OpportunityType, Marketing: o.Marketing, SoftwareRevenue: o.SoftwareRevenue, LifeCycle: o.LifeCycle,
	}
}

func wantErr(t *testing.T, err error, kind apierr.Kind, reason string) *apierr.Error {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != kind || (reason != "" && e.Reason != reason) {
		t.Fatalf("got error %v (%+v), want kind %d reason %q", err, e, kind, reason)
	}
	return e
}

func hasField(e *apierr.Error, field, code string) bool {
	for _, fe := range e.Fields {
		if fe.FieldName == field && fe.Code == code {
			return true
		}
	}
	return false
}

func TestCreateAndGet(t *testing.T) {
	f := newFixture(t)
	id := f.create(t, acctA, completeOpportunity(CatalogAWS, "t1"))
	if !strings.HasPrefix(id, "O") {
		t.Fatalf("id %q", id)
	}
	o := f.get(t, acctA, CatalogAWS, id)
	if got, want := deref(o.Arn), "arn:aws:partnercentral:us-east-1:"+acctA+":catalog/AWS/opportunity/"+id; got != want {
		t.Errorf("Arn %q, want %q", got, want)
	}
	if deref(o.LifeCycle.ReviewStatus) != api.ReviewStatusPendingSubmission || deref(o.OpportunityType) != api.OpportunityTypeNetNewBusiness {
		t.Errorf("defaults: %+v %v", o.LifeCycle, o.OpportunityType)
	}
	if !o.CreatedDate.Equal(o.LastModifiedDate) {
		t.Errorf("CreatedDate %v != LastModifiedDate %v at creation", o.CreatedDate, o.LastModifiedDate)
	}
	if o.RelatedEntityIdentifiers.Solutions == nil || o.RelatedEntityIdentifiers.AwsProducts == nil {
		t.Error("RelatedEntityIdentifiers lists must be present and empty")
	}
	for _, other := range []struct{ account, catalog string }{{acctB, CatalogAWS}, {acctA, CatalogSandbox}} {
		_, err := f.svc.GetOpportunity(f.ctx, other.account, &api.GetOpportunityRequest{Catalog: other.catalog, Identifier: id})
		wantErr(t, err, apierr.KindNotFound, "")
	}
}

func TestClientTokenReplayAndConflict(t *testing.T) {
	f := newFixture(t)
	first := f.create(t, acctA, completeOpportunity(CatalogAWS, "same"))
	if again := f.create(t, acctA, completeOpportunity(CatalogAWS, "same")); again != first {
		t.Fatalf("replay created %s, want %s", again, first)
	}
	changed := completeOpportunity(CatalogAWS, "same")
	changed.Project.Title = ptr("Another title")
	_, err := f.svc.CreateOpportunity(f.ctx, acctA, changed)
	if e := wantErr(t, err, apierr.KindConflict, ""); e.Message != idempotency.ConflictingToken {
		t.Fatalf("message %q", e.Message)
	}
	// The same token in another account or catalog is another request.
	if other := f.create(t, acctB, completeOpportunity(CatalogAWS, "same")); other == first {
		t.Fatal("token leaked across accounts")
	}
}

func TestAwsReferralOnlyInSandbox(t *testing.T) {
	f := newFixture(t)
	in := completeOpportunity(CatalogAWS, "r1")
	in.Origin = ptr(api.OpportunityOriginAwsReferral)
	_, err := f.svc.CreateOpportunity(f.ctx, acctA, in)
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
	in.Catalog = CatalogSandbox
	f.create(t, acctA, in)
}

func TestUpdateOptimisticLockAndFullReplace(t *testing.T) {
	f := newFixture(t)
	in := completeOpportunity(CatalogAWS, "u1")
	in.Project.AdditionalComments = ptr("to be dropped")
	id := f.create(t, acctA, in)
	o := f.get(t, acctA, CatalogAWS, id)
	prev := o.LastModifiedDate
	var lastModified []time.Time
	for i := 0; i < 3; i++ { // the clock is frozen: the service must still move the token on
		req := updateFrom(o)
		if i == 0 {
			p := *req.Project
			p.AdditionalComments = nil
			req.Project = &p
		}
		out, err := f.svc.UpdateOpportunity(f.ctx, acctA, req)
		if err != nil {
			t.Fatal(err)
		}
		if !out.LastModifiedDate.After(prev) {
			t.Fatalf("LastModifiedDate %v did not move past %v", out.LastModifiedDate, prev)
		}
		prev = out.LastModifiedDate
		lastModified = append(lastModified, prev)
		o = f.get(t, acctA, CatalogAWS, id)
	}
	if o.Project.AdditionalComments != nil {
		t.Error("omitted field survived a full-replace update")
	}
	stale := updateFrom(o)
	stale.LastModifiedDate = lastModified[0]
	_, err := f.svc.UpdateOpportunity(f.ctx, acctA, stale)
	wantErr(t, err, apierr.KindConflict, "")
}

func TestBusinessRules(t *testing.T) {
	f := newFixture(t)
	in := completeOpportunity(CatalogAWS, "b1")
	in.LifeCycle.Stage = ptr(api.StageClosedLost)
	in.LifeCycle.TargetCloseDate = ptr("2020-01-01")
	in.Customer.Account.Address.CountryCode = ptr(api.CountryCodeDe)
	_, err := f.svc.CreateOpportunity(f.ctx, acctA, in)
	e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
	for _, want := range []struct{ field, code string }{
		{"lifeCycle.closedLostReason", apierr.CodeRequiredFieldMissing},
		{"lifeCycle.targetCloseDate", apierr.CodeInvalidValue},
		{"customer.account.address.stateOrRegion", apierr.CodeInvalidValue},
	} {
		if !hasField(e, want.field, want.code) {
			t.Errorf("missing %s %s in %+v", want.field, want.code, e.Fields)
		}
	}
}

func (f *fixture) submit(t *testing.T, account, catalog, id string) {
	t.Helper()
	if _, err := f.svc.SubmitOpportunity(f.ctx, account, &api.SubmitOpportunityRequest{Catalog: catalog, Identifier: id, InvolvementType: api.SalesInvolvementTypeCoSell}); err != nil {
		t.Fatalf("SubmitOpportunity: %v", err)
	}
}

func (f *fixture) associate(account, catalog, id string, kind api.RelatedEntityType, entity string) error {
	_, err := f.svc.AssociateOpportunity(f.ctx, account, &api.AssociateOpportunityRequest{Catalog: catalog, OpportunityIdentifier: id, RelatedEntityType: kind, RelatedEntityIdentifier: entity})
	return err
}

func (f *fixture) simulate(t *testing.T, id string, status api.ReviewStatus) error {
	t.Helper()
	req := updateFrom(f.get(t, acctA, CatalogSandbox, id))
	lc := *req.LifeCycle
	lc.ReviewStatus, lc.ReviewComments = ptr(status), ptr("Please add the customer's website.")
	req.LifeCycle = &lc
	_, err := f.svc.UpdateOpportunity(f.ctx, acctA, req)
	return err
}

func TestSubmitAndReviewLifecycle(t *testing.T) {
	f := newFixture(t)
	bare := &api.CreateOpportunityRequest{Catalog: CatalogSandbox, ClientToken: "bare"}
	bareID := f.create(t, acctA, bare)
	_, err := f.svc.SubmitOpportunity(f.ctx, acctA, &api.SubmitOpportunityRequest{Catalog: CatalogSandbox, Identifier: bareID, InvolvementType: api.SalesInvolvementTypeCoSell})
	if e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation); !hasField(e, "project.title", apierr.CodeRequiredFieldMissing) {
		t.Fatalf("gaps: %+v", e.Fields)
	}

	id := f.create(t, acctA, completeOpportunity(CatalogSandbox, "s1"))
	if err := f.associate(acctA, CatalogSandbox, id, api.RelatedEntityTypeSolutions, sandboxTestSolution); err != nil {
		t.Fatal(err)
	}
	f.submit(t, acctA, CatalogSandbox, id)
	o := f.get(t, acctA, CatalogSandbox, id)
	if deref(o.LifeCycle.ReviewStatus) != api.ReviewStatusSubmitted {
		t.Fatalf("status %v", deref(o.LifeCycle.ReviewStatus))
	}
	// Locked while under review.
	edit := updateFrom(o)
	edit.Project = &api.Project{Title: ptr("changed")}
	_, err = f.svc.UpdateOpportunity(f.ctx, acctA, edit)
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)

	// Simulated Action Required: only the whitelisted fields may change.
	if err := f.simulate(t, id, api.ReviewStatusActionRequired); err != nil {
		t.Fatal(err)
	}
	o = f.get(t, acctA, CatalogSandbox, id)
	if deref(o.LifeCycle.ReviewComments) == "" {
		t.Error("review comments not recorded")
	}
	ok := updateFrom(o)
	acc := *ok.Customer.Account
	acc.WebsiteUrl = ptr("https://example.org")
	ok.Customer = &api.Customer{Account: &acc}
	if _, err := f.svc.UpdateOpportunity(f.ctx, acctA, ok); err != nil {
		t.Fatalf("whitelisted edit refused: %v", err)
	}
	bad := updateFrom(f.get(t, acctA, CatalogSandbox, id))
	p := *bad.Project
	p.Title = ptr("New title")
	bad.Project = &p
	_, err = f.svc.UpdateOpportunity(f.ctx, acctA, bad)
	if e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation); !hasField(e, "project.title", apierr.CodeActionNotPermitted) {
		t.Fatalf("fields %+v", e.Fields)
	}

	// Resubmit, approve: the documented fields freeze, others stay editable.
	f.submit(t, acctA, CatalogSandbox, id)
	if err := f.simulate(t, id, api.ReviewStatusApproved); err != nil {
		t.Fatal(err)
	}
	frozen := updateFrom(f.get(t, acctA, CatalogSandbox, id))
	p = *frozen.Project
	p.Title = ptr("Renamed")
	frozen.Project = &p
	_, err = f.svc.UpdateOpportunity(f.ctx, acctA, frozen)
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
	free := updateFrom(f.get(t, acctA, CatalogSandbox, id))
	lc := *free.LifeCycle
	lc.NextSteps = ptr("Schedule the architecture review")
	free.LifeCycle = &lc
	if _, err := f.svc.UpdateOpportunity(f.ctx, acctA, free); err != nil {
		t.Fatalf("editing NextSteps after approval: %v", err)
	}
	if h := f.get(t, acctA, CatalogSandbox, id).LifeCycle.NextStepsHistory; len(h) != 1 || h[0].Value != "Schedule the architecture review" {
		t.Fatalf("NextStepsHistory %+v", h)
	}
}

func TestSimulatedReviewRefusedInAwsCatalog(t *testing.T) {
	f := newFixture(t)
	id := f.create(t, acctA, completeOpportunity(CatalogAWS, "a1"))
	req := updateFrom(f.get(t, acctA, CatalogAWS, id))
	lc := *req.LifeCycle
	lc.ReviewStatus = ptr(api.ReviewStatusApproved)
	req.LifeCycle = &lc
	_, err := f.svc.UpdateOpportunity(f.ctx, acctA, req)
	if e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation); !hasField(e, "lifeCycle.reviewStatus", apierr.CodeActionNotPermitted) {
		t.Fatalf("fields %+v", e.Fields)
	}
}

func TestAssociations(t *testing.T) {
	f := newFixture(t)
	id := f.create(t, acctA, completeOpportunity(CatalogSandbox, "as1"))
	if err := f.associate(acctA, CatalogSandbox, id, api.RelatedEntityTypeSolutions, "S-9999999"); err == nil {
		t.Fatal("unknown solution associated")
	} else {
		wantErr(t, err, apierr.KindNotFound, "")
	}
	if err := f.associate(acctA, CatalogSandbox, id, api.RelatedEntityTypeSolutions, sandboxTestSolution); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.associate(acctA, CatalogSandbox, id, api.RelatedEntityTypeSolutions, sandboxTestSolution), apierr.KindConflict, "")
	for i := 0; i < 20; i++ {
		if err := f.associate(acctA, CatalogSandbox, id, api.RelatedEntityTypeAwsProducts, fmt.Sprintf("Product%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	wantErr(t, f.associate(acctA, CatalogSandbox, id, api.RelatedEntityTypeAwsProducts, "OneTooMany"), apierr.KindValidation, apierr.ReasonBusinessValidation)
	offer := "arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/Offer/offer-abc"
	if err := f.associate(acctA, CatalogSandbox, id, api.RelatedEntityTypeAwsMarketplaceOffers, offer); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.associate(acctA, CatalogSandbox, id, api.RelatedEntityTypeAwsMarketplaceOfferSets, "arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/OfferSet/offerset-abc"), apierr.KindValidation, apierr.ReasonBusinessValidation)
	wantErr(t, f.associate(acctA, CatalogSandbox, id, api.RelatedEntityTypeAwsMarketplaceOffers, "not-an-arn"), apierr.KindValidation, apierr.ReasonRequestValidation)
	o := f.get(t, acctA, CatalogSandbox, id)
	if len(o.RelatedEntityIdentifiers.AwsProducts) != 20 || len(o.RelatedEntityIdentifiers.Solutions) != 1 {
		t.Fatalf("related %+v", o.RelatedEntityIdentifiers)
	}
	_, err := f.svc.DisassociateOpportunity(f.ctx, acctA, &api.DisassociateOpportunityRequest{Catalog: CatalogSandbox, OpportunityIdentifier: id, RelatedEntityType: api.RelatedEntityTypeSolutions, RelatedEntityIdentifier: sandboxTestSolution})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.DisassociateOpportunity(f.ctx, acctA, &api.DisassociateOpportunityRequest{Catalog: CatalogSandbox, OpportunityIdentifier: id, RelatedEntityType: api.RelatedEntityTypeSolutions, RelatedEntityIdentifier: sandboxTestSolution})
	wantErr(t, err, apierr.KindNotFound, "")
}

func TestListOpportunitiesPagesEveryRecordOnce(t *testing.T) {
	f := newFixture(t)
	want := map[string]bool{}
	for i := 0; i < 45; i++ {
		want[f.create(t, acctA, completeOpportunity(CatalogAWS, fmt.Sprintf("l%d", i)))] = true
	}
	f.create(t, acctB, completeOpportunity(CatalogAWS, "other account"))
	seen := map[string]bool{}
	req := &api.ListOpportunitiesRequest{Catalog: CatalogAWS, MaxResults: ptr(int32(10))}
	var last time.Time
	for pages := 0; ; pages++ {
		out, err := f.svc.ListOpportunities(f.ctx, acctA, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, raw := range out.OpportunitySummaries {
			var s api.OpportunitySummary
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatal(err)
			}
			if seen[*s.Id] || !want[*s.Id] {
				t.Fatalf("page %d: %s repeated or foreign", pages, *s.Id)
			}
			if !last.IsZero() && s.LastModifiedDate.After(last) {
				t.Fatalf("not in descending LastModifiedDate order")
			}
			last = *s.LastModifiedDate
			seen[*s.Id] = true
		}
		if out.NextToken == nil {
			break
		}
		req.NextToken = out.NextToken
	}
	if len(seen) != len(want) {
		t.Fatalf("saw %d of %d", len(seen), len(want))
	}

	first, err := f.svc.ListOpportunities(f.ctx, acctA, &api.ListOpportunitiesRequest{Catalog: CatalogAWS, MaxResults: ptr(int32(5))})
	if err != nil {
		t.Fatal(err)
	}
	refiltered := &api.ListOpportunitiesRequest{Catalog: CatalogAWS, NextToken: first.NextToken, LifeCycleStage: []api.Stage{api.StageProspect}}
	_, err = f.svc.ListOpportunities(f.ctx, acctA, refiltered)
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
	_, err = f.svc.ListOpportunities(f.ctx, acctB, &api.ListOpportunitiesRequest{Catalog: CatalogAWS, NextToken: first.NextToken})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
}

func TestTagsAndSettings(t *testing.T) {
	f := newFixture(t)
	id := f.create(t, acctA, completeOpportunity(CatalogAWS, "tg"))
	arn := deref(f.get(t, acctA, CatalogAWS, id).Arn)
	if _, err := f.svc.TagResource(f.ctx, acctA, &api.TagResourceRequest{ResourceArn: arn, Tags: []api.Tag{{Key: "team", Value: "east"}, {Key: "tier", Value: "1"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UntagResource(f.ctx, acctA, &api.UntagResourceRequest{ResourceArn: arn, TagKeys: []string{"tier"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := f.svc.ListTagsForResource(f.ctx, acctA, &api.ListTagsForResourceRequest{ResourceArn: arn})
	if err != nil || len(tags.Tags) != 1 || tags.Tags[0].Key != "team" {
		t.Fatalf("tags %+v %v", tags, err)
	}
	_, err = f.svc.ListTagsForResource(f.ctx, acctB, &api.ListTagsForResourceRequest{ResourceArn: arn})
	wantErr(t, err, apierr.KindAccessDenied, "")

	put, err := f.svc.PutSellingSystemSettings(f.ctx, acctA, &api.PutSellingSystemSettingsRequest{Catalog: CatalogAWS, ResourceSnapshotJobRoleIdentifier: ptr("SnapshotRole")})
	if err != nil || deref(put.ResourceSnapshotJobRoleArn) != "arn:aws:iam::"+acctA+":role/SnapshotRole" {
		t.Fatalf("put %+v %v", put, err)
	}
	got, err := f.svc.GetSellingSystemSettings(f.ctx, acctA, &api.GetSellingSystemSettingsRequest{Catalog: CatalogAWS})
	if err != nil || deref(got.ResourceSnapshotJobRoleArn) != deref(put.ResourceSnapshotJobRoleArn) {
		t.Fatalf("get %+v %v", got, err)
	}
	if other, _ := f.svc.GetSellingSystemSettings(f.ctx, acctA, &api.GetSellingSystemSettingsRequest{Catalog: CatalogSandbox}); other.ResourceSnapshotJobRoleArn != nil {
		t.Fatal("setting leaked across catalogs")
	}
}

func TestSolutionAssociationLimit(t *testing.T) {
	f := newFixture(t)
	scope := scopeOf(acctA, CatalogAWS)
	err := f.svc.store.Update(f.ctx, func(tx store.Tx) error {
		for i := 0; i < 11; i++ {
			sol := &store.Solution{Scope: scope, ID: fmt.Sprintf("S-99000%02d", i), Name: "Extra", Category: "Software Products", Status: string(api.SolutionStatusActive), CreatedDate: f.svc.now()}
			if err := tx.PutSolution(f.ctx, sol); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	id := f.create(t, acctA, completeOpportunity(CatalogAWS, "lim"))
	for i := 0; i < 10; i++ {
		if err := f.associate(acctA, CatalogAWS, id, api.RelatedEntityTypeSolutions, fmt.Sprintf("S-99000%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	e := wantErr(t, f.associate(acctA, CatalogAWS, id, api.RelatedEntityTypeSolutions, "S-9900010"), apierr.KindValidation, apierr.ReasonBusinessValidation)
	if !hasField(e, "relatedEntityIdentifier", apierr.CodeTooManyValues) {
		t.Fatalf("fields %+v", e.Fields)
	}
	inactive := solutionID(acctA, CatalogAWS, 3) // the starter set's Inactive solution
	wantErr(t, f.associate(acctA, CatalogAWS, f.create(t, acctA, completeOpportunity(CatalogAWS, "lim2")), api.RelatedEntityTypeSolutions, inactive), apierr.KindValidation, apierr.ReasonBusinessValidation)
}

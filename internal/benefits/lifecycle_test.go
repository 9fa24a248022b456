package benefits

import (
	"slices"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
)

// TestMainFlow drives an application from draft to an expired allocation
// and checks every status, stage and event on the way.
func TestMainFlow(t *testing.T) {
	f := newFixture(t)
	id, _ := f.createPOC(t, acctOne, "flow", pocDetails)
	f.submit(t, acctOne, id)
	got := f.get(t, acctOne, id)
	if *got.Status != api.BenefitApplicationStatusInReview || *got.Stage != StageBusinessReview {
		t.Fatalf("submitted: %s %v", *got.Status, got.Stage)
	}
	f.review(t, acctOne, id, Review{Decision: DecisionActionRequired, Reason: "Add the customer's account.", ReasonCode: "Checklist Incomplete", ReasonCodes: []string{"Checklist Incomplete", "Project Plan Missing"}})
	got = f.get(t, acctOne, id)
	if *got.Status != api.BenefitApplicationStatusActionRequired || *got.StatusReasonCode != "Checklist Incomplete" || len(got.StatusReasonCodes) != 2 || *got.Stage != StageBusinessReview {
		t.Fatalf("action required: %+v", got)
	}
	// The partner fixes the account with an amendment and resubmits.
	if _, err := f.svc.AmendBenefitApplication(f.ctx, acctOne, &api.AmendBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "fix", Revision: *got.Revision, Identifier: id, AmendmentReason: "Reviewer asked for the POC account.",
		Amendments: []api.Amendment{{FieldPath: "$.AccountId", NewValue: "210987654321"}},
	}); err != nil {
		t.Fatal(err)
	}
	f.submit(t, acctOne, id)
	got = f.get(t, acctOne, id)
	if *got.Status != api.BenefitApplicationStatusInReview || got.StatusReason != nil || got.StatusReasonCodes != nil {
		t.Fatalf("resubmitted: %+v", got)
	}
	f.review(t, acctOne, id, Review{Decision: DecisionStage, Stage: StageFinanceReview})
	expires := f.clock.Now().Add(30 * 24 * time.Hour)
	out := f.review(t, acctOne, id, Review{Decision: DecisionApprove, Allocations: []AllocationGrant{{Amount: &api.MonetaryValue{Amount: "4000", CurrencyCode: api.CurrencyCodeUsd}, ExpiresAt: &expires}}})
	if out.Status != api.BenefitApplicationStatusApproved || len(out.Allocations) != 1 {
		t.Fatalf("approved: %+v", out)
	}
	alloc, err := f.svc.GetBenefitAllocation(f.ctx, acctOne, &api.GetBenefitAllocationInput{Catalog: CatalogSandbox, Identifier: out.Allocations[0]})
	if err != nil {
		t.Fatal(err)
	}
	credits := alloc.FulfillmentDetail.CreditDetails
	if *alloc.Status != api.BenefitAllocationStatusActive || *alloc.BenefitApplicationId != id || *alloc.FulfillmentType != api.FulfillmentTypeCredits ||
		credits == nil || credits.AllocatedAmount.Amount != "4000" || credits.Codes[0].AwsAccountId != "210987654321" || !alloc.ExpiresAt.Equal(expires) {
		t.Fatalf("allocation %+v credits %+v", alloc, credits)
	}
	// Expiry by the server clock, seen by the next read.
	f.clock.Advance(30 * 24 * time.Hour)
	alloc, err = f.svc.GetBenefitAllocation(f.ctx, acctOne, &api.GetBenefitAllocationInput{Catalog: CatalogSandbox, Identifier: *alloc.Arn})
	if err != nil {
		t.Fatal(err)
	}
	if *alloc.Status != api.BenefitAllocationStatusInactive || *alloc.StatusReason != expiredReason || alloc.FulfillmentDetail.CreditDetails.Codes[0].Status != api.BenefitAllocationStatusInactive {
		t.Fatalf("expired allocation %+v", alloc)
	}
	events := f.events(t, acctOne)
	want := []string{
		"Benefit Application Created", "Benefit Application In Review", "Benefit Application Action Required", "Benefit Application In Review",
		"Benefit Application Stage Changed", "Benefit Application Approved", "Benefit Allocation Activated", "Benefit Allocation Inactivated",
	}
	if got := detailTypes(events); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	stages := []any{nil, StageBusinessReview, StageBusinessReview, StageBusinessReview, StageFinanceReview, nil}
	for i, e := range events[:6] {
		app := e.Detail["benefitApplication"].(map[string]any)
		if app["stage"] != stages[i] || app["id"] != id || e.Detail["catalog"] != CatalogSandbox || e.Resources[0] != *got.Arn {
			t.Errorf("%s: detail %v resources %v", e.DetailType, e.Detail, e.Resources)
		}
		if e.Detail["benefit"].(map[string]any)["name"] != "Proof of Concept Credits" {
			t.Errorf("%s: benefit %v", e.DetailType, e.Detail["benefit"])
		}
	}
	alloc6 := events[6].Detail["benefitAllocation"].(map[string]any)
	if alloc6["status"] != "ACTIVE" || alloc6["fulfillmentType"] != "CREDITS" || events[7].Detail["benefitAllocation"].(map[string]any)["status"] != "INACTIVE" ||
		events[7].Detail["benefitApplication"].(map[string]any)["id"] != id {
		t.Errorf("allocation events %v / %v", events[6].Detail, events[7].Detail)
	}
	// Every transition changed the revision the events carry.
	revs := map[any]bool{}
	for _, e := range events[:6] {
		revs[e.Detail["benefitApplication"].(map[string]any)["revision"]] = true
	}
	if len(revs) != 6 {
		t.Errorf("%d distinct revisions over 6 application events", len(revs))
	}
}

func TestRecallAndCancelFollowTheStatus(t *testing.T) {
	f := newFixture(t)
	recall := func(id string) error {
		_, err := f.svc.RecallBenefitApplication(f.ctx, acctOne, &api.RecallBenefitApplicationInput{Catalog: CatalogSandbox, Identifier: id, Reason: "Wrong customer"})
		return err
	}
	cancel := func(id, token string) error {
		_, err := f.svc.CancelBenefitApplication(f.ctx, acctOne, &api.CancelBenefitApplicationInput{Catalog: CatalogSandbox, ClientToken: token, Identifier: id})
		return err
	}
	id, _ := f.createPOC(t, acctOne, "r", pocDetails)
	wantKind(t, recall(id), apierr.KindValidation, apierr.CodeInvalidResourceState)
	f.submit(t, acctOne, id)
	if err := recall(id); err != nil {
		t.Fatal(err)
	}
	got := f.get(t, acctOne, id)
	if *got.Status != api.BenefitApplicationStatusPendingSubmission || got.Stage != nil || *got.StatusReason != "Wrong customer" {
		t.Fatalf("recalled: %+v", got)
	}
	// Late in review, no recall.
	f.submit(t, acctOne, id)
	f.review(t, acctOne, id, Review{Decision: DecisionStage, Stage: StageFinanceReview})
	wantKind(t, recall(id), apierr.KindValidation, apierr.CodeInvalidResourceState)
	// Cancel is final.
	if err := cancel(id, "c1"); err != nil {
		t.Fatal(err)
	}
	if err := cancel(id, "c1"); err != nil {
		t.Errorf("a retry of the cancel: %v", err)
	}
	wantKind(t, cancel(id, "c2"), apierr.KindValidation, apierr.CodeInvalidResourceState)
	if *f.get(t, acctOne, id).Status != api.BenefitApplicationStatusCanceled {
		t.Error("not canceled")
	}
	_, err := f.svc.ReviewApplication(f.ctx, acctOne, CatalogSandbox, id, Review{Decision: DecisionApprove})
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidResourceState)
	// An approved application is neither canceled nor recalled.
	approved, _ := f.createPOC(t, acctOne, "a", pocDetails)
	f.submit(t, acctOne, approved)
	f.review(t, acctOne, approved, Review{Decision: DecisionApprove})
	wantKind(t, cancel(approved, "c3"), apierr.KindValidation, apierr.CodeInvalidResourceState)
	wantKind(t, recall(approved), apierr.KindValidation, apierr.CodeInvalidResourceState)
	// No events for recall or cancel.
	for _, e := range detailTypes(f.events(t, acctOne)) {
		if e == "Benefit Application Recalled" || e == "Benefit Application Canceled" {
			t.Errorf("unexpected event %s", e)
		}
	}
}

func TestAmendAllowsOnlyTheBenefitsPathsAfterSubmission(t *testing.T) {
	f := newFixture(t)
	id, rev := f.createPOC(t, acctOne, "am", pocDetails)
	amend := func(token, revision string, ams ...api.Amendment) error {
		_, err := f.svc.AmendBenefitApplication(f.ctx, acctOne, &api.AmendBenefitApplicationInput{
			Catalog: CatalogSandbox, ClientToken: token, Revision: revision, Identifier: id, AmendmentReason: "fix", Amendments: ams,
		})
		return err
	}
	wantKind(t, amend("a0", rev, api.Amendment{FieldPath: "$.AccountId", NewValue: "210987654321"}), apierr.KindValidation, apierr.CodeInvalidResourceState)
	f.submit(t, acctOne, id)
	rev = *f.get(t, acctOne, id).Revision
	wantKind(t, amend("a1", rev, api.Amendment{FieldPath: "$.CustomerName", NewValue: "Other"}), apierr.KindValidation, apierr.CodeActionNotPermitted)
	wantKind(t, amend("a2", rev, api.Amendment{FieldPath: "$.AccountId", NewValue: "not-an-account"}), apierr.KindValidation, apierr.CodeInvalidStringFormat)
	wantKind(t, amend("a3", "stale", api.Amendment{FieldPath: "$.AccountId", NewValue: "210987654321"}), apierr.KindConflict, "")
	many := make([]api.Amendment, maxAmendments+1)
	for i := range many {
		many[i] = api.Amendment{FieldPath: "$.AccountId", NewValue: "210987654321"}
	}
	wantKind(t, amend("a4", rev, many...), apierr.KindValidation, apierr.CodeTooManyValues)
	if err := amend("a5", rev, api.Amendment{FieldPath: "$.AccountId", NewValue: "210987654321"}); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, acctOne, id); *got.Status != api.BenefitApplicationStatusInReview || *got.Revision == rev ||
		!jsonHas(got.BenefitApplicationDetails, "AccountId", "210987654321") {
		t.Fatalf("amended: %s %s", *got.Status, got.BenefitApplicationDetails)
	}

	// ISVWMP's consent is a boolean, amendable after approval.
	isv, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "isv", BenefitIdentifier: f.benefitNamed(t, "ISV Workload Migration Program").Id,
		BenefitApplicationDetails: []byte(`{"AccountId":"123456789012","CustomerName":"C","WorkloadName":"ERP","EstimatedArr":120000}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.submit(t, acctOne, *isv.Id)
	f.review(t, acctOne, *isv.Id, Review{Decision: DecisionApprove})
	_, err = f.svc.AmendBenefitApplication(f.ctx, acctOne, &api.AmendBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "isv-consent", Revision: *f.get(t, acctOne, *isv.Id).Revision, Identifier: *isv.Id, AmendmentReason: "Consent captured",
		Amendments: []api.Amendment{{FieldPath: "$.IsvWmpSecondTrancheConsentCaptured", NewValue: "true"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, acctOne, *isv.Id); !jsonHas(got.BenefitApplicationDetails, "IsvWmpSecondTrancheConsentCaptured", true) {
		t.Errorf("details %s", got.BenefitApplicationDetails)
	}
}

func TestAssociatedResourcesMustBeReadableAndChangeOnlyBeforeSubmission(t *testing.T) {
	f := newFixture(t)
	mine := f.createOpportunity(t, acctOne)
	theirs := f.createOpportunity(t, acctTwo)
	id, _ := f.createPOC(t, acctOne, "res", pocDetails)
	associate := func(arn string) (*api.AssociateBenefitApplicationResourceOutput, error) {
		return f.svc.AssociateBenefitApplicationResource(f.ctx, acctOne, &api.AssociateBenefitApplicationResourceInput{Catalog: CatalogSandbox, BenefitApplicationIdentifier: id, ResourceArn: arn})
	}
	out, err := associate(mine)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, acctOne, id); !slices.Equal(got.AssociatedResources, []string{mine}) || *got.Revision != *out.Revision {
		t.Fatalf("resources %v revision %s/%s", got.AssociatedResources, *got.Revision, *out.Revision)
	}
	_, err = associate(theirs)
	wantKind(t, err, apierr.KindAccessDenied, "")
	_, err = associate("arn:aws:partnercentral:us-east-1:" + acctOne + ":catalog/Sandbox/opportunity/O999999")
	wantKind(t, err, apierr.KindNotFound, "")
	_, err = associate("arn:aws:partnercentral:us-east-1:" + acctOne + ":catalog/Sandbox/solution/S-0000001")
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidValue)
	// Create checks its resources the same way.
	_, err = f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "res2", BenefitIdentifier: f.benefitNamed(t, "Proof of Concept Credits").Id, AssociatedResources: []string{theirs},
	})
	wantKind(t, err, apierr.KindAccessDenied, "")
	// Listing by resource, by ARN or by type and identifier.
	for _, in := range []api.ListBenefitApplicationsInput{
		{AssociatedResourceArns: []string{mine}},
		{AssociatedResources: []api.AssociatedResource{{ResourceType: ptr(api.ResourceTypeOpportunity), ResourceIdentifier: ptr(lastSegment(mine))}}},
	} {
		in.Catalog = CatalogSandbox
		list, err := f.svc.ListBenefitApplications(f.ctx, acctOne, &in)
		if err != nil || len(list.BenefitApplicationSummaries) != 1 {
			t.Errorf("list by resource %+v: %+v, %v", in, list, err)
		}
	}
	if _, err := f.svc.DisassociateBenefitApplicationResource(f.ctx, acctOne, &api.DisassociateBenefitApplicationResourceInput{Catalog: CatalogSandbox, BenefitApplicationIdentifier: id, ResourceArn: theirs}); !apierr.Is(err, apierr.KindNotFound) {
		t.Errorf("disassociating what is not associated: %v", err)
	}
	f.submit(t, acctOne, id)
	_, err = f.svc.DisassociateBenefitApplicationResource(f.ctx, acctOne, &api.DisassociateBenefitApplicationResourceInput{Catalog: CatalogSandbox, BenefitApplicationIdentifier: id, ResourceArn: mine})
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidResourceState)

	// An allocation of the caller chains a new application to it.
	out2 := f.review(t, acctOne, id, Review{Decision: DecisionApprove})
	allocArn := "arn:aws:partnercentral:us-east-1:" + acctOne + ":catalog/Sandbox/benefit-allocation/" + out2.Allocations[0]
	chained, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "chain", BenefitIdentifier: f.benefitNamed(t, "Proof of Concept Credits").Id, AssociatedResources: []string{allocArn},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DisassociateBenefitApplicationResource(f.ctx, acctOne, &api.DisassociateBenefitApplicationResourceInput{Catalog: CatalogSandbox, BenefitApplicationIdentifier: *chained.Id, ResourceArn: allocArn}); err != nil {
		t.Fatal(err)
	}
	if got := f.get(t, acctOne, *chained.Id); len(got.AssociatedResources) != 0 {
		t.Errorf("after disassociation: %v", got.AssociatedResources)
	}
}

func TestListBenefitApplicationsFilters(t *testing.T) {
	f := newFixture(t)
	poc, _ := f.createPOC(t, acctOne, "l1", pocDetails)
	f.submit(t, acctOne, poc)
	f.clock.Advance(time.Second) // lists are in creation order
	if _, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "l2", BenefitIdentifier: f.benefitNamed(t, "Marketing Development Funds").Id,
	}); err != nil {
		t.Fatal(err)
	}
	count := func(in api.ListBenefitApplicationsInput) int {
		t.Helper()
		in.Catalog = CatalogSandbox
		out, err := f.svc.ListBenefitApplications(f.ctx, acctOne, &in)
		if err != nil {
			t.Fatal(err)
		}
		return len(out.BenefitApplicationSummaries)
	}
	cases := []struct {
		in   api.ListBenefitApplicationsInput
		want int
	}{
		{api.ListBenefitApplicationsInput{}, 2},
		{api.ListBenefitApplicationsInput{Programs: []string{"POC"}}, 1},
		{api.ListBenefitApplicationsInput{FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCash, api.FulfillmentTypeAccess}}, 1},
		{api.ListBenefitApplicationsInput{Status: []api.BenefitApplicationStatus{api.BenefitApplicationStatusInReview}}, 1},
		{api.ListBenefitApplicationsInput{Stages: []string{StageBusinessReview}}, 1},
		{api.ListBenefitApplicationsInput{Stages: []string{StageTechReview}}, 0},
		{api.ListBenefitApplicationsInput{BenefitIdentifiers: []string{f.benefitNamed(t, "Marketing Development Funds").Id}}, 1},
	}
	for _, c := range cases {
		if got := count(c.in); got != c.want {
			t.Errorf("%+v: %d, want %d", c.in, got, c.want)
		}
	}
	out, err := f.svc.ListBenefitApplications(f.ctx, acctOne, &api.ListBenefitApplicationsInput{Catalog: CatalogSandbox, Programs: []string{"POC"}})
	if err != nil {
		t.Fatal(err)
	}
	if s := out.BenefitApplicationSummaries[0]; s.BenefitApplicationDetails["AccountId"] != "123456789012" || s.BenefitApplicationDetails["RequestedAmount"] != "5000" {
		t.Errorf("summary details %v", s.BenefitApplicationDetails)
	}
	page, err := f.svc.ListBenefitApplications(f.ctx, acctOne, &api.ListBenefitApplicationsInput{Catalog: CatalogSandbox, MaxResults: ptr(int32(1))})
	if err != nil || len(page.BenefitApplicationSummaries) != 1 || page.NextToken == nil {
		t.Fatalf("page 1: %+v, %v", page, err)
	}
	page, err = f.svc.ListBenefitApplications(f.ctx, acctOne, &api.ListBenefitApplicationsInput{Catalog: CatalogSandbox, MaxResults: ptr(int32(1)), NextToken: page.NextToken})
	if err != nil || len(page.BenefitApplicationSummaries) != 1 || page.NextToken != nil || *page.BenefitApplicationSummaries[0].Id == poc {
		t.Fatalf("page 2: %+v, %v", page, err)
	}
}

func lastSegment(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return arn
}

func TestAutomaticReviewerDecidesSandboxApplicationsAfterItsDelay(t *testing.T) {
	f := newFixture(t)
	on := true
	f.svc.autoReview = func() (bool, time.Duration) { return on, time.Minute }
	id, _ := f.createPOC(t, acctOne, "auto", pocDetails)
	f.submit(t, acctOne, id)
	f.clock.Advance(59 * time.Second)
	if got := f.get(t, acctOne, id); *got.Status != api.BenefitApplicationStatusInReview {
		t.Fatalf("before the delay: %s", *got.Status)
	}
	f.clock.Advance(time.Second)
	list, err := f.svc.ListBenefitAllocations(f.ctx, acctOne, &api.ListBenefitAllocationsInput{Catalog: CatalogSandbox})
	if err != nil || len(list.BenefitAllocationSummaries) != 1 || *f.get(t, acctOne, id).Status != api.BenefitApplicationStatusApproved {
		t.Fatalf("after the delay: %+v, %v", list, err)
	}
	// A benefit without a default amount cannot be granted automatically.
	b := f.benefitNamed(t, "Marketing Development Funds")
	b.DefaultAmount = nil
	if _, err := f.svc.PutBenefit(f.ctx, CatalogSandbox, b); err != nil {
		t.Fatal(err)
	}
	mdf, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "auto-mdf", BenefitIdentifier: b.Id,
		BenefitApplicationDetails: []byte(`{"ActivityName":"Webinar","ActivityType":"WEBINAR","RequestedAmount":2000,"StartDate":"2026-05-01","EndDate":"2026-05-01","ExpectedLeads":40}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.submit(t, acctOne, *mdf.Id)
	f.clock.Advance(time.Minute)
	if got := f.get(t, acctOne, *mdf.Id); *got.Status != api.BenefitApplicationStatusActionRequired || got.StatusReason == nil {
		t.Fatalf("no default amount: %s %v", *got.Status, got.StatusReason)
	}
	// Off, nothing is decided.
	on = false
	id2, _ := f.createPOC(t, acctOne, "auto-off", pocDetails)
	f.submit(t, acctOne, id2)
	f.clock.Advance(time.Hour)
	if got := f.get(t, acctOne, id2); *got.Status != api.BenefitApplicationStatusInReview {
		t.Errorf("reviewer off: %s", *got.Status)
	}
}

package benefits

import (
	"slices"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
)

// approvedMAP approves a MAP Assess application (CREDITS and CASH) with
// the benefit's defaults and returns its allocations.
func (f *fixture) approvedMAP(t *testing.T, account string) []string {
	t.Helper()
	out, err := f.svc.CreateBenefitApplication(f.ctx, account, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "map-" + account, BenefitIdentifier: f.benefitNamed(t, "MAP Assess").Id,
		BenefitApplicationDetails: []byte(`{"AccountId":"123456789012","CustomerName":"C","EstimatedArr":500000,"MigrationWorkloads":["SAP"]}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.submit(t, account, *out.Id)
	return f.review(t, account, *out.Id, Review{Decision: DecisionApprove}).Allocations
}

func (f *fixture) allocation(t *testing.T, account, id string) *api.GetBenefitAllocationOutput {
	t.Helper()
	out, err := f.svc.GetBenefitAllocation(f.ctx, account, &api.GetBenefitAllocationInput{Catalog: CatalogSandbox, Identifier: id})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestApprovalGrantsOneAllocationPerFulfillmentTypeByDefault(t *testing.T) {
	f := newFixture(t)
	ids := f.approvedMAP(t, acctOne)
	if len(ids) != 2 {
		t.Fatalf("allocations %v", ids)
	}
	credits, cash := f.allocation(t, acctOne, ids[0]), f.allocation(t, acctOne, ids[1])
	b := f.benefitNamed(t, "MAP Assess")
	if credits.FulfillmentDetail.CreditDetails == nil || credits.FulfillmentDetail.CreditDetails.AllocatedAmount != *b.DefaultAmount ||
		!idPattern("benalloc-").MatchString(*credits.Id) || !slices.Equal(credits.ApplicableBenefitIds, []string{b.Id}) {
		t.Errorf("credits %+v", credits)
	}
	if d := cash.FulfillmentDetail.DisbursementDetails; d == nil || *d.DisbursedAmount != *b.DefaultAmount || d.IssuanceDetails == nil {
		t.Errorf("cash %+v", cash.FulfillmentDetail)
	}
	if want := f.clock.Now().AddDate(0, 0, b.ValidDays); !credits.ExpiresAt.Equal(want) {
		t.Errorf("expires %s, want %s", credits.ExpiresAt, want)
	}
	// Other accounts see none of them.
	_, err := f.svc.GetBenefitAllocation(f.ctx, acctTwo, &api.GetBenefitAllocationInput{Catalog: CatalogSandbox, Identifier: ids[0]})
	wantKind(t, err, apierr.KindNotFound, "")
	list, err := f.svc.ListBenefitAllocations(f.ctx, acctOne, &api.ListBenefitAllocationsInput{Catalog: CatalogSandbox, FulfillmentTypes: []api.FulfillmentType{api.FulfillmentTypeCash}})
	if err != nil || len(list.BenefitAllocationSummaries) != 1 || *list.BenefitAllocationSummaries[0].Id != ids[1] {
		t.Errorf("cash allocations %+v, %v", list, err)
	}
	list, err = f.svc.ListBenefitAllocations(f.ctx, acctOne, &api.ListBenefitAllocationsInput{Catalog: CatalogSandbox, BenefitApplicationIdentifiers: []string{*credits.BenefitApplicationId}})
	if err != nil || len(list.BenefitAllocationSummaries) != 2 {
		t.Errorf("allocations of the application %+v, %v", list, err)
	}
}

func TestApprovalWithGrantsOfEachKind(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "sb", BenefitIdentifier: f.benefitNamed(t, "AWS Skill Builder Team Subscription").Id,
		BenefitApplicationDetails: []byte(`{"Seats":5,"AdminEmail":"admin@example.com"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.submit(t, acctOne, *out.Id)
	access := f.allocation(t, acctOne, f.review(t, acctOne, *out.Id, Review{Decision: DecisionApprove}).Allocations[0])
	if d := access.FulfillmentDetail.AccessDetails; d == nil || d.Description == nil || *d.Description == "" {
		t.Errorf("access %+v", access.FulfillmentDetail)
	}
	// A consumable cash pool, and a grant the application did not ask for.
	mdf, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "mdf", BenefitIdentifier: f.benefitNamed(t, "Marketing Development Funds").Id,
		BenefitApplicationDetails: []byte(`{"ActivityName":"Summit booth","ActivityType":"EVENT","RequestedAmount":9000,"StartDate":"2026-05-01","EndDate":"2026-05-03","ExpectedLeads":200}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.submit(t, acctOne, *mdf.Id)
	_, err = f.svc.ReviewApplication(f.ctx, acctOne, CatalogSandbox, *mdf.Id, Review{Decision: DecisionApprove, Allocations: []AllocationGrant{{FulfillmentType: api.FulfillmentTypeCredits}}})
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidValue)
	pool := f.allocation(t, acctOne, f.review(t, acctOne, *mdf.Id, Review{Decision: DecisionApprove, Allocations: []AllocationGrant{
		{Consumable: true, Amount: &api.MonetaryValue{Amount: "9000", CurrencyCode: api.CurrencyCodeEur}},
	}}).Allocations[0])
	if c := pool.FulfillmentDetail.ConsumableDetails; c == nil || c.RemainingAmount.Amount != "9000" || c.UtilizedAmount.Amount != "0" || c.AllocatedAmount.CurrencyCode != api.CurrencyCodeEur {
		t.Errorf("pool %+v", pool.FulfillmentDetail)
	}
}

func TestAwsSideMovesAllocations(t *testing.T) {
	f := newFixture(t)
	ids := f.approvedMAP(t, acctOne)
	change := func(id string, c AllocationChange) (*AllocationOutcome, error) {
		return f.svc.ChangeAllocation(f.ctx, acctOne, CatalogSandbox, id, c)
	}
	if _, err := change(ids[0], AllocationChange{Status: api.BenefitAllocationStatusInactive, Reason: "Paused by the program team"}); err != nil {
		t.Fatal(err)
	}
	if a := f.allocation(t, acctOne, ids[0]); *a.Status != api.BenefitAllocationStatusInactive || *a.StatusReason != "Paused by the program team" {
		t.Errorf("inactivated %+v", a)
	}
	if _, err := change(ids[0], AllocationChange{Status: api.BenefitAllocationStatusActive}); err != nil {
		t.Fatal(err)
	}
	if _, err := change(ids[1], AllocationChange{Status: api.BenefitAllocationStatusFulfilled, Reason: "Fully disbursed"}); err != nil {
		t.Fatal(err)
	}
	_, err := change(ids[1], AllocationChange{Status: api.BenefitAllocationStatusActive})
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidResourceState)
	// Past its expiry an allocation comes back only with a new expiry.
	f.clock.Advance(200 * 24 * time.Hour)
	_, err = change(ids[0], AllocationChange{Status: api.BenefitAllocationStatusActive})
	wantKind(t, err, apierr.KindValidation, apierr.CodeInvalidResourceState)
	later := f.clock.Now().Add(24 * time.Hour)
	out, err := change(ids[0], AllocationChange{Status: api.BenefitAllocationStatusActive, ExpiresAt: &later})
	if err != nil || out.Status != api.BenefitAllocationStatusActive || !out.ExpiresAt.Equal(later) {
		t.Fatalf("reactivated %+v, %v", out, err)
	}
	var got []string
	for _, e := range f.events(t, acctOne) {
		if a, ok := e.Detail["benefitAllocation"].(map[string]any); ok {
			got = append(got, e.DetailType+" "+a["status"].(string))
		}
	}
	want := []string{
		"Benefit Allocation Activated ACTIVE", "Benefit Allocation Activated ACTIVE", // the approval's two
		"Benefit Allocation Inactivated INACTIVE", "Benefit Allocation Activated ACTIVE", "Benefit Allocation Fulfilled FULFILLED",
		"Benefit Allocation Inactivated INACTIVE", // the expiry sweep
		"Benefit Allocation Activated ACTIVE",
	}
	if !slices.Equal(got, want) {
		t.Errorf("allocation events\n got %v\nwant %v", got, want)
	}
}

func TestTagsOnApplicationsAndAllocations(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreateBenefitApplication(f.ctx, acctOne, &api.CreateBenefitApplicationInput{
		Catalog: CatalogSandbox, ClientToken: "tags", BenefitIdentifier: f.benefitNamed(t, "Proof of Concept Credits").Id,
		Tags: []api.Tag{{Key: "team", Value: "emea"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tags := func(account, arn string) ([]api.Tag, error) {
		out, err := f.svc.ListTagsForResource(f.ctx, account, &api.ListTagsForResourceRequest{ResourceArn: arn})
		if err != nil {
			return nil, err
		}
		return out.Tags, nil
	}
	if got, err := tags(acctOne, *out.Arn); err != nil || !slices.Equal(got, []api.Tag{{Key: "team", Value: "emea"}}) {
		t.Fatalf("tags %v, %v", got, err)
	}
	if _, err := f.svc.TagResource(f.ctx, acctOne, &api.TagResourceRequest{ResourceArn: *out.Arn, Tags: []api.Tag{{Key: "cost", Value: "1"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UntagResource(f.ctx, acctOne, &api.UntagResourceRequest{ResourceArn: *out.Arn, TagKeys: []string{"team", "absent"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := tags(acctOne, *out.Arn); !slices.Equal(got, []api.Tag{{Key: "cost", Value: "1"}}) {
		t.Errorf("after tag and untag: %v", got)
	}
	_, err = tags(acctTwo, *out.Arn)
	wantKind(t, err, apierr.KindAccessDenied, "")
	_, err = tags(acctOne, "arn:aws:partnercentral:us-east-1:"+acctOne+":catalog/Sandbox/benefit-application/benappl-00000000000000")
	wantKind(t, err, apierr.KindNotFound, "")
	alloc := f.approvedMAP(t, acctOne)[0]
	allocArn := *f.allocation(t, acctOne, alloc).Arn
	if _, err := f.svc.TagResource(f.ctx, acctOne, &api.TagResourceRequest{ResourceArn: allocArn, Tags: []api.Tag{{Key: "k", Value: "v"}}}); err != nil {
		t.Errorf("tag allocation: %v", err)
	}
}

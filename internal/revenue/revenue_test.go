package revenue

import (
	"context"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

const (
	acctOne = "111111111111"
	acctTwo = "222222222222"
	sandbox = api.CatalogName(CatalogSandbox)
)

type fixture struct {
	svc   *Service
	st    store.Store
	clock *clock.Manual
	ctx   context.Context
}

// newFixture starts on 2026-03-10 (after the 7th, so February is closed).
func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clk := clock.NewManual()
	clk.Freeze(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	return &fixture{svc: New(Config{Store: st, Clock: clk, Region: "us-east-1", TokenKey: []byte("fixture-token-key-of-32-bytes!!!")}),
		st: st, clock: clk, ctx: context.Background()}
}

func wantErr(t *testing.T, err error, kind apierr.Kind, reason, msgPart string) *apierr.Error {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != kind || e.Reason != reason || !strings.Contains(e.Message, msgPart) {
		t.Fatalf("got %v (%+v), want kind %d reason %q containing %q", err, e, kind, reason, msgPart)
	}
	return e
}

func (f *fixture) attribution(t *testing.T, account, name string) *api.CreateRevenueAttributionOutput {
	t.Helper()
	out, err := f.svc.CreateRevenueAttribution(f.ctx, account, &api.CreateRevenueAttributionInput{Catalog: sandbox, Name: name,
		TenancyModel: api.TenancyModelMultiTenant, Description: ptr("first")})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func record(from, until, percent string) api.RevenueShareAllocation {
	return api.RevenueShareAllocation{Action: api.RevenueAttributionAllocationActionCreate, EntityType: api.EntityTypeOffer,
		EntityIdentifier: "offer-abc", CustomerAwsAccountId: "123456789012", RevenueSharePercent: percent, EffectiveFrom: from, EffectiveUntil: until}
}

// runTask starts a task at the latest revision, lets it be processed and
// returns its outcome.
func (f *fixture) runTask(t *testing.T, id string, records ...api.RevenueShareAllocation) *api.GetRevenueAttributionAllocationsTaskOutput {
	t.Helper()
	a, err := f.svc.GetRevenueAttribution(f.ctx, acctOne, &api.GetRevenueAttributionInput{Catalog: sandbox, Identifier: id})
	if err != nil {
		t.Fatal(err)
	}
	start, err := f.svc.StartRevenueAttributionAllocationsTask(f.ctx, acctOne, &api.StartRevenueAttributionAllocationsTaskInput{Catalog: sandbox,
		RevenueAttributionIdentifier: id, RevenueAttributionRevision: *a.LatestRevision, RevenueShareAllocations: records})
	if err != nil {
		t.Fatal(err)
	}
	if start.Status != api.RevenueAttributionAllocationTaskStatusInProgress || start.TotalRevenueAttributionAllocationRecords != int32(len(records)) {
		t.Fatalf("start: %+v", start)
	}
	get := func() *api.GetRevenueAttributionAllocationsTaskOutput {
		out, err := f.svc.GetRevenueAttributionAllocationsTask(f.ctx, acctOne, &api.GetRevenueAttributionAllocationsTaskInput{Catalog: sandbox, RevenueAttributionIdentifier: id})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := get(); got.Status != api.RevenueAttributionAllocationTaskStatusInProgress || got.TaskId != start.TaskId {
		t.Fatalf("before processing: %+v", got)
	}
	f.clock.Advance(TaskProcessingTime)
	return get()
}

func TestAttributionLifecycle(t *testing.T) {
	f := newFixture(t)
	a := f.attribution(t, acctOne, "Deal A")
	if !strings.HasPrefix(a.Id, "ra-") || len(a.Id) != 16 || *a.Revision != "1" ||
		a.Arn != "arn:aws:partnercentral:us-east-1:"+acctOne+":catalog/Sandbox/revenue-attribution/"+a.Id {
		t.Fatalf("created %+v", a)
	}
	// Names are unique per account and catalog only.
	_, err := f.svc.CreateRevenueAttribution(f.ctx, acctOne, &api.CreateRevenueAttributionInput{Catalog: sandbox, Name: "Deal A", TenancyModel: api.TenancyModelSingleTenant})
	wantErr(t, err, apierr.KindConflict, "RESOURCE_ALREADY_EXISTS", "Deal A")
	f.attribution(t, acctTwo, "Deal A")
	if _, err := f.svc.CreateRevenueAttribution(f.ctx, acctOne, &api.CreateRevenueAttributionInput{Catalog: CatalogAWS, Name: "Deal A", TenancyModel: api.TenancyModelSingleTenant}); err != nil {
		t.Fatal(err)
	}

	// Update: revision is the lock, description the only mutable field.
	_, err = f.svc.UpdateRevenueAttribution(f.ctx, acctOne, &api.UpdateRevenueAttributionInput{Catalog: sandbox, Identifier: a.Id, Revision: "2", Description: ptr("x")})
	wantErr(t, err, apierr.KindConflict, "REVISION_MISMATCH", "current revision 1")
	f.clock.Advance(time.Minute)
	up, err := f.svc.UpdateRevenueAttribution(f.ctx, acctOne, &api.UpdateRevenueAttributionInput{Catalog: sandbox, Identifier: a.Arn, Revision: "1", Description: ptr("second")})
	if err != nil || *up.LatestRevision != "2" {
		t.Fatalf("update: %+v %v", up, err)
	}
	old, err := f.svc.GetRevenueAttribution(f.ctx, acctOne, &api.GetRevenueAttributionInput{Catalog: sandbox, Identifier: a.Id, Revision: ptr("1")})
	if err != nil || *old.Description != "first" || *old.Revision != "1" || *old.LatestRevision != "2" || !old.LastModifiedDate.Equal(*old.CreatedDate) {
		t.Fatalf("historical read: %+v %v", old, err)
	}
	_, err = f.svc.GetRevenueAttribution(f.ctx, acctOne, &api.GetRevenueAttributionInput{Catalog: sandbox, Identifier: a.Id, Revision: ptr("3")})
	wantErr(t, err, apierr.KindNotFound, "RESOURCE_NOT_FOUND", "no revision 3")

	// Another account's attribution is not there for us; its ARN is denied.
	_, err = f.svc.GetRevenueAttribution(f.ctx, acctTwo, &api.GetRevenueAttributionInput{Catalog: sandbox, Identifier: a.Id})
	wantErr(t, err, apierr.KindNotFound, "RESOURCE_NOT_FOUND", a.Id)
	_, err = f.svc.GetRevenueAttribution(f.ctx, acctTwo, &api.GetRevenueAttributionInput{Catalog: sandbox, Identifier: a.Arn})
	wantErr(t, err, apierr.KindAccessDenied, "ACCESS_DENIED", "another account")

	// A product must be the caller's.
	f.clock.Advance(time.Minute)
	mine := SeededProducts(acctOne)[0]
	withProduct, err := f.svc.CreateRevenueAttribution(f.ctx, acctOne, &api.CreateRevenueAttributionInput{Catalog: sandbox, Name: "Deal P",
		TenancyModel: api.TenancyModelSingleTenant, ProductIdentifier: ptr(mine.Id)})
	if err != nil || *withProduct.MarketplaceProduct.ProductCode != mine.Code {
		t.Fatalf("with product: %+v %v", withProduct, err)
	}
	_, err = f.svc.CreateRevenueAttribution(f.ctx, acctTwo, &api.CreateRevenueAttributionInput{Catalog: sandbox, Name: "Deal Q",
		TenancyModel: api.TenancyModelSingleTenant, ProductIdentifier: ptr(mine.Id)})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation, "PRODUCT_NOT_FOUND_OR_NOT_OWNED")

	// Listing: newest change first by default, paged.
	list, err := f.svc.ListRevenueAttributions(f.ctx, acctOne, &api.ListRevenueAttributionsInput{Catalog: sandbox, MaxResults: ptr(int32(1))})
	if err != nil || len(list.RevenueAttributionSummaries) != 1 || *list.RevenueAttributionSummaries[0].Id != withProduct.Id || list.NextToken == nil {
		t.Fatalf("list page 1: %+v %v", list, err)
	}
	list, err = f.svc.ListRevenueAttributions(f.ctx, acctOne, &api.ListRevenueAttributionsInput{Catalog: sandbox, MaxResults: ptr(int32(1)), NextToken: list.NextToken})
	if err != nil || len(list.RevenueAttributionSummaries) != 1 || *list.RevenueAttributionSummaries[0].Id != a.Id || list.NextToken != nil {
		t.Fatalf("list page 2: %+v %v", list, err)
	}
	_, err = f.svc.ListRevenueAttributions(f.ctx, acctOne, &api.ListRevenueAttributionsInput{Catalog: sandbox, SortOrder: ptr(api.SortOrderAscending), NextToken: ptr("AAMA-forged")})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation, "")
}

func TestAllocationTaskCompletes(t *testing.T) {
	f := newFixture(t)
	a := f.attribution(t, acctOne, "Deal")
	done := f.runTask(t, a.Id, record("2026-03-01", "2026-03-31", "60"), record("2026-03-01", "2026-04-30", "40"))
	if done.Status != api.RevenueAttributionAllocationTaskStatusComplete || *done.RevenueAttributionLatestRevision != "2" || len(done.ErrorDetailList) != 0 || done.EndedAt == nil {
		t.Fatalf("task: %+v", done)
	}
	got, err := f.svc.GetRevenueAttribution(f.ctx, acctOne, &api.GetRevenueAttributionInput{Catalog: sandbox, Identifier: a.Id})
	if err != nil || *got.EffectiveFrom != "2026-03-01" || *got.EffectiveUntil != "2026-04-30" || *got.TotalActiveRevenueAttributionAllocationCount != 2 || *got.Description != "first" {
		t.Fatalf("after task: %+v %v", got, err)
	}
	list, err := f.svc.ListRevenueAttributionAllocations(f.ctx, acctOne, &api.ListRevenueAttributionAllocationsInput{Catalog: sandbox, RevenueAttributionIdentifier: a.Id,
		AfterEffectiveUntil: ptr("2026-04-01")})
	if err != nil || len(list.RevenueAttributionAllocationSummaries) != 1 || list.RevenueAttributionAllocationSummaries[0].RevenueSharePercent != "40" {
		t.Fatalf("filtered list: %+v %v", list, err)
	}
	allocID := list.RevenueAttributionAllocationSummaries[0].RevenueAttributionAllocationId
	// At revision 1 nothing was allocated.
	_, err = f.svc.GetRevenueAttributionAllocation(f.ctx, acctOne, &api.GetRevenueAttributionAllocationInput{Catalog: sandbox, RevenueAttributionIdentifier: a.Id,
		RevenueAttributionAllocationId: allocID, RevenueAttributionRevision: ptr("1")})
	wantErr(t, err, apierr.KindNotFound, "RESOURCE_NOT_FOUND", "revision 1")

	// Update the 40 % one to 45 %: March would total 105 %.
	upd := record("2026-03-01", "2026-04-30", "45")
	upd.Action, upd.RevenueAttributionAllocationId = api.RevenueAttributionAllocationActionUpdate, &allocID
	failed := f.runTask(t, a.Id, upd)
	if failed.Status != api.RevenueAttributionAllocationTaskStatusFailed || failed.RevenueAttributionLatestRevision != nil ||
		len(failed.ErrorDetailList) != 1 || failed.ErrorDetailList[0].ErrorCode != api.RevenueAttributionAllocationErrorCodeAllocationCapExceeded ||
		*failed.ErrorDetailList[0].RevenueAttributionAllocationId != allocID {
		t.Fatalf("cap: %+v", failed)
	}
	// Withdraw the 60 % one and the 45 % fits; revision 3 has it, 2 kept the old.
	upd.RevenueSharePercent = "45"
	first := f.allocationWith(t, a.Id, "60")
	withdraw := record("2026-03-01", "2026-03-31", "60")
	withdraw.Action, withdraw.RevenueAttributionAllocationId, withdraw.Status = api.RevenueAttributionAllocationActionUpdate, &first, ptr(api.AllocationStatusInactive)
	if ok := f.runTask(t, a.Id, withdraw, upd); ok.Status != api.RevenueAttributionAllocationTaskStatusComplete {
		t.Fatalf("withdraw and raise: %+v", ok)
	}
	now, err := f.svc.GetRevenueAttributionAllocation(f.ctx, acctOne, &api.GetRevenueAttributionAllocationInput{Catalog: sandbox, RevenueAttributionIdentifier: a.Id, RevenueAttributionAllocationId: allocID})
	if err != nil || now.RevenueSharePercent != "45" || now.RevenueAttributionRevision != "3" {
		t.Fatalf("latest: %+v %v", now, err)
	}
	then, err := f.svc.GetRevenueAttributionAllocation(f.ctx, acctOne, &api.GetRevenueAttributionAllocationInput{Catalog: sandbox, RevenueAttributionIdentifier: a.Id,
		RevenueAttributionAllocationId: allocID, RevenueAttributionRevision: ptr("2")})
	if err != nil || then.RevenueSharePercent != "40" || then.RevenueAttributionLatestRevision != "3" {
		t.Fatalf("historical: %+v %v", then, err)
	}
}

func (f *fixture) allocationWith(t *testing.T, id, percent string) string {
	t.Helper()
	list, err := f.svc.ListRevenueAttributionAllocations(f.ctx, acctOne, &api.ListRevenueAttributionAllocationsInput{Catalog: sandbox, RevenueAttributionIdentifier: id})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list.RevenueAttributionAllocationSummaries {
		if s.RevenueSharePercent == percent {
			return s.RevenueAttributionAllocationId
		}
	}
	t.Fatalf("no allocation of %s %%", percent)
	return ""
}

func TestAllocationTaskRules(t *testing.T) {
	f := newFixture(t)
	a := f.attribution(t, acctOne, "Deal")
	opp := record("2026-03-01", "2026-03-31", "10")
	opp.EntityType, opp.EntityIdentifier = api.EntityTypeOpportunity, "O404"
	missing := record("2026-03-01", "2026-03-31", "10")
	missing.Action, missing.RevenueAttributionAllocationId = api.RevenueAttributionAllocationActionUpdate, ptr("alloc-aaaaaaaaaaaaa")
	out := f.runTask(t, a.Id,
		record("2026-03-02", "2026-03-31", "10"), // not the first of a month
		record("2026-03-01", "2026-03-30", "10"), // not the last of one
		record("2026-02-01", "2026-02-28", "10"), // February closed on the 7th
		record("2026-03-01", "2026-03-31", "0"),  // nothing
		opp, missing,
		record("2026-05-01", "2026-05-31", "10"), // fine on its own, but the task fails as a whole
	)
	want := []api.RevenueAttributionAllocationErrorCode{"INVALID_VALUE", "INVALID_VALUE", "IMMUTABLE_ALLOCATION", "INVALID_VALUE", "RESOURCE_NOT_FOUND", "RESOURCE_NOT_FOUND"}
	if out.Status != api.RevenueAttributionAllocationTaskStatusFailed || len(out.ErrorDetailList) != len(want) {
		t.Fatalf("task: %+v", out)
	}
	for i, e := range out.ErrorDetailList {
		if e.ErrorCode != want[i] || e.ErrorMessage == "" {
			t.Errorf("error %d: %+v, want %s", i, e, want[i])
		}
	}
	got, _ := f.svc.GetRevenueAttribution(f.ctx, acctOne, &api.GetRevenueAttributionInput{Catalog: sandbox, Identifier: a.Id})
	if *got.LatestRevision != "1" || *got.TotalRevenueAttributionAllocationCount != 0 {
		t.Fatalf("a failed task changed the attribution: %+v", got)
	}

	// Until the 7th the previous month is still open.
	f.clock.Freeze(time.Date(2026, 4, 7, 23, 0, 0, 0, time.UTC))
	if out := f.runTask(t, a.Id, record("2026-03-01", "2026-03-31", "10")); out.Status != api.RevenueAttributionAllocationTaskStatusComplete {
		t.Fatalf("on the 7th: %+v", out)
	}

	// The revision locks; one task at a time.
	_, err := f.svc.StartRevenueAttributionAllocationsTask(f.ctx, acctOne, &api.StartRevenueAttributionAllocationsTaskInput{Catalog: sandbox,
		RevenueAttributionIdentifier: a.Id, RevenueAttributionRevision: "1", RevenueShareAllocations: []api.RevenueShareAllocation{record("2026-04-01", "2026-04-30", "1")}})
	wantErr(t, err, apierr.KindConflict, "REVISION_MISMATCH", "current revision 2")
	in := &api.StartRevenueAttributionAllocationsTaskInput{Catalog: sandbox, RevenueAttributionIdentifier: a.Id, RevenueAttributionRevision: "2",
		RevenueShareAllocations: []api.RevenueShareAllocation{record("2026-04-01", "2026-04-30", "1")}}
	if _, err := f.svc.StartRevenueAttributionAllocationsTask(f.ctx, acctOne, in); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.StartRevenueAttributionAllocationsTask(f.ctx, acctOne, in)
	wantErr(t, err, apierr.KindConflict, "CONCURRENT_MODIFICATION", "in progress")

	// AWS can decide an outcome the partner cannot cause.
	settled, err := f.svc.SettleTask(f.ctx, acctOne, sandbox, a.Id, api.RevenueAttributionAllocationErrorCodeInternalError, "")
	if err != nil || settled.Status != api.RevenueAttributionAllocationTaskStatusFailed || settled.ErrorDetailList[0].ErrorCode != "INTERNAL_ERROR" {
		t.Fatalf("settle: %+v %v", settled, err)
	}
}

func TestRevenueShares(t *testing.T) {
	f := newFixture(t)
	prod := SeededProducts(acctOne)[1]
	_, err := f.svc.CreateMarketplaceRevenueShare(f.ctx, acctTwo, &api.CreateMarketplaceRevenueShareInput{Catalog: sandbox, ProductId: prod.Id})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation, "PRODUCT_NOT_FOUND_OR_NOT_OWNED")
	share, err := f.svc.CreateMarketplaceRevenueShare(f.ctx, acctOne, &api.CreateMarketplaceRevenueShareInput{Catalog: sandbox, ProductId: prod.Id,
		Tags: []api.Tag{{Key: "team", Value: "a"}}})
	if err != nil || *share.Revision != 1 || *share.ProductCode != prod.Code {
		t.Fatalf("create: %+v %v", share, err)
	}
	_, err = f.svc.CreateMarketplaceRevenueShare(f.ctx, acctOne, &api.CreateMarketplaceRevenueShareInput{Catalog: sandbox, ProductId: prod.Id})
	wantErr(t, err, apierr.KindConflict, "RESOURCE_ALREADY_EXISTS", prod.Id)
	tags, err := f.svc.ListTagsForResource(f.ctx, acctOne, &api.ListTagsForResourceInput{ResourceArn: share.Arn})
	if err != nil || len(tags.Tags) != 1 {
		t.Fatalf("tags: %+v %v", tags, err)
	}

	create := func(from string, until *string, percent string) (*api.CreateMarketplaceRevenueShareAllocationOutput, error) {
		return f.svc.CreateMarketplaceRevenueShareAllocation(f.ctx, acctOne, &api.CreateMarketplaceRevenueShareAllocationInput{Catalog: sandbox,
			ProductId: prod.Id, EffectiveFrom: from, EffectiveUntil: until, RevenueSharePercent: percent})
	}
	current, err := create("2026-03-01", nil, "30")
	if err != nil || *current.LatestMarketplaceRevenueShareRevision != "2" || current.Status != api.AllocationStatusActive || !strings.HasPrefix(current.MarketplaceRevenueShareAllocationId, "mrsa-") {
		t.Fatalf("open-ended: %+v %v", current, err)
	}
	_, err = create("2026-06-01", ptr("2026-06-30"), "10")
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation, "overlaps ACTIVE allocation "+current.MarketplaceRevenueShareAllocationId)
	_, err = create("2026-02-01", ptr("2026-02-28"), "10")
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation, "in the past")
	_, err = create("2026-07-15", nil, "10")
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation, "first day of a month")

	update := func(id, rev string, mod func(*api.UpdateMarketplaceRevenueShareAllocationInput)) (*api.UpdateMarketplaceRevenueShareAllocationOutput, error) {
		in := &api.UpdateMarketplaceRevenueShareAllocationInput{Catalog: sandbox, ProductId: prod.Id, MarketplaceRevenueShareAllocationId: id, MarketplaceRevenueShareRevision: rev}
		mod(in)
		return f.svc.UpdateMarketplaceRevenueShareAllocation(f.ctx, acctOne, in)
	}
	// The current one: only its end.
	_, err = update(current.MarketplaceRevenueShareAllocationId, "2", func(in *api.UpdateMarketplaceRevenueShareAllocationInput) { in.RevenueSharePercent = ptr("35") })
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation, "only EffectiveUntil")
	_, err = update(current.MarketplaceRevenueShareAllocationId, "1", func(in *api.UpdateMarketplaceRevenueShareAllocationInput) { in.EffectiveUntil = ptr("2026-05-31") })
	wantErr(t, err, apierr.KindConflict, "REVISION_MISMATCH", "current revision 2")
	ended, err := update(current.MarketplaceRevenueShareAllocationId, "2", func(in *api.UpdateMarketplaceRevenueShareAllocationInput) { in.EffectiveUntil = ptr("2026-05-31") })
	if err != nil || *ended.EffectiveUntil != "2026-05-31" || *ended.LatestMarketplaceRevenueShareRevision != "3" {
		t.Fatalf("end current: %+v %v", ended, err)
	}
	// Now June is free; a future one may change everything, INACTIVE withdraws it.
	future, err := create("2026-06-01", nil, "10")
	if err != nil {
		t.Fatal(err)
	}
	moved, err := update(future.MarketplaceRevenueShareAllocationId, "4", func(in *api.UpdateMarketplaceRevenueShareAllocationInput) {
		in.EffectiveFrom, in.RevenueSharePercent, in.Status = ptr("2026-07-01"), ptr("12.5"), ptr(api.AllocationStatusInactive)
	})
	if err != nil || moved.EffectiveFrom != "2026-07-01" || moved.RevenueSharePercent != "12.5" || moved.Status != api.AllocationStatusInactive {
		t.Fatalf("future: %+v %v", moved, err)
	}

	got, err := f.svc.GetMarketplaceRevenueShare(f.ctx, acctOne, &api.GetMarketplaceRevenueShareInput{Catalog: sandbox, ProductId: prod.Id})
	if err != nil || *got.LatestRevision != 5 || *got.TotalActiveMarketplaceRevenueShareAllocationCount != 1 || *got.TotalMarketplaceRevenueShareAllocationCount != 2 {
		t.Fatalf("share: %+v %v", got, err)
	}
	at2, err := f.svc.GetMarketplaceRevenueShare(f.ctx, acctOne, &api.GetMarketplaceRevenueShareInput{Catalog: sandbox, ProductId: prod.Id, Revision: ptr(int32(2))})
	if err != nil || *at2.TotalMarketplaceRevenueShareAllocationCount != 1 || *at2.Revision != 2 {
		t.Fatalf("share at 2: %+v %v", at2, err)
	}
	list, err := f.svc.ListMarketplaceRevenueShareAllocations(f.ctx, acctOne, &api.ListMarketplaceRevenueShareAllocationsInput{Catalog: sandbox, ProductId: prod.Id})
	if err != nil || len(list.MarketplaceRevenueShareAllocationSummaries) != 2 || list.MarketplaceRevenueShareAllocationSummaries[0].EffectiveFrom != "2026-07-01" {
		t.Fatalf("allocations (newest first): %+v %v", list, err)
	}
	old, err := f.svc.GetMarketplaceRevenueShareAllocation(f.ctx, acctOne, &api.GetMarketplaceRevenueShareAllocationInput{Catalog: sandbox, ProductId: prod.Id,
		MarketplaceRevenueShareAllocationId: current.MarketplaceRevenueShareAllocationId, MarketplaceRevenueShareRevision: ptr("2")})
	if err != nil || old.EffectiveUntil != nil {
		t.Fatalf("allocation at 2: %+v %v", old, err)
	}
	shares, err := f.svc.ListMarketplaceRevenueShares(f.ctx, acctOne, &api.ListMarketplaceRevenueSharesInput{Catalog: sandbox, ProductCodes: []string{prod.Code}})
	if err != nil || len(shares.MarketplaceRevenueShareSummaries) != 1 {
		t.Fatalf("shares: %+v %v", shares, err)
	}
}

func TestProductsAndTags(t *testing.T) {
	f := newFixture(t)
	if a, b := SeededProducts(acctOne), SeededProducts(acctTwo); a[0].Id == b[0].Id || !productIDPattern.MatchString(a[0].Id) {
		t.Fatalf("seeded ids %s %s", a[0].Id, b[0].Id)
	}
	p, err := f.svc.AddProduct(f.ctx, acctTwo, sandbox, Product{Name: "Added"})
	if err != nil || !productIDPattern.MatchString(p.Id) {
		t.Fatalf("add: %+v %v", p, err)
	}
	if _, err := f.svc.AddProduct(f.ctx, acctOne, sandbox, Product{Id: p.Id}); err == nil {
		t.Fatal("an id another account owns was added")
	}
	if _, err := f.svc.CreateMarketplaceRevenueShare(f.ctx, acctTwo, &api.CreateMarketplaceRevenueShareInput{Catalog: sandbox, ProductId: p.Id}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.CreateMarketplaceRevenueShare(f.ctx, acctTwo, &api.CreateMarketplaceRevenueShareInput{Catalog: CatalogAWS, ProductId: p.Id})
	wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation, "PRODUCT_NOT_FOUND_OR_NOT_OWNED") // added to the Sandbox only
	products, err := f.svc.Products(f.ctx, acctTwo, sandbox)
	if err != nil || len(products) != seededProductCount+1 || products[seededProductCount].Id != p.Id {
		t.Fatalf("products: %+v %v", products, err)
	}

	a := f.attribution(t, acctOne, "Tagged")
	if _, err := f.svc.TagResource(f.ctx, acctOne, &api.TagResourceInput{ResourceArn: a.Arn, Tags: []api.Tag{{Key: "k", Value: "v"}, {Key: "j", Value: "w"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UntagResource(f.ctx, acctOne, &api.UntagResourceInput{ResourceArn: a.Arn, TagKeys: []string{"j", "absent"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := f.svc.ListTagsForResource(f.ctx, acctOne, &api.ListTagsForResourceInput{ResourceArn: a.Arn})
	if err != nil || len(tags.Tags) != 1 || tags.Tags[0].Key != "k" {
		t.Fatalf("tags: %+v %v", tags, err)
	}
	_, err = f.svc.ListTagsForResource(f.ctx, acctTwo, &api.ListTagsForResourceInput{ResourceArn: a.Arn})
	wantErr(t, err, apierr.KindAccessDenied, "ACCESS_DENIED", "another account")
	_, err = f.svc.TagResource(f.ctx, acctOne, &api.TagResourceInput{ResourceArn: strings.Replace(a.Arn, a.Id, "ra-zzzzzzzzzzzzz", 1), Tags: []api.Tag{{Key: "k", Value: "v"}}})
	wantErr(t, err, apierr.KindNotFound, "RESOURCE_NOT_FOUND", "ra-zzzzzzzzzzzzz")
}

func TestPercent(t *testing.T) {
	for in, want := range map[string]int{"45": 4500, "45.5": 4550, "0.45": 45, "100": 10000, "100.00": 10000} {
		if got, ok := parsePercent(in); !ok || got != want {
			t.Errorf("%s: %d %v", in, got, ok)
		}
	}
	for _, in := range []string{"0", "100.01", "101", "1.234", "x", ""} {
		if _, ok := parsePercent(in); ok {
			t.Errorf("%s accepted", in)
		}
	}
}

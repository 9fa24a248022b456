package revenue

import (
	"context"
	"slices"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// shareRecord is a Marketplace revenue share (one per product and catalog)
// with its history: every allocation change makes a revision, and reads at
// an older revision see the allocations as they were then.
type shareRecord struct {
	ProductId   string          `json:"productId"`
	Arn         string          `json:"arn"`
	Account     string          `json:"account"`
	Catalog     api.CatalogName `json:"catalog"`
	Product     Product         `json:"product"`
	CreatedDate time.Time       `json:"createdDate"`
	// Revisions[n-1] is when revision n was made.
	Revisions   []time.Time              `json:"revisions"`
	Allocations []*shareAllocationRecord `json:"allocations,omitempty"`
}

type shareAllocationRecord struct {
	Id       string                   `json:"id"`
	Created  time.Time                `json:"created"`
	Versions []shareAllocationVersion `json:"versions"` // by ascending Revision
}

type shareAllocationVersion struct {
	Revision int                  `json:"revision"`
	From     string               `json:"from"`
	Until    *string              `json:"until,omitempty"` // nil: open-ended
	Percent  string               `json:"percent"`
	Status   api.AllocationStatus `json:"status"`
	Modified time.Time            `json:"modified"`
}

func (r *shareRecord) DocID() string         { return r.ProductId }
func (r *shareRecord) DocCreated() time.Time { return r.CreatedDate }
func (r *shareRecord) DocKeys() map[string][]string {
	return map[string][]string{"account": {r.Account}, "productCode": {r.Product.Code}}
}

func (r *shareRecord) latest() int { return len(r.Revisions) }

func (a *shareAllocationRecord) at(n int) (shareAllocationVersion, bool) {
	var v shareAllocationVersion
	ok := false
	for _, ver := range a.Versions {
		if ver.Revision > n {
			break
		}
		v, ok = ver, true
	}
	return v, ok
}

func (r *shareRecord) allocation(id string) *shareAllocationRecord {
	for _, al := range r.Allocations {
		if al.Id == id {
			return al
		}
	}
	return nil
}

// counts are the share's allocations at revision n: ACTIVE ones and all.
func (r *shareRecord) counts(n int) (active, total int32) {
	for _, al := range r.Allocations {
		if v, ok := al.at(n); ok {
			total++
			if v.Status == api.AllocationStatusActive {
				active++
			}
		}
	}
	return active, total
}

func (s *Service) loadShare(ctx context.Context, r store.Reader, account string, catalog api.CatalogName, productID string) (docstore.Doc[shareRecord], error) {
	missing := func() error {
		return notFound("No Marketplace revenue share for product %s in the %s catalog.", productID, catalog)
	}
	d, err := docstore.Get[shareRecord](ctx, r, kindShare, string(catalog), productID, missing)
	if err == nil && d.Value.Account != account {
		return d, missing()
	}
	return d, err
}

// CreateMarketplaceRevenueShare creates the share of one of the caller's
// products, at revision 1; a product has at most one per catalog.
func (s *Service) CreateMarketplaceRevenueShare(ctx context.Context, account string, in *api.CreateMarketplaceRevenueShareInput) (*api.CreateMarketplaceRevenueShareOutput, error) {
	now := s.now()
	return run(ctx, s, scopeOf(account, in.Catalog), "CreateMarketplaceRevenueShare", in.ClientToken, in, func(tx store.Tx) (*api.CreateMarketplaceRevenueShareOutput, error) {
		p, err := ownedProduct(ctx, tx, account, in.Catalog, "productId", in.ProductId)
		if err != nil {
			return nil, err
		}
		if _, err := tx.GetDocument(ctx, kindShare, string(in.Catalog), p.Id); err == nil {
			return nil, conflict(api.ConflictExceptionReasonResourceAlreadyExists,
				"Product %s already has a Marketplace revenue share in the %s catalog.", p.Id, in.Catalog)
		}
		rec := &shareRecord{ProductId: p.Id, Arn: s.arn(account, in.Catalog, "marketplace-revenue-share/"+p.Id), Account: account,
			Catalog: in.Catalog, Product: *p, CreatedDate: now, Revisions: []time.Time{now}}
		if _, err := docstore.Put(ctx, tx, kindShare, string(in.Catalog), rec, 0); err != nil {
			return nil, err
		}
		if err := putTags(ctx, tx, account, rec.Arn, store.TagsOf(in.Tags)); err != nil {
			return nil, err
		}
		return &api.CreateMarketplaceRevenueShareOutput{ProductId: p.Id, Arn: rec.Arn, Catalog: ptr(in.Catalog), ProductCode: ptr(p.Code),
			ProductName: ptr(p.Name), CreatedDate: ptr(now), LastModifiedDate: ptr(now), Revision: ptr(int32(1))}, nil
	})
}

// GetMarketplaceRevenueShare reads a share at its latest revision or the
// one asked for.
func (s *Service) GetMarketplaceRevenueShare(ctx context.Context, account string, in *api.GetMarketplaceRevenueShareInput) (*api.GetMarketplaceRevenueShareOutput, error) {
	d, err := s.loadShare(ctx, s.store, account, in.Catalog, in.ProductId)
	if err != nil {
		return nil, err
	}
	r := d.Value
	n := r.latest()
	if in.Revision != nil {
		if n = int(*in.Revision); n > r.latest() {
			return nil, notFound("The revenue share of %s has no revision %d; its latest is %d.", r.ProductId, n, r.latest())
		}
	}
	active, total := r.counts(n)
	return &api.GetMarketplaceRevenueShareOutput{ProductId: r.ProductId, Arn: r.Arn, Catalog: r.Catalog, ProductCode: ptr(r.Product.Code),
		ProductName: ptr(r.Product.Name), CreatedDate: ptr(r.CreatedDate), LastModifiedDate: ptr(r.Revisions[n-1]),
		Revision: ptr(int32(n)), LatestRevision: ptr(int32(r.latest())), TotalActiveMarketplaceRevenueShareAllocationCount: ptr(active),
		TotalMarketplaceRevenueShareAllocationCount: ptr(total)}, nil
}

// ListMarketplaceRevenueShares lists the caller's shares.
func (s *Service) ListMarketplaceRevenueShares(ctx context.Context, account string, in *api.ListMarketplaceRevenueSharesInput) (*api.ListMarketplaceRevenueSharesOutput, error) {
	recs, _, err := docstore.List[shareRecord](ctx, s.store, store.DocumentQuery{Kind: kindShare, Catalog: string(in.Catalog),
		Match: map[string][]string{"account": {account}}})
	if err != nil {
		return nil, err
	}
	var rows []*shareRecord
	for _, r := range recs {
		if (len(in.ProductIds) == 0 || slices.Contains(in.ProductIds, r.ProductId)) &&
			(len(in.ProductCodes) == 0 || slices.Contains(in.ProductCodes, r.Product.Code)) &&
			inTimeRange(r.CreatedDate, in.CreatedAfter, in.CreatedBefore) {
			rows = append(rows, r)
		}
	}
	sortByModified(rows, in.SortOrder, func(r *shareRecord) (time.Time, string) { return r.Revisions[r.latest()-1], r.ProductId })
	page, next, err := pageOf(s, bindingOf("ListMarketplaceRevenueShares", account, in), rows, in.NextToken, in.MaxResults, listDefaultSize)
	if err != nil {
		return nil, err
	}
	out := &api.ListMarketplaceRevenueSharesOutput{MarketplaceRevenueShareSummaries: []api.MarketplaceRevenueShareSummary{}, NextToken: next}
	for _, r := range page {
		active, total := r.counts(r.latest())
		out.MarketplaceRevenueShareSummaries = append(out.MarketplaceRevenueShareSummaries, api.MarketplaceRevenueShareSummary{
			ProductId: r.ProductId, Arn: r.Arn, Catalog: ptr(r.Catalog), ProductCode: ptr(r.Product.Code), ProductName: ptr(r.Product.Name),
			CreatedDate: ptr(r.CreatedDate), LastModifiedDate: ptr(r.Revisions[r.latest()-1]), LatestRevision: ptr(int32(r.latest())),
			TotalActiveMarketplaceRevenueShareAllocationCount: ptr(active), TotalMarketplaceRevenueShareAllocationCount: ptr(total)})
	}
	return out, nil
}

// shareSpan is an allocation's date range; until nil is open-ended.
type shareSpan struct {
	from  time.Time
	until *time.Time
}

func (a shareSpan) overlaps(b shareSpan) bool {
	return (a.until == nil || !a.until.Before(b.from)) && (b.until == nil || !b.until.Before(a.from))
}

// checkShareDates checks an allocation's range: from the first of a month,
// until (when set) the last of one and after from.
func checkShareDates(from string, until *string) (shareSpan, error) {
	f, err := parseDate("effectiveFrom", from)
	if err != nil {
		return shareSpan{}, err
	}
	if !isFirstOfMonth(f) {
		return shareSpan{}, invalid("effectiveFrom", apierr.CodeInvalidValue, "EffectiveFrom %s must be the first day of a month.", from)
	}
	sp := shareSpan{from: f}
	if until != nil {
		u, err := parseDate("effectiveUntil", *until)
		if err != nil {
			return sp, err
		}
		if !isLastOfMonth(u) || !u.After(f) {
			return sp, invalid("effectiveUntil", apierr.CodeInvalidValue, "EffectiveUntil %s must be the last day of a month after EffectiveFrom %s.", *until, from)
		}
		sp.until = &u
	}
	return sp, nil
}

func checkSharePercent(v string) error {
	if _, ok := parsePercent(v); !ok {
		return invalid("revenueSharePercent", apierr.CodeInvalidValue, "RevenueSharePercent %s must be more than 0 and at most 100.", v)
	}
	return nil
}

// checkOverlap enforces the share's invariant among ACTIVE allocations: no
// two ranges overlap (so at most one is open-ended).
func checkOverlap(r *shareRecord, self string, sp shareSpan) error {
	for _, al := range r.Allocations {
		v, _ := al.at(r.latest())
		if al.Id == self || v.Status != api.AllocationStatusActive {
			continue
		}
		other, _ := checkShareDates(v.From, v.Until)
		if sp.overlaps(other) {
			return invalid("effectiveFrom", apierr.CodeInvalidValue, "The range overlaps ACTIVE allocation %s (%s to %s).", al.Id, v.From, untilText(v.Until))
		}
	}
	return nil
}

func untilText(u *string) string {
	if u == nil {
		return "open-ended"
	}
	return *u
}

// CreateMarketplaceRevenueShareAllocation adds an ACTIVE allocation to the
// share, making a new revision. It may not start before the current month.
func (s *Service) CreateMarketplaceRevenueShareAllocation(ctx context.Context, account string, in *api.CreateMarketplaceRevenueShareAllocationInput) (*api.CreateMarketplaceRevenueShareAllocationOutput, error) {
	now := s.now()
	return run(ctx, s, scopeOf(account, in.Catalog), "CreateMarketplaceRevenueShareAllocation", in.ClientToken, in, func(tx store.Tx) (*api.CreateMarketplaceRevenueShareAllocationOutput, error) {
		d, err := s.loadShare(ctx, tx, account, in.Catalog, in.ProductId)
		if err != nil {
			return nil, err
		}
		r := d.Value
		sp, err := checkShareDates(in.EffectiveFrom, in.EffectiveUntil)
		if err == nil {
			err = checkSharePercent(in.RevenueSharePercent)
		}
		if err == nil && sp.from.Before(firstOfMonth(now)) {
			err = invalid("effectiveFrom", apierr.CodeInvalidValue, "EffectiveFrom %s is in the past: allocations start this month or later.", in.EffectiveFrom)
		}
		if err == nil {
			err = checkOverlap(r, "", sp)
		}
		if err != nil {
			return nil, err
		}
		r.Revisions = append(r.Revisions, now)
		al := &shareAllocationRecord{Id: docstore.NewID("mrsa-", 13), Created: now, Versions: []shareAllocationVersion{{Revision: r.latest(),
			From: in.EffectiveFrom, Until: in.EffectiveUntil, Percent: in.RevenueSharePercent, Status: api.AllocationStatusActive, Modified: now}}}
		r.Allocations = append(r.Allocations, al)
		if _, err := docstore.Put(ctx, tx, kindShare, string(in.Catalog), r, d.Version); err != nil {
			return nil, err
		}
		o := s.shareAllocationOutput(r, al, r.latest())
		return &api.CreateMarketplaceRevenueShareAllocationOutput{MarketplaceRevenueShareAllocationId: o.MarketplaceRevenueShareAllocationId,
			ProductId: o.ProductId, ProductName: o.ProductName, Arn: o.Arn, EffectiveFrom: o.EffectiveFrom, EffectiveUntil: o.EffectiveUntil,
			RevenueSharePercent: o.RevenueSharePercent, Status: o.Status, CreatedDate: o.CreatedDate, LastModifiedDate: o.LastModifiedDate,
			LatestMarketplaceRevenueShareRevision: o.LatestMarketplaceRevenueShareRevision}, nil
	})
}

// shareAllocationOutput is the allocation at revision n in the form every
// allocation operation answers (Get's output type; the others have the
// same members).
func (s *Service) shareAllocationOutput(r *shareRecord, al *shareAllocationRecord, n int) *api.GetMarketplaceRevenueShareAllocationOutput {
	v, _ := al.at(n)
	return &api.GetMarketplaceRevenueShareAllocationOutput{MarketplaceRevenueShareAllocationId: al.Id, ProductId: r.ProductId,
		ProductName: ptr(r.Product.Name), Arn: r.Arn + "/allocation/" + al.Id, EffectiveFrom: v.From, EffectiveUntil: v.Until,
		RevenueSharePercent: v.Percent, Status: v.Status, CreatedDate: ptr(al.Created), LastModifiedDate: ptr(v.Modified),
		LatestMarketplaceRevenueShareRevision: ptr(revision(r.latest()))}
}

// UpdateMarketplaceRevenueShareAllocation changes an allocation, making a
// new revision; MarketplaceRevenueShareRevision must be the latest. What
// may change depends on where the allocation stands by the server clock:
// one that has not started yet may change everything (INACTIVE withdraws
// it); a current one only its end (the last day of this month or later);
// an ended one nothing.
func (s *Service) UpdateMarketplaceRevenueShareAllocation(ctx context.Context, account string, in *api.UpdateMarketplaceRevenueShareAllocationInput) (*api.UpdateMarketplaceRevenueShareAllocationOutput, error) {
	now := s.now()
	return run(ctx, s, scopeOf(account, in.Catalog), "UpdateMarketplaceRevenueShareAllocation", in.ClientToken, in, func(tx store.Tx) (*api.UpdateMarketplaceRevenueShareAllocationOutput, error) {
		d, err := s.loadShare(ctx, tx, account, in.Catalog, in.ProductId)
		if err != nil {
			return nil, err
		}
		r := d.Value
		al := r.allocation(in.MarketplaceRevenueShareAllocationId)
		if al == nil {
			return nil, notFound("Allocation %s is not an allocation of the revenue share of %s.", in.MarketplaceRevenueShareAllocationId, r.ProductId)
		}
		if in.MarketplaceRevenueShareRevision != revision(r.latest()) {
			return nil, conflict(api.ConflictExceptionReasonRevisionMismatch,
				"The submitted revision %s of the revenue share of %s does not match its current revision %d.", in.MarketplaceRevenueShareRevision, r.ProductId, r.latest())
		}
		cur, _ := al.at(r.latest())
		next := cur
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		span, _ := checkShareDates(cur.From, cur.Until)
		switch {
		case span.until != nil && span.until.Before(today):
			return nil, invalid("marketplaceRevenueShareAllocationId", apierr.CodeActionNotPermitted, "Allocation %s ended on %s and can no longer change.", al.Id, *cur.Until)
		case !span.from.After(today): // current: only its end
			if in.EffectiveFrom != nil || in.RevenueSharePercent != nil || in.Status != nil {
				return nil, invalid("marketplaceRevenueShareAllocationId", apierr.CodeActionNotPermitted,
					"Allocation %s is in effect since %s: only EffectiveUntil can change.", al.Id, cur.From)
			}
			if in.EffectiveUntil == nil {
				break
			}
			until, err := parseDate("effectiveUntil", *in.EffectiveUntil)
			if err != nil {
				return nil, err
			}
			if !isLastOfMonth(until) || until.Before(lastOfMonth(today)) {
				return nil, invalid("effectiveUntil", apierr.CodeInvalidValue, "EffectiveUntil %s must be the last day of this month or of a later one.", *in.EffectiveUntil)
			}
			next.Until = in.EffectiveUntil
		default: // future-dated
			if in.EffectiveFrom != nil {
				next.From = *in.EffectiveFrom
			}
			if in.EffectiveUntil != nil {
				next.Until = in.EffectiveUntil
			}
			if in.RevenueSharePercent != nil {
				if err := checkSharePercent(*in.RevenueSharePercent); err != nil {
					return nil, err
				}
				next.Percent = *in.RevenueSharePercent
			}
			if in.Status != nil {
				next.Status = *in.Status
			}
		}
		sp, err := checkShareDates(next.From, next.Until)
		if err == nil && next.From != cur.From && sp.from.Before(firstOfMonth(now)) {
			err = invalid("effectiveFrom", apierr.CodeInvalidValue, "EffectiveFrom %s is in the past.", next.From)
		}
		if err == nil && next.Status == api.AllocationStatusActive {
			err = checkOverlap(r, al.Id, sp)
		}
		if err != nil {
			return nil, err
		}
		r.Revisions = append(r.Revisions, now)
		next.Revision, next.Modified = r.latest(), now
		al.Versions = append(al.Versions, next)
		if _, err := docstore.Put(ctx, tx, kindShare, string(in.Catalog), r, d.Version); err != nil {
			return nil, err
		}
		o := s.shareAllocationOutput(r, al, r.latest())
		return &api.UpdateMarketplaceRevenueShareAllocationOutput{MarketplaceRevenueShareAllocationId: o.MarketplaceRevenueShareAllocationId,
			ProductId: o.ProductId, ProductName: o.ProductName, Arn: o.Arn, EffectiveFrom: o.EffectiveFrom, EffectiveUntil: o.EffectiveUntil,
			RevenueSharePercent: o.RevenueSharePercent, Status: o.Status, CreatedDate: o.CreatedDate, LastModifiedDate: o.LastModifiedDate,
			LatestMarketplaceRevenueShareRevision: o.LatestMarketplaceRevenueShareRevision}, nil
	})
}

// shareAt resolves an optional share revision token.
func shareAt(r *shareRecord, token *string) (int, error) {
	if token == nil {
		return r.latest(), nil
	}
	n, ok := parseRevision(*token)
	if !ok || n > r.latest() {
		return 0, notFound("The revenue share of %s has no revision %s; its latest is %d.", r.ProductId, *token, r.latest())
	}
	return n, nil
}

// GetMarketplaceRevenueShareAllocation reads an allocation at the share's
// latest revision or the one asked for.
func (s *Service) GetMarketplaceRevenueShareAllocation(ctx context.Context, account string, in *api.GetMarketplaceRevenueShareAllocationInput) (*api.GetMarketplaceRevenueShareAllocationOutput, error) {
	d, err := s.loadShare(ctx, s.store, account, in.Catalog, in.ProductId)
	if err != nil {
		return nil, err
	}
	r := d.Value
	n, err := shareAt(r, in.MarketplaceRevenueShareRevision)
	if err != nil {
		return nil, err
	}
	al := r.allocation(in.MarketplaceRevenueShareAllocationId)
	if al == nil {
		return nil, notFound("Allocation %s was not found in the revenue share of %s.", in.MarketplaceRevenueShareAllocationId, r.ProductId)
	}
	if _, ok := al.at(n); !ok {
		return nil, notFound("Allocation %s did not exist at revision %d of the revenue share of %s.", al.Id, n, r.ProductId)
	}
	return s.shareAllocationOutput(r, al, n), nil
}

// ListMarketplaceRevenueShareAllocations lists a share's allocations at its
// latest revision or the one asked for; AfterEffectiveFrom is inclusive,
// BeforeEffectiveFrom exclusive, and the order EffectiveFrom DESCENDING
// unless asked otherwise (the model's defaults).
func (s *Service) ListMarketplaceRevenueShareAllocations(ctx context.Context, account string, in *api.ListMarketplaceRevenueShareAllocationsInput) (*api.ListMarketplaceRevenueShareAllocationsOutput, error) {
	d, err := s.loadShare(ctx, s.store, account, in.Catalog, in.ProductId)
	if err != nil {
		return nil, err
	}
	r := d.Value
	n, err := shareAt(r, in.MarketplaceRevenueShareRevision)
	if err != nil {
		return nil, err
	}
	var rows []api.MarketplaceRevenueShareAllocationSummary
	for _, al := range r.Allocations {
		v, ok := al.at(n)
		if !ok || (in.Status != nil && *in.Status != v.Status) || !dateIn(v.From, in.AfterEffectiveFrom, in.BeforeEffectiveFrom) {
			continue
		}
		o := s.shareAllocationOutput(r, al, n)
		rows = append(rows, api.MarketplaceRevenueShareAllocationSummary{MarketplaceRevenueShareAllocationId: al.Id, ProductId: r.ProductId,
			ProductName: o.ProductName, Arn: o.Arn, EffectiveFrom: v.From, EffectiveUntil: v.Until, RevenueSharePercent: v.Percent,
			Status: v.Status, CreatedDate: o.CreatedDate, LastModifiedDate: o.LastModifiedDate})
	}
	asc := in.SortOrder != nil && *in.SortOrder == api.SortOrderAscending
	slices.SortStableFunc(rows, func(x, y api.MarketplaceRevenueShareAllocationSummary) int {
		c := strings.Compare(x.EffectiveFrom, y.EffectiveFrom)
		if c == 0 {
			c = strings.Compare(x.MarketplaceRevenueShareAllocationId, y.MarketplaceRevenueShareAllocationId)
		}
		if asc {
			return c
		}
		return -c
	})
	page, next, err := pageOf(s, bindingOf("ListMarketplaceRevenueShareAllocations", account, in), rows, in.NextToken, in.MaxResults, listDefaultSize)
	if err != nil {
		return nil, err
	}
	if page == nil {
		page = []api.MarketplaceRevenueShareAllocationSummary{}
	}
	return &api.ListMarketplaceRevenueShareAllocationsOutput{MarketplaceRevenueShareAllocationSummaries: page, NextToken: next}, nil
}

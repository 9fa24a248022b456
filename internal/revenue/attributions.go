package revenue

import (
	"context"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// attributionRecord is a revenue attribution with its whole history: every
// revision's description, every allocation's versions and the latest
// allocation task. Revision n exists once n-1 did; an update of the
// description or a completed allocation task makes the next one. Reads at
// an older revision see the attribution as it was then.
type attributionRecord struct {
	Id           string           `json:"id"`
	Arn          string           `json:"arn"`
	Account      string           `json:"account"`
	Catalog      api.CatalogName  `json:"catalog"`
	Name         string           `json:"name"`
	TenancyModel api.TenancyModel `json:"tenancyModel"`
	Product      *Product         `json:"product,omitempty"`
	CreatedDate  time.Time        `json:"createdDate"`
	// Revisions[n-1] is revision n.
	Revisions   []attributionRevision `json:"revisions"`
	Allocations []*allocationRecord   `json:"allocations,omitempty"`
	Task        *taskRecord           `json:"task,omitempty"`
}

type attributionRevision struct {
	Description *string   `json:"description,omitempty"`
	Modified    time.Time `json:"modified"`
}

func (a *attributionRecord) DocID() string         { return a.Id }
func (a *attributionRecord) DocCreated() time.Time { return a.CreatedDate }
func (a *attributionRecord) DocKeys() map[string][]string {
	return map[string][]string{"account": {a.Account}, "name": {a.Name}}
}

func (a *attributionRecord) latest() int { return len(a.Revisions) }

// at resolves an optional revision token to a revision number.
func (a *attributionRecord) at(token *string) (int, error) {
	if token == nil {
		return a.latest(), nil
	}
	n, ok := parseRevision(*token)
	if !ok || n > a.latest() {
		return 0, notFound("Revenue attribution %s has no revision %s; its latest is %d.", a.Id, *token, a.latest())
	}
	return n, nil
}

func (a *attributionRecord) productSummary() *api.MarketplaceProductSummary {
	if a.Product == nil {
		return nil
	}
	return &api.MarketplaceProductSummary{ProductId: ptr(a.Product.Id), ProductCode: ptr(a.Product.Code), ProductName: ptr(a.Product.Name)}
}

// view is what the attribution looked like at revision n.
type attributionView struct {
	rec         *attributionRecord
	revision    int
	description *string
	modified    time.Time
	allocations []allocationVersion // as of n, in allocation order
	ids         []string
	from, until *string
	active      int32
}

func (a *attributionRecord) view(n int) attributionView {
	v := attributionView{rec: a, revision: n, description: a.Revisions[n-1].Description, modified: a.Revisions[n-1].Modified}
	for _, al := range a.Allocations {
		ver, ok := al.at(n)
		if !ok {
			continue
		}
		v.allocations = append(v.allocations, ver)
		v.ids = append(v.ids, al.Id)
		if ver.Status != api.AllocationStatusActive {
			continue
		}
		v.active++
		if v.from == nil || ver.From < *v.from {
			v.from = ptr(ver.From)
		}
		if v.until == nil || ver.Until > *v.until {
			v.until = ptr(ver.Until)
		}
	}
	return v
}

// attributionID accepts an id or this API's ARN of one; an ARN of another
// account is AccessDenied, of another catalog NotFound.
func attributionID(account string, catalog api.CatalogName, identifier string) (string, error) {
	p, ok := parseArn(identifier)
	if !ok {
		return identifier, nil
	}
	if p.account != account {
		return "", accessDenied("Revenue attribution %s belongs to another account.", identifier)
	}
	if p.catalog != string(catalog) || p.kind != "revenue-attribution" {
		return "", notFound("Revenue attribution %s was not found in the %s catalog.", identifier, catalog)
	}
	return p.id, nil
}

// getAttribution reads the caller's attribution as stored.
func getAttribution(ctx context.Context, r store.Reader, account string, catalog api.CatalogName, identifier string) (docstore.Doc[attributionRecord], error) {
	id, err := attributionID(account, catalog, identifier)
	if err != nil {
		return docstore.Doc[attributionRecord]{}, err
	}
	missing := func() error {
		return notFound("Revenue attribution %s was not found in the %s catalog.", identifier, catalog)
	}
	d, err := docstore.Get[attributionRecord](ctx, r, kindAttribution, string(catalog), id, missing)
	if err == nil && d.Value.Account != account {
		return d, missing()
	}
	return d, err
}

// loadAttribution reads the caller's attribution, settling its allocation
// task first when that is due (so every read sees the task's outcome as
// soon as AWS would have it); the settled record is written back in tx.
func (s *Service) loadAttribution(ctx context.Context, tx store.Tx, account string, catalog api.CatalogName, identifier string) (docstore.Doc[attributionRecord], error) {
	d, err := getAttribution(ctx, tx, account, catalog, identifier)
	if err != nil {
		return d, err
	}
	if s.settleTask(ctx, tx, d.Value) {
		if d.Version, err = docstore.Put(ctx, tx, kindAttribution, string(catalog), d.Value, d.Version); err != nil {
			return d, err
		}
	}
	return d, nil
}

// read runs fn on the caller's attribution: straight from the store, or in
// a write transaction when its task is due to be settled.
func (s *Service) read(ctx context.Context, account string, catalog api.CatalogName, identifier string, fn func(*attributionRecord) error) error {
	d, err := getAttribution(ctx, s.store, account, catalog, identifier)
	if err != nil {
		return err
	}
	if !s.taskDue(d.Value) {
		return fn(d.Value)
	}
	return s.store.Update(ctx, func(tx store.Tx) error {
		d, err := s.loadAttribution(ctx, tx, account, catalog, identifier)
		if err != nil {
			return err
		}
		return fn(d.Value)
	})
}

// CreateRevenueAttribution creates an attribution at revision 1. Its name
// is unique within the caller's catalog; a product, when named, must be
// the caller's.
func (s *Service) CreateRevenueAttribution(ctx context.Context, account string, in *api.CreateRevenueAttributionInput) (*api.CreateRevenueAttributionOutput, error) {
	now := s.now()
	scope := scopeOf(account, in.Catalog)
	return run(ctx, s, scope, "CreateRevenueAttribution", in.ClientToken, in, func(tx store.Tx) (*api.CreateRevenueAttributionOutput, error) {
		same, _, err := docstore.List[attributionRecord](ctx, tx, store.DocumentQuery{Kind: kindAttribution, Catalog: string(in.Catalog),
			Match: map[string][]string{"account": {account}, "name": {in.Name}}, Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(same) > 0 {
			return nil, conflict(api.ConflictExceptionReasonResourceAlreadyExists,
				"A revenue attribution named %q already exists in the %s catalog (%s).", in.Name, in.Catalog, same[0].Id)
		}
		rec := &attributionRecord{Id: docstore.NewID("ra-", 13), Account: account, Catalog: in.Catalog, Name: in.Name,
			TenancyModel: in.TenancyModel, CreatedDate: now, Revisions: []attributionRevision{{Description: in.Description, Modified: now}}}
		rec.Arn = s.arn(account, in.Catalog, "revenue-attribution/"+rec.Id)
		if in.ProductIdentifier != nil {
			if rec.Product, err = ownedProduct(ctx, tx, account, in.Catalog, "productIdentifier", *in.ProductIdentifier); err != nil {
				return nil, err
			}
		}
		if _, err := docstore.Put(ctx, tx, kindAttribution, string(in.Catalog), rec, 0); err != nil {
			return nil, err
		}
		if err := putTags(ctx, tx, account, rec.Arn, store.TagsOf(in.Tags)); err != nil {
			return nil, err
		}
		return &api.CreateRevenueAttributionOutput{Id: rec.Id, Arn: rec.Arn, Name: ptr(rec.Name), Description: in.Description,
			TenancyModel: rec.TenancyModel, MarketplaceProduct: rec.productSummary(), Revision: ptr(revision(1))}, nil
	})
}

// GetRevenueAttribution reads an attribution, at its latest revision or
// the one asked for.
func (s *Service) GetRevenueAttribution(ctx context.Context, account string, in *api.GetRevenueAttributionInput) (*api.GetRevenueAttributionOutput, error) {
	var out *api.GetRevenueAttributionOutput
	err := s.read(ctx, account, in.Catalog, in.Identifier, func(a *attributionRecord) error {
		n, err := a.at(in.Revision)
		if err != nil {
			return err
		}
		v := a.view(n)
		out = &api.GetRevenueAttributionOutput{Arn: a.Arn, Id: a.Id, Catalog: a.Catalog, Name: ptr(a.Name), Description: v.description,
			TenancyModel: a.TenancyModel, MarketplaceProduct: a.productSummary(), CreatedDate: ptr(a.CreatedDate),
			LastModifiedDate: ptr(v.modified), Revision: ptr(revision(n)), LatestRevision: ptr(revision(a.latest())),
			EffectiveFrom: v.from, EffectiveUntil: v.until, TotalActiveRevenueAttributionAllocationCount: ptr(v.active),
			TotalRevenueAttributionAllocationCount: ptr(int32(len(v.allocations)))}
		return nil
	})
	return out, err
}

// UpdateRevenueAttribution changes the description, the one mutable field,
// making a new revision; Revision must be the latest.
func (s *Service) UpdateRevenueAttribution(ctx context.Context, account string, in *api.UpdateRevenueAttributionInput) (*api.UpdateRevenueAttributionOutput, error) {
	now := s.now()
	return run(ctx, s, scopeOf(account, in.Catalog), "UpdateRevenueAttribution", in.ClientToken, in, func(tx store.Tx) (*api.UpdateRevenueAttributionOutput, error) {
		d, err := s.loadAttribution(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return nil, err
		}
		a := d.Value
		if in.Revision != revision(a.latest()) {
			return nil, revisionMismatch(a.Id, in.Revision, a.latest())
		}
		a.Revisions = append(a.Revisions, attributionRevision{Description: in.Description, Modified: now})
		if _, err := docstore.Put(ctx, tx, kindAttribution, string(in.Catalog), a, d.Version); err != nil {
			return nil, err
		}
		return &api.UpdateRevenueAttributionOutput{Id: a.Id, Arn: a.Arn, Description: in.Description, LastModifiedDate: now,
			LatestRevision: ptr(revision(a.latest()))}, nil
	})
}

func revisionMismatch(id, submitted string, current int) error {
	return conflict(api.ConflictExceptionReasonRevisionMismatch,
		"The submitted revision %s of %s does not match its current revision %d.", submitted, id, current)
}

// listDefaultSize is the Developer Guide's default page of
// ListRevenueAttributions; AWS documents none for the other lists, which
// use it too.
const listDefaultSize = 25

// ListRevenueAttributions lists the caller's attributions at their latest
// revisions.
func (s *Service) ListRevenueAttributions(ctx context.Context, account string, in *api.ListRevenueAttributionsInput) (*api.ListRevenueAttributionsOutput, error) {
	var ids []string
	for _, identifier := range in.Identifiers {
		id, err := attributionID(account, in.Catalog, identifier)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	recs, err := s.attributionsOf(ctx, account, in.Catalog)
	if err != nil {
		return nil, err
	}
	var views []attributionView
	for _, a := range recs {
		if (len(ids) == 0 || slices.Contains(ids, a.Id)) && inTimeRange(a.CreatedDate, in.CreatedAfter, in.CreatedBefore) {
			views = append(views, a.view(a.latest()))
		}
	}
	sortByModified(views, in.SortOrder, func(v attributionView) (time.Time, string) { return v.modified, v.rec.Id })
	page, next, err := pageOf(s, bindingOf("ListRevenueAttributions", account, in), views, in.NextToken, in.MaxResults, listDefaultSize)
	if err != nil {
		return nil, err
	}
	out := &api.ListRevenueAttributionsOutput{RevenueAttributionSummaries: []api.AttributionSummary{}, NextToken: next}
	for _, v := range page {
		a := v.rec
		out.RevenueAttributionSummaries = append(out.RevenueAttributionSummaries, api.AttributionSummary{Arn: ptr(a.Arn), Id: ptr(a.Id),
			Catalog: ptr(a.Catalog), Name: ptr(a.Name), TenancyModel: a.TenancyModel, MarketplaceProduct: a.productSummary(),
			CreatedDate: ptr(a.CreatedDate), LastModifiedDate: ptr(v.modified), LatestRevision: ptr(revision(v.revision)),
			EffectiveFrom: v.from, EffectiveUntil: v.until, TotalActiveRevenueAttributionAllocationCount: ptr(v.active),
			TotalRevenueAttributionAllocationCount: ptr(int32(len(v.allocations)))})
	}
	return out, nil
}

// attributionsOf reads all the caller's attributions in catalog, settling
// the tasks that are due first.
func (s *Service) attributionsOf(ctx context.Context, account string, catalog api.CatalogName) ([]*attributionRecord, error) {
	q := store.DocumentQuery{Kind: kindAttribution, Catalog: string(catalog), Match: map[string][]string{"account": {account}}}
	recs, _, err := docstore.List[attributionRecord](ctx, s.store, q)
	if err != nil || !slices.ContainsFunc(recs, s.taskDue) {
		return recs, err
	}
	err = s.store.Update(ctx, func(tx store.Tx) error {
		for _, a := range recs {
			if s.taskDue(a) {
				if _, err := s.loadAttribution(ctx, tx, account, catalog, a.Id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	recs, _, err = docstore.List[attributionRecord](ctx, s.store, q)
	return recs, err
}

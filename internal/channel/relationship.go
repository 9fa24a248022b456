package channel

import (
	"context"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// relationshipRecord is an AWS organisation (AssociatedAccountId, its
// management account) onboarded under a PMA.
type relationshipRecord struct {
	Id                  string                  `json:"id"`
	Arn                 string                  `json:"arn"`
	Catalog             string                  `json:"catalog"`
	Owner               string                  `json:"owner"`
	PMAId               string                  `json:"pmaId"`
	AssociationType     api.AssociationType     `json:"associationType"`
	AssociatedAccountId string                  `json:"associatedAccountId"`
	DisplayName         string                  `json:"displayName"`
	ResaleAccountModel  *api.ResaleAccountModel `json:"resaleAccountModel,omitempty"`
	Sector              api.Sector              `json:"sector"`
	// SupportPlan is kept though no read returns it: RelationshipDetail
	// has no member for it.
	SupportPlan *api.SupportPlan `json:"supportPlan,omitempty"`
	Revision    int              `json:"revision"`
	CreatedAt   time.Time        `json:"createdAt"`
	UpdatedAt   time.Time        `json:"updatedAt"`
	// Period is the service period an accepted START_SERVICE_PERIOD
	// handshake began, until a REVOKE_SERVICE_PERIOD one ends it; its
	// start is the relationship's startDate.
	Period  *servicePeriod `json:"period,omitempty"`
	Deleted bool           `json:"deleted,omitempty"` // a tombstone, as for PMAs
}

// servicePeriod is a billing-transfer commitment, as its handshake set it.
type servicePeriod struct {
	Type              api.ServicePeriodType `json:"type"`
	MinimumNoticeDays *string               `json:"minimumNoticeDays,omitempty"`
	StartDate         time.Time             `json:"startDate"`
	EndDate           *time.Time            `json:"endDate,omitempty"`
}

func (r *relationshipRecord) DocID() string         { return r.Id }
func (r *relationshipRecord) DocCreated() time.Time { return r.CreatedAt }

// DocKeys: the owner's alone, like its PMA; "pma" lists a PMA's
// relationships, "member" finds one for an associated account.
func (r *relationshipRecord) DocKeys() map[string][]string {
	if r.Deleted {
		return nil
	}
	return map[string][]string{
		"owner":  {r.Owner},
		"pma":    {r.PMAId},
		"member": {r.PMAId + "|" + r.AssociatedAccountId},
	}
}

func (r *relationshipRecord) touch(now time.Time) { r.Revision, r.UpdatedAt = r.Revision+1, now }

func (r *relationshipRecord) startDate() *time.Time {
	if r.Period == nil {
		return nil
	}
	return timePtr(r.Period.StartDate)
}

func (r *relationshipRecord) detail() *api.RelationshipDetail {
	return &api.RelationshipDetail{
		Arn: &r.Arn, Id: &r.Id, Revision: revision(r.Revision), Catalog: &r.Catalog, AssociationType: &r.AssociationType,
		ProgramManagementAccountId: &r.PMAId, AssociatedAccountId: &r.AssociatedAccountId, DisplayName: &r.DisplayName,
		ResaleAccountModel: r.ResaleAccountModel, Sector: &r.Sector, CreatedAt: &r.CreatedAt, UpdatedAt: &r.UpdatedAt,
		StartDate: r.startDate(),
	}
}

func (r *relationshipRecord) summary() api.RelationshipSummary {
	d := r.detail()
	return api.RelationshipSummary{
		Arn: d.Arn, Id: d.Id, Revision: d.Revision, Catalog: d.Catalog, AssociationType: d.AssociationType,
		ProgramManagementAccountId: d.ProgramManagementAccountId, AssociatedAccountId: d.AssociatedAccountId,
		DisplayName: d.DisplayName, Sector: d.Sector, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, StartDate: d.StartDate,
	}
}

// maxRelationshipsPerPMA is AWS's documented limit (semantics-2026 §4.4).
const maxRelationshipsPerPMA = 1000

// ownRelationship reads a relationship of account by id or ARN; it must be
// under pma (a relationship of another PMA is not found there).
func ownRelationship(ctx context.Context, r store.Reader, account, catalog, identifier string, pma *pmaRecord) (docstore.Doc[relationshipRecord], error) {
	id := idOf(identifier)
	nf := func() error { return notFound(resourceRelationship, identifier) }
	d, err := docstore.Get[relationshipRecord](ctx, r, kindRelationship, catalog, id, nf)
	if err != nil {
		return d, err
	}
	v := d.Value
	if v.Deleted || v.Owner != account || (pma != nil && v.PMAId != pma.Id) || (identifier != id && identifier != v.Arn) {
		return docstore.Doc[relationshipRecord]{}, nf()
	}
	return d, nil
}

// ownRelationshipUnder reads the PMA pmaIdentifier and the relationship
// identifier under it, both the caller's.
func ownRelationshipUnder(ctx context.Context, r store.Reader, account, catalog, pmaIdentifier, identifier string) (docstore.Doc[relationshipRecord], error) {
	pma, err := ownPMA(ctx, r, account, catalog, pmaIdentifier)
	if err != nil {
		return docstore.Doc[relationshipRecord]{}, err
	}
	return ownRelationship(ctx, r, account, catalog, identifier, pma.Value)
}

func saveRelationship(ctx context.Context, tx store.Tx, d docstore.Doc[relationshipRecord]) error {
	_, err := docstore.Put(ctx, tx, kindRelationship, d.Value.Catalog, d.Value, d.Version)
	return err
}

// CreateRelationship onboards an organisation under one of the caller's
// PMAs. The PMA must be ACTIVE: a relationship brings its organisation's
// usage under the PMA's channel program, which only an activated PMA has
// (AWS documents no error; this is a business ValidationException on the
// PMA identifier, as the Selling API reports a resource in the wrong state).
func (s *Service) CreateRelationship(ctx context.Context, account string, in *api.CreateRelationshipRequest) (*api.CreateRelationshipResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	return once(ctx, s, account, in.Catalog, "CreateRelationship", in.ClientToken, in, func(tx store.Tx) (*api.CreateRelationshipResponse, error) {
		pd, err := ownPMA(ctx, tx, account, in.Catalog, in.ProgramManagementAccountIdentifier)
		if err != nil {
			return nil, err
		}
		pma := pd.Value
		if pma.Status != api.ProgramManagementAccountStatusActive {
			return nil, pmaNotActive(pma, "programManagementAccountIdentifier")
		}
		n, err := countDocs(ctx, tx, kindRelationship, in.Catalog, map[string][]string{"pma": {pma.Id}}, maxRelationshipsPerPMA)
		if err != nil {
			return nil, err
		}
		if n >= maxRelationshipsPerPMA {
			return nil, quotaExceeded(resourcePMA, pma.Id, quotaRelationships, "Program management account %s has %d relationships, the most allowed.", pma.Id, maxRelationshipsPerPMA)
		}
		same, _, err := docstore.List[relationshipRecord](ctx, tx, store.DocumentQuery{Kind: kindRelationship, Catalog: in.Catalog, Limit: 1,
			Match: map[string][]string{"member": {pma.Id + "|" + in.AssociatedAccountId}}})
		if err != nil {
			return nil, err
		}
		if len(same) > 0 {
			return nil, apierr.Conflict("Relationship %s already associates account %s with program management account %s.", same[0].Id, in.AssociatedAccountId, pma.Id).
				About(resourceRelationship, same[0].Id)
		}
		now := s.now()
		id := docstore.NewID("rs-", 13)
		rec := &relationshipRecord{
			Id: id, Arn: pma.Arn + "/relationship/" + id, Catalog: in.Catalog, Owner: account, PMAId: pma.Id,
			AssociationType: in.AssociationType, AssociatedAccountId: in.AssociatedAccountId, DisplayName: in.DisplayName,
			ResaleAccountModel: in.ResaleAccountModel, Sector: in.Sector, SupportPlan: in.RequestedSupportPlan,
			Revision: 1, CreatedAt: now, UpdatedAt: now,
		}
		if err := saveRelationship(ctx, tx, docstore.Doc[relationshipRecord]{Value: rec}); err != nil {
			return nil, err
		}
		if err := putTags(ctx, tx, account, rec.Arn, in.Tags); err != nil {
			return nil, err
		}
		return &api.CreateRelationshipResponse{RelationshipDetail: &api.CreateRelationshipDetail{Arn: &rec.Arn, Id: &rec.Id}}, nil
	})
}

// pmaNotActive is the business ValidationException for a PMA that must be
// ACTIVE for what was asked.
func pmaNotActive(pma *pmaRecord, field string) error {
	msg := "Program management account " + pma.Id + " is " + string(pma.Status) + "; it must be ACTIVE (accept its PROGRAM_MANAGEMENT_ACCOUNT handshake first)."
	return apierr.BusinessInvalid(msg, apierr.FieldError{FieldName: field, Code: apierr.CodeInvalidResourceState, Message: msg})
}

// GetRelationship reads one of the caller's relationships.
func (s *Service) GetRelationship(ctx context.Context, account string, in *api.GetRelationshipRequest) (*api.GetRelationshipResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	d, err := ownRelationshipUnder(ctx, s.store, account, in.Catalog, in.ProgramManagementAccountIdentifier, in.Identifier)
	if err != nil {
		return nil, err
	}
	return &api.GetRelationshipResponse{RelationshipDetail: d.Value.detail()}, nil
}

// UpdateRelationship changes a relationship's display name or requested
// support plan. A revision, when given, must be the current one.
func (s *Service) UpdateRelationship(ctx context.Context, account string, in *api.UpdateRelationshipRequest) (*api.UpdateRelationshipResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	var out *api.UpdateRelationshipResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := ownRelationshipUnder(ctx, tx, account, in.Catalog, in.ProgramManagementAccountIdentifier, in.Identifier)
		if err != nil {
			return err
		}
		r := d.Value
		if err := checkRevision(in.Revision, r.Revision, resourceRelationship, r.Id); err != nil {
			return err
		}
		if in.DisplayName != nil {
			r.DisplayName = *in.DisplayName
		}
		if in.RequestedSupportPlan != nil {
			r.SupportPlan = in.RequestedSupportPlan
		}
		r.touch(s.now())
		if err := saveRelationship(ctx, tx, d); err != nil {
			return err
		}
		out = &api.UpdateRelationshipResponse{RelationshipDetail: &api.UpdateRelationshipDetail{
			Arn: &r.Arn, Id: &r.Id, Revision: revision(r.Revision), DisplayName: &r.DisplayName}}
		return nil
	})
	return out, err
}

// DeleteRelationship removes a relationship that is not in a service
// period and has no pending handshake: ending a billing transfer takes a
// REVOKE_SERVICE_PERIOD handshake both sides agree to, so deleting cannot
// end it unilaterally.
func (s *Service) DeleteRelationship(ctx context.Context, account string, in *api.DeleteRelationshipRequest) (*api.DeleteRelationshipResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	return once(ctx, s, account, in.Catalog, "DeleteRelationship", in.ClientToken, in, func(tx store.Tx) (*api.DeleteRelationshipResponse, error) {
		if err := s.expireHandshakes(ctx, tx, in.Catalog); err != nil {
			return nil, err
		}
		d, err := ownRelationshipUnder(ctx, tx, account, in.Catalog, in.ProgramManagementAccountIdentifier, in.Identifier)
		if err != nil {
			return nil, err
		}
		r := d.Value
		if r.Period != nil {
			return nil, apierr.Conflict("Relationship %s is in a service period; revoke it with a REVOKE_SERVICE_PERIOD handshake first.", r.Id).About(resourceRelationship, r.Id)
		}
		if err := refuseWhilePending(ctx, tx, r.Catalog, r.Id, resourceRelationship); err != nil {
			return nil, err
		}
		r.Deleted = true
		r.touch(s.now())
		if err := saveRelationship(ctx, tx, d); err != nil {
			return nil, err
		}
		if err := tx.DeleteTags(ctx, account, r.Arn); err != nil {
			return nil, err
		}
		return &api.DeleteRelationshipResponse{}, nil
	})
}

// ListRelationships lists the caller's relationships, filtered and sorted
// by UpdatedAt.
func (s *Service) ListRelationships(ctx context.Context, account string, in *api.ListRelationshipsRequest) (*api.ListRelationshipsResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	binding, err := pagetoken.Binding(account, in.Catalog, "ListRelationships", in, func(r *api.ListRelationshipsRequest) { r.NextToken, r.MaxResults = nil, nil })
	if err != nil {
		return nil, err
	}
	all, _, err := docstore.List[relationshipRecord](ctx, s.store, store.DocumentQuery{Kind: kindRelationship, Catalog: in.Catalog, Match: map[string][]string{"owner": {account}}})
	if err != nil {
		return nil, err
	}
	pmas := make([]string, len(in.ProgramManagementAccountIdentifiers))
	for i, p := range in.ProgramManagementAccountIdentifiers {
		pmas[i] = idOf(p)
	}
	all = slices.DeleteFunc(all, func(r *relationshipRecord) bool {
		return !admits(in.AssociatedAccountIds, r.AssociatedAccountId) || !admits(in.AssociationTypes, r.AssociationType) ||
			!admits(in.DisplayNames, r.DisplayName) || !admits(pmas, r.PMAId)
	})
	var order *api.SortOrder
	if in.Sort != nil {
		order = &in.Sort.SortOrder
	}
	page, next, err := pageOf(s, all, pageRequest{binding: binding, token: in.NextToken, size: in.MaxResults, order: order},
		func(r *relationshipRecord) sortKey { return sortKey{r.UpdatedAt, r.Id} })
	if err != nil {
		return nil, err
	}
	out := &api.ListRelationshipsResponse{Items: make([]api.RelationshipSummary, len(page)), NextToken: next}
	for i, r := range page {
		out.Items[i] = r.summary()
	}
	return out, nil
}

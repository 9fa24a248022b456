package benefits

import (
	"context"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// allocationRecord is a benefit allocation AWS granted on approval.
type allocationRecord struct {
	Id                   string                      `json:"id"`
	Arn                  string                      `json:"arn"`
	Catalog              string                      `json:"catalog"`
	Owner                string                      `json:"owner"`
	Name                 string                      `json:"name"`
	Description          *string                     `json:"description,omitempty"`
	Status               api.BenefitAllocationStatus `json:"status"`
	StatusReason         *string                     `json:"statusReason,omitempty"`
	ApplicationId        string                      `json:"applicationId"`
	BenefitId            string                      `json:"benefitId"`
	FulfillmentType      api.FulfillmentType         `json:"fulfillmentType"`
	ApplicableBenefitIds []string                    `json:"applicableBenefitIds,omitempty"`
	Detail               api.FulfillmentDetails      `json:"detail"`
	CreatedAt            time.Time                   `json:"createdAt"`
	UpdatedAt            time.Time                   `json:"updatedAt"`
	StartsAt             time.Time                   `json:"startsAt"`
	ExpiresAt            time.Time                   `json:"expiresAt"`
}

func (al *allocationRecord) DocID() string         { return al.Id }
func (al *allocationRecord) DocCreated() time.Time { return al.CreatedAt }
func (al *allocationRecord) DocKeys() map[string][]string {
	return map[string][]string{
		"owner": {al.Owner}, "status": {string(al.Status)}, "benefit": {al.BenefitId},
		"application": {al.ApplicationId}, "fulfillment": {string(al.FulfillmentType)},
	}
}

func allocationNotFound(id string) error {
	return apierr.NotFound("Benefit allocation %s does not exist.", id)
}

// loadAllocation reads the caller's allocation by id or ARN.
func (s *Service) loadAllocation(ctx context.Context, r store.Reader, account, catalog, identifier string) (docstore.Doc[allocationRecord], error) {
	id, ok := s.idOf(identifier, catalog, "benefit-allocation")
	if !ok || (arnAccount(identifier) != "" && arnAccount(identifier) != account) {
		return docstore.Doc[allocationRecord]{}, allocationNotFound(identifier)
	}
	d, err := docstore.Get[allocationRecord](ctx, r, kindAllocation, catalog, id, func() error { return allocationNotFound(identifier) })
	if err == nil && d.Value.Owner != account {
		return docstore.Doc[allocationRecord]{}, allocationNotFound(identifier)
	}
	return d, err
}

// GetBenefitAllocation returns one of the caller's allocations.
func (s *Service) GetBenefitAllocation(ctx context.Context, account string, in *api.GetBenefitAllocationInput) (*api.GetBenefitAllocationOutput, error) {
	if err := s.expireBeforeRead(ctx, account, in.Catalog); err != nil {
		return nil, err
	}
	d, err := s.loadAllocation(ctx, s.store, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	al := d.Value
	return &api.GetBenefitAllocationOutput{
		Id: &al.Id, Catalog: &al.Catalog, Arn: &al.Arn, Name: &al.Name, Description: al.Description, Status: &al.Status, StatusReason: al.StatusReason,
		BenefitApplicationId: &al.ApplicationId, BenefitId: &al.BenefitId, FulfillmentType: &al.FulfillmentType, ApplicableBenefitIds: al.ApplicableBenefitIds,
		FulfillmentDetail: &al.Detail, CreatedAt: &al.CreatedAt, UpdatedAt: &al.UpdatedAt, StartsAt: &al.StartsAt, ExpiresAt: &al.ExpiresAt,
	}, nil
}

// ListBenefitAllocations lists the caller's allocations, oldest first.
func (s *Service) ListBenefitAllocations(ctx context.Context, account string, in *api.ListBenefitAllocationsInput) (*listAllocationsOutput, error) {
	if err := s.expireBeforeRead(ctx, account, in.Catalog); err != nil {
		return nil, err
	}
	match := map[string][]string{"owner": {account}}
	filter := func(key string, values []string) {
		if len(values) > 0 {
			match[key] = values
		}
	}
	filter("fulfillment", stringsOf(in.FulfillmentTypes))
	filter("status", stringsOf(in.Status))
	filter("benefit", s.idsOf(in.BenefitIdentifiers, in.Catalog, "benefit"))
	filter("application", s.idsOf(in.BenefitApplicationIdentifiers, in.Catalog, "benefit-application"))
	bind, err := pagetoken.Binding(account, in.Catalog, "ListBenefitAllocations", in, func(r *api.ListBenefitAllocationsInput) { r.NextToken, r.MaxResults = nil, nil })
	if err != nil {
		return nil, err
	}
	rows, next, err := docstore.ListPage[allocationRecord](ctx, s.tokens, s.store, docstore.Page{
		Query: store.DocumentQuery{Kind: kindAllocation, Catalog: in.Catalog, Match: match}, Binding: bind, Token: in.NextToken, Size: pageSize(in.MaxResults),
	})
	if err != nil {
		return nil, err
	}
	out := &listAllocationsOutput{BenefitAllocationSummaries: make([]api.BenefitAllocationSummary, len(rows))}
	out.NextToken = next
	for i, al := range rows {
		out.BenefitAllocationSummaries[i] = api.BenefitAllocationSummary{
			Id: &al.Id, Catalog: &al.Catalog, Arn: &al.Arn, Status: &al.Status, StatusReason: al.StatusReason, Name: &al.Name,
			BenefitId: &al.BenefitId, BenefitApplicationId: &al.ApplicationId, FulfillmentTypes: []api.FulfillmentType{al.FulfillmentType},
			CreatedAt: &al.CreatedAt, ExpiresAt: &al.ExpiresAt, ApplicableBenefitIds: al.ApplicableBenefitIds,
		}
	}
	return out, nil
}

// listAllocationsOutput is ListBenefitAllocations' answer, its list there
// even when empty (see listApplicationsOutput).
type listAllocationsOutput struct {
	api.ListBenefitAllocationsOutput
	BenefitAllocationSummaries []api.BenefitAllocationSummary `json:"BenefitAllocationSummaries"`
}

// idsOf resolves list filter identifiers (ids or ARNs) to ids; an ARN that
// names nothing in the catalog matches nothing.
func (s *Service) idsOf(identifiers []string, catalog, typ string) []string {
	out := make([]string, 0, len(identifiers))
	for _, ident := range identifiers {
		id, ok := s.idOf(ident, catalog, typ)
		if !ok {
			id = "\x00none"
		}
		out = append(out, id)
	}
	return out
}

// Expiry is the one place an allocation becomes INACTIVE by itself: every
// allocation operation first sweeps the caller's catalog, storing each
// ACTIVE allocation whose ExpiresAt has come (by the server clock) as
// INACTIVE and reporting it (Benefit Allocation Inactivated), so reads and
// filters see the stored status. AWS's side sweeps the account it acts on.

const expiredReason = "The allocation expired."

// dueAllocations are the account's ACTIVE allocations past their expiry.
func (s *Service) dueAllocations(ctx context.Context, r store.Reader, account, catalog string) ([]*allocationRecord, error) {
	active, _, err := docstore.List[allocationRecord](ctx, r, store.DocumentQuery{Kind: kindAllocation, Catalog: catalog,
		Match: map[string][]string{"owner": {account}, "status": {string(api.BenefitAllocationStatusActive)}}})
	if err != nil {
		return nil, err
	}
	now := s.now()
	var due []*allocationRecord
	for _, al := range active {
		if !now.Before(al.ExpiresAt) {
			due = append(due, al)
		}
	}
	return due, nil
}

// expireBeforeRead runs the automatic reviewer (an approval makes
// allocations) and the sweep, opening a write transaction only when
// something is due, so reads stay reads almost always.
func (s *Service) expireBeforeRead(ctx context.Context, account, catalog string) error {
	if err := s.decideDueReviews(ctx, account, catalog); err != nil {
		return err
	}
	due, err := s.dueAllocations(ctx, s.store, account, catalog)
	if err != nil || len(due) == 0 {
		return err
	}
	return s.store.Update(ctx, func(tx store.Tx) error { return s.expireAllocations(ctx, tx, account, catalog) })
}

func (s *Service) expireAllocations(ctx context.Context, tx store.Tx, account, catalog string) error {
	due, err := s.dueAllocations(ctx, tx, account, catalog)
	if err != nil {
		return err
	}
	for _, al := range due {
		if _, err := s.setAllocationStatus(ctx, tx, account, catalog, al.Id, api.BenefitAllocationStatusInactive, expiredReason); err != nil {
			return err
		}
	}
	return nil
}

// setAllocationStatus moves an allocation to status and reports it; its
// credit codes follow it. Setting the status it has is a no-op.
func (s *Service) setAllocationStatus(ctx context.Context, tx store.Tx, account, catalog, identifier string, status api.BenefitAllocationStatus, reason string) (*allocationRecord, error) {
	d, err := s.loadAllocation(ctx, tx, account, catalog, identifier)
	if err != nil {
		return nil, err
	}
	al := d.Value
	if al.Status == status {
		return al, nil
	}
	if al.Status == api.BenefitAllocationStatusFulfilled {
		return nil, invalidState("status", "Benefit allocation %s is FULFILLED; its status no longer changes.", al.Id)
	}
	now := s.now()
	if status == api.BenefitAllocationStatusActive && !now.Before(al.ExpiresAt) {
		return nil, invalidState("status", "Benefit allocation %s expired at %s; give it a later expiry to reactivate it.", al.Id, al.ExpiresAt.Format(time.RFC3339))
	}
	al.Status, al.UpdatedAt = status, now
	al.StatusReason = nil
	if reason = strings.TrimSpace(reason); reason != "" {
		al.StatusReason = &reason
	}
	if c := al.Detail.CreditDetails; c != nil {
		for i := range c.Codes {
			c.Codes[i].Status = status
		}
	}
	if _, err := docstore.Put(ctx, tx, kindAllocation, catalog, al, d.Version); err != nil {
		return nil, err
	}
	b, err := s.loadBenefit(ctx, tx, catalog, al.BenefitId)
	if err != nil {
		return nil, err
	}
	return al, s.allocationEvent(ctx, tx, al, b)
}

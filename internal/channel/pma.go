package channel

import (
	"context"
	"slices"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// pmaRecord is a program management account as stored: the AWS management
// account (AccountId) a partner (Owner) bills its channel customers
// through. It is PENDING until AccountId accepts a PROGRAM_MANAGEMENT_ACCOUNT
// handshake, then ACTIVE.
type pmaRecord struct {
	Id          string                             `json:"id"`
	Arn         string                             `json:"arn"`
	Catalog     string                             `json:"catalog"`
	Owner       string                             `json:"owner"`
	Program     api.Program                        `json:"program"`
	DisplayName string                             `json:"displayName"`
	AccountId   string                             `json:"accountId"`
	Status      api.ProgramManagementAccountStatus `json:"status"`
	Revision    int                                `json:"revision"`
	CreatedAt   time.Time                          `json:"createdAt"`
	UpdatedAt   time.Time                          `json:"updatedAt"`
	StartDate   time.Time                          `json:"startDate,omitzero"`
	// Deleted PMAs stay as tombstones (the store has no delete) without
	// keys, so no listing finds them.
	Deleted bool `json:"deleted,omitempty"`
}

func (p *pmaRecord) DocID() string         { return p.Id }
func (p *pmaRecord) DocCreated() time.Time { return p.CreatedAt }

// DocKeys: a PMA is its owner's alone (a scoped reset of the owner removes
// it); the management account is kept under its own key, not "account",
// because the PMA is not that account's record.
func (p *pmaRecord) DocKeys() map[string][]string {
	if p.Deleted {
		return nil
	}
	return map[string][]string{
		"owner":             {p.Owner},
		"managementAccount": {p.Owner + "|" + p.AccountId},
	}
}

// touch records a change: a new revision and UpdatedAt.
func (p *pmaRecord) touch(now time.Time) { p.Revision, p.UpdatedAt = p.Revision+1, now }

func (p *pmaRecord) summary() api.ProgramManagementAccountSummary {
	return api.ProgramManagementAccountSummary{
		Id: &p.Id, Revision: revision(p.Revision), Catalog: &p.Catalog, Program: &p.Program, DisplayName: &p.DisplayName,
		AccountId: &p.AccountId, Arn: &p.Arn, CreatedAt: &p.CreatedAt, UpdatedAt: &p.UpdatedAt, StartDate: timePtr(p.StartDate),
		Status: &p.Status,
	}
}

// Limits of program management accounts (semantics-2026 §4.4; the same in
// both catalogs).
const maxPMAsPerAccount = 50

// idOf is the id an identifier names: itself, or an ARN's last segment.
func idOf(identifier string) string {
	return identifier[strings.LastIndex(identifier, "/")+1:]
}

// ownPMA reads a PMA of account by id or ARN. Another account's PMA, or an
// ARN that is not exactly the PMA's, is not found.
func ownPMA(ctx context.Context, r store.Reader, account, catalog, identifier string) (docstore.Doc[pmaRecord], error) {
	id := idOf(identifier)
	nf := func() error { return notFound(resourcePMA, identifier) }
	d, err := docstore.Get[pmaRecord](ctx, r, kindPMA, catalog, id, nf)
	if err != nil {
		return d, err
	}
	if d.Value.Deleted || d.Value.Owner != account || (identifier != id && identifier != d.Value.Arn) {
		return docstore.Doc[pmaRecord]{}, nf()
	}
	return d, nil
}

func savePMA(ctx context.Context, tx store.Tx, d docstore.Doc[pmaRecord]) error {
	_, err := docstore.Put(ctx, tx, kindPMA, d.Value.Catalog, d.Value, d.Version)
	return err
}

// CreateProgramManagementAccount records a PENDING PMA for a management
// account; a PROGRAM_MANAGEMENT_ACCOUNT handshake the account accepts
// activates it.
func (s *Service) CreateProgramManagementAccount(ctx context.Context, account string, in *api.CreateProgramManagementAccountRequest) (*api.CreateProgramManagementAccountResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	return once(ctx, s, account, in.Catalog, "CreateProgramManagementAccount", in.ClientToken, in, func(tx store.Tx) (*api.CreateProgramManagementAccountResponse, error) {
		owned, err := countDocs(ctx, tx, kindPMA, in.Catalog, map[string][]string{"owner": {account}}, maxPMAsPerAccount)
		if err != nil {
			return nil, err
		}
		if owned >= maxPMAsPerAccount {
			return nil, quotaExceeded(resourcePMA, account, quotaPMAs, "Account %s has %d program management accounts, the most allowed.", account, maxPMAsPerAccount)
		}
		// One PMA per management account and partner: a second would be
		// the same billing account twice. The existing one is the conflict.
		same, _, err := docstore.List[pmaRecord](ctx, tx, store.DocumentQuery{Kind: kindPMA, Catalog: in.Catalog, Limit: 1,
			Match: map[string][]string{"managementAccount": {account + "|" + in.AccountId}}})
		if err != nil {
			return nil, err
		}
		if len(same) > 0 {
			return nil, apierr.Conflict("Program management account %s already manages account %s.", same[0].Id, in.AccountId).About(resourcePMA, same[0].Id)
		}
		now := s.now()
		id := docstore.NewID("pma-", 13)
		rec := &pmaRecord{
			Id: id, Arn: s.arn(account, in.Catalog, "program-management-account/"+id), Catalog: in.Catalog, Owner: account,
			Program: in.Program, DisplayName: in.DisplayName, AccountId: in.AccountId,
			Status: api.ProgramManagementAccountStatusPending, Revision: 1, CreatedAt: now, UpdatedAt: now,
		}
		if err := savePMA(ctx, tx, docstore.Doc[pmaRecord]{Value: rec}); err != nil {
			return nil, err
		}
		if err := putTags(ctx, tx, account, rec.Arn, in.Tags); err != nil {
			return nil, err
		}
		return &api.CreateProgramManagementAccountResponse{ProgramManagementAccountDetail: &api.CreateProgramManagementAccountDetail{Id: &rec.Id, Arn: &rec.Arn}}, nil
	})
}

// UpdateProgramManagementAccount changes a PMA's display name. A revision,
// when given, must be the current one.
func (s *Service) UpdateProgramManagementAccount(ctx context.Context, account string, in *api.UpdateProgramManagementAccountRequest) (*api.UpdateProgramManagementAccountResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	var out *api.UpdateProgramManagementAccountResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := ownPMA(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return err
		}
		p := d.Value
		if err := checkRevision(in.Revision, p.Revision, resourcePMA, p.Id); err != nil {
			return err
		}
		if in.DisplayName != nil {
			p.DisplayName = *in.DisplayName
		}
		p.touch(s.now())
		if err := savePMA(ctx, tx, d); err != nil {
			return err
		}
		out = &api.UpdateProgramManagementAccountResponse{ProgramManagementAccountDetail: &api.UpdateProgramManagementAccountDetail{
			Id: &p.Id, Arn: &p.Arn, Revision: revision(p.Revision), DisplayName: &p.DisplayName}}
		return nil
	})
	return out, err
}

// DeleteProgramManagementAccount removes a PMA that has no relationships
// and no pending handshake about it.
func (s *Service) DeleteProgramManagementAccount(ctx context.Context, account string, in *api.DeleteProgramManagementAccountRequest) (*api.DeleteProgramManagementAccountResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	return once(ctx, s, account, in.Catalog, "DeleteProgramManagementAccount", in.ClientToken, in, func(tx store.Tx) (*api.DeleteProgramManagementAccountResponse, error) {
		if err := s.expireHandshakes(ctx, tx, in.Catalog); err != nil {
			return nil, err
		}
		d, err := ownPMA(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return nil, err
		}
		p := d.Value
		rels, err := countDocs(ctx, tx, kindRelationship, in.Catalog, map[string][]string{"pma": {p.Id}}, 1)
		if err != nil {
			return nil, err
		}
		if rels > 0 {
			return nil, apierr.Conflict("Program management account %s still has relationships; delete them first.", p.Id).About(resourcePMA, p.Id)
		}
		if err := refuseWhilePending(ctx, tx, p.Catalog, p.Id, resourcePMA); err != nil {
			return nil, err
		}
		p.Deleted = true
		p.touch(s.now())
		if err := savePMA(ctx, tx, d); err != nil {
			return nil, err
		}
		if err := tx.DeleteTags(ctx, account, p.Arn); err != nil {
			return nil, err
		}
		return &api.DeleteProgramManagementAccountResponse{}, nil
	})
}

// ListProgramManagementAccounts lists the caller's PMAs, filtered and
// sorted by UpdatedAt.
func (s *Service) ListProgramManagementAccounts(ctx context.Context, account string, in *api.ListProgramManagementAccountsRequest) (*api.ListProgramManagementAccountsResponse, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	binding, err := pagetoken.Binding(account, in.Catalog, "ListProgramManagementAccounts", in, func(r *api.ListProgramManagementAccountsRequest) { r.NextToken, r.MaxResults = nil, nil })
	if err != nil {
		return nil, err
	}
	all, _, err := docstore.List[pmaRecord](ctx, s.store, store.DocumentQuery{Kind: kindPMA, Catalog: in.Catalog, Match: map[string][]string{"owner": {account}}})
	if err != nil {
		return nil, err
	}
	all = slices.DeleteFunc(all, func(p *pmaRecord) bool {
		return !admits(in.DisplayNames, p.DisplayName) || !admits(in.Programs, p.Program) ||
			!admits(in.AccountIds, p.AccountId) || !admits(in.Statuses, p.Status)
	})
	var order *api.SortOrder
	if in.Sort != nil {
		order = &in.Sort.SortOrder
	}
	page, next, err := pageOf(s, all, pageRequest{binding: binding, token: in.NextToken, size: in.MaxResults, order: order},
		func(p *pmaRecord) sortKey { return sortKey{p.UpdatedAt, p.Id} })
	if err != nil {
		return nil, err
	}
	out := &api.ListProgramManagementAccountsResponse{Items: make([]api.ProgramManagementAccountSummary, len(page)), NextToken: next}
	for i, p := range page {
		out.Items[i] = p.summary()
	}
	return out, nil
}

// admits reports whether a filter (empty: none) lets v through.
func admits[T comparable](filter []T, v T) bool {
	return len(filter) == 0 || slices.Contains(filter, v)
}

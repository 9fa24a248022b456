package account

import (
	"context"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// preferencesRecord is an account's connection preferences in a catalog:
// who may send it connection invitations.
type preferencesRecord struct {
	Account    string         `json:"account"`
	Catalog    string         `json:"catalog"`
	AccessType api.AccessType `json:"accessType"`
	Excluded   []string       `json:"excluded,omitempty"`
	Revision   int64          `json:"revision"`
	CreatedAt  time.Time      `json:"createdAt"`
	UpdatedAt  time.Time      `json:"updatedAt"`
}

// One preferences document per account and catalog, named by the account.
func (p *preferencesRecord) DocID() string                { return p.Account }
func (p *preferencesRecord) DocCreated() time.Time        { return p.CreatedAt }
func (p *preferencesRecord) DocKeys() map[string][]string { return nil }

// GetConnectionPreferences returns the caller's preferences.
func (s *Service) GetConnectionPreferences(ctx context.Context, account string, in *api.GetConnectionPreferencesRequest) (*api.GetConnectionPreferencesResponse, error) {
	d, err := s.preferences(ctx, s.store, account, in.Catalog)
	if err != nil {
		return nil, err
	}
	return s.preferencesView(d.Value), nil
}

// UpdateConnectionPreferences replaces the caller's preferences when the
// request names the stored Revision, and bumps it.
func (s *Service) UpdateConnectionPreferences(ctx context.Context, account string, in *api.UpdateConnectionPreferencesRequest) (*api.UpdateConnectionPreferencesResponse, error) {
	var out *api.UpdateConnectionPreferencesResponse
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := s.preferences(ctx, tx, account, in.Catalog)
		if err != nil {
			return err
		}
		p := d.Value
		if in.Revision != p.Revision {
			return apierr.Conflict("Revision %d is not the current revision %d of the connection preferences; read them again.", in.Revision, p.Revision).
				WithReason(string(api.ConflictExceptionReasonIncompatibleConnectionPreferencesRevision))
		}
		if d.Version == 0 {
			p.CreatedAt = s.now()
		}
		p.AccessType, p.Excluded, p.Revision, p.UpdatedAt = in.AccessType, in.ExcludedParticipantIdentifiers, p.Revision+1, s.now()
		if _, err := docstore.Put(ctx, tx, kindConnectionPrefs, in.Catalog, p, d.Version); err != nil {
			return err
		}
		out = (*api.UpdateConnectionPreferencesResponse)(s.preferencesView(p))
		return nil
	})
	return out, err
}

// preferences reads account's preferences, or the defaults when it never
// set any (Version 0): ALLOW_ALL at Revision 0, so the first update names
// 0. AWS documents neither default; UpdatedAt is then the partner's
// registration, when the preferences came into being, or now without one.
func (s *Service) preferences(ctx context.Context, r store.Reader, account, catalog string) (docstore.Doc[preferencesRecord], error) {
	d, err := docstore.Get[preferencesRecord](ctx, r, kindConnectionPrefs, catalog, account, func() error { return errNoPreferences })
	if err != errNoPreferences {
		return d, err
	}
	since := s.now()
	if p, err := callerPartner(ctx, r, account, catalog); err == nil {
		since = p.Value.CreatedAt
	} else if !apierr.Is(err, apierr.KindNotFound) {
		return d, err
	}
	return docstore.Doc[preferencesRecord]{Value: &preferencesRecord{Account: account, Catalog: catalog, AccessType: api.AccessTypeAllowAll, UpdatedAt: since}}, nil
}

// errNoPreferences marks preferences never written; it never leaves this file.
var errNoPreferences = apierr.NotFound("no connection preferences")

func (s *Service) preferencesView(p *preferencesRecord) *api.GetConnectionPreferencesResponse {
	return &api.GetConnectionPreferencesResponse{
		Catalog: p.Catalog, Arn: s.arn(p.Account, p.Catalog, "connection-preferences"),
		AccessType: p.AccessType, ExcludedParticipantIds: p.Excluded, UpdatedAt: p.UpdatedAt, Revision: p.Revision,
	}
}

// refuses reports whether the preferences turn away invitations from
// sender: DENY_ALL refuses everyone, ALLOW_BY_DEFAULT_DENY_SOME those whose
// account or profile id is excluded.
func (p *preferencesRecord) refuses(sender party) bool {
	switch p.AccessType {
	case api.AccessTypeDenyAll:
		return true
	case api.AccessTypeAllowByDefaultDenySome:
		return slices.Contains(p.Excluded, sender.Account) || (sender.ProfileId != "" && slices.Contains(p.Excluded, sender.ProfileId))
	}
	return false
}

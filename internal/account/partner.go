package account

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// partnerRecord is a partner as stored: the account's registration in a
// catalog, with its profile, alliance lead and training domains. One
// account has at most one partner per catalog.
type partnerRecord struct {
	Id                  string                  `json:"id"`
	Arn                 string                  `json:"arn"`
	Catalog             string                  `json:"catalog"`
	Account             string                  `json:"account"`
	LegalName           string                  `json:"legalName"`
	CreatedAt           time.Time               `json:"createdAt"`
	Profile             api.PartnerProfile      `json:"profile"` // Profile.ProfileId is the public profile id
	Visibility          api.ProfileVisibility   `json:"visibility"`
	AllianceLeadContact api.AllianceLeadContact `json:"allianceLeadContact"`
	Domains             []api.PartnerDomain     `json:"domains,omitempty"`
}

func (p *partnerRecord) DocID() string         { return p.Id }
func (p *partnerRecord) DocCreated() time.Time { return p.CreatedAt }

// DocKeys: a partner is found by its account, by its public profile id
// (connection invitations address the receiver's profile) and by legal
// name (registration enforces its uniqueness).
func (p *partnerRecord) DocKeys() map[string][]string {
	k := map[string][]string{"account": {p.Account}, "legalName": {p.LegalName}}
	if p.Profile.ProfileId != nil {
		k["profile"] = []string{*p.Profile.ProfileId}
	}
	return k
}

func partnerNotFound(what string) error {
	return apierr.NotFound("No partner %s.", what).WithReason(string(api.ResourceNotFoundExceptionReasonPartnerNotFound))
}

// findPartner returns the one partner matching key=value in the catalog.
func findPartner(ctx context.Context, r store.Reader, catalog, key, value string) (docstore.Doc[partnerRecord], error) {
	found, _, err := docstore.List[partnerRecord](ctx, r, store.DocumentQuery{Kind: kindPartner, Catalog: catalog, Match: map[string][]string{key: {value}}, Limit: 1})
	if err != nil {
		return docstore.Doc[partnerRecord]{}, err
	}
	if len(found) == 0 {
		return docstore.Doc[partnerRecord]{}, partnerNotFound("with " + key + " " + value + " in catalog " + catalog)
	}
	return docstore.Get[partnerRecord](ctx, r, kindPartner, catalog, found[0].Id, func() error { return partnerNotFound(found[0].Id) })
}

// callerPartner is the caller's own partner in the catalog; without one it
// is ResourceNotFound with Reason PARTNER_NOT_FOUND.
func callerPartner(ctx context.Context, r store.Reader, account, catalog string) (docstore.Doc[partnerRecord], error) {
	return findPartner(ctx, r, catalog, "account", account)
}

// partnerByProfile is the partner whose public profile id is profileID.
func partnerByProfile(ctx context.Context, r store.Reader, catalog, profileID string) (docstore.Doc[partnerRecord], error) {
	return findPartner(ctx, r, catalog, "profile", profileID)
}

// savePartner writes a partner: an insert when d.Version is 0.
func savePartner(ctx context.Context, tx store.Tx, d docstore.Doc[partnerRecord]) (docstore.Doc[partnerRecord], error) {
	v, err := docstore.Put(ctx, tx, kindPartner, d.Value.Catalog, d.Value, d.Version)
	return docstore.Doc[partnerRecord]{Value: d.Value, Version: v}, err
}

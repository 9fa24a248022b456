package account

import (
	"context"
	"strings"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// newProfileLocale is a new profile's TranslationSourceLocale: the
// registration is in English, and the model requires a locale.
const newProfileLocale = "en-US"

// CreatePartner registers the caller's account as a partner in a catalog,
// synchronously as AWS does. In AWS the account must have passed both
// verifications and the alliance lead's email must carry a code sent to
// it; the Sandbox asks for neither (any six digits pass).
func (s *Service) CreatePartner(ctx context.Context, account string, in *api.CreatePartnerRequest) (*api.CreatePartnerResponse, error) {
	if in.Catalog == CatalogSandbox && len(in.Tags) > 0 {
		// AWS's Sandbox guide says not to send Tags on CreatePartner; we
		// take it that the Sandbox refuses them rather than ignoring them.
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "tags", Code: apierr.CodeActionNotPermitted,
			Message: "The Sandbox catalog does not take Tags on CreatePartner; tag the partner with TagResource."})
	}
	return once(ctx, s, scopeOf(account, in.Catalog), "CreatePartner", in.ClientToken, in, func(tx store.Tx) (*api.CreatePartnerResponse, error) {
		if err := s.uniquePartner(ctx, tx, account, in.Catalog, in.LegalName); err != nil {
			return nil, err
		}
		if in.Catalog == CatalogAWS {
			if err := s.verifiedFor(ctx, tx, account, in.LegalName); err != nil {
				return nil, err
			}
		}
		if err := s.consumeEmailCode(ctx, tx, in.Catalog, in.AllianceLeadContact.Email, in.EmailVerificationCode, "emailVerificationCode"); err != nil {
			return nil, err
		}
		p := s.newPartner(account, in)
		if _, err := savePartner(ctx, tx, docstore.Doc[partnerRecord]{Value: p}); err != nil {
			return nil, err
		}
		if len(in.Tags) > 0 {
			if err := tx.PutTags(ctx, account, p.Arn, store.TagsOf(in.Tags)); err != nil {
				return nil, err
			}
		}
		return &api.CreatePartnerResponse{Catalog: p.Catalog, Arn: p.Arn, Id: p.Id, LegalName: p.LegalName, CreatedAt: p.CreatedAt,
			Profile: p.Profile, AwsTrainingCertificationEmailDomains: p.Domains, AllianceLeadContact: p.AllianceLeadContact}, nil
	})
}

// uniquePartner refuses a second partner for the account in the catalog,
// and a legal name another partner registered ("Registration will enforce
// uniqueness based on partner legal name").
func (s *Service) uniquePartner(ctx context.Context, r store.Reader, account, catalog, legalName string) error {
	for _, k := range []struct{ key, value, msg string }{
		{"account", account, "This account is already registered as a partner in catalog " + catalog + "."},
		{"legalName", legalName, "A partner with this legal name is already registered in catalog " + catalog + "."},
	} {
		_, err := findPartner(ctx, r, catalog, k.key, k.value)
		switch {
		case err == nil:
			return apierr.Conflict("%s", k.msg).WithReason(string(api.ConflictExceptionReasonDuplicatePartner))
		case !apierr.Is(err, apierr.KindNotFound):
			return err
		}
	}
	return nil
}

// newPartner is a just-registered partner: a private profile named after
// the company, with the remaining profile content left for
// StartProfileUpdateTask to fill.
func (s *Service) newPartner(account string, in *api.CreatePartnerRequest) *partnerRecord {
	id := docstore.NewID("partner-", 13)
	profileID := docstore.NewID("pprofile-", 13)
	return &partnerRecord{
		Id: id, Arn: s.arn(account, in.Catalog, "partner/"+id), Catalog: in.Catalog, Account: account,
		LegalName: in.LegalName, CreatedAt: s.now(),
		Profile: api.PartnerProfile{DisplayName: in.LegalName, PrimarySolutionType: in.PrimarySolutionType,
			IndustrySegments: []api.IndustrySegment{}, TranslationSourceLocale: newProfileLocale, ProfileId: &profileID},
		Visibility:          api.ProfileVisibilityPrivate,
		AllianceLeadContact: in.AllianceLeadContact,
	}
}

// GetPartner is the caller's partner.
func (s *Service) GetPartner(ctx context.Context, account string, in *api.GetPartnerRequest) (*api.GetPartnerResponse, error) {
	// A profile update task that has finished by now shows in the profile.
	d, _, _, err := s.settledProfile(ctx, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	p := d.Value
	return &api.GetPartnerResponse{Catalog: p.Catalog, Arn: p.Arn, Id: p.Id, LegalName: p.LegalName, CreatedAt: p.CreatedAt,
		Profile: p.Profile, AwsTrainingCertificationEmailDomains: p.Domains}, nil
}

// identifiedPartner is the caller's partner in the catalog named by
// identifier, a partner id or ARN. An ARN of another account is
// AccessDenied; any other identifier that is not the caller's partner is
// ResourceNotFound, so partner ids of other accounts are not revealed.
func (s *Service) identifiedPartner(ctx context.Context, r store.Reader, account, catalog, identifier string) (docstore.Doc[partnerRecord], error) {
	if strings.HasPrefix(identifier, "arn:") && arnAccount(identifier) != account {
		return docstore.Doc[partnerRecord]{}, accessDenied(identifier)
	}
	d, err := callerPartner(ctx, r, account, catalog)
	if err != nil {
		return d, err
	}
	if identifier != d.Value.Id && identifier != d.Value.Arn {
		return docstore.Doc[partnerRecord]{}, partnerNotFound(identifier + " in catalog " + catalog)
	}
	return d, nil
}

// arnAccount is an ARN's account field (the fifth), "" if it has none.
func arnAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

func accessDenied(arn string) error {
	return apierr.AccessDenied("The caller is not authorized to access %s.", arn).WithReason(string(api.AccessDeniedExceptionReasonAccessDenied))
}

// ListPartners lists the caller's partners in a catalog: its own
// registration, if any (an account sees no other account's partner).
func (s *Service) ListPartners(ctx context.Context, account string, in *api.ListPartnersRequest) (*api.ListPartnersResponse, error) {
	b, err := pagetoken.Binding(account, in.Catalog, "ListPartners", in, func(r *api.ListPartnersRequest) { r.NextToken = nil })
	if err != nil {
		return nil, err
	}
	rows, next, err := listPage[partnerRecord](ctx, s, s.store, page{
		Query:   store.DocumentQuery{Kind: kindPartner, Catalog: in.Catalog, Match: map[string][]string{"account": {account}}},
		Binding: b, Token: in.NextToken, Size: defaultPageSize,
	})
	if err != nil {
		return nil, err
	}
	out := &api.ListPartnersResponse{PartnerSummaryList: make([]api.PartnerSummary, len(rows)), NextToken: next}
	for i, p := range rows {
		out.PartnerSummaryList[i] = api.PartnerSummary{Catalog: p.Catalog, Arn: p.Arn, Id: p.Id, LegalName: p.LegalName, CreatedAt: p.CreatedAt}
	}
	return out, nil
}

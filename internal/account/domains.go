package account

import (
	"context"
	"slices"
	"strings"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// maxDomains is the documented quota of training and certification email
// domains per partner.
const maxDomains = 50

// AssociateAwsTrainingCertificationEmailDomain associates the domain of an
// address whose code proves the partner controls it.
func (s *Service) AssociateAwsTrainingCertificationEmailDomain(ctx context.Context, account string, in *api.AssociateAwsTrainingCertificationEmailDomainRequest) (*api.AssociateAwsTrainingCertificationEmailDomainResponse, error) {
	_, domain, _ := strings.Cut(strings.ToLower(in.Email), "@") // the model's Email pattern has exactly one @
	return once(ctx, s, scopeOf(account, in.Catalog), "AssociateAwsTrainingCertificationEmailDomain", in.ClientToken, in, func(tx store.Tx) (*api.AssociateAwsTrainingCertificationEmailDomainResponse, error) {
		d, err := s.identifiedPartner(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return nil, err
		}
		if domainIndex(d.Value.Domains, domain) >= 0 {
			return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "email", Code: apierr.CodeDuplicateKeyValue,
				Message: "The domain " + domain + " is already associated with the partner."})
		}
		if len(d.Value.Domains) >= maxDomains {
			return nil, apierr.QuotaExceeded("A partner can associate at most %d email domains.", maxDomains).
				WithReason(string(api.ServiceQuotaExceededExceptionReasonLimitExceededNumberOfDomain))
		}
		if err := s.consumeEmailCode(ctx, tx, in.Catalog, in.Email, in.EmailVerificationCode, "emailVerificationCode"); err != nil {
			return nil, err
		}
		d.Value.Domains = append(d.Value.Domains, api.PartnerDomain{DomainName: domain, RegisteredAt: s.now()})
		if _, err := savePartner(ctx, tx, d); err != nil {
			return nil, err
		}
		return &api.AssociateAwsTrainingCertificationEmailDomainResponse{}, nil
	})
}

// DisassociateAwsTrainingCertificationEmailDomain removes an associated
// domain.
func (s *Service) DisassociateAwsTrainingCertificationEmailDomain(ctx context.Context, account string, in *api.DisassociateAwsTrainingCertificationEmailDomainRequest) (*api.DisassociateAwsTrainingCertificationEmailDomainResponse, error) {
	return once(ctx, s, scopeOf(account, in.Catalog), "DisassociateAwsTrainingCertificationEmailDomain", in.ClientToken, in, func(tx store.Tx) (*api.DisassociateAwsTrainingCertificationEmailDomainResponse, error) {
		d, err := s.identifiedPartner(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return nil, err
		}
		i := domainIndex(d.Value.Domains, in.DomainName)
		if i < 0 {
			return nil, apierr.NotFound("The domain %s is not associated with the partner.", in.DomainName).
				WithReason(string(api.ResourceNotFoundExceptionReasonPartnerDomainNotFound))
		}
		d.Value.Domains = slices.Delete(d.Value.Domains, i, i+1)
		if _, err := savePartner(ctx, tx, d); err != nil {
			return nil, err
		}
		return &api.DisassociateAwsTrainingCertificationEmailDomainResponse{}, nil
	})
}

// domainIndex finds a domain, ignoring case as DNS does; -1 if absent.
func domainIndex(domains []api.PartnerDomain, name string) int {
	return slices.IndexFunc(domains, func(d api.PartnerDomain) bool { return strings.EqualFold(d.DomainName, name) })
}

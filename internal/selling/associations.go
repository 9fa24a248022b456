package selling

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/smithy"
	"github.com/cosell/cosell/internal/store"
)

// associationLimits are AWS's per-opportunity association quotas
// (DG quotas.html): 20 AWS products, 10 partner solutions, 10 Marketplace
// solutions, 10 Marketplace products, and one private offer — one Offer or
// one Offer Set, not both (counted together).
var associationLimits = map[api.RelatedEntityType]int{
	api.RelatedEntityTypeAwsProducts:             20,
	api.RelatedEntityTypeSolutions:               10,
	api.RelatedEntityTypeAwsMarketplaceSolutions: 10,
	api.RelatedEntityTypeAwsMarketplaceProducts:  10,
	api.RelatedEntityTypeAwsMarketplaceOffers:    1,
	api.RelatedEntityTypeAwsMarketplaceOfferSets: 1,
}

// entityList returns a pointer to the list of rel that holds entities of kind.
func entityList(rel *api.RelatedEntityIdentifiers, kind api.RelatedEntityType) *[]string {
	switch kind {
	case api.RelatedEntityTypeSolutions:
		return &rel.Solutions
	case api.RelatedEntityTypeAwsProducts:
		return &rel.AwsProducts
	case api.RelatedEntityTypeAwsMarketplaceOffers:
		return &rel.AwsMarketplaceOffers
	case api.RelatedEntityTypeAwsMarketplaceSolutions:
		return &rel.AwsMarketplaceSolutions
	case api.RelatedEntityTypeAwsMarketplaceProducts:
		return &rel.AwsMarketplaceProducts
	default:
		return &rel.AwsMarketplaceOfferSets
	}
}

// AssociateOpportunity links a solution, AWS product or Marketplace offer.
func (s *Service) AssociateOpportunity(ctx context.Context, account string, in *api.AssociateOpportunityRequest) (*struct{}, error) {
	scope := scopeOf(account, in.Catalog)
	_, err := s.mutate(ctx, scope, in.OpportunityIdentifier, func(tx store.Tx, rec *record, _ time.Time) error {
		if err := s.checkEntityExists(ctx, tx, scope, in.RelatedEntityType, in.RelatedEntityIdentifier); err != nil {
			return err
		}
		rel := &rec.Opportunity.RelatedEntityIdentifiers
		list := entityList(rel, in.RelatedEntityType)
		if slices.Contains(*list, in.RelatedEntityIdentifier) {
			return apierr.Conflict("%s %s is already associated with opportunity %s.", in.RelatedEntityType, in.RelatedEntityIdentifier, in.OpportunityIdentifier)
		}
		used := len(*list)
		if in.RelatedEntityType == api.RelatedEntityTypeAwsMarketplaceOffers || in.RelatedEntityType == api.RelatedEntityTypeAwsMarketplaceOfferSets {
			used = len(rel.AwsMarketplaceOffers) + len(rel.AwsMarketplaceOfferSets)
		}
		if limit := associationLimits[in.RelatedEntityType]; used >= limit {
			return apierr.BusinessInvalid(fmt.Sprintf("An opportunity can be associated with at most %d %s.", limit, in.RelatedEntityType), apierr.FieldError{
				FieldName: "relatedEntityIdentifier", Code: apierr.CodeTooManyValues,
				Message: fmt.Sprintf("The %s association limit of %d is reached.", in.RelatedEntityType, limit),
			})
		}
		*list = append(*list, in.RelatedEntityIdentifier)
		return nil
	})
	return nil, err
}

// DisassociateOpportunity removes a link. Removing the last solution of an
// opportunity at Committed or Launched is refused: those stages need one.
func (s *Service) DisassociateOpportunity(ctx context.Context, account string, in *api.DisassociateOpportunityRequest) (*struct{}, error) {
	_, err := s.mutate(ctx, scopeOf(account, in.Catalog), in.OpportunityIdentifier, func(_ store.Tx, rec *record, _ time.Time) error {
		list := entityList(&rec.Opportunity.RelatedEntityIdentifiers, in.RelatedEntityType)
		i := slices.Index(*list, in.RelatedEntityIdentifier)
		if i < 0 {
			return apierr.NotFound("%s %s is not associated with opportunity %s.", in.RelatedEntityType, in.RelatedEntityIdentifier, in.OpportunityIdentifier)
		}
		*list = slices.Delete(*list, i, i+1)
		if errs := s.checkRules(rec); len(errs) > 0 {
			return businessInvalid(errs)
		}
		return nil
	})
	return nil, err
}

// entityFormat is, per entity type, the pattern its identifiers follow in
// GetOpportunity's RelatedEntityIdentifiers. The request member takes any
// string, so the model's per-list patterns are what an association must fit.
func entityFormat(kind api.RelatedEntityType) *smithy.Pattern {
	rel := api.Service.Operations["GetOpportunity"].Output.Member("RelatedEntityIdentifiers")
	if m := rel.Target.Member(string(kind)); m != nil {
		item := m.Target.ListMember
		if item.Pattern != nil {
			return item.Pattern
		}
		return item.Target.Pattern
	}
	return nil
}

// checkEntityExists verifies what cosell can know. Every identifier must
// have its type's format; partner solutions live in the store and must
// exist and be Active; Marketplace solutions and products must be the
// caller's Public or Limited listings (checkListing). AWS products and
// Marketplace offers belong to catalogs outside Partner Central, so their
// format is all cosell checks.
func (s *Service) checkEntityExists(ctx context.Context, r store.Reader, scope store.Scope, kind api.RelatedEntityType, id string) error {
	if p := entityFormat(kind); p != nil && !p.Match(id) {
		return apierr.RequestInvalid(apierr.FieldError{
			FieldName: "relatedEntityIdentifier", Code: apierr.CodeInvalidStringFormat,
			Message: fmt.Sprintf("%q is not a valid identifier for %s.", id, kind),
		})
	}
	if kind == api.RelatedEntityTypeAwsMarketplaceSolutions || kind == api.RelatedEntityTypeAwsMarketplaceProducts {
		return s.checkListing(ctx, r, scope, kind, id)
	}
	if kind != api.RelatedEntityTypeSolutions {
		return nil
	}
	sol, err := r.GetSolution(ctx, scope, id)
	if errors.Is(err, store.ErrNotFound) {
		return apierr.NotFound("Solution %s does not exist in catalog %s.", id, scope.Catalog)
	}
	if err != nil {
		return internal("get solution", err)
	}
	if sol.Status != string(api.SolutionStatusActive) {
		return apierr.BusinessInvalid("Solution "+id+" is "+sol.Status+"; only Active solutions can be associated.", apierr.FieldError{
			FieldName: "relatedEntityIdentifier", Code: apierr.CodeInvalidResourceState, Message: "The solution is not Active.",
		})
	}
	return nil
}

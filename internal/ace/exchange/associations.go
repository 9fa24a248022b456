package exchange

import (
	"context"
	"slices"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/apierr"
)

// associate relates an opportunity to the solutions, AWS products and
// offers the record names, which the API sets with AssociateOpportunity
// rather than in the opportunity's own fields. What is related already is
// left alone. A refusal is a warning: the opportunity itself was written.
func (x *Exchange) associate(ctx context.Context, b bucket, id string, r ace.Record) ([]string, error) {
	solutions, products, offers := ace.Associations(r)
	if len(solutions)+len(products)+len(offers) == 0 {
		return nil, nil
	}
	o, err := x.selling.Opportunity(ctx, b.account, b.catalog, id)
	if err != nil {
		return nil, err
	}
	have := o.RelatedEntityIdentifiers
	var warnings []string
	for _, set := range []struct {
		typ        api.RelatedEntityType
		want, have []string
	}{
		{api.RelatedEntityTypeSolutions, solutions, have.Solutions},
		{api.RelatedEntityTypeAwsProducts, products, have.AwsProducts},
		{api.RelatedEntityTypeAwsMarketplaceOffers, offers, have.AwsMarketplaceOffers},
	} {
		for _, entity := range set.want {
			if slices.Contains(set.have, entity) {
				continue
			}
			_, err := x.selling.AssociateOpportunity(ctx, b.account, &api.AssociateOpportunityRequest{
				Catalog: b.catalog, OpportunityIdentifier: id, RelatedEntityType: set.typ, RelatedEntityIdentifier: entity,
			})
			if e, ok := apierr.As(err); ok {
				warnings = append(warnings, string(set.typ)+" "+entity+" not associated: "+e.Message)
			} else if err != nil {
				return nil, err
			}
		}
	}
	return warnings, nil
}

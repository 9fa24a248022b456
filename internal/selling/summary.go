package selling

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
)

// GetAwsOpportunitySummary is AWS's side of a partner opportunity. Until
// AWS acts on it (UpdateAwsSummary: stage, team, insights) it carries only
// what the partner's submission determined.
func (s *Service) GetAwsOpportunitySummary(ctx context.Context, account string, in *api.GetAwsOpportunitySummaryRequest) (*api.GetAwsOpportunitySummaryResponse, error) {
	if err := s.decideDueReviews(ctx, scopeOf(account, in.Catalog)); err != nil {
		return nil, err
	}
	_, rec, err := loadOpportunity(ctx, s.store, scopeOf(account, in.Catalog), in.RelatedOpportunityIdentifier)
	if err != nil {
		return nil, err
	}
	return awsSummaryOf(rec), nil
}

// awsSummaryOf is AWS's side of rec; the AwsOpportunitySummaryFullView
// snapshot template copies it too.
func awsSummaryOf(rec *record) *api.GetAwsOpportunitySummaryResponse {
	o := &rec.Opportunity
	rel := o.RelatedEntityIdentifiers
	out := &api.GetAwsOpportunitySummaryResponse{
		Catalog:              o.Catalog,
		RelatedOpportunityId: &o.Id,
		Origin:               &rec.Origin,
		InvolvementType:      rec.InvolvementType,
		Visibility:           rec.Visibility,
		RelatedEntityIds: &api.AwsOpportunityRelatedEntities{AwsProducts: nonNil(rel.AwsProducts), Solutions: nonNil(rel.Solutions),
			AwsMarketplaceSolutions: rel.AwsMarketplaceSolutions, AwsMarketplaceProducts: rel.AwsMarketplaceProducts},
	}
	if a := rec.Aws; a != nil {
		out.LifeCycle, out.OpportunityTeam, out.Insights = a.LifeCycle, a.OpportunityTeam, a.Insights
		out.InvolvementTypeChangeReason, out.Project = a.InvolvementTypeChangeReason, a.Project
		out.CosellMotion, out.SoftwareRevenue = a.CosellMotion, a.SoftwareRevenue
	}
	return out
}

package selling

import (
	api "github.com/cosell/cosell/api/selling"
)

// AWS's scoring of an opportunity (semantics-2026 §1.4): OpportunityQuality
// from "opportunity content completeness and sales methodology criteria",
// Recommendations, and the co-sell motion. AWS scores with its own models;
// the automatic reviewer scores what it can see — how much of the content a
// reviewer looks for the opportunity gives — when it decides a submission.
// Through the admin API (UpdateAwsSummary) AWS can set any of it.

// qualityCriteria are the parts of an opportunity the score counts, each
// with its field path and the recommendation when it is missing.
var qualityCriteria = []struct {
	path, advice string
	given        func(o *api.GetOpportunityResponse) bool
}{
	{"customer.account.websiteUrl", "Add the customer's website.", func(o *api.GetOpportunityResponse) bool { return customerAccount(o).WebsiteUrl != nil }},
	{"customer.account.industry", "Name the customer's industry.", func(o *api.GetOpportunityResponse) bool { return customerAccount(o).Industry != nil }},
	{"customer.contacts", "Add a customer contact.", func(o *api.GetOpportunityResponse) bool { return o.Customer != nil && len(o.Customer.Contacts) > 0 }},
	{"project.customerBusinessProblem", "Describe the customer's business problem in more detail.", func(o *api.GetOpportunityResponse) bool {
		return len(deref(deref(o.Project).CustomerBusinessProblem)) >= 100
	}},
	{"project.customerUseCase", "Name the customer's use case.", func(o *api.GetOpportunityResponse) bool { return deref(o.Project).CustomerUseCase != nil }},
	{"project.expectedCustomerSpend", "Estimate the customer's AWS spend.", func(o *api.GetOpportunityResponse) bool { return len(deref(o.Project).ExpectedCustomerSpend) > 0 }},
	{"project.salesActivities", "Record the sales activities so far.", func(o *api.GetOpportunityResponse) bool { return len(deref(o.Project).SalesActivities) > 0 }},
	{"relatedEntityIdentifiers.solutions", "Associate a solution or an AWS Marketplace listing.", func(o *api.GetOpportunityResponse) bool {
		r := o.RelatedEntityIdentifiers
		return len(r.Solutions)+len(r.AwsMarketplaceSolutions)+len(r.AwsMarketplaceProducts) > 0
	}},
	{"lifeCycle.nextSteps", "Write the next steps.", func(o *api.GetOpportunityResponse) bool { return deref(o.LifeCycle).NextSteps != nil }},
	{"primaryNeedsFromAws", "Say what you need from AWS.", func(o *api.GetOpportunityResponse) bool { return len(o.PrimaryNeedsFromAws) > 0 }},
}

// ruledCosellMotion is the motion of an opportunity the automatic reviewer
// decided: no AWS seller or agent took part, so the partner leads.
const ruledCosellMotion = "Partner-led"

// scoreOpportunity sets AWS's quality score, its trend against the last
// score, one OpportunityQuality recommendation per missing criterion, and
// the co-sell motion.
func scoreOpportunity(rec *record) {
	o := &rec.Opportunity
	var recs []api.Recommendation
	for _, c := range qualityCriteria {
		if !c.given(o) {
			recs = append(recs, api.Recommendation{Type: "OpportunityQuality", Details: c.advice, Attributes: map[string]string{"FieldPath": c.path}})
		}
	}
	score := int32(100 * (len(qualityCriteria) - len(recs)) / len(qualityCriteria))
	if rec.Aws == nil {
		rec.Aws = &AwsFields{}
	}
	insights := deref(rec.Aws.Insights)
	trend := "No Change"
	if prev := insights.OpportunityQuality; prev != nil && prev.Score != nil {
		switch {
		case score > *prev.Score:
			trend = "Improving"
		case score < *prev.Score:
			trend = "Declining"
		}
	}
	insights.OpportunityQuality = &api.OpportunityQuality{Score: &score, Trend: &trend}
	insights.Recommendations = recs
	rec.Aws.Insights = &insights
	rec.Aws.CosellMotion = ptr(ruledCosellMotion)
}

package ace

import (
	"time"

	"github.com/cosell/cosell/api/selling"
)

// ReferralAnswer reports whether the record answers an AWS referral.
func ReferralAnswer(r Record) (accept bool, rejectionReason string, ok bool, problems []string) {
	return false, "", false, nil
}

// NewOpportunity maps a create record to the API's CreateOpportunity request.
func NewOpportunity(catalog string, r Record) (*selling.CreateOpportunityRequest, []string) {
	return &selling.CreateOpportunityRequest{Catalog: catalog}, nil
}

// UpdateOpportunity applies the fields the record sent onto the current opportunity.
func UpdateOpportunity(current *selling.GetOpportunityResponse, r Record) (req *selling.UpdateOpportunityRequest, unchanged bool, problems []string) {
	return &selling.UpdateOpportunityRequest{Catalog: current.Catalog, Identifier: current.Id, LastModifiedDate: current.LastModifiedDate}, true, nil
}

// OutboundOpportunity renders an opportunity as a v2.0 outbound record.
func OutboundOpportunity(o *selling.GetOpportunityResponse, summary *selling.GetAwsOpportunitySummaryResponse) map[string]any {
	return map[string]any{"apnCrmUniqueIdentifier": o.Id}
}

// OutboundReferral renders a pending AWS opportunity referral with the customer's PII masked.
func OutboundReferral(inv *selling.GetEngagementInvitationResponse) map[string]any {
	return map[string]any{"apnCrmUniqueIdentifier": inv.Id}
}

// LeadAnswer reports whether the record accepts or rejects a lead.
func LeadAnswer(r Record) (accept bool, ok bool, problems []string) { return false, false, nil }

// LeadUpdate maps the record's sent fields onto the lead context payload.
func LeadUpdate(current *selling.LeadContext, r Record) (updated *selling.LeadContext, unchanged bool, problems []string) {
	return current, true, nil
}

// OutboundLead renders a lead.
func OutboundLead(engagementID string, lead *selling.LeadContext, status string, masked bool, created, modified time.Time) map[string]any {
	return map[string]any{"apnCrmUniqueIdentifier": engagementID}
}

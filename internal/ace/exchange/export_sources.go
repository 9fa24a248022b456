package exchange

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/selling"
)

// opportunityExports are the opportunity records of an export: AWS's
// pending referrals, masked, and the partner's opportunities that came
// from AWS's referrals, changed since the cursor.
func (x *Exchange) opportunityExports(ctx context.Context, b bucket, sel *selection) ([]map[string]any, error) {
	invitations, err := x.selling.AwsInvitations(ctx, b.account, b.catalog, api.EngagementInvitationPayloadTypeOpportunityInvitation)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, inv := range invitations {
		if deref(inv.Status) == api.InvitationStatusPending && sel.wants("referral:"+inv.Id, deref(inv.InvitationDate), "PENDING") {
			out = append(out, ace.OutboundReferral(inv))
		}
	}
	ids, err := x.selling.AwsReferredOpportunities(ctx, b.account, b.catalog)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		o, err := x.selling.Opportunity(ctx, b.account, b.catalog, id)
		if err != nil {
			return nil, err
		}
		if !sel.wants("opportunity:"+id, o.LastModifiedDate, "") {
			continue
		}
		summary, err := x.selling.GetAwsOpportunitySummary(ctx, b.account, &api.GetAwsOpportunitySummaryRequest{Catalog: b.catalog, RelatedOpportunityIdentifier: id})
		if err != nil {
			return nil, err
		}
		record := ace.OutboundOpportunity(o, summary)
		// An accepted referral's CRM id is the exchange's to tell (see
		// answerReferral): with it the partner sees an update, not a new
		// referral.
		if record["partnerCrmUniqueIdentifier"] == nil {
			crm, err := x.crmIDOf(ctx, b, id)
			if err != nil {
				return nil, err
			}
			record["partnerCrmUniqueIdentifier"] = nonEmpty(crm)
		}
		out = append(out, record)
	}
	return out, nil
}

// leadExports are the lead records of an export: AWS's leads, masked while
// their invitation is pending and in full once accepted, changed since the
// cursor. Rejected and expired leads are no longer shared.
func (x *Exchange) leadExports(ctx context.Context, b bucket, sel *selection) ([]map[string]any, error) {
	invitations, err := x.selling.AwsInvitations(ctx, b.account, b.catalog, api.EngagementInvitationPayloadTypeLeadInvitation)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, inv := range invitations {
		status := deref(inv.Status)
		reader, masked := b.account, false
		switch status {
		case api.InvitationStatusPending:
			reader, masked = selling.AwsAccountID, true // the partner may not read it yet
		case api.InvitationStatusAccepted:
		default:
			continue
		}
		lead, err := x.selling.EngagementLead(ctx, reader, b.catalog, deref(inv.EngagementId))
		if err != nil {
			return nil, err
		}
		changed := lead.ModifiedAt
		if masked {
			changed = deref(inv.InvitationDate)
		}
		if sel.wants("lead:"+lead.EngagementID, changed, string(status)) {
			out = append(out, ace.OutboundLead(lead.EngagementID, &lead.Lead, "", masked, lead.CreatedAt, changed))
		}
	}
	return out, nil
}

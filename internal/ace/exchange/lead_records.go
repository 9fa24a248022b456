package exchange

import (
	"bytes"
	"context"
	"encoding/json"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
)

// noLeadUpdate is ACE's answer to a lead record that changes nothing
// (semantics §6.5).
const noLeadUpdate = "No new update identified for this record"

// leadRecord accepts or rejects an AWS lead (currentLeadStage) and applies
// the lead fields the record sent. The lead is named by its
// apnCrmUniqueIdentifier, the engagement id the export gives it.
func (x *Exchange) leadRecord(ctx context.Context, b bucket, r ace.Record) (outcome, error) {
	engagement := r.ApnCrmID()
	if engagement == "" {
		return failed("", "apnCrmUniqueIdentifier is required: ACE accepts updates of the leads it shared only"), nil
	}
	accept, answered, problems := ace.LeadAnswer(r)
	if len(problems) > 0 {
		return failed(engagement, problems...), nil
	}
	if answered {
		inv, err := x.leadInvitation(ctx, b, engagement)
		if err != nil {
			return outcome{}, err
		}
		if inv == nil {
			return failed(engagement, "Lead "+engagement+" does not exist."), nil
		}
		if o, err := x.answerLead(ctx, b, inv, accept); err != nil || len(o.errors) > 0 || !accept {
			return o, err
		}
	}
	return x.updateLead(ctx, b, engagement, r, answered)
}

// leadInvitation is AWS's invitation to the partner for the lead of an
// engagement (nil if there is none).
func (x *Exchange) leadInvitation(ctx context.Context, b bucket, engagement string) (*api.GetEngagementInvitationResponse, error) {
	invitations, err := x.selling.AwsInvitations(ctx, b.account, b.catalog, api.EngagementInvitationPayloadTypeLeadInvitation)
	if err != nil {
		return nil, err
	}
	for _, inv := range invitations {
		if deref(inv.EngagementId) == engagement {
			return inv, nil
		}
	}
	return nil, nil
}

// answerLead accepts or rejects a lead's invitation. Accepting an accepted
// lead again is no error, so a file processed twice answers the same.
func (x *Exchange) answerLead(ctx context.Context, b bucket, inv *api.GetEngagementInvitationResponse, accept bool) (outcome, error) {
	engagement := deref(inv.EngagementId)
	var err error
	switch {
	case accept && deref(inv.Status) == api.InvitationStatusAccepted:
	case accept:
		_, err = x.selling.AcceptEngagementInvitation(ctx, b.account, &api.AcceptEngagementInvitationRequest{Catalog: b.catalog, Identifier: inv.Id})
	default:
		_, err = x.selling.RejectEngagementInvitation(ctx, b.account, &api.RejectEngagementInvitationRequest{Catalog: b.catalog, Identifier: inv.Id})
	}
	if err != nil {
		return refusal(engagement, err)
	}
	return outcome{apnID: engagement}, nil
}

// updateLead applies the record's lead fields with UpdateEngagementContext.
// A record that only answered the lead needs no change.
func (x *Exchange) updateLead(ctx context.Context, b bucket, engagement string, r ace.Record, answered bool) (outcome, error) {
	current, err := x.selling.EngagementLead(ctx, b.account, b.catalog, engagement)
	if err != nil {
		return refusal(engagement, err)
	}
	updated, unchanged, problems := ace.LeadUpdate(&current.Lead, r)
	switch {
	case len(problems) > 0:
		return failed(engagement, problems...), nil
	case unchanged && answered:
		return outcome{apnID: engagement}, nil
	case unchanged:
		return failed(engagement, noLeadUpdate), nil
	}
	change := &api.UpdateLeadContext{QualificationStatus: updated.QualificationStatus, Customer: updated.Customer,
		Interaction: changedInteraction(current.Lead.Interactions, updated.Interactions)}
	_, err = x.selling.UpdateEngagementContext(ctx, b.account, &api.UpdateEngagementContextRequest{
		Catalog: b.catalog, EngagementIdentifier: engagement, ContextIdentifier: current.ContextID,
		EngagementLastModifiedAt: current.ModifiedAt, Type: api.EngagementContextTypeLead, Payload: api.UpdateEngagementContextPayload{Lead: change},
	})
	if err != nil {
		return refusal(engagement, err)
	}
	return outcome{apnID: engagement}, nil
}

// changedInteraction is the interaction an update changed or added, if
// any: the API takes one interaction per update, which joins the lead's
// history.
func changedInteraction(before, after []api.LeadInteraction) *api.LeadInteraction {
	for i := range after {
		if i >= len(before) || !sameJSON(before[i], after[i]) {
			return &after[i]
		}
	}
	return nil
}

func sameJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}

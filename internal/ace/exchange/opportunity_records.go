package exchange

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// opportunityRecord answers an AWS referral, updates the opportunity the
// record names (by apnCrmUniqueIdentifier, else by a partner CRM id seen
// before), or creates one.
func (x *Exchange) opportunityRecord(ctx context.Context, b bucket, token string, r ace.Record) (outcome, error) {
	if accept, reason, ok, problems := ace.ReferralAnswer(r); ok {
		if len(problems) > 0 {
			return failed(r.ApnCrmID(), problems...), nil
		}
		return x.answerReferral(ctx, b, token, r, accept, reason)
	}
	if id := r.ApnCrmID(); id != "" {
		return x.updateOpportunity(ctx, b, id, r.PartnerCrmID(), r)
	}
	id, err := x.knownCrmID(ctx, b, r.PartnerCrmID())
	if err != nil {
		return outcome{}, err
	}
	if id != "" {
		return x.updateOpportunity(ctx, b, id, r.PartnerCrmID(), r)
	}
	return x.createOpportunity(ctx, b, token, r)
}

func (x *Exchange) createOpportunity(ctx context.Context, b bucket, token string, r ace.Record) (outcome, error) {
	req, problems := ace.NewOpportunity(b.catalog, r)
	if len(problems) > 0 {
		return failed("", problems...), nil
	}
	req.ClientToken = token
	if crm := r.PartnerCrmID(); crm != "" {
		req.PartnerOpportunityIdentifier = &crm
	}
	out, err := x.selling.CreateOpportunity(ctx, b.account, req)
	if err != nil {
		return refusal("", err)
	}
	return x.written(ctx, b, out.Id, r.PartnerCrmID(), r)
}

// updateOpportunity applies the fields r sent, and makes crm (when given)
// the opportunity's partner CRM id.
func (x *Exchange) updateOpportunity(ctx context.Context, b bucket, id, crm string, r ace.Record) (outcome, error) {
	current, err := x.selling.Opportunity(ctx, b.account, b.catalog, id)
	if err != nil {
		return refusal(id, err)
	}
	// ace.UpdateOpportunity refuses an opportunity AWS is reviewing with
	// ACE's "Record is not editable.".
	req, unchanged, problems := ace.UpdateOpportunity(current, r)
	if len(problems) > 0 {
		return failed(id, problems...), nil
	}
	if crm != "" && deref(req.PartnerOpportunityIdentifier) != crm {
		req.PartnerOpportunityIdentifier, unchanged = &crm, false
	}
	if !unchanged {
		if _, err := x.selling.UpdateOpportunity(ctx, b.account, req); err != nil {
			return refusal(id, err)
		}
	}
	out, err := x.written(ctx, b, id, crm, r)
	if err != nil {
		return out, err
	}
	// AWS ignores fields the opportunity's state makes read-only and reports
	// success; its samples show warnings null. Naming each ignored field is
	// cosell's addition, so that the partner knows its edit did not land.
	var ignored []string
	for _, f := range ace.IgnoredFields(current, r) {
		ignored = append(ignored, ace.IgnoredWarning(f))
	}
	out.warnings = append(ignored, out.warnings...)
	return out, nil
}

// written completes a create or update: the record's associations, and
// the partner CRM id's mapping to the opportunity.
func (x *Exchange) written(ctx context.Context, b bucket, id, crm string, r ace.Record) (outcome, error) {
	warnings, err := x.associate(ctx, b, id, r)
	if err != nil {
		return outcome{}, err
	}
	return outcome{apnID: id, warnings: warnings}, x.rememberCrmID(ctx, b, crm, id)
}

// answerReferral accepts or rejects an AWS opportunity referral, named by
// its invitation id (the apnCrmUniqueIdentifier of the masked export).
// Accepting gives the partner its opportunity, whose id the result reports;
// a partner CRM id in the record maps to it from then on.
func (x *Exchange) answerReferral(ctx context.Context, b bucket, token string, r ace.Record, accept bool, reason string) (outcome, error) {
	invitation := r.ApnCrmID()
	if invitation == "" {
		return failed("", "apnCrmUniqueIdentifier is required to accept or reject a referral"), nil
	}
	if !accept {
		in := &api.RejectEngagementInvitationRequest{Catalog: b.catalog, Identifier: invitation, RejectionReason: nonEmpty(reason)}
		if _, err := x.selling.RejectEngagementInvitation(ctx, b.account, in); err != nil {
			return refusal(invitation, err)
		}
		return outcome{apnID: invitation}, nil
	}
	out, err := x.selling.StartEngagementByAcceptingInvitationTask(ctx, b.account, &api.StartEngagementByAcceptingInvitationTaskRequest{
		Catalog: b.catalog, ClientToken: token, Identifier: invitation,
	})
	if err != nil {
		return refusal(invitation, err)
	}
	if deref(out.TaskStatus) != api.TaskStatusComplete || out.OpportunityId == nil {
		return failed(invitation, "Accepting the referral failed: "+deref(out.Message)), nil
	}
	// The API keeps an Approved opportunity's PartnerOpportunityIdentifier
	// as it is, so the partner's CRM id lives in the exchange's mapping,
	// which exports also read.
	id := *out.OpportunityId
	return outcome{apnID: id}, x.rememberCrmID(ctx, b, r.PartnerCrmID(), id)
}

// knownCrmID is the opportunity a partner CRM id created or took over in
// the bucket, if it still exists ("" otherwise).
func (x *Exchange) knownCrmID(ctx context.Context, b bucket, crm string) (string, error) {
	if crm == "" {
		return "", nil
	}
	doc, found, err := load[partnerCrmID](ctx, x.store, kindPartnerCrmID, b, b.name+"/"+crm)
	if err != nil || !found {
		return "", err
	}
	id := doc.Value.OpportunityID
	if _, err := x.selling.Opportunity(ctx, b.account, b.catalog, id); apierr.Is(err, apierr.KindNotFound) {
		return "", nil // gone (a reset): the id is new again
	} else if err != nil {
		return "", err
	}
	return id, nil
}

// rememberCrmID maps a partner CRM id to an opportunity of the bucket.
func (x *Exchange) rememberCrmID(ctx context.Context, b bucket, crm, opportunityID string) error {
	if crm == "" {
		return nil
	}
	doc, found, err := load[partnerCrmID](ctx, x.store, kindPartnerCrmID, b, b.name+"/"+crm)
	if err != nil || (found && doc.Value.OpportunityID == opportunityID) {
		return err
	}
	rec := &partnerCrmID{Bucket: b.name, PartnerCrmID: crm, OpportunityID: opportunityID, At: x.clock.Now().UTC()}
	return x.save(ctx, kindPartnerCrmID, b, rec, doc.Version)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// crmIDOf is the partner CRM id mapped to an opportunity of the bucket
// ("" if none).
func (x *Exchange) crmIDOf(ctx context.Context, b bucket, opportunityID string) (string, error) {
	found, _, err := docstore.List[partnerCrmID](ctx, x.store, store.DocumentQuery{
		Kind: kindPartnerCrmID, Catalog: b.catalog, Descending: true, Limit: 1,
		Match: map[string][]string{"aceBucket": {b.name}, "aceOpportunity": {opportunityID}},
	})
	if err != nil || len(found) == 0 {
		return "", err
	}
	return found[0].PartnerCrmID, nil
}

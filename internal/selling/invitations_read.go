package selling

import (
	"context"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// GetEngagementInvitation returns an invitation to its sender or receiver.
//
// What AWS withholds from a receiver until acceptance (street address, city,
// postal code, contacts and AWS account id of the customer, the other
// solution description, related entities) has no member in the model's
// invitation payloads, so no invitation ever carries it: a Sandbox AWS
// referral builds its payload from the opportunity without those fields, and
// a partner's invitation holds only what the sender chose to send. After a
// rejection the receiver loses access to the details (developer guide) and
// sees only the invitation itself.
func (s *Service) GetEngagementInvitation(ctx context.Context, account string, in *api.GetEngagementInvitationRequest) (*api.GetEngagementInvitationResponse, error) {
	if err := s.expireBeforeRead(ctx, in.Catalog); err != nil {
		return nil, err
	}
	d, err := s.loadInvitation(ctx, s.store, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	inv := d.Value
	out := &api.GetEngagementInvitationResponse{
		Arn: &inv.Arn, Catalog: inv.Catalog, Id: inv.Id, PayloadType: &inv.PayloadType, Status: &inv.Status,
		EngagementId: &inv.EngagementId, EngagementTitle: &inv.EngagementTitle,
		InvitationDate: &inv.InvitationDate, ExpirationDate: inv.shownExpiration(),
		SenderAwsAccountId: &inv.SenderAwsAccountId, SenderCompanyName: optional(inv.SenderCompanyName),
		Receiver: inv.receiver(), InvitationMessage: optional(inv.InvitationMessage), RejectionReason: optional(inv.RejectionReason),
	}
	if account == inv.Receiver.AwsAccountId && inv.Status == api.InvitationStatusRejected {
		return out, nil
	}
	eng, err := loadEngagement(ctx, s.store, inv.Catalog, inv.EngagementId)
	if err != nil {
		return nil, err
	}
	out.Payload, out.EngagementDescription = &inv.Payload, &inv.EngagementDescription
	out.ExistingMembers = existingMembers(eng.Value.Members)
	if inv.PayloadType == api.EngagementInvitationPayloadTypeLeadInvitation {
		out.EnrichmentContext = enrichmentOf(eng.Value)
	}
	return out, nil
}

// enrichmentOf is what AWS's enrichment tells the receiver of a lead
// invitation before it answers: the engagement's prospecting result
// without the task's details, and its lead's readiness score. AWS does not
// say when it sets EnrichmentContext; cosell shows it on Get (never on
// List, which has no such member) for a lead invitation whose engagement
// AWS has enriched or scored, and leaves it out otherwise.
func enrichmentOf(e *engagementRecord) *api.EnrichmentContext {
	var out api.EnrichmentContext
	for _, c := range e.Contexts {
		p := deref(c.Payload)
		if aws := deref(p.ProspectingResult).Aws; aws != nil {
			out.ProspectingResultAws = &api.InvitationProspectingResultAws{Customer: aws.Customer, Insights: aws.Insights}
		}
		if lead := p.Lead; lead != nil && lead.Insights != nil && lead.Insights.LeadReadinessScore != nil {
			out.LeadInsights = lead.Insights
		}
	}
	if out.ProspectingResultAws == nil && out.LeadInsights == nil {
		return nil
	}
	return &out
}

// existingMembers are an engagement's members as an invitation shows them.
// A member without a known website shows the string "null", as a real
// GetEngagementInvitation does.
func existingMembers(members []Party) []api.EngagementMemberSummary {
	out := make([]api.EngagementMemberSummary, len(members))
	for i, m := range members {
		site := m.WebsiteURL
		if site == "" {
			site = "null"
		}
		out[i] = api.EngagementMemberSummary{CompanyName: &m.CompanyName, WebsiteUrl: &site}
	}
	return out
}

// shownExpiration is the ExpirationDate an answered invitation no longer
// has: real listings show null for ACCEPTED ones, and a REJECTED one cannot
// expire either.
func (r *invitationRecord) shownExpiration() *time.Time {
	switch r.Status {
	case api.InvitationStatusAccepted, api.InvitationStatusRejected:
		return nil
	}
	return &r.ExpirationDate
}

func (r *invitationRecord) receiver() *api.Receiver {
	to := r.Receiver
	return &api.Receiver{Account: &to}
}

// ListEngagementInvitations pages through the invitations the caller sent
// (ParticipantType SENDER) or received (RECEIVER), by InvitationDate. Without
// a Sort the newest come first: the model names no default and every real
// capture asks for DESCENDING.
func (s *Service) ListEngagementInvitations(ctx context.Context, account string, in *api.ListEngagementInvitationsRequest) (*api.ListEngagementInvitationsResponse, error) {
	if err := s.expireBeforeRead(ctx, in.Catalog); err != nil {
		return nil, err
	}
	binding, err := pagetoken.Binding(account, in.Catalog, "ListEngagementInvitations", in, func(r *api.ListEngagementInvitationsRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	after, err := s.resumeAt(binding, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &api.ListEngagementInvitationsResponse{EngagementInvitationSummaries: []api.EngagementInvitationSummary{}}
	match := map[string][]string{
		"status": asStrings(in.Status), "payloadType": asStrings(in.PayloadType), "engagement": in.EngagementIdentifier,
		"sender": in.SenderAwsAccountId, "receiver": {account},
	}
	if in.ParticipantType == api.ParticipantTypeSender {
		// The caller is the one sender of its sent invitations; a sender
		// filter without it leaves nothing.
		if len(in.SenderAwsAccountId) > 0 && !slices.Contains(in.SenderAwsAccountId, account) {
			return out, nil
		}
		match["sender"], match["receiver"] = []string{account}, nil
	}
	limit := limitOr(in.MaxResults, defaultPageSize)
	page, _, err := docstore.List[invitationRecord](ctx, s.store, store.DocumentQuery{
		Kind: kindInvitation, Catalog: in.Catalog, Match: keyFilter(match), After: after, Limit: limit + 1,
		Descending: in.Sort == nil || in.Sort.SortOrder == api.SortOrderDescending,
	})
	if err != nil {
		return nil, err
	}
	for _, inv := range page[:min(len(page), limit)] {
		out.EngagementInvitationSummaries = append(out.EngagementInvitationSummaries, inv.summary(in.ParticipantType))
	}
	if len(page) > limit {
		if out.NextToken, err = s.continueAt(binding, ptr(positionOf(page[limit-1]))); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *invitationRecord) summary(side api.ParticipantType) api.EngagementInvitationSummary {
	return api.EngagementInvitationSummary{
		Arn: &r.Arn, Catalog: r.Catalog, Id: r.Id, PayloadType: &r.PayloadType, Status: &r.Status,
		EngagementId: &r.EngagementId, EngagementTitle: &r.EngagementTitle,
		InvitationDate: &r.InvitationDate, ExpirationDate: r.shownExpiration(),
		SenderAwsAccountId: &r.SenderAwsAccountId, SenderCompanyName: optional(r.SenderCompanyName),
		Receiver: r.receiver(), ParticipantType: &side,
	}
}

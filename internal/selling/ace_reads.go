package selling

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
)

// The reads the ACE S3 exchange (internal/ace/exchange) needs beside the
// API's operations: it acts as AWS on the exchange and works with typed
// values where the API answers stored JSON.

// AwsAccountID is the account id AWS appears as where one is expected: the
// sender of its referrals, the creator of its engagements.
const AwsAccountID = awsParty

// Opportunity is GetOpportunity decoded into the API's response type.
func (s *Service) Opportunity(ctx context.Context, account, catalog, id string) (*api.GetOpportunityResponse, error) {
	raw, err := s.GetOpportunity(ctx, account, &api.GetOpportunityRequest{Catalog: catalog, Identifier: id})
	if err != nil {
		return nil, err
	}
	out := new(api.GetOpportunityResponse)
	if err := json.Unmarshal(*raw, out); err != nil {
		return nil, internal("decode opportunity", err)
	}
	return out, nil
}

// OpportunitiesModifiedSince lists the ids of the account's opportunities
// whose LastModifiedDate is at or after since, oldest change first.
func (s *Service) OpportunitiesModifiedSince(ctx context.Context, account, catalog string, since time.Time) ([]string, error) {
	in := &api.ListOpportunitiesRequest{
		Catalog: catalog, MaxResults: ptr(int32(100)),
		LastModifiedDate: &api.LastModifiedDate{AfterLastModifiedDate: &since},
		Sort:             &api.OpportunitySort{SortBy: api.OpportunitySortNameLastModifiedDate, SortOrder: api.SortOrderAscending},
	}
	var ids []string
	for {
		page, err := s.ListOpportunities(ctx, account, in)
		if err != nil {
			return nil, err
		}
		for _, raw := range page.OpportunitySummaries {
			var summary struct{ Id string }
			if err := json.Unmarshal(raw, &summary); err != nil {
				return nil, internal("decode opportunity summary", err)
			}
			ids = append(ids, summary.Id)
		}
		if page.NextToken == nil {
			return ids, nil
		}
		in.NextToken = page.NextToken
	}
}

// AwsReferredOpportunities lists the account's opportunities that belong
// to AWS's referrals to it: those the account associated with an
// engagement AWS invited it to (the opportunity accepting the referral
// made, or the Sandbox's AWS Referral it created). Its cost follows the
// number of referrals, not of opportunities, so an hourly export stays
// cheap in a large catalog.
func (s *Service) AwsReferredOpportunities(ctx context.Context, account, catalog string) ([]string, error) {
	invitations, err := s.AwsInvitations(ctx, account, catalog, api.EngagementInvitationPayloadTypeOpportunityInvitation)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, inv := range invitations {
		in := &api.ListEngagementResourceAssociationsRequest{Catalog: catalog, MaxResults: ptr(int32(100)),
			EngagementIdentifier: inv.EngagementId, ResourceType: ptr(api.ResourceTypeOpportunity), CreatedBy: &account}
		for {
			page, err := s.ListEngagementResourceAssociations(ctx, account, in)
			if err != nil {
				return nil, err
			}
			for _, a := range page.EngagementResourceAssociationSummaries {
				if id := deref(a.ResourceId); id != "" && !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
			if page.NextToken == nil {
				break
			}
			in.NextToken = page.NextToken
		}
	}
	return ids, nil
}

// AwsInvitations lists the invitations AWS sent the account with a payload
// of type payloadType, in every status, oldest first, with their payloads.
func (s *Service) AwsInvitations(ctx context.Context, account, catalog string, payloadType api.EngagementInvitationPayloadType) ([]*api.GetEngagementInvitationResponse, error) {
	in := &api.ListEngagementInvitationsRequest{
		Catalog: catalog, MaxResults: ptr(int32(100)), ParticipantType: api.ParticipantTypeReceiver,
		PayloadType: []api.EngagementInvitationPayloadType{payloadType}, SenderAwsAccountId: []string{awsParty},
		Sort: &api.OpportunityEngagementInvitationSort{SortBy: api.OpportunityEngagementInvitationSortNameInvitationDate, SortOrder: api.SortOrderAscending},
	}
	var out []*api.GetEngagementInvitationResponse
	for {
		page, err := s.ListEngagementInvitations(ctx, account, in)
		if err != nil {
			return nil, err
		}
		for _, summary := range page.EngagementInvitationSummaries {
			inv, err := s.GetEngagementInvitation(ctx, account, &api.GetEngagementInvitationRequest{Catalog: catalog, Identifier: summary.Id})
			if err != nil {
				return nil, err
			}
			out = append(out, inv)
		}
		if page.NextToken == nil {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}

// LeadOf is an engagement's Lead context with the context's id and the
// engagement's creation and last modification.
type LeadOf struct {
	EngagementID string
	ContextID    string
	Lead         api.LeadContext
	CreatedAt    time.Time
	ModifiedAt   time.Time
}

// EngagementLead reads the Lead context of an engagement account is a
// member of; an engagement without one is NotFound. AWS reads with
// AwsAccountID: it is a member of every engagement it opened.
func (s *Service) EngagementLead(ctx context.Context, account, catalog, engagementID string) (*LeadOf, error) {
	d, err := s.engagementFor(ctx, s.store, catalog, engagementID, account)
	if err != nil {
		return nil, err
	}
	e := d.Value
	i := slices.IndexFunc(e.Contexts, func(c api.EngagementContextDetails) bool {
		return c.Type == api.EngagementContextTypeLead && c.Payload != nil && c.Payload.Lead != nil
	})
	if i < 0 {
		return nil, apierr.NotFound("Engagement %s has no lead.", engagementID)
	}
	c := e.Contexts[i]
	return &LeadOf{EngagementID: e.Id, ContextID: deref(c.Id), Lead: *c.Payload.Lead, CreatedAt: e.CreatedAt, ModifiedAt: e.ModifiedAt}, nil
}

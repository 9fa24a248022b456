package selling

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// awsLeadMessage is the InvitationMessage of an AWS lead; real lead
// invitations were not captured with their message, so it says plainly
// what accepting does.
const awsLeadMessage = "This invite is for an AWS originated lead. Accepting this invitation will share the lead's details with you."

// maxEngagementTitle is the model's EngagementTitle length (1-40).
const maxEngagementTitle = 40

// Referral is something AWS sends a partner: exactly one of an opportunity
// (an OpportunityInvitation, accepted with
// StartEngagementByAcceptingInvitationTask) or a lead (an engagement with a
// Lead context and a LeadInvitation, accepted with
// AcceptEngagementInvitation and converted with
// StartOpportunityFromEngagementTask).
type Referral struct {
	Message     string // the InvitationMessage; empty for AWS's usual one
	Opportunity *api.OpportunityInvitationPayload
	Lead        *api.LeadContext
}

// ReferralResult names what a referral created.
type ReferralResult struct {
	EngagementId  string
	InvitationId  string
	InvitationArn string
	PayloadType   api.EngagementInvitationPayloadType
}

// Refer sends account an AWS referral in catalog, without any opportunity
// of the partner's behind it (the Sandbox's CreateOpportunity with Origin
// AWS Referral needs one): AWS opens an engagement it alone is a member of
// and invites the partner to it.
func (s *Service) Refer(ctx context.Context, account, catalog string, r Referral) (*ReferralResult, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	if p, ok := s.party(account); !ok || p.AccountID == awsParty {
		return nil, apierr.NotFound("Account %s is not a Partner Central partner and cannot be referred to.", account)
	}
	if (r.Opportunity == nil) == (r.Lead == nil) {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "referral", Code: apierr.CodeInvalidValue,
			Message: "Give exactly one of an opportunity (OpportunityInvitation payload) and a lead (Lead context)."})
	}
	var inv *invitationRecord
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		if r.Opportunity != nil {
			inv, err = s.referOpportunity(ctx, tx, account, catalog, r)
		} else {
			inv, err = s.referLead(ctx, tx, account, catalog, r)
		}
		if err != nil {
			return err
		}
		return s.addInvitation(ctx, tx, inv)
	})
	if err != nil {
		return nil, err
	}
	return &ReferralResult{EngagementId: inv.EngagementId, InvitationId: inv.Id, InvitationArn: inv.Arn, PayloadType: inv.PayloadType}, nil
}

func (s *Service) referOpportunity(ctx context.Context, tx store.Tx, account, catalog string, r Referral) (*invitationRecord, error) {
	payload := *r.Opportunity
	if payload.ReceiverResponsibilities == nil {
		payload.ReceiverResponsibilities = awsReferralResponsibilities
	}
	if payload.Project.ExpectedCustomerSpend == nil {
		payload.Project.ExpectedCustomerSpend = []api.ExpectedCustomerSpend{}
	}
	message := r.Message
	if message == "" {
		message = awsReferralMessage
	}
	// Checked as the invitation it becomes, so the model's constraints on
	// the payload apply; the engagement id only has to be well formed here.
	if err := modelCheck("CreateEngagementInvitation", api.CreateEngagementInvitationRequest{
		Catalog: catalog, ClientToken: "aws-referral", EngagementIdentifier: "eng-00000000000000",
		Invitation: api.Invitation{Message: message, Receiver: api.Receiver{Account: &api.AccountReceiver{AwsAccountId: account}}, Payload: api.Payload{OpportunityInvitation: &payload}},
	}); err != nil {
		return nil, err
	}
	return s.awsOpportunityReferral(ctx, tx, catalog, account, &payload, message)
}

func (s *Service) referLead(ctx context.Context, tx store.Tx, account, catalog string, r Referral) (*invitationRecord, error) {
	lead := *r.Lead
	title := engagementTitle("AWS lead: " + lead.Customer.CompanyName)
	description := title
	if len(lead.Interactions) > 0 {
		if bp := deref(lead.Interactions[0].BusinessProblem); bp != "" {
			description = bp
		}
	}
	if err := checkReadiness("lead.insights.leadReadinessScore", lead.Insights); err != nil {
		return nil, err
	}
	leadContext := api.EngagementContextDetails{Type: api.EngagementContextTypeLead, Payload: &api.EngagementContextPayload{Lead: &lead}}
	if err := modelCheck("CreateEngagement", api.CreateEngagementRequest{
		Catalog: catalog, ClientToken: "aws-lead", Title: &title, Description: &description, Contexts: []api.EngagementContextDetails{leadContext},
	}); err != nil {
		return nil, err
	}
	payload, err := leadInvitation(&lead)
	if err != nil {
		return nil, err
	}
	eng, err := s.createEngagement(ctx, tx, awsParty, catalog, title, description, []api.EngagementContextDetails{leadContext})
	if err != nil {
		return nil, err
	}
	message := r.Message
	if message == "" {
		message = awsLeadMessage
	}
	return s.awsInvitationTo(ctx, tx, catalog, account, eng.Value.Id, message, api.Payload{LeadInvitation: payload})
}

// leadCountry is the lead customer's country code, if the lead has an
// address with one (both optional since the 2026-08 model).
func leadCountry(c api.LeadCustomer) *string {
	if c.Address == nil {
		return nil
	}
	return c.Address.CountryCode
}

// leadInvitation is what a lead invitation shows before acceptance: the
// customer without address or contact, and the latest interaction without
// the contact's name, email or phone (only the title), as AWS documents
// for leads.
func leadInvitation(lead *api.LeadContext) (*api.LeadInvitationPayload, error) {
	c := lead.Customer
	if len(lead.Interactions) == 0 {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "lead.interactions", Code: apierr.CodeRequiredFieldMissing,
			Message: "A lead invitation shows the lead's latest interaction, so the lead needs one."})
	}
	last := lead.Interactions[len(lead.Interactions)-1]
	return &api.LeadInvitationPayload{
		Customer: api.LeadInvitationCustomer{Industry: c.Industry, CompanyName: c.CompanyName, WebsiteUrl: c.WebsiteUrl,
			CountryCode: leadCountry(c), AwsMaturity: c.AwsMaturity, MarketSegment: c.MarketSegment},
		Interaction: api.LeadInvitationInteraction{SourceType: last.SourceType, SourceId: last.SourceId, SourceName: last.SourceName,
			Usecase: last.Usecase, ContactBusinessTitle: last.Contact.BusinessTitle},
	}, nil
}

// engagementTitle cuts a title to the model's EngagementTitle length.
func engagementTitle(t string) string {
	if r := []rune(t); len(r) > maxEngagementTitle {
		return string(r[:maxEngagementTitle])
	}
	return t
}

// InvitationState is where an invitation stands.
type InvitationState struct {
	Id             string
	Status         api.InvitationStatus
	ExpirationDate time.Time
}

// ExpireInvitation ends a PENDING invitation of the catalog now, as if its
// 15 days had passed: its ExpirationDate becomes now. An invitation already
// answered or expired is a conflict.
func (s *Service) ExpireInvitation(ctx context.Context, catalog, identifier string) (*InvitationState, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	var out *InvitationState
	err := s.store.Update(ctx, func(tx store.Tx) error {
		// Whatever is due expires first, so an invitation past its date is
		// reported as the sweep left it.
		if err := s.expireInvitations(ctx, tx, catalog); err != nil {
			return err
		}
		id, err := s.invitationID(catalog, identifier)
		if err != nil {
			return err
		}
		d, err := docstore.Get[invitationRecord](ctx, tx, kindInvitation, catalog, id, invitationNotFound(identifier))
		if err != nil {
			return err
		}
		if d.Value.Status != api.InvitationStatusPending {
			return apierr.Conflict("Engagement invitation %s is %s; only a PENDING invitation can expire.", id, d.Value.Status)
		}
		d.Value.ExpirationDate = s.now()
		if err := s.expireInvitation(ctx, tx, d); err != nil {
			return err
		}
		out = &InvitationState{Id: id, Status: d.Value.Status, ExpirationDate: d.Value.ExpirationDate}
		return nil
	})
	return out, err
}

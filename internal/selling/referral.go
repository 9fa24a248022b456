package selling

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/store"
)

// awsReferralMessage is the InvitationMessage of real Sandbox AWS referrals.
const awsReferralMessage = "This invite is for an AWS originated referral. Accepting this invitation will create an AWS originated opportunity in your pipeline."

// defaultReferralTitle names a referral whose opportunity has no title;
// real Sandbox referrals are titled "New Business Deal - <n>".
const defaultReferralTitle = "New Business Deal"

// awsReferralResponsibilities are what real Sandbox referrals ask of the
// receiving partner.
var awsReferralResponsibilities = []api.ReceiverResponsibility{api.ReceiverResponsibilityServicesPartner, api.ReceiverResponsibilitySoftwarePartner}

// referFromAws plays AWS's part after a Sandbox CreateOpportunity with
// Origin "AWS Referral": as AWS does with its own opportunities, it opens an
// engagement (created by and with AWS as its member) and invites the caller
// with an OpportunityInvitation built from the opportunity. Accepting that
// invitation (StartEngagementByAcceptingInvitationTask) gives the partner
// its own copy. Other origins need nothing.
func (s *Service) referFromAws(ctx context.Context, tx store.Tx, scope store.Scope, rec *record) error {
	if rec.Origin != api.OpportunityOriginAwsReferral {
		return nil
	}
	inv, err := s.awsOpportunityReferral(ctx, tx, scope.Catalog, scope.Account, referralPayload(rec), awsReferralMessage)
	if err != nil {
		return err
	}
	inv.SourceOpportunityId = rec.Opportunity.Id
	if err := insertInvitation(ctx, tx, inv); err != nil {
		return err
	}
	return s.invitationCreated(ctx, tx, inv)
}

// awsOpportunityReferral opens AWS's engagement for an opportunity referral
// and returns its invitation to receiver, unsaved: the Sandbox referral and
// AWS's own (Refer) share it.
func (s *Service) awsOpportunityReferral(ctx context.Context, tx store.Tx, catalog, receiver string, payload *api.OpportunityInvitationPayload, message string) (*invitationRecord, error) {
	p := payload.Project
	description := p.BusinessProblem
	if description == "" {
		description = p.Title // an engagement always has a description
	}
	// The engagement's CustomerProject context carries the same customer and
	// project the invitation shows, as an opportunity's engagement does.
	project := api.EngagementContextDetails{Type: api.EngagementContextTypeCustomerProject, Payload: &api.EngagementContextPayload{
		CustomerProject: &api.CustomerProjectsContext{Customer: &payload.Customer, Project: &api.EngagementCustomerProjectDetails{
			Title: p.Title, BusinessProblem: p.BusinessProblem, TargetCompletionDate: p.TargetCompletionDate,
		}},
	}}
	eng, err := s.createEngagement(ctx, tx, awsParty, catalog, engagementTitle(p.Title), description, []api.EngagementContextDetails{project})
	if err != nil {
		return nil, err
	}
	return s.awsInvitationTo(ctx, tx, catalog, receiver, eng.Value.Id, message, api.Payload{OpportunityInvitation: payload})
}

// awsInvitationTo is AWS's invitation of receiver to one of its
// engagements, unsaved.
func (s *Service) awsInvitationTo(ctx context.Context, tx store.Tx, catalog, receiver, engagementID, message string, payload api.Payload) (*invitationRecord, error) {
	to := api.AccountReceiver{AwsAccountId: receiver}
	if partner, ok := s.party(receiver); ok {
		to.Alias = optional(partner.CompanyName) // real referrals name the receiver by its company
	}
	return s.newInvitation(ctx, tx, awsParty, catalog, engagementID, api.Invitation{
		Message: message, Receiver: api.Receiver{Account: &to}, Payload: payload,
	})
}

// referralPayload is what an AWS referral shows the invited partner before
// acceptance: the customer's company, country, industry and website and the
// project's title, problem, spend and close date, nothing more. The
// opportunity's team, who stand in for AWS in the Sandbox, are the sender's
// contacts.
func referralPayload(rec *record) *api.OpportunityInvitationPayload {
	o := &rec.Opportunity
	out := &api.OpportunityInvitationPayload{
		ReceiverResponsibilities: awsReferralResponsibilities,
		Project:                  api.ProjectDetails{Title: defaultReferralTitle, ExpectedCustomerSpend: []api.ExpectedCustomerSpend{}},
	}
	if c := o.Customer; c != nil && c.Account != nil {
		a := c.Account
		out.Customer = api.EngagementCustomer{CompanyName: a.CompanyName, Industry: deref(a.Industry), WebsiteUrl: deref(a.WebsiteUrl)}
		if a.Address != nil {
			out.Customer.CountryCode = deref(a.Address.CountryCode)
		}
	}
	if p := o.Project; p != nil {
		if t := deref(p.Title); t != "" {
			out.Project.Title = t
		}
		out.Project.BusinessProblem = deref(p.CustomerBusinessProblem)
		if p.ExpectedCustomerSpend != nil {
			out.Project.ExpectedCustomerSpend = p.ExpectedCustomerSpend
		}
	}
	if lc := o.LifeCycle; lc != nil {
		out.Project.TargetCompletionDate = deref(lc.TargetCloseDate)
	}
	for _, m := range o.OpportunityTeam {
		if m.Email != nil {
			out.SenderContacts = append(out.SenderContacts, api.SenderContact{
				Email: *m.Email, FirstName: m.FirstName, LastName: m.LastName, BusinessTitle: m.BusinessTitle, Phone: m.Phone,
			})
		}
	}
	return out
}

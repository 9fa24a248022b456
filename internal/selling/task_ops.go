package selling

import (
	"context"
	"errors"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// summaryTemplate is the snapshot template tasks share with other members:
// the one AWS's own flows and events use.
const summaryTemplate = "OpportunitySummaryView"

// StartEngagementFromOpportunityTask submits an opportunity to AWS the way
// the model documents: find or create its engagement, snapshot the
// opportunity, run a snapshot job, invite AWS, submit.
func (s *Service) StartEngagementFromOpportunityTask(ctx context.Context, account string, in *api.StartEngagementFromOpportunityTaskRequest) (*api.StartEngagementFromOpportunityTaskResponse, error) {
	scope := scopeOf(account, in.Catalog)
	if _, _, err := loadOpportunity(ctx, s.store, scope, in.Identifier); err != nil {
		return nil, err
	}
	inputs := func(t *taskRecord) { t.OpportunityId = &in.Identifier }
	t, err := s.runTask(ctx, account, in.Catalog, engagementFromOpportunity, in.ClientToken, in, inputs, func(tx store.Tx, t *taskRecord) error {
		_, rec, err := loadOpportunity(ctx, tx, scope, in.Identifier)
		if err != nil {
			return step("Opportunity", "Reading the opportunity", err)
		}
		// Submission is checked first so an incomplete opportunity fails the
		// task before anything else is attempted; it is applied last.
		if err := submit(rec, in.AwsSubmission.InvolvementType, in.AwsSubmission.Visibility); err != nil {
			return step("Opportunity", "Submitting the opportunity", err)
		}
		eng, err := s.opportunityEngagement(ctx, tx, scope, rec)
		if err != nil {
			return err
		}
		t.EngagementId = &eng.Value.Id
		if _, err := s.createSnapshot(ctx, tx, account, in.Catalog, eng.Value.Id, api.ResourceTypeOpportunity, in.Identifier, summaryTemplate); err != nil {
			return step("ResourceSnapshot", "Creating the resource snapshot", err)
		}
		job, err := s.runningJob(ctx, tx, account, in.Catalog, eng.Value.Id, in.Identifier)
		if err != nil {
			return err
		}
		t.ResourceSnapshotJobId = &job
		// AWS is invited once per engagement: a resubmission after Action
		// Required finds the first invitation still pending (or accepted).
		inv, err := s.awsInvitationOf(ctx, tx, scope, in.Identifier, api.InvitationStatusPending, api.InvitationStatusAccepted)
		if err == nil && inv == nil {
			inv, err = s.createInvitation(ctx, tx, account, in.Catalog, eng.Value.Id, awsInvitation(rec))
		}
		if err != nil {
			return step("Invitation", "Inviting AWS to the engagement", err)
		}
		t.EngagementInvitationId = &inv.Id
		if _, err := s.mutateTx(ctx, tx, scope, in.Identifier, func(_ store.Tx, rec *record, _ time.Time) error {
			return submit(rec, in.AwsSubmission.InvolvementType, in.AwsSubmission.Visibility)
		}); err != nil {
			return step("Opportunity", "Submitting the opportunity", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return taskAs[api.StartEngagementFromOpportunityTaskResponse](t)
}

// opportunityEngagement returns the engagement the opportunity is already
// part of, or creates one for it titled after the project.
func (s *Service) opportunityEngagement(ctx context.Context, tx store.Tx, scope store.Scope, rec *record) (docstore.Doc[engagementRecord], error) {
	existing, _, err := docstore.List[engagementRecord](ctx, tx, store.DocumentQuery{
		Kind: kindEngagement, Catalog: scope.Catalog, Limit: 1,
		Match: map[string][]string{"member": {scope.Account}, "resource": {string(api.ResourceTypeOpportunity) + "/" + rec.Opportunity.Id}},
	})
	if err != nil {
		return docstore.Doc[engagementRecord]{}, err
	}
	if len(existing) > 0 {
		return loadEngagement(ctx, tx, scope.Catalog, existing[0].Id)
	}
	project := deref(rec.Opportunity.Project)
	title, description := deref(project.Title), deref(project.CustomerBusinessProblem)
	eng, err := s.createEngagement(ctx, tx, scope.Account, scope.Catalog, title, description, nil)
	if err != nil {
		return eng, step("Engagement", "Creating the engagement", err)
	}
	return eng, nil
}

// runningJob returns the id of a Running snapshot job of the caller on the
// opportunity in the engagement, creating and starting one if needed.
func (s *Service) runningJob(ctx context.Context, tx store.Tx, account, catalog, engagementID, opportunityID string) (string, error) {
	job, err := s.createSnapshotJob(ctx, tx, account, catalog, engagementID, api.ResourceTypeOpportunity, opportunityID, summaryTemplate)
	if err != nil {
		return "", step("ResourceSnapshotJob", "Creating the resource snapshot job", err)
	}
	if err := s.startSnapshotJob(ctx, tx, account, catalog, job.Id); err != nil {
		return "", step("ResourceSnapshotJob", "Starting the resource snapshot job", err)
	}
	return job.Id, nil
}

// awsInvitation is the invitation a partner's submission sends AWS: the
// opportunity's customer and project, as an OpportunityInvitation.
func awsInvitation(rec *record) api.Invitation {
	o := &rec.Opportunity
	account := customerAccount(o)
	project := deref(o.Project)
	customer := api.EngagementCustomer{CompanyName: account.CompanyName, WebsiteUrl: deref(account.WebsiteUrl)}
	if account.Industry != nil {
		customer.Industry = *account.Industry
	}
	if cc := deref(account.Address).CountryCode; cc != nil {
		customer.CountryCode = *cc
	}
	return api.Invitation{
		Message:  "Partner opportunity " + o.Id + " submitted for co-sell.",
		Receiver: api.Receiver{Account: &api.AccountReceiver{AwsAccountId: awsParty}},
		Payload: api.Payload{OpportunityInvitation: &api.OpportunityInvitationPayload{
			ReceiverResponsibilities: []api.ReceiverResponsibility{api.ReceiverResponsibilityCoSellFacilitator},
			Customer:                 customer,
			Project: api.ProjectDetails{
				Title: deref(project.Title), BusinessProblem: deref(project.CustomerBusinessProblem),
				TargetCompletionDate: deref(deref(o.LifeCycle).TargetCloseDate), ExpectedCustomerSpend: project.ExpectedCustomerSpend,
			},
		}},
	}
}

// StartEngagementByAcceptingInvitationTask accepts an opportunity
// invitation and gives the receiver its own opportunity built from it.
func (s *Service) StartEngagementByAcceptingInvitationTask(ctx context.Context, account string, in *api.StartEngagementByAcceptingInvitationTaskRequest) (*api.StartEngagementByAcceptingInvitationTaskResponse, error) {
	scope := scopeOf(account, in.Catalog)
	invitation, err := s.loadInvitation(ctx, s.store, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	inputs := func(t *taskRecord) { t.EngagementInvitationId = &invitation.Value.Id }
	t, err := s.runTask(ctx, account, in.Catalog, engagementByAcceptingInvitation, in.ClientToken, in, inputs, func(tx store.Tx, t *taskRecord) error {
		inv, err := s.acceptInvitation(ctx, tx, account, in.Catalog, in.Identifier)
		if err != nil {
			return step("Invitation", "Accepting the invitation", err)
		}
		if inv.Payload.OpportunityInvitation == nil {
			return &taskFailure{reason: api.ReasonCodeInvitationValidationFailed,
				message: "Invitation " + inv.Id + " is a " + string(inv.PayloadType) + "; accept lead invitations with AcceptEngagementInvitation."}
		}
		status, leader, err := s.inheritedReviewStatus(ctx, tx, in.Catalog, inv)
		if err != nil {
			return err
		}
		n := fromInvitation(inv, status)
		n.followsReviewOf = leader
		if err := s.revealCustomer(ctx, tx, scope, inv, &n); err != nil {
			return err
		}
		rec, err := s.insertOpportunity(ctx, tx, scope, n)
		if err != nil {
			return step("Opportunity", "Creating the opportunity", err)
		}
		t.OpportunityId = &rec.Opportunity.Id
		if _, err := s.createSnapshot(ctx, tx, account, in.Catalog, inv.EngagementId, api.ResourceTypeOpportunity, rec.Opportunity.Id, summaryTemplate); err != nil {
			return step("ResourceSnapshot", "Creating the resource snapshot", err)
		}
		job, err := s.runningJob(ctx, tx, account, in.Catalog, inv.EngagementId, rec.Opportunity.Id)
		t.ResourceSnapshotJobId = &job
		return err
	})
	if err != nil {
		return nil, err
	}
	return taskAs[api.StartEngagementByAcceptingInvitationTaskResponse](t)
}

// inheritedReviewStatus is the ReviewStatus of the receiver's new
// opportunity (semantics §2.1): an AWS referral arrives Approved; a partner's
// invitation carries the sender's status — Submitted while the sender's is
// under review (and then follows its review: the sender's opportunity is
// returned as "account/id"), Approved once AWS approved it.
func (s *Service) inheritedReviewStatus(ctx context.Context, tx store.Tx, catalog string, inv *invitationRecord) (api.ReviewStatus, string, error) {
	if inv.SenderAwsAccountId == awsParty {
		return api.ReviewStatusApproved, "", nil
	}
	eng, err := loadEngagement(ctx, tx, catalog, inv.EngagementId)
	if err != nil {
		return "", "", step("Engagement", "Reading the engagement", err)
	}
	for _, r := range eng.Value.Resources {
		if r.CreatedBy != inv.SenderAwsAccountId || r.ResourceType != api.ResourceTypeOpportunity {
			continue
		}
		_, sender, err := loadOpportunity(ctx, tx, scopeOf(r.CreatedBy, catalog), r.ResourceId)
		if err != nil {
			continue // the sender's opportunity is gone; nothing to inherit
		}
		switch sender.reviewStatus() {
		case api.ReviewStatusSubmitted, api.ReviewStatusInReview:
			return api.ReviewStatusSubmitted, r.CreatedBy + "/" + r.ResourceId, nil
		case api.ReviewStatusApproved:
			return api.ReviewStatusApproved, "", nil
		}
	}
	return api.ReviewStatusPendingSubmission, "", nil
}

// approveFollowers makes Approved the opportunities other partners made
// from invitations to the engagements of rec, which followed rec's review.
func (s *Service) approveFollowers(ctx context.Context, tx store.Tx, scope store.Scope, rec *record) error {
	engs, _, err := docstore.List[engagementRecord](ctx, tx, store.DocumentQuery{
		Kind: kindEngagement, Catalog: scope.Catalog,
		Match: map[string][]string{"member": {scope.Account}, "resource": {string(api.ResourceTypeOpportunity) + "/" + rec.Opportunity.Id}},
	})
	if err != nil {
		return err
	}
	leader := scope.Account + "/" + rec.Opportunity.Id
	for _, eng := range engs {
		for _, r := range eng.Resources {
			if r.CreatedBy == scope.Account || r.ResourceType != api.ResourceTypeOpportunity {
				continue
			}
			_, err := s.mutateTx(ctx, tx, scopeOf(r.CreatedBy, scope.Catalog), r.ResourceId, func(_ store.Tx, follower *record, _ time.Time) error {
				if follower.FollowsReviewOf != leader {
					return errNotFollower
				}
				follower.FollowsReviewOf = ""
				follower.Opportunity.LifeCycle.ReviewStatus = ptr(api.ReviewStatusApproved)
				return nil
			})
			if err != nil && !errors.Is(err, errNotFollower) && !apierr.Is(err, apierr.KindNotFound) {
				return err
			}
		}
	}
	return nil
}

// errNotFollower leaves an opportunity unchanged in approveFollowers.
var errNotFollower = errors.New("not a follower")

// fromInvitation is the receiver's opportunity made from an invitation's
// payload: the customer and project the invitation shares, at Stage
// Prospect. What the payload does not carry (use case, delivery models,
// spend) the receiver fills in later, as AWS documents.
func fromInvitation(inv *invitationRecord, status api.ReviewStatus) newOpportunity {
	p := inv.Payload.OpportunityInvitation
	origin := api.OpportunityOriginPartnerReferral
	if inv.SenderAwsAccountId == awsParty {
		origin = api.OpportunityOriginAwsReferral
	}
	account := &api.Account{CompanyName: p.Customer.CompanyName}
	if p.Customer.Industry != "" {
		account.Industry = ptr(p.Customer.Industry)
	}
	if p.Customer.WebsiteUrl != "" {
		account.WebsiteUrl = ptr(p.Customer.WebsiteUrl)
	}
	if p.Customer.CountryCode != "" {
		account.Address = &api.Address{CountryCode: ptr(p.Customer.CountryCode)}
	}
	fields := partnerFields{
		Customer:  &api.Customer{Account: account},
		Project:   &api.Project{Title: nonEmpty(p.Project.Title), CustomerBusinessProblem: nonEmpty(p.Project.BusinessProblem)},
		LifeCycle: &api.LifeCycle{Stage: ptr(api.StageProspect)},
	}
	return newOpportunity{origin: origin, reviewStatus: status, fields: fields}
}

// revealCustomer adds to an accepted referral's opportunity the customer
// details invitations withhold (address, AWS account id, contacts), which
// AWS copies over on acceptance. In the Sandbox the referral's source is the
// opportunity the partner created with Origin AWS Referral.
func (s *Service) revealCustomer(ctx context.Context, tx store.Tx, scope store.Scope, inv *invitationRecord, n *newOpportunity) error {
	if inv.SourceOpportunityId == "" {
		return nil
	}
	_, src, err := loadOpportunity(ctx, tx, scope, inv.SourceOpportunityId)
	if apierr.Is(err, apierr.KindNotFound) {
		return nil // the source is gone; the invitation's payload is all there is
	}
	if err != nil {
		return err
	}
	from := customerAccount(&src.Opportunity)
	to := n.fields.Customer.Account
	to.Address, to.AwsAccountId, to.Duns = from.Address, from.AwsAccountId, from.Duns
	n.fields.Customer.Contacts = deref(src.Opportunity.Customer).Contacts
	return nil
}

// StartOpportunityFromEngagementTask turns an engagement's lead into an
// opportunity of the caller's: a draft opportunity from the Lead context,
// linked to the engagement by a snapshot (which adds the CustomerProject
// context) and kept current by a snapshot job.
func (s *Service) StartOpportunityFromEngagementTask(ctx context.Context, account string, in *api.StartOpportunityFromEngagementTaskRequest) (*api.StartOpportunityFromEngagementTaskResponse, error) {
	scope := scopeOf(account, in.Catalog)
	if _, err := memberEngagement(ctx, s.store, in.Catalog, in.Identifier, account); err != nil {
		return nil, err
	}
	inputs := func(t *taskRecord) { t.EngagementId = &in.Identifier }
	t, err := s.runTask(ctx, account, in.Catalog, opportunityFromEngagement, in.ClientToken, in, inputs, func(tx store.Tx, t *taskRecord) error {
		eng, err := memberEngagement(ctx, tx, in.Catalog, in.Identifier, account)
		if err != nil {
			return step("Engagement", "Reading the engagement", err)
		}
		lead, err := leadToConvert(eng.Value, in.ContextIdentifier)
		if err != nil {
			return err
		}
		rec, err := s.insertOpportunity(ctx, tx, scope, fromLead(lead))
		if err != nil {
			return step("Opportunity", "Creating the opportunity", err)
		}
		t.OpportunityId = &rec.Opportunity.Id
		if _, err := s.createSnapshot(ctx, tx, account, in.Catalog, in.Identifier, api.ResourceTypeOpportunity, rec.Opportunity.Id, summaryTemplate); err != nil {
			return step("ResourceSnapshot", "Creating the resource snapshot", err)
		}
		if eng, err = loadEngagement(ctx, tx, in.Catalog, in.Identifier); err != nil {
			return err
		}
		for _, c := range eng.Value.Contexts {
			if c.Type == api.EngagementContextTypeCustomerProject {
				t.ContextId = c.Id
			}
		}
		job, err := s.runningJob(ctx, tx, account, in.Catalog, in.Identifier, rec.Opportunity.Id)
		t.ResourceSnapshotJobId = &job
		return err
	})
	if err != nil {
		return nil, err
	}
	return taskAs[api.StartOpportunityFromEngagementTaskResponse](t)
}

// leadToConvert finds the Lead context a conversion starts from, with the
// ReasonCodes the model names for what stands in the way.
func leadToConvert(e *engagementRecord, contextID string) (*api.LeadContext, error) {
	var lead *api.LeadContext
	for _, c := range e.Contexts {
		if c.Type == api.EngagementContextTypeCustomerProject {
			return nil, &taskFailure{reason: api.ReasonCodeCustomerProjectContextNotPermitted,
				message: "Engagement " + e.Id + " already has a CustomerProject context; its lead has been converted."}
		}
		if deref(c.Id) == contextID && c.Type == api.EngagementContextTypeLead && c.Payload != nil {
			lead = c.Payload.Lead
		}
	}
	if lead == nil {
		return nil, &taskFailure{reason: api.ReasonCodeContextNotFound,
			message: "Engagement " + e.Id + " has no Lead context with id " + contextID + "."}
	}
	if strings.EqualFold(deref(lead.QualificationStatus), "Disqualified") {
		return nil, &taskFailure{reason: api.ReasonCodeDisqualifiedLeadNotPermitted,
			message: "The lead in context " + contextID + " is Disqualified and cannot become an opportunity."}
	}
	return lead, nil
}

// fromLead is the draft opportunity a lead becomes, as the real conversion
// shows it (Lead_To_Opportunity capture): "Converted from Lead", Prospect,
// Pending Submission, marketing source None, no spend, no contacts.
func fromLead(lead *api.LeadContext) newOpportunity {
	c := lead.Customer
	// Since the 2026-08 model a lead's industry and country are free text
	// and its address optional, while an opportunity's are picklists: a
	// value the picklist knows is carried over, any other is left for the
	// partner to set before submitting (AWS does not say what it does).
	var addr *api.Address
	if a := c.Address; a != nil {
		addr = &api.Address{City: a.City, PostalCode: a.PostalCode, StateOrRegion: a.StateOrRegion, CountryCode: asEnum[api.CountryCode](a.CountryCode)}
	}
	fields := partnerFields{
		NationalSecurity: ptr(api.NationalSecurityNo),
		Customer: &api.Customer{
			Account:  &api.Account{CompanyName: c.CompanyName, Industry: asEnum[api.Industry](c.Industry), WebsiteUrl: c.WebsiteUrl, Address: addr},
			Contacts: []api.Contact{},
		},
		Project:   &api.Project{Title: ptr("Converted from Lead"), ExpectedCustomerSpend: []api.ExpectedCustomerSpend{}},
		LifeCycle: &api.LifeCycle{Stage: ptr(api.StageProspect)},
		Marketing: &api.Marketing{Source: ptr(api.MarketingSourceNone)},
	}
	return newOpportunity{origin: api.OpportunityOriginPartnerReferral, reviewStatus: api.ReviewStatusPendingSubmission, fields: fields}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ListEngagementFromOpportunityTasks lists the caller's submission tasks.
func (s *Service) ListEngagementFromOpportunityTasks(ctx context.Context, account string, in *api.ListEngagementFromOpportunityTasksRequest) (*api.ListEngagementFromOpportunityTasksResponse, error) {
	binding, err := pagetoken.Binding(account, in.Catalog, "ListEngagementFromOpportunityTasks", in, func(r *api.ListEngagementFromOpportunityTasksRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	match := map[string][]string{"status": asStrings(in.TaskStatus), "task": in.TaskIdentifier, "opportunity": in.OpportunityIdentifier, "engagement": in.EngagementIdentifier}
	tasks, next, err := s.listTasks(ctx, account, in.Catalog, engagementFromOpportunity, match, in.Sort, in.MaxResults, in.NextToken, binding)
	if err != nil {
		return nil, err
	}
	items, err := summaries[api.ListEngagementFromOpportunityTaskSummary](tasks)
	if err != nil {
		return nil, err
	}
	return &api.ListEngagementFromOpportunityTasksResponse{TaskSummaries: items, NextToken: next}, nil
}

// ListEngagementByAcceptingInvitationTasks lists the caller's acceptance tasks.
func (s *Service) ListEngagementByAcceptingInvitationTasks(ctx context.Context, account string, in *api.ListEngagementByAcceptingInvitationTasksRequest) (*api.ListEngagementByAcceptingInvitationTasksResponse, error) {
	binding, err := pagetoken.Binding(account, in.Catalog, "ListEngagementByAcceptingInvitationTasks", in, func(r *api.ListEngagementByAcceptingInvitationTasksRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	match := map[string][]string{"status": asStrings(in.TaskStatus), "task": in.TaskIdentifier, "opportunity": in.OpportunityIdentifier, "invitation": in.EngagementInvitationIdentifier}
	tasks, next, err := s.listTasks(ctx, account, in.Catalog, engagementByAcceptingInvitation, match, in.Sort, in.MaxResults, in.NextToken, binding)
	if err != nil {
		return nil, err
	}
	items, err := summaries[api.ListEngagementByAcceptingInvitationTaskSummary](tasks)
	if err != nil {
		return nil, err
	}
	return &api.ListEngagementByAcceptingInvitationTasksResponse{TaskSummaries: items, NextToken: next}, nil
}

// ListOpportunityFromEngagementTasks lists the caller's lead conversions.
func (s *Service) ListOpportunityFromEngagementTasks(ctx context.Context, account string, in *api.ListOpportunityFromEngagementTasksRequest) (*api.ListOpportunityFromEngagementTasksResponse, error) {
	binding, err := pagetoken.Binding(account, in.Catalog, "ListOpportunityFromEngagementTasks", in, func(r *api.ListOpportunityFromEngagementTasksRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	match := map[string][]string{"status": asStrings(in.TaskStatus), "task": in.TaskIdentifier, "opportunity": in.OpportunityIdentifier, "engagement": in.EngagementIdentifier, "context": in.ContextIdentifier}
	tasks, next, err := s.listTasks(ctx, account, in.Catalog, opportunityFromEngagement, match, in.Sort, in.MaxResults, in.NextToken, binding)
	if err != nil {
		return nil, err
	}
	items, err := summaries[api.ListOpportunityFromEngagementTaskSummary](tasks)
	if err != nil {
		return nil, err
	}
	return &api.ListOpportunityFromEngagementTasksResponse{TaskSummaries: items, NextToken: next}, nil
}

// asEnum is s as a value of the enum T, or nil when T has no such value.
func asEnum[T interface {
	~string
	Values() []T
}](s *string) *T {
	if s == nil {
		return nil
	}
	var zero T
	for _, v := range zero.Values() {
		if string(v) == *s {
			return &v
		}
	}
	return nil
}

package selling

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// SubmitOpportunity sends an opportunity to AWS for review.
func (s *Service) SubmitOpportunity(ctx context.Context, account string, in *api.SubmitOpportunityRequest) (*struct{}, error) {
	_, err := s.mutate(ctx, scopeOf(account, in.Catalog), in.Identifier, func(_ store.Tx, rec *record, _ time.Time) error {
		return submit(rec, in.InvolvementType, in.Visibility)
	})
	return nil, err
}

// submit moves an opportunity to Submitted: it must be complete
// (submissionGaps) and in Pending Submission or Action Required, and it is
// read-only until AWS reviews it. Visibility defaults to Full.
func submit(rec *record, involvement api.SalesInvolvementType, visibility *api.Visibility) error {
	id := rec.Opportunity.Id
	switch status := rec.reviewStatus(); status {
	case api.ReviewStatusPendingSubmission, api.ReviewStatusActionRequired:
	default:
		return apierr.BusinessInvalid("Opportunity "+id+" cannot be submitted while its ReviewStatus is "+string(status)+".", apierr.FieldError{
			FieldName: "lifeCycle.reviewStatus", Code: apierr.CodeInvalidResourceState,
			Message: "Only opportunities in Pending Submission or Action Required can be submitted.",
		})
	}
	if gaps := submissionGaps(rec); len(gaps) > 0 {
		return apierr.BusinessInvalid("Opportunity "+id+" is missing information AWS needs to review it; see ErrorList.", gaps...)
	}
	vis := deref(visibility)
	if vis == "" {
		vis = api.VisibilityFull
	}
	rec.InvolvementType, rec.Visibility = ptr(involvement), ptr(vis)
	lc := rec.Opportunity.LifeCycle
	lc.ReviewStatus = ptr(api.ReviewStatusSubmitted)
	lc.ReviewComments, lc.ReviewStatusReason = nil, nil
	return nil
}

// submissionGaps lists what AWS requires before it reviews an opportunity:
// the fields of the partner referral form (semantics.md §2.5) and a partner
// solution — or, as the Sandbox accepts, a description of another solution.
func submissionGaps(rec *record) []apierr.FieldError {
	o := &rec.Opportunity
	account := customerAccount(o)
	addr := deref(account.Address)
	project := deref(o.Project)
	lc := deref(o.LifeCycle)
	var gaps []apierr.FieldError
	need := func(missing bool, field, what string) {
		if missing {
			gaps = append(gaps, apierr.FieldError{FieldName: field, Code: apierr.CodeRequiredFieldMissing, Message: what + " is required to submit the opportunity."})
		}
	}
	need(account.CompanyName == "", "customer.account.companyName", "Customer company name")
	need(account.Industry == nil, "customer.account.industry", "Customer industry")
	need(account.WebsiteUrl == nil, "customer.account.websiteUrl", "Customer website")
	need(addr.CountryCode == nil, "customer.account.address.countryCode", "Customer country")
	need(addr.PostalCode == nil && !countriesWithoutPostalCode[string(deref(addr.CountryCode))], "customer.account.address.postalCode", "Customer postal code")
	need(addr.StateOrRegion == nil && deref(addr.CountryCode) == api.CountryCodeUs, "customer.account.address.stateOrRegion", "Customer state")
	need(project.Title == nil, "project.title", "Partner project title")
	need(project.CustomerBusinessProblem == nil, "project.customerBusinessProblem", "Customer business problem")
	need(project.CustomerUseCase == nil, "project.customerUseCase", "Customer use case")
	need(len(project.DeliveryModels) == 0, "project.deliveryModels", "At least one delivery model")
	need(len(project.ExpectedCustomerSpend) == 0, "project.expectedCustomerSpend", "Expected customer spend")
	need(len(project.SalesActivities) == 0, "project.salesActivities", "At least one sales activity")
	need(lc.Stage == nil, "lifeCycle.stage", "Stage")
	need(lc.TargetCloseDate == nil, "lifeCycle.targetCloseDate", "Target close date")
	need(len(o.RelatedEntityIdentifiers.Solutions) == 0 && project.OtherSolutionDescription == nil,
		"relatedEntityIdentifiers.solutions", "An associated partner solution (or Project.OtherSolutionDescription)")
	if deref(lc.Stage) == api.StageClosedLost {
		gaps = append(gaps, apierr.FieldError{FieldName: "lifeCycle.stage", Code: apierr.CodeInvalidValue, Message: "A Closed Lost opportunity cannot be submitted."})
	}
	return gaps
}

// AssignOpportunity makes another person of the partner's organisation the
// opportunity's owner: the first member of OpportunityTeam.
func (s *Service) AssignOpportunity(ctx context.Context, account string, in *api.AssignOpportunityRequest) (*struct{}, error) {
	_, err := s.mutate(ctx, scopeOf(account, in.Catalog), in.Identifier, func(_ store.Tx, rec *record, _ time.Time) error {
		a := in.Assignee
		owner := api.Contact{Email: &a.Email, FirstName: &a.FirstName, LastName: &a.LastName, BusinessTitle: &a.BusinessTitle, Phone: a.Phone}
		team := []api.Contact{owner}
		for _, c := range rec.Opportunity.OpportunityTeam {
			if deref(c.Email) != a.Email {
				team = append(team, c)
			}
		}
		rec.Opportunity.OpportunityTeam = team
		return nil
	})
	return nil, err
}

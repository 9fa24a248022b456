package selling

import (
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// replacePartnerFields puts a partner's full payload in place. Review
// fields belong to AWS and NextStepsHistory is kept by the service, so they
// survive whatever the payload says; a changed NextSteps is appended to the
// history as AWS does.
func (r *record) replacePartnerFields(f partnerFields, now time.Time) {
	o := &r.Opportunity
	prev := o.LifeCycle
	if prev == nil {
		prev = &api.LifeCycle{}
	}
	lc := &api.LifeCycle{}
	if f.LifeCycle != nil {
		lc.Stage, lc.ClosedLostReason = f.LifeCycle.Stage, f.LifeCycle.ClosedLostReason
		lc.NextSteps, lc.TargetCloseDate = f.LifeCycle.NextSteps, f.LifeCycle.TargetCloseDate
	}
	lc.ReviewStatus, lc.ReviewComments, lc.ReviewStatusReason = prev.ReviewStatus, prev.ReviewComments, prev.ReviewStatusReason
	lc.NextStepsHistory = prev.NextStepsHistory
	if next := deref(lc.NextSteps); next != "" && next != deref(prev.NextSteps) {
		lc.NextStepsHistory = append(lc.NextStepsHistory, api.NextStepsHistory{Value: next, Time: now})
	}
	o.LifeCycle = lc
	o.PrimaryNeedsFromAws = f.PrimaryNeedsFromAws
	o.NationalSecurity = f.NationalSecurity
	o.PartnerOpportunityIdentifier = f.PartnerOpportunityIdentifier
	o.Customer = f.Customer
	o.Project = f.Project
	o.OpportunityType = f.OpportunityType
	if o.OpportunityType == nil {
		o.OpportunityType = ptr(api.OpportunityTypeNetNewBusiness)
	}
	o.Marketing = f.Marketing
	o.SoftwareRevenue = f.SoftwareRevenue
}

// applyPartnerUpdate replaces the partner's fields if the review status
// allows it, then enforces the business rules and, for Action Required and
// Approved, which fields may change.
func (s *Service) applyPartnerUpdate(rec *record, f partnerFields, now time.Time) error {
	status := rec.reviewStatus()
	switch status {
	case api.ReviewStatusSubmitted, api.ReviewStatusInReview, api.ReviewStatusRejected:
		return lockedByReview(rec.Opportunity.Id, status)
	}
	before := fieldPaths(rec)
	rec.replacePartnerFields(f, now)
	if errs := s.checkRules(rec); len(errs) > 0 {
		return businessInvalid(errs)
	}
	changed := changedPaths(before, fieldPaths(rec))
	var refused []apierr.FieldError
	for _, path := range changed {
		switch {
		case status == api.ReviewStatusActionRequired && !coveredBy(path, actionRequiredEditable):
			refused = append(refused, notEditable(path, "while the opportunity is in Action Required"))
		case status == api.ReviewStatusApproved && coveredBy(path, frozenAfterApproval):
			refused = append(refused, notEditable(path, "after the opportunity is Approved"))
		}
	}
	if len(refused) > 0 {
		return apierr.BusinessInvalid("The update changes fields that cannot be changed in ReviewStatus "+string(status)+".", refused...)
	}
	return nil
}

func lockedByReview(id string, status api.ReviewStatus) error {
	return apierr.BusinessInvalid("Opportunity "+id+" cannot be updated while its ReviewStatus is "+string(status)+".", apierr.FieldError{
		FieldName: "lifeCycle.reviewStatus", Code: apierr.CodeInvalidResourceState,
		Message: "Updates are not allowed while ReviewStatus is " + string(status) + ".",
	})
}

func notEditable(path, when string) apierr.FieldError {
	return apierr.FieldError{FieldName: path, Code: apierr.CodeActionNotPermitted, Message: "This field cannot be changed " + when + "."}
}

// requestedReviewStatus reports whether the update asks for a ReviewStatus
// other than the current one. Echoing the current value back (as a client
// that sends GetOpportunity's output does) is not a request.
func requestedReviewStatus(in *api.UpdateOpportunityRequest, rec *record) (api.ReviewStatus, bool) {
	if in.LifeCycle == nil || in.LifeCycle.ReviewStatus == nil {
		return "", false
	}
	target := *in.LifeCycle.ReviewStatus
	return target, target != rec.reviewStatus()
}

// simulatedOutcomes are the review results a partner may simulate in the
// Sandbox, as AWS's testing guide and sample apps do.
var simulatedOutcomes = map[api.ReviewStatus]bool{
	api.ReviewStatusInReview:       true,
	api.ReviewStatusApproved:       true,
	api.ReviewStatusActionRequired: true,
	api.ReviewStatusRejected:       true,
}

// simulateReview plays AWS's reviewer in the Sandbox: an opportunity that
// is Submitted or In review moves to the requested outcome, with the review
// comments and reason from the request. Only the review fields change in a
// simulation; the rest of the payload is ignored, since the opportunity is
// locked for partner edits while under review.
func (s *Service) simulateReview(scope store.Scope, rec *record, target api.ReviewStatus, lc *api.LifeCycle) error {
	field := apierr.FieldError{FieldName: "lifeCycle.reviewStatus"}
	if scope.Catalog != CatalogSandbox {
		field.Code, field.Message = apierr.CodeActionNotPermitted, "ReviewStatus is set by AWS; it can be changed by a partner only in the Sandbox catalog to simulate a review."
		return apierr.BusinessInvalid("ReviewStatus cannot be updated in the AWS catalog.", field)
	}
	current := rec.reviewStatus()
	if current != api.ReviewStatusSubmitted && current != api.ReviewStatusInReview {
		field.Code, field.Message = apierr.CodeInvalidResourceState, "A review can be simulated only for an opportunity that is Submitted or In review; it is "+string(current)+"."
		return apierr.BusinessInvalid("The opportunity is not under review.", field)
	}
	if !simulatedOutcomes[target] {
		field.Code, field.Message = apierr.CodeInvalidValue, "A simulated review can set ReviewStatus to In review, Approved, Action Required or Rejected."
		return apierr.BusinessInvalid("Invalid simulated ReviewStatus.", field)
	}
	o := rec.Opportunity.LifeCycle
	o.ReviewStatus = ptr(target)
	o.ReviewComments, o.ReviewStatusReason = nil, nil
	if target == api.ReviewStatusActionRequired || target == api.ReviewStatusRejected {
		o.ReviewComments, o.ReviewStatusReason = lc.ReviewComments, lc.ReviewStatusReason
	}
	return nil
}

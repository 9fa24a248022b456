package selling

import (
	"context"
	"encoding/json"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/smithy"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/validate"
)

// AWS's side of the Selling domain: what AWS's reviewers, sellers and
// systems do to partners' opportunities and invitations, which no partner
// operation can do. The admin API drives these entry points; each one is
// built on the same domain steps the partner operations use (mutateTx,
// acceptInvitation, rejectInvitation, expireInvitation, newInvitation), so
// everything those steps do — snapshot jobs, events — follows by itself.

// awsOutcomes are the ReviewStatus values AWS's reviewer sets.
var awsOutcomes = map[api.ReviewStatus]bool{
	api.ReviewStatusInReview:       true,
	api.ReviewStatusApproved:       true,
	api.ReviewStatusActionRequired: true,
	api.ReviewStatusRejected:       true,
}

// ReviewResult is where an opportunity stands after AWS's review.
type ReviewResult struct {
	Id               string
	ReviewStatus     api.ReviewStatus
	LastModifiedDate time.Time
}

// Review is AWS reviewing a submitted opportunity of account, in either
// catalog (unlike the partner's Sandbox simulation, this is AWS itself).
// A Submitted opportunity passes through In review on its way to the
// outcome, as AWS's validation does; In review may also be the outcome,
// to hold it there. Approved accepts the engagement invitation the
// submission sent AWS and approves the opportunities that follow this
// one's review; Rejected rejects that invitation (the event table of
// semantics §1.2). ReviewComments and ReviewStatusReason are kept for
// Action Required and Rejected, the outcomes that explain themselves.
func (s *Service) Review(ctx context.Context, account, catalog, opportunityID string, outcome api.ReviewStatus, comments, reason string) (*ReviewResult, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	if !awsOutcomes[outcome] {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "lifeCycle.reviewStatus", Code: apierr.CodeInvalidValue,
			Message: "AWS's review sets ReviewStatus to In review, Approved, Action Required or Rejected; not " + quoted(string(outcome)) + "."})
	}
	lc := api.LifeCycle{ReviewStatus: &outcome, ReviewComments: optional(comments), ReviewStatusReason: optional(reason)}
	if err := modelCheck("UpdateOpportunity", api.UpdateOpportunityRequest{Catalog: catalog, Identifier: opportunityID, LastModifiedDate: s.now(), LifeCycle: &lc}); err != nil {
		return nil, err
	}
	scope := scopeOf(account, catalog)
	var modified time.Time
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var err error
		modified, err = s.reviewTx(ctx, tx, scope, opportunityID, lc)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ReviewResult{Id: opportunityID, ReviewStatus: outcome, LastModifiedDate: modified}, nil
}

// reviewTx is Review inside tx, for the admin API and the automatic
// reviewer. lc carries the outcome, comments and reason.
func (s *Service) reviewTx(ctx context.Context, tx store.Tx, scope store.Scope, id string, lc api.LifeCycle) (time.Time, error) {
	_, rec, err := loadOpportunity(ctx, tx, scope, id)
	if err != nil {
		return time.Time{}, err
	}
	outcome := *lc.ReviewStatus
	current := rec.reviewStatus()
	switch {
	case current != api.ReviewStatusSubmitted && current != api.ReviewStatusInReview:
		return time.Time{}, apierr.Conflict("Opportunity %s is %s; AWS reviews only an opportunity that is Submitted or In review.", id, current)
	case current == outcome:
		return time.Time{}, apierr.Conflict("Opportunity %s is already %s.", id, current)
	}
	// The invitation is answered first, in the order AWS's events report an
	// approval: invitation accepted, member added, opportunity updated.
	if err := s.settleAwsInvitation(ctx, tx, scope, id, lc); err != nil {
		return time.Time{}, err
	}
	steps := []api.ReviewStatus{outcome}
	if current == api.ReviewStatusSubmitted && outcome != api.ReviewStatusInReview {
		steps = []api.ReviewStatus{api.ReviewStatusInReview, outcome}
	}
	var modified time.Time
	var reviewed *record
	for _, step := range steps {
		modified, err = s.mutateTx(ctx, tx, scope, id, func(_ store.Tx, rec *record, _ time.Time) error {
			o := rec.Opportunity.LifeCycle
			o.ReviewStatus = ptr(step)
			o.ReviewComments, o.ReviewStatusReason = nil, nil
			if step == api.ReviewStatusActionRequired || step == api.ReviewStatusRejected {
				o.ReviewComments, o.ReviewStatusReason = lc.ReviewComments, lc.ReviewStatusReason
			}
			reviewed = rec
			return nil
		})
		if err != nil {
			return time.Time{}, err
		}
	}
	if outcome == api.ReviewStatusApproved {
		if err := s.approveFollowers(ctx, tx, scope, reviewed); err != nil {
			return time.Time{}, err
		}
	}
	return modified, nil
}

// awsRejectionReason is the RejectionReason AWS gives when it rejects the
// submission's invitation: "Other" (a RejectionReason value of the guide)
// unless the review says more.
func awsRejectionReason(lc api.LifeCycle) string {
	if r := deref(lc.ReviewStatusReason); r != "" {
		return r
	}
	return "Other"
}

// settleAwsInvitation answers, for a review outcome, the invitation the
// opportunity's submission sent AWS: accepted on Approved, rejected on
// Rejected; other outcomes leave it pending.
func (s *Service) settleAwsInvitation(ctx context.Context, tx store.Tx, scope store.Scope, opportunityID string, lc api.LifeCycle) error {
	outcome := deref(lc.ReviewStatus)
	if outcome != api.ReviewStatusApproved && outcome != api.ReviewStatusRejected {
		return nil
	}
	if err := s.expireInvitations(ctx, tx, scope.Catalog); err != nil {
		return err
	}
	// An opportunity submitted with the legacy SubmitOpportunity has no
	// invitation, and one AWS took longer than 15 days over has an EXPIRED one.
	inv, err := s.awsInvitationOf(ctx, tx, scope, opportunityID, api.InvitationStatusPending)
	if err != nil || inv == nil {
		return err
	}
	if outcome == api.ReviewStatusApproved {
		_, err = s.acceptInvitation(ctx, tx, awsParty, scope.Catalog, inv.Id)
		return err
	}
	return s.rejectInvitation(ctx, tx, awsParty, scope.Catalog, inv.Id, awsRejectionReason(lc))
}

// awsInvitationOf finds the invitation, in one of the given statuses, that
// the opportunity's submission sent AWS in its engagement, or nil.
func (s *Service) awsInvitationOf(ctx context.Context, tx store.Tx, scope store.Scope, opportunityID string, statuses ...api.InvitationStatus) (*invitationRecord, error) {
	engs, _, err := docstore.List[engagementRecord](ctx, tx, store.DocumentQuery{
		Kind: kindEngagement, Catalog: scope.Catalog,
		Match: map[string][]string{"member": {scope.Account}, "resource": {string(api.ResourceTypeOpportunity) + "/" + opportunityID}},
	})
	if err != nil {
		return nil, err
	}
	for _, eng := range engs {
		invs, _, err := docstore.List[invitationRecord](ctx, tx, store.DocumentQuery{
			Kind: kindInvitation, Catalog: scope.Catalog,
			Match: map[string][]string{"engagement": {eng.Id}, "receiver": {awsParty}, "status": asStrings(statuses)},
		})
		if err != nil {
			return nil, err
		}
		for _, inv := range invs {
			if inv.SenderAwsAccountId == scope.Account {
				return inv, nil
			}
		}
	}
	return nil, nil
}

// AwsFields are the members of GetAwsOpportunitySummary that only AWS
// sets. As an update, each member given replaces the current one and an
// absent (nil) member keeps it; an empty OpportunityTeam clears the team.
// CosellMotion and SoftwareRevenue stay absent until AWS sets them ("null
// before scoring").
type AwsFields struct {
	LifeCycle                   *api.AwsOpportunityLifeCycle     `json:"LifeCycle,omitempty"`
	OpportunityTeam             []api.AwsTeamMember              `json:"OpportunityTeam,omitempty"`
	Insights                    *api.AwsOpportunityInsights      `json:"Insights,omitempty"`
	InvolvementTypeChangeReason *api.InvolvementTypeChangeReason `json:"InvolvementTypeChangeReason,omitempty"`
	Project                     *api.AwsOpportunityProject       `json:"Project,omitempty"`
	CosellMotion                *string                          `json:"CosellMotion,omitempty"`
	SoftwareRevenue             *api.AwsSoftwareRevenue          `json:"SoftwareRevenue,omitempty"`
}

// UpdateAwsSummary is AWS updating its side of a partner opportunity
// (stage, team, next steps, insights, its spend estimate), in any review
// status: "AWS updates your opportunity" is an opportunity write like any
// other, so it goes through mutateTx and gets a new LastModifiedDate. It
// returns the summary GetAwsOpportunitySummary now answers.
func (s *Service) UpdateAwsSummary(ctx context.Context, account, catalog, opportunityID string, update AwsFields) (*api.GetAwsOpportunitySummaryResponse, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	if update.LifeCycle == nil && update.OpportunityTeam == nil && update.Insights == nil && update.InvolvementTypeChangeReason == nil &&
		update.Project == nil && update.CosellMotion == nil && update.SoftwareRevenue == nil {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "summary", Code: apierr.CodeRequiredFieldMissing,
			Message: "Give at least one of LifeCycle, OpportunityTeam, Insights, InvolvementTypeChangeReason, Project, CosellMotion and SoftwareRevenue."})
	}
	// The update is checked as the summary it becomes part of, so every
	// enum, pattern and length the model gives those members applies.
	if err := checkAgainstOutput("GetAwsOpportunitySummary", struct {
		Catalog string
		AwsFields
	}{catalog, update}); err != nil {
		return nil, err
	}
	var out *api.GetAwsOpportunitySummaryResponse
	_, err := s.mutate(ctx, scopeOf(account, catalog), opportunityID, func(_ store.Tx, rec *record, now time.Time) error {
		if rec.Aws == nil {
			rec.Aws = &AwsFields{}
		}
		rec.Aws.apply(update, now)
		out = awsSummaryOf(rec)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// apply merges an update; a changed NextSteps joins NextStepsHistory, which
// AWS keeps (as the partner's LifeCycle does), whatever the update says.
func (f *AwsFields) apply(u AwsFields, now time.Time) {
	if u.LifeCycle != nil {
		prev := deref(f.LifeCycle)
		lc := *u.LifeCycle
		lc.NextStepsHistory = prev.NextStepsHistory
		if next := deref(lc.NextSteps); next != "" && next != deref(prev.NextSteps) {
			lc.NextStepsHistory = append(lc.NextStepsHistory, api.ProfileNextStepsHistory{Value: next, Time: now})
		}
		f.LifeCycle = &lc
	}
	if u.OpportunityTeam != nil {
		f.OpportunityTeam = u.OpportunityTeam
	}
	if u.Insights != nil {
		f.Insights = u.Insights
	}
	if u.InvolvementTypeChangeReason != nil {
		f.InvolvementTypeChangeReason = u.InvolvementTypeChangeReason
	}
	if u.Project != nil {
		f.Project = u.Project
	}
	if u.CosellMotion != nil {
		f.CosellMotion = u.CosellMotion
	}
	if u.SoftwareRevenue != nil {
		f.SoftwareRevenue = u.SoftwareRevenue
	}
}

// checkCatalog refuses a catalog other than the two: the AWS side takes
// the catalog from an admin request, which no model validated.
func checkCatalog(catalog string) error {
	if catalog == CatalogAWS || catalog == CatalogSandbox {
		return nil
	}
	return apierr.RequestInvalid(apierr.FieldError{FieldName: "catalog", Code: apierr.CodeInvalidValue,
		Message: "Catalog must be AWS or Sandbox, not " + quoted(catalog) + "."})
}

// modelCheck validates v as the input of a Selling operation: the admin
// API's requests carry model shapes, which the model constrains.
func modelCheck(op string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return internal("encode "+op, err)
	}
	return validate.Request(api.Service.Operations[op], body)
}

// checkAgainstOutput validates v as the output of a Selling operation.
func checkAgainstOutput(op string, v any) error {
	out := api.Service.Operations[op].Output
	body, err := json.Marshal(v)
	if err != nil {
		return internal("encode "+op, err)
	}
	return validate.Request(&smithy.Operation{Name: out.Name, Input: out}, body)
}

func quoted(s string) string { return `"` + s + `"` }

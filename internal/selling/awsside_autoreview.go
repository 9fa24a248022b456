package selling

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// The Sandbox's automatic reviewer: real Sandbox submissions stay Submitted
// until the partner simulates a review (semantics §2.4), so it is off
// unless asked for. With rules on, AWS decides a Sandbox submission once
// its delay has passed on the server clock — lazily, the first time the
// opportunity is read or listed after that (as moto's state manager moves
// a resource on when it is looked at), so there is no background work and
// a test that advances the clock sees the decision on its next read.

// DefaultAutoReviewDelay is how long the automatic reviewer takes.
const DefaultAutoReviewDelay = 60 * time.Second

// minBusinessProblem is the shortest CustomerBusinessProblem the rules
// approve: the model's own minimum (pattern {20,2000}).
const minBusinessProblem = 20

// autoReviewReason is the ReviewStatusReason of the rules' Action Required,
// the one AWS's sample app sets when it simulates it.
const autoReviewReason = "Additional information needed"

// AutoReview is how the Sandbox's automatic reviewer behaves.
type AutoReview struct {
	Rules bool          // false: off, submissions wait for a review
	Delay time.Duration // from submission to decision
}

// AutoReviewSetting keeps the reviewer's setting in the store, so one made
// through the admin API survives a restart.
const AutoReviewSetting = "auto-review"

// savedAutoReview is AutoReview as the store keeps it.
type savedAutoReview struct {
	Rules bool   `json:"rules"`
	Delay string `json:"delay"`
}

// SetAutoReview switches the automatic reviewer and saves the setting; a
// negative delay is refused. It applies to submissions already waiting, too.
func (s *Service) SetAutoReview(ctx context.Context, a AutoReview) error {
	if a.Delay < 0 {
		return apierr.RequestInvalid(apierr.FieldError{FieldName: "delay", Code: apierr.CodeInvalidValue, Message: "The review delay cannot be negative."})
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		return store.WriteJSONSetting(ctx, tx, store.Scope{}, AutoReviewSetting, savedAutoReview{Rules: a.Rules, Delay: a.Delay.String()})
	})
	if err != nil {
		return internal("save the automatic reviewer's setting", err)
	}
	s.autoReview.Store(&a)
	return nil
}

// RestoreAutoReview applies the setting last saved, if there is one.
func (s *Service) RestoreAutoReview(ctx context.Context) error {
	var saved savedAutoReview
	found, err := store.ReadJSONSetting(ctx, s.store, store.Scope{}, AutoReviewSetting, &saved)
	if err != nil || !found {
		return err
	}
	delay, err := time.ParseDuration(saved.Delay)
	if err != nil || delay < 0 {
		return internal("read the automatic reviewer's setting", fmt.Errorf("delay %q", saved.Delay))
	}
	s.autoReview.Store(&AutoReview{Rules: saved.Rules, Delay: delay})
	return nil
}

// AutoReview is the automatic reviewer's current setting.
func (s *Service) AutoReview() AutoReview {
	if a := s.autoReview.Load(); a != nil {
		return *a
	}
	return AutoReview{Delay: DefaultAutoReviewDelay}
}

// decideDueReviews is the automatic reviewer, run before every read of the
// scope's opportunities: it decides each Sandbox submission whose delay has
// passed. With the reviewer off, or in catalog AWS, it costs nothing.
func (s *Service) decideDueReviews(ctx context.Context, scope store.Scope) error {
	a := s.AutoReview()
	if !a.Rules || scope.Catalog != CatalogSandbox {
		return nil
	}
	rows, err := s.store.ListOpportunities(ctx, store.OpportunityQuery{
		Scope: scope, ReviewStatuses: []string{string(api.ReviewStatusSubmitted)}, SortBy: store.SortLastModifiedDate,
	})
	if err != nil {
		return internal("list submissions", err)
	}
	for _, row := range rows {
		rec, err := decodeRecord(row.Doc)
		if err != nil {
			return internal("decode opportunity", err)
		}
		if !reviewDue(rec, a, s.now()) {
			continue
		}
		err = s.store.Update(ctx, func(tx store.Tx) error {
			// Read again in the transaction: another request may have
			// decided it, or the partner withdrawn it, since the listing.
			_, rec, err := loadOpportunity(ctx, tx, scope, row.ID)
			if err != nil || !reviewDue(rec, a, s.now()) {
				return err
			}
			if _, err := s.reviewTx(ctx, tx, scope, row.ID, ruledReview(rec)); err != nil {
				return err
			}
			// AWS scores what it reviews; the summary changes as a write
			// of its own, as UpdateAwsSummary's do.
			_, err = s.mutateTx(ctx, tx, scope, row.ID, func(_ store.Tx, rec *record, _ time.Time) error {
				scoreOpportunity(rec)
				return nil
			})
			return err
		})
		// A conflict means a concurrent read decided it first.
		if err != nil && !apierr.Is(err, apierr.KindConflict) && !apierr.Is(err, apierr.KindNotFound) {
			return err
		}
	}
	return nil
}

// reviewDue says whether the automatic reviewer decides rec now. An
// opportunity that follows another's review (a partner's invitation
// accepted while that one was under review) is decided with it, not alone.
func reviewDue(rec *record, a AutoReview, now time.Time) bool {
	return rec.reviewStatus() == api.ReviewStatusSubmitted && rec.FollowsReviewOf == "" &&
		rec.SubmittedAt != nil && !now.Before(rec.SubmittedAt.Add(a.Delay))
}

// ruledReview is the rules' decision: Approved when the opportunity names a
// solution (an associated one or OtherSolutionDescription) and a business
// problem of 20 characters or more, else Action Required with comments
// naming what is missing.
func ruledReview(rec *record) api.LifeCycle {
	o := &rec.Opportunity
	project := deref(o.Project)
	var missing []string
	if len(o.RelatedEntityIdentifiers.Solutions) == 0 && deref(project.OtherSolutionDescription) == "" {
		missing = append(missing, "a solution (associate one with AssociateOpportunity, or describe it in Project.OtherSolutionDescription)")
	}
	if utf8.RuneCountInString(strings.TrimSpace(deref(project.CustomerBusinessProblem))) < minBusinessProblem {
		missing = append(missing, "Project.CustomerBusinessProblem of at least 20 characters")
	}
	if len(missing) == 0 {
		return api.LifeCycle{ReviewStatus: ptr(api.ReviewStatusApproved)}
	}
	return api.LifeCycle{
		ReviewStatus:       ptr(api.ReviewStatusActionRequired),
		ReviewComments:     ptr("Missing: " + strings.Join(missing, "; ") + "."),
		ReviewStatusReason: ptr(autoReviewReason),
	}
}

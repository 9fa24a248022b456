package benefits

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// The Sandbox's automatic reviewer, the same one that reviews Selling
// submissions (`cosell serve --auto-review rules`, the admin route): AWS
// reviews nothing in the Sandbox, so by default applications wait in
// IN_REVIEW for AWS's side; with the reviewer on, an application is
// decided the first time the account's applications or allocations are
// read once the delay has passed since its submission, on the server
// clock. Submit already checked it whole, so the reviewer approves it with
// the benefit's default allocations, or asks for action when the benefit
// has no default amount to grant. Catalog AWS is never reviewed
// automatically.

// AutoReview reports whether the automatic reviewer is on and its delay.
type AutoReview func() (on bool, delay time.Duration)

// decideDueReviews runs the reviewer for account's Sandbox applications,
// opening a write transaction only when one is due.
func (s *Service) decideDueReviews(ctx context.Context, account, catalog string) error {
	if catalog != CatalogSandbox || s.autoReview == nil {
		return nil
	}
	on, delay := s.autoReview()
	if !on {
		return nil
	}
	due, err := s.dueReviews(ctx, s.store, account, catalog, delay)
	if err != nil || len(due) == 0 {
		return err
	}
	return s.store.Update(ctx, func(tx store.Tx) error {
		due, err := s.dueReviews(ctx, tx, account, catalog, delay)
		if err != nil {
			return err
		}
		for _, a := range due {
			if err := s.decideAutomatically(ctx, tx, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// dueReviews are account's applications in review whose delay has passed.
func (s *Service) dueReviews(ctx context.Context, r store.Reader, account, catalog string, delay time.Duration) ([]*applicationRecord, error) {
	inReview, _, err := docstore.List[applicationRecord](ctx, r, store.DocumentQuery{Kind: kindApplication, Catalog: catalog,
		Match: map[string][]string{"owner": {account}, "status": {string(api.BenefitApplicationStatusInReview)}}})
	if err != nil {
		return nil, err
	}
	now := s.now()
	var due []*applicationRecord
	for _, a := range inReview {
		if a.SubmittedAt != nil && !now.Before(a.SubmittedAt.Add(delay)) {
			due = append(due, a)
		}
	}
	return due, nil
}

func (s *Service) decideAutomatically(ctx context.Context, tx store.Tx, a *applicationRecord) error {
	_, err := s.review(ctx, tx, a.Owner, a.Catalog, a.Id, Review{Decision: DecisionApprove})
	if e, ok := apierr.As(err); ok && e.Kind == apierr.KindValidation {
		_, err = s.review(ctx, tx, a.Owner, a.Catalog, a.Id, Review{Decision: DecisionActionRequired,
			Reason: "The automatic reviewer cannot grant this benefit: " + e.Message, ReasonCode: "Manual Review Required"})
	}
	return err
}

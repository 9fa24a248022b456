package selling

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// Expiry is the one place an invitation becomes EXPIRED. Every invitation
// operation first sweeps its catalog: each PENDING invitation whose
// ExpirationDate has come (by the server clock) is stored as EXPIRED, so
// Get, List and its Status filter, Accept and Reject all see the stored
// status and nothing derives it again. A sweep touches only what is due:
// every invitation expires a fixed lifetime after its creation, so in
// creation order the due PENDING ones come first and the sweep stops at the
// first that is not.

// sweepBatch bounds one read of a sweep.
const sweepBatch = 100

// pendingInCreationOrder selects a catalog's PENDING invitations, oldest
// (soonest to expire) first.
func pendingInCreationOrder(catalog string, limit int) store.DocumentQuery {
	return store.DocumentQuery{
		Kind: kindInvitation, Catalog: catalog, Limit: limit,
		Match: map[string][]string{"status": {string(api.InvitationStatusPending)}},
	}
}

// expireInvitations marks the catalog's due PENDING invitations EXPIRED
// inside tx.
func (s *Service) expireInvitations(ctx context.Context, tx store.Tx, catalog string) error {
	now := s.now()
	var failed error
	err := scanDocuments(ctx, tx, pendingInCreationOrder(catalog, 0), sweepBatch, func(inv *invitationRecord) bool {
		if !inv.due(now) {
			return false
		}
		d, err := docstore.Get[invitationRecord](ctx, tx, kindInvitation, catalog, inv.Id, invitationNotFound(inv.Id))
		if err == nil {
			err = s.expireInvitation(ctx, tx, d)
		}
		failed = err
		return err == nil
	})
	if err != nil {
		return err
	}
	return failed
}

// expireInvitation stores one PENDING invitation as EXPIRED: the sweep's
// step, and AWS ending an invitation early (ExpireInvitation).
func (s *Service) expireInvitation(ctx context.Context, tx store.Tx, d docstore.Doc[invitationRecord]) error {
	d.Value.Status = api.InvitationStatusExpired
	if err := saveInvitation(ctx, tx, d); err != nil {
		return err
	}
	return s.invitationSettled(ctx, tx, d.Value)
}

// expireBeforeRead runs the sweep for a read-only operation, opening a write
// transaction only when the oldest PENDING invitation is due, so reads stay
// reads almost always.
func (s *Service) expireBeforeRead(ctx context.Context, catalog string) error {
	oldest, _, err := docstore.List[invitationRecord](ctx, s.store, pendingInCreationOrder(catalog, 1))
	if err != nil || len(oldest) == 0 || !oldest[0].due(s.now()) {
		return err
	}
	return s.store.Update(ctx, func(tx store.Tx) error { return s.expireInvitations(ctx, tx, catalog) })
}

package account

import (
	"context"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// Expiry is the one place a connection invitation becomes EXPIRED. Every
// invitation operation first sweeps the catalog: each PENDING invitation
// whose ExpiresAt has come (by the server clock) is stored as EXPIRED, so
// reads, the Status filter, duplicate checks, quotas and responses all see
// the stored status. All invitations live equally long, so in creation
// order the due ones come first and a sweep stops at the first that is not.

// expiryBatch bounds one read of a sweep.
const expiryBatch = 100

func pendingInvitations(catalog string, limit int) store.DocumentQuery {
	return store.DocumentQuery{
		Kind: kindConnectionInvitation, Catalog: catalog, Limit: limit,
		Match: map[string][]string{"status": {string(api.InvitationStatusPending)}},
	}
}

// expireInvitations marks the catalog's due PENDING invitations EXPIRED
// inside tx.
func (s *Service) expireInvitations(ctx context.Context, tx store.Tx, catalog string) error {
	now := s.now()
	for {
		batch, _, err := docstore.List[invitationRecord](ctx, tx, pendingInvitations(catalog, expiryBatch))
		if err != nil {
			return err
		}
		for _, inv := range batch {
			if !inv.due(now) {
				return nil
			}
			d, err := docstore.Get[invitationRecord](ctx, tx, kindConnectionInvitation, catalog, inv.Id, invitationNotFound(inv.Id))
			if err != nil {
				return err
			}
			d.Value.Status, d.Value.UpdatedAt = api.InvitationStatusExpired, d.Value.ExpiresAt
			if err := saveInvitation(ctx, tx, d); err != nil {
				return err
			}
			// A sweep that rolls back with its operation emits nothing
			// and leaves the invitation PENDING for the next sweep, so
			// each expiry is announced once, by the sweep that commits.
			if err := s.emitInvitationExpired(ctx, tx, d.Value); err != nil {
				return err
			}
		}
		// Expired ones leave the PENDING listing, so the next batch
		// starts again from the oldest still pending.
		if len(batch) < expiryBatch {
			return nil
		}
	}
}

// expireBeforeRead sweeps for a read-only operation, opening a write
// transaction only when the oldest PENDING invitation is due.
func (s *Service) expireBeforeRead(ctx context.Context, catalog string) error {
	oldest, _, err := docstore.List[invitationRecord](ctx, s.store, pendingInvitations(catalog, 1))
	if err != nil || len(oldest) == 0 || !oldest[0].due(s.now()) {
		return err
	}
	return s.store.Update(ctx, func(tx store.Tx) error { return s.expireInvitations(ctx, tx, catalog) })
}

package channel

import (
	"context"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// Expiry is the one place a handshake becomes EXPIRED. Every handshake
// operation (and the deletes that look for pending handshakes) first
// sweeps the catalog: each PENDING handshake whose expiry has come by the
// server clock is stored as EXPIRED, so reads, filters, duplicate checks
// and limits all see the stored status. All handshakes live equally long
// unless the AWS side expires one early, so in creation order the due ones
// mostly come first; a sweep reads every pending one to be sure.

func pendingHandshakes(catalog string) store.DocumentQuery {
	return store.DocumentQuery{Kind: kindHandshake, Catalog: catalog,
		Match: map[string][]string{"status": {string(api.HandshakeStatusPending)}}}
}

// expireHandshakes marks the catalog's due PENDING handshakes EXPIRED in
// tx. No event reports it: AWS documents none.
func (s *Service) expireHandshakes(ctx context.Context, tx store.Tx, catalog string) error {
	now := s.now()
	pending, _, err := docstore.List[handshakeRecord](ctx, tx, pendingHandshakes(catalog))
	if err != nil {
		return err
	}
	for _, h := range pending {
		if !h.due(now) {
			continue
		}
		d, err := docstore.Get[handshakeRecord](ctx, tx, kindHandshake, catalog, h.Id, func() error { return notFound(resourceHandshake, h.Id) })
		if err != nil {
			return err
		}
		d.Value.Status, d.Value.UpdatedAt = api.HandshakeStatusExpired, d.Value.ExpiresAt
		if err := saveHandshake(ctx, tx, d); err != nil {
			return err
		}
	}
	return nil
}

// expireBeforeRead sweeps for a read-only operation, opening a write
// transaction only when a PENDING handshake is due.
func (s *Service) expireBeforeRead(ctx context.Context, catalog string) error {
	pending, _, err := docstore.List[handshakeRecord](ctx, s.store, pendingHandshakes(catalog))
	if err != nil {
		return err
	}
	now := s.now()
	for _, h := range pending {
		if h.due(now) {
			return s.store.Update(ctx, func(tx store.Tx) error { return s.expireHandshakes(ctx, tx, catalog) })
		}
	}
	return nil
}

// ExpireHandshake is the AWS side's: a PENDING handshake expires now.
func (s *Service) ExpireHandshake(ctx context.Context, catalog, identifier string) (*api.ChannelHandshakeSummary, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	var out api.ChannelHandshakeSummary
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := s.expireHandshakes(ctx, tx, catalog); err != nil {
			return err
		}
		d, err := anyHandshake(ctx, tx, catalog, identifier)
		if err != nil {
			return err
		}
		h := d.Value
		if h.Status != api.HandshakeStatusPending {
			return apierr.Conflict("Handshake %s is %s; only a PENDING handshake can expire.", h.Id, h.Status).About(resourceHandshake, h.Id)
		}
		now := s.now()
		h.Status, h.UpdatedAt, h.ExpiresAt = api.HandshakeStatusExpired, now, now
		if err := saveHandshake(ctx, tx, d); err != nil {
			return err
		}
		out = h.summary()
		return nil
	})
	return &out, err
}

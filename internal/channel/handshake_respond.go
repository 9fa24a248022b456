package channel

import (
	"context"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// A handshake is answered once: the receiver accepts or rejects it, the
// sending side (its owner or sender) cancels it, each only while it is
// PENDING. The operations are @idempotent, so repeating the answer the
// handshake already has returns it again; any other answer to a handshake
// no longer pending is a ConflictException.

// AcceptChannelHandshake is the receiver's consent; it activates the PMA
// or starts or ends the service period the handshake is about.
func (s *Service) AcceptChannelHandshake(ctx context.Context, account string, in *api.AcceptChannelHandshakeRequest) (*api.AcceptChannelHandshakeResponse, error) {
	h, err := s.answer(ctx, account, in.Catalog, in.Identifier, api.HandshakeStatusAccepted)
	if err != nil {
		return nil, err
	}
	return &api.AcceptChannelHandshakeResponse{ChannelHandshakeDetail: &api.AcceptChannelHandshakeDetail{Id: &h.Id, Arn: &h.Arn, Status: &h.Status}}, nil
}

// RejectChannelHandshake is the receiver's refusal.
func (s *Service) RejectChannelHandshake(ctx context.Context, account string, in *api.RejectChannelHandshakeRequest) (*api.RejectChannelHandshakeResponse, error) {
	h, err := s.answer(ctx, account, in.Catalog, in.Identifier, api.HandshakeStatusRejected)
	if err != nil {
		return nil, err
	}
	return &api.RejectChannelHandshakeResponse{ChannelHandshakeDetail: &api.RejectChannelHandshakeDetail{Id: &h.Id, Arn: &h.Arn, Status: &h.Status}}, nil
}

// CancelChannelHandshake withdraws a handshake the caller sent.
func (s *Service) CancelChannelHandshake(ctx context.Context, account string, in *api.CancelChannelHandshakeRequest) (*api.CancelChannelHandshakeResponse, error) {
	h, err := s.answer(ctx, account, in.Catalog, in.Identifier, api.HandshakeStatusCanceled)
	if err != nil {
		return nil, err
	}
	return &api.CancelChannelHandshakeResponse{ChannelHandshakeDetail: &api.CancelChannelHandshakeDetail{Id: &h.Id, Arn: &h.Arn, Status: &h.Status}}, nil
}

// answer moves a handshake account takes part in to status, if account is
// the party that may.
func (s *Service) answer(ctx context.Context, account, catalog, identifier string, status api.HandshakeStatus) (*handshakeRecord, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	var out *handshakeRecord
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := s.expireHandshakes(ctx, tx, catalog); err != nil {
			return err
		}
		d, err := visibleHandshake(ctx, tx, account, catalog, identifier)
		if err != nil {
			return err
		}
		if err := mayAnswer(d.Value, account, status); err != nil {
			return err
		}
		out, err = s.settle(ctx, tx, d, status)
		return err
	})
	return out, err
}

// mayAnswer is AccessDenied for a participant the answer is not theirs:
// accepting and rejecting are the receiver's, canceling the sending side's.
func mayAnswer(h *handshakeRecord, account string, status api.HandshakeStatus) error {
	if status == api.HandshakeStatusCanceled {
		if account != h.Owner && account != h.Sender {
			return apierr.AccessDenied("Only the sender of handshake %s can cancel it.", h.Id)
		}
		return nil
	}
	if account != h.Receiver {
		return apierr.AccessDenied("Only the receiver of handshake %s, account %s, can accept or reject it.", h.Id, h.Receiver)
	}
	return nil
}

// settle moves a PENDING handshake to status with its effects and event,
// or returns it unchanged when it already has that status.
func (s *Service) settle(ctx context.Context, tx store.Tx, d docstore.Doc[handshakeRecord], status api.HandshakeStatus) (*handshakeRecord, error) {
	h := d.Value
	if h.Status == status {
		return h, nil
	}
	if h.Status != api.HandshakeStatusPending {
		return nil, apierr.Conflict("Handshake %s is %s; only a PENDING handshake can become %s.", h.Id, h.Status, status).About(resourceHandshake, h.Id)
	}
	h.Status, h.UpdatedAt = status, s.now()
	if err := saveHandshake(ctx, tx, d); err != nil {
		return nil, err
	}
	switch status {
	case api.HandshakeStatusAccepted:
		if err := s.applyAccepted(ctx, tx, h); err != nil {
			return nil, err
		}
		return h, s.emitHandshake(ctx, tx, h, eventHandshakeAccepted, h.Owner)
	case api.HandshakeStatusRejected:
		return h, s.emitHandshake(ctx, tx, h, eventHandshakeRejected, h.Owner)
	}
	// AWS documents no event for a canceled (or expired) handshake.
	return h, nil
}

// applyAccepted does what the receiver consented to. A PMA or relationship
// that is gone (a scoped reset of its owner removes it, not the shared
// handshake) leaves nothing to change.
func (s *Service) applyAccepted(ctx context.Context, tx store.Tx, h *handshakeRecord) error {
	now := h.UpdatedAt
	if h.Type == api.HandshakeTypeProgramManagementAccount {
		d, err := ownPMA(ctx, tx, h.Owner, h.Catalog, h.PMAId)
		if apierr.Is(err, apierr.KindNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		d.Value.Status, d.Value.StartDate = api.ProgramManagementAccountStatusActive, now
		d.Value.touch(now)
		return savePMA(ctx, tx, d)
	}
	d, err := ownRelationship(ctx, tx, h.Owner, h.Catalog, h.AssociatedResourceId, nil)
	if apierr.Is(err, apierr.KindNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if h.Type == api.HandshakeTypeStartServicePeriod {
		p := h.Period
		d.Value.Period = &servicePeriod{Type: p.Type, MinimumNoticeDays: p.MinimumNoticeDays, StartDate: p.StartDate, EndDate: p.EndDate}
	} else {
		d.Value.Period = nil
	}
	d.Value.touch(now)
	return saveRelationship(ctx, tx, d)
}

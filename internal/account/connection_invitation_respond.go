package account

import (
	"context"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// AcceptConnectionInvitation connects the receiver (the caller) with the
// sender in the invitation's type: a new connection, or the type added to
// the pair's live one.
func (s *Service) AcceptConnectionInvitation(ctx context.Context, account string, in *api.AcceptConnectionInvitationRequest) (*api.AcceptConnectionInvitationResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "AcceptConnectionInvitation", in.ClientToken, in, func(tx store.Tx) (*api.AcceptConnectionInvitationResponse, error) {
		inv, err := s.pendingFor(ctx, tx, account, in.Catalog, in.Identifier, api.ParticipantTypeReceiver)
		if err != nil {
			return nil, err
		}
		conn, err := s.connect(ctx, tx, inv.Value)
		if err != nil {
			return nil, err
		}
		inv.Value.Status, inv.Value.ConnectionId, inv.Value.UpdatedAt = api.InvitationStatusAccepted, conn.Id, s.now()
		if err := saveInvitation(ctx, tx, inv); err != nil {
			return nil, err
		}
		if err := s.emitInvitationAccepted(ctx, tx, inv.Value, conn); err != nil {
			return nil, err
		}
		return &api.AcceptConnectionInvitationResponse{Connection: *conn.view(account)}, nil
	})
}

// connect adds the invitation's type to the pair's live connection, or
// starts a new one when they have none (then within both accounts' quota).
func (s *Service) connect(ctx context.Context, tx store.Tx, inv *invitationRecord) (*connectionRecord, error) {
	now := s.now()
	d, found, err := liveConnection(ctx, tx, inv.Catalog, inv.Sender.Account, inv.Receiver.Account)
	if err != nil {
		return nil, err
	}
	if !found {
		for _, a := range []string{inv.Sender.Account, inv.Receiver.Account} {
			if err := s.checkConnectionQuota(ctx, tx, inv.Catalog, a); err != nil {
				return nil, err
			}
		}
		id := docstore.NewID("pac-", 13)
		d.Value = &connectionRecord{
			Id: id, Arn: s.connectionArn(inv.Catalog, id), Catalog: inv.Catalog, Parties: [2]party{inv.Sender, inv.Receiver},
			CreatedAt: now, Types: map[api.ConnectionType]*connectionTypeState{},
		}
	}
	c := d.Value
	c.Types[inv.ConnectionType] = &connectionTypeState{Status: api.ConnectionTypeStatusActive, CreatedAt: now, InviterEmail: inv.InviterEmail, InviterName: inv.InviterName}
	c.UpdatedAt = now
	return c, saveConnection(ctx, tx, d)
}

// RejectConnectionInvitation declines a PENDING invitation; only its
// receiver may.
func (s *Service) RejectConnectionInvitation(ctx context.Context, account string, in *api.RejectConnectionInvitationRequest) (*api.RejectConnectionInvitationResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "RejectConnectionInvitation", in.ClientToken, in, func(tx store.Tx) (*api.RejectConnectionInvitationResponse, error) {
		inv, err := s.pendingFor(ctx, tx, account, in.Catalog, in.Identifier, api.ParticipantTypeReceiver)
		if err != nil {
			return nil, err
		}
		inv.Value.Status, inv.Value.RejectionReason, inv.Value.UpdatedAt = api.InvitationStatusRejected, textOf(in.Reason), s.now()
		if err := saveInvitation(ctx, tx, inv); err != nil {
			return nil, err
		}
		if err := s.emitInvitationRejected(ctx, tx, inv.Value); err != nil {
			return nil, err
		}
		return (*api.RejectConnectionInvitationResponse)(inv.Value.view(account)), nil
	})
}

// CancelConnectionInvitation withdraws a PENDING invitation; only its
// sender may.
func (s *Service) CancelConnectionInvitation(ctx context.Context, account string, in *api.CancelConnectionInvitationRequest) (*api.CancelConnectionInvitationResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "CancelConnectionInvitation", in.ClientToken, in, func(tx store.Tx) (*api.CancelConnectionInvitationResponse, error) {
		inv, err := s.pendingFor(ctx, tx, account, in.Catalog, in.Identifier, api.ParticipantTypeSender)
		if err != nil {
			return nil, err
		}
		inv.Value.Status, inv.Value.UpdatedAt = api.InvitationStatusCanceled, s.now()
		if err := saveInvitation(ctx, tx, inv); err != nil {
			return nil, err
		}
		if err := s.emitInvitationCancelled(ctx, tx, inv.Value); err != nil {
			return nil, err
		}
		return (*api.CancelConnectionInvitationResponse)(inv.Value.view(account)), nil
	})
}

// pendingFor reads an invitation the caller may act on as role: one it
// takes part in (else not found), in that role (else Conflict
// INCOMPATIBLE_CONNECTION_INVITATION_RECEIVER, the model's one reason for
// the wrong party — for a receiver trying the sender's cancel too), and
// still PENDING after expiry (else INCOMPATIBLE_CONNECTION_INVITATION_STATE).
func (s *Service) pendingFor(ctx context.Context, tx store.Tx, account, catalog, id string, role api.ParticipantType) (docstore.Doc[invitationRecord], error) {
	if err := s.expireInvitations(ctx, tx, catalog); err != nil {
		return docstore.Doc[invitationRecord]{}, err
	}
	d, err := visibleInvitation(ctx, tx, account, catalog, id)
	if err != nil {
		return d, err
	}
	if d.Value.role(account) != role {
		return d, apierr.Conflict("Only the invitation's %s can do this to connection invitation %s.", roleName(role), id).
			WithReason(string(api.ConflictExceptionReasonIncompatibleConnectionInvitationReceiver))
	}
	if d.Value.Status != api.InvitationStatusPending {
		return d, apierr.Conflict("Connection invitation %s is %s, not PENDING.", id, d.Value.Status).
			WithReason(string(api.ConflictExceptionReasonIncompatibleConnectionInvitationState))
	}
	return d, nil
}

func roleName(role api.ParticipantType) string {
	if role == api.ParticipantTypeSender {
		return "sender"
	}
	return "receiver"
}

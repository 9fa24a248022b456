package account

import (
	"context"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// CreateConnectionInvitation sends the caller's invitation to connect with
// another partner in one connection type.
func (s *Service) CreateConnectionInvitation(ctx context.Context, account string, in *api.CreateConnectionInvitationRequest) (*api.CreateConnectionInvitationResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "CreateConnectionInvitation", in.ClientToken, in, func(tx store.Tx) (*api.CreateConnectionInvitationResponse, error) {
		if err := s.expireInvitations(ctx, tx, in.Catalog); err != nil {
			return nil, err
		}
		sender, receiver, err := s.invitationParties(ctx, tx, account, in)
		if err != nil {
			return nil, err
		}
		if err := s.checkInvitable(ctx, tx, in.Catalog, in.ConnectionType, sender, receiver); err != nil {
			return nil, err
		}
		if err := s.checkSendQuotas(ctx, tx, in.Catalog, account); err != nil {
			return nil, err
		}
		now := s.now()
		id := docstore.NewID("pacinv-", 13)
		rec := &invitationRecord{
			Id: id, Arn: s.arn("", in.Catalog, "connection-invitation/"+id), Catalog: in.Catalog, ConnectionType: in.ConnectionType,
			Sender: sender, Receiver: receiver, ReceiverIdentifier: in.ReceiverIdentifier, Status: api.InvitationStatusPending,
			Message: in.Message, InviterEmail: in.Email, InviterName: in.Name,
			CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(invitationLifetime),
		}
		if err := saveInvitation(ctx, tx, docstore.Doc[invitationRecord]{Value: rec}); err != nil {
			return nil, err
		}
		if err := s.emitInvitationReceived(ctx, tx, rec); err != nil {
			return nil, err
		}
		return (*api.CreateConnectionInvitationResponse)(rec.view(account)), nil
	})
}

// invitationParties resolves the sender (the caller's partner) and the
// receiver the request addresses: a public profile id for collaboration,
// an AWS account id the server knows for subsidiaries.
func (s *Service) invitationParties(ctx context.Context, r store.Reader, account string, in *api.CreateConnectionInvitationRequest) (sender, receiver party, err error) {
	from, err := callerPartner(ctx, r, account, in.Catalog)
	if err != nil {
		return sender, receiver, notFoundAs(err, api.ResourceNotFoundExceptionReasonSenderProfileNotFound,
			"Account "+account+" has no partner in catalog "+in.Catalog+" to send invitations from.")
	}
	var to docstore.Doc[partnerRecord]
	if in.ConnectionType == api.ConnectionTypeSubsidiary {
		if _, known := s.accounts[in.ReceiverIdentifier]; !known {
			return sender, receiver, receiverNotFound(in.ReceiverIdentifier)
		}
		to, err = callerPartner(ctx, r, in.ReceiverIdentifier, in.Catalog)
	} else {
		to, err = partnerByProfile(ctx, r, in.Catalog, in.ReceiverIdentifier)
	}
	if err != nil {
		return sender, receiver, notFoundAs(err, api.ResourceNotFoundExceptionReasonReceiverProfileNotFound,
			"No partner "+in.ReceiverIdentifier+" in catalog "+in.Catalog+" to invite.")
	}
	return partyOf(from.Value), partyOf(to.Value), nil
}

func receiverNotFound(id string) error {
	return apierr.NotFound("No partner %s to invite.", id).WithReason(string(api.ResourceNotFoundExceptionReasonReceiverProfileNotFound))
}

// notFoundAs restates a ResourceNotFound with the given reason and message;
// other errors pass unchanged.
func notFoundAs(err error, reason api.ResourceNotFoundExceptionReason, msg string) error {
	if !apierr.Is(err, apierr.KindNotFound) {
		return err
	}
	return apierr.NotFound("%s", msg).WithReason(string(reason))
}

// checkInvitable applies the rules between the two parties: not oneself,
// not already connected or invited in the type, room for a new connection,
// and welcome by the receiver's preferences.
func (s *Service) checkInvitable(ctx context.Context, r store.Reader, catalog string, t api.ConnectionType, sender, receiver party) error {
	if sender.Account == receiver.Account {
		return incompatibleRequest("You cannot send a connection invitation to your own account.")
	}
	pending, _, err := docstore.List[invitationRecord](ctx, r, store.DocumentQuery{
		Kind: kindConnectionInvitation, Catalog: catalog, Limit: 1,
		Match: map[string][]string{"pair": {pairKey(sender.Account, receiver.Account) + "|" + string(t)}, "status": {string(api.InvitationStatusPending)}},
	})
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return apierr.Conflict("Connection invitation %s of type %s between these accounts is already pending.", pending[0].Id, t).
			WithReason(string(api.ConflictExceptionReasonDuplicateConnectionInvitation))
	}
	conn, found, err := liveConnection(ctx, r, catalog, sender.Account, receiver.Account)
	if err != nil {
		return err
	}
	if found && conn.Value.active(t) {
		return apierr.Conflict("Connection %s already connects these accounts with type %s.", conn.Value.Id, t).
			WithReason(string(api.ConflictExceptionReasonDuplicateConnection))
	}
	if !found {
		// Accepting would make the sender a new connection.
		if err := s.checkConnectionQuota(ctx, r, catalog, sender.Account); err != nil {
			return err
		}
	}
	prefs, err := s.preferences(ctx, r, receiver.Account, catalog)
	if err != nil {
		return err
	}
	if prefs.Value.refuses(sender) {
		return incompatibleRequest("The receiver's connection preferences do not accept invitations from you.")
	}
	return nil
}

// incompatibleRequest is the Account API's business ValidationException
// for an invitation the rules forbid. AWS documents no error for an
// invitation to oneself or one the receiver's preferences refuse; of the
// model's errors, the business code INCOMPATIBLE_CONNECTION_INVITATION_REQUEST
// is the one made for such a request (AccessDenied would speak of the
// caller's permissions, not the receiver's choice).
func incompatibleRequest(msg string) error {
	return apierr.BusinessInvalid(msg, apierr.FieldError{Message: msg, Code: string(api.BusinessValidationCodeIncompatibleConnectionInvitationRequest)})
}

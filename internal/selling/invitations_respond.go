package selling

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// AcceptEngagementInvitation makes the caller, the receiver, a member of the
// invitation's engagement.
func (s *Service) AcceptEngagementInvitation(ctx context.Context, account string, in *api.AcceptEngagementInvitationRequest) (*struct{}, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		_, err := s.acceptInvitation(ctx, tx, account, in.Catalog, in.Identifier)
		return err
	})
	return nil, err
}

// acceptInvitation is AcceptEngagementInvitation inside tx, for the
// operation and the tasks; identifier is an invitation id or ARN. It returns
// the accepted invitation.
func (s *Service) acceptInvitation(ctx context.Context, tx store.Tx, account, catalog, identifier string) (*invitationRecord, error) {
	d, err := s.pendingForReceiver(ctx, tx, account, catalog, identifier, "accepted")
	if err != nil {
		return nil, err
	}
	inv := d.Value
	eng, err := loadEngagement(ctx, tx, catalog, inv.EngagementId)
	if err != nil {
		return nil, err
	}
	// The receiver was a known party when invited; parties only come from
	// the server's configuration, so fall back to the bare account id.
	member, ok := s.party(account)
	if !ok {
		member = Party{AccountID: account}
	}
	// The invitation is settled before the engagement grows, so its
	// Accepted event comes before Member Added, in the guide's order.
	inv.Status = api.InvitationStatusAccepted
	if err := saveInvitation(ctx, tx, d); err != nil {
		return nil, err
	}
	if err := s.invitationSettled(ctx, tx, inv); err != nil {
		return nil, err
	}
	eng.Value.addMember(member)
	if _, err := s.saveEngagement(ctx, tx, eng, account); err != nil {
		return nil, err
	}
	return inv, nil
}

// RejectEngagementInvitation declines an invitation; the receiver loses
// access to its details.
func (s *Service) RejectEngagementInvitation(ctx context.Context, account string, in *api.RejectEngagementInvitationRequest) (*struct{}, error) {
	// The model leaves RejectionReason optional, but the developer guide
	// makes it required; being strict keeps an integration tested here from
	// failing against AWS.
	reason := deref(in.RejectionReason)
	if reason == "" {
		return nil, apierr.RequestInvalid(apierr.FieldError{
			FieldName: "rejectionReason", Code: apierr.CodeRequiredFieldMissing, Message: "A RejectionReason is required to reject an invitation.",
		})
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		return s.rejectInvitation(ctx, tx, account, in.Catalog, in.Identifier, reason)
	})
	return nil, err
}

// rejectInvitation is RejectEngagementInvitation inside tx, for the
// operation and for AWS rejecting a submission (Review).
func (s *Service) rejectInvitation(ctx context.Context, tx store.Tx, account, catalog, identifier, reason string) error {
	d, err := s.pendingForReceiver(ctx, tx, account, catalog, identifier, "rejected")
	if err != nil {
		return err
	}
	d.Value.Status, d.Value.RejectionReason = api.InvitationStatusRejected, reason
	if err := saveInvitation(ctx, tx, d); err != nil {
		return err
	}
	return s.invitationSettled(ctx, tx, d.Value)
}

// pendingForReceiver loads an invitation the caller received and can still
// answer: only a PENDING invitation can be; anything else (already answered
// or EXPIRED) is a ConflictException. Only the receiver may answer.
func (s *Service) pendingForReceiver(ctx context.Context, tx store.Tx, account, catalog, identifier, verb string) (docstore.Doc[invitationRecord], error) {
	if err := s.expireInvitations(ctx, tx, catalog); err != nil {
		return docstore.Doc[invitationRecord]{}, err
	}
	d, err := s.loadInvitation(ctx, tx, account, catalog, identifier)
	if err != nil {
		return d, err
	}
	inv := d.Value
	if account != inv.Receiver.AwsAccountId {
		return d, apierr.AccessDenied("Only the receiver of engagement invitation %s can answer it.", inv.Id)
	}
	if inv.Status != api.InvitationStatusPending {
		return d, apierr.Conflict("Engagement invitation %s is %s; only a PENDING invitation can be %s.", inv.Id, inv.Status, verb)
	}
	return d, nil
}

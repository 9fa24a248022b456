package selling

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// maxEngagementSeats is the most members an engagement can have, AWS
// included: the model caps ExistingMembers and ListEngagementMembers at 10
// and the developer guide an engagement at 10 partners. A PENDING invitation
// holds a seat, so accepting never overfills an engagement. The guide's other
// rule, that a partner invites at most 9 partners, follows from this one:
// the inviter holds a seat itself.
const maxEngagementSeats = 10

// CreateEngagementInvitation invites one partner (or AWS) to an engagement
// the caller is a member of.
func (s *Service) CreateEngagementInvitation(ctx context.Context, account string, in *api.CreateEngagementInvitationRequest) (*api.CreateEngagementInvitationResponse, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "CreateEngagementInvitation", in.ClientToken, in, func(tx store.Tx) (*api.CreateEngagementInvitationResponse, error) {
		rec, err := s.createInvitation(ctx, tx, account, in.Catalog, in.EngagementIdentifier, in.Invitation)
		if err != nil {
			return nil, err
		}
		return &api.CreateEngagementInvitationResponse{Id: rec.Id, Arn: rec.Arn}, nil
	})
}

// createInvitation is CreateEngagementInvitation without idempotency, for
// the operation and the tasks. sender is a member of the engagement, or AWS
// (awsParty), which invites to any engagement and signs as company "AWS".
func (s *Service) createInvitation(ctx context.Context, tx store.Tx, sender, catalog, engagementID string, inv api.Invitation) (*invitationRecord, error) {
	// An account Partner Central does not know is ResourceNotFound, as the
	// Account API answers an unknown receiver of its connection invitations
	// (RECEIVER_PROFILE_NOT_FOUND); AWS documents nothing for this case.
	if to := inv.Receiver.Account; to != nil {
		if _, ok := s.party(to.AwsAccountId); !ok {
			return nil, apierr.NotFound("Account %s is not a Partner Central partner and cannot be invited.", to.AwsAccountId)
		}
	}
	rec, err := s.newInvitation(ctx, tx, sender, catalog, engagementID, inv)
	if err != nil {
		return nil, err
	}
	return rec, s.addInvitation(ctx, tx, rec)
}

// addInvitation stores a new invitation and tells its parties: how every
// invitation, the partner's or AWS's, comes to exist.
func (s *Service) addInvitation(ctx context.Context, tx store.Tx, rec *invitationRecord) error {
	if err := insertInvitation(ctx, tx, rec); err != nil {
		return err
	}
	return s.invitationCreated(ctx, tx, rec)
}

// insertInvitation only stores; new invitations go through addInvitation.
func insertInvitation(ctx context.Context, tx store.Tx, rec *invitationRecord) error {
	_, err := docstore.Put(ctx, tx, kindInvitation, rec.Catalog, rec, 0)
	return err
}

// newInvitation checks an invitation against the engagement and the
// invitations already pending, and returns it PENDING and unsaved. Its
// receiver is taken to exist: createInvitation checks that, and an AWS
// referral invites the signed caller.
func (s *Service) newInvitation(ctx context.Context, tx store.Tx, sender, catalog, engagementID string, inv api.Invitation) (*invitationRecord, error) {
	if err := s.expireInvitations(ctx, tx, catalog); err != nil {
		return nil, err
	}
	payloadType, err := payloadTypeOf(inv.Payload)
	if err != nil {
		return nil, err
	}
	var eng docstore.Doc[engagementRecord]
	if sender == awsParty {
		eng, err = loadEngagement(ctx, tx, catalog, engagementID)
	} else {
		eng, err = memberEngagement(ctx, tx, catalog, engagementID, sender)
	}
	if err != nil {
		return nil, err
	}
	receiver, err := s.invitee(sender, inv.Receiver, eng.Value)
	if err != nil {
		return nil, err
	}
	if err := s.checkConnected(ctx, tx, catalog, sender, receiver.AwsAccountId); err != nil {
		return nil, err
	}
	pending, _, err := docstore.List[invitationRecord](ctx, tx, store.DocumentQuery{
		Kind: kindInvitation, Catalog: catalog,
		Match: map[string][]string{"engagement": {engagementID}, "status": {string(api.InvitationStatusPending)}},
	})
	if err != nil {
		return nil, err
	}
	for _, p := range pending {
		if p.Receiver.AwsAccountId == receiver.AwsAccountId {
			return nil, apierr.Conflict("Account %s already has pending invitation %s to engagement %s.", receiver.AwsAccountId, p.Id, engagementID)
		}
	}
	if len(eng.Value.Members)+len(pending) >= maxEngagementSeats {
		return nil, apierr.QuotaExceeded("Engagement %s already has %d members and pending invitations; an engagement can have at most %d members.", engagementID, len(eng.Value.Members)+len(pending), maxEngagementSeats)
	}
	from, _ := s.party(sender) // an unconfigured caller simply has no company name
	now := s.now()
	id := docstore.NewID("engi-", 13)
	return &invitationRecord{
		Id: id, Arn: s.invitationArn(catalog, id), Catalog: catalog,
		EngagementId: engagementID, EngagementTitle: eng.Value.Title, EngagementDescription: eng.Value.Description,
		PayloadType: payloadType, Payload: inv.Payload,
		SenderAwsAccountId: sender, SenderCompanyName: from.CompanyName,
		Receiver: receiver, InvitationMessage: inv.Message, Status: api.InvitationStatusPending,
		InvitationDate: now, ExpirationDate: now.Add(invitationLifetime),
	}, nil
}

const receiverField = "invitation.receiver.account.awsAccountId"

// invitee checks the receiver of a new invitation: not the sender, not a
// member yet.
func (s *Service) invitee(sender string, r api.Receiver, eng *engagementRecord) (api.AccountReceiver, error) {
	if r.Account == nil {
		return api.AccountReceiver{}, apierr.RequestInvalid(apierr.FieldError{
			FieldName: "invitation.receiver.account", Code: apierr.CodeRequiredFieldMissing, Message: "The receiver's account is required.",
		})
	}
	to := *r.Account
	if to.AwsAccountId == sender {
		return to, apierr.BusinessInvalid("You cannot invite yourself to an engagement.", apierr.FieldError{
			FieldName: receiverField, Code: apierr.CodeInvalidValue, Message: "The receiver must be another account than the sender.",
		})
	}
	if eng.isMember(to.AwsAccountId) {
		return to, apierr.Conflict("Account %s is already a member of engagement %s.", to.AwsAccountId, eng.Id)
	}
	return to, nil
}

// checkConnected refuses an invitation between two partners that have no
// ACTIVE OPPORTUNITY_COLLABORATION connection: AWS documents that partners
// must be connected before inviting each other, but not the error. A
// business ValidationException (ACTION_NOT_PERMITTED on the receiver) is
// the most plausible: the request is well formed, and the rule is about the
// two accounts, not the engagement's state. AWS needs no connection.
func (s *Service) checkConnected(ctx context.Context, r store.Reader, catalog, sender, receiver string) error {
	if sender == awsParty || receiver == awsParty || s.connections == nil {
		return nil
	}
	ok, err := s.connections.Connected(ctx, r, catalog, sender, receiver)
	if err != nil || ok {
		return err
	}
	return apierr.BusinessInvalid("You must be connected with a partner before inviting it to an engagement.", apierr.FieldError{
		FieldName: receiverField, Code: apierr.CodeActionNotPermitted,
		Message: "Account " + receiver + " has no active OPPORTUNITY_COLLABORATION connection with you; connect through the Partner Central Account API first.",
	})
}

// payloadTypeOf names the member of the Payload union that is set.
func payloadTypeOf(p api.Payload) (api.EngagementInvitationPayloadType, error) {
	switch {
	case p.OpportunityInvitation != nil && p.LeadInvitation == nil:
		return api.EngagementInvitationPayloadTypeOpportunityInvitation, nil
	case p.LeadInvitation != nil && p.OpportunityInvitation == nil:
		return api.EngagementInvitationPayloadTypeLeadInvitation, nil
	}
	return "", apierr.RequestInvalid(apierr.FieldError{
		FieldName: "invitation.payload", Code: apierr.CodeInvalidValue,
		Message: "Exactly one of OpportunityInvitation and LeadInvitation must be set.",
	})
}

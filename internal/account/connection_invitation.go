package account

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// invitationLifetime is how long a connection invitation stays PENDING.
// AWS returns an ExpiresAt but documents no period (semantics §8.12);
// 30 days is a guess, twice the Selling API's 15-day engagement invitation.
const invitationLifetime = 30 * 24 * time.Hour

// invitationRecord is a connection invitation as stored: one account asks
// another for one connection type.
type invitationRecord struct {
	Id             string             `json:"id"`
	Arn            string             `json:"arn"`
	Catalog        string             `json:"catalog"`
	ConnectionType api.ConnectionType `json:"connectionType"`
	Sender         party              `json:"sender"`
	Receiver       party              `json:"receiver"`
	// ReceiverIdentifier is the receiver as the sender addressed it.
	ReceiverIdentifier string               `json:"receiverIdentifier"`
	Status             api.InvitationStatus `json:"status"`
	Message            string               `json:"message"`
	InviterEmail       string               `json:"inviterEmail"`
	InviterName        string               `json:"inviterName"`
	RejectionReason    string               `json:"rejectionReason,omitempty"`
	ConnectionId       string               `json:"connectionId,omitempty"`
	CreatedAt          time.Time            `json:"createdAt"`
	UpdatedAt          time.Time            `json:"updatedAt"`
	ExpiresAt          time.Time            `json:"expiresAt"`
}

func (i *invitationRecord) DocID() string         { return i.Id }
func (i *invitationRecord) DocCreated() time.Time { return i.CreatedAt }

// DocKeys: an invitation is listed by either participant, by its status
// and type, checked for duplicates by its pair, and filtered by the other
// participant's identifiers (see peerKeys).
func (i *invitationRecord) DocKeys() map[string][]string {
	return map[string][]string{
		"participant": {i.Sender.Account, i.Receiver.Account},
		"sender":      {i.Sender.Account},
		"receiver":    {i.Receiver.Account},
		"status":      {string(i.Status)},
		"type":        {string(i.ConnectionType)},
		"pair":        {pairKey(i.Sender.Account, i.Receiver.Account) + "|" + string(i.ConnectionType)},
		"peer":        peerKeys(i.Sender, i.Receiver),
	}
}

// due reports whether a PENDING invitation has reached its expiry.
func (i *invitationRecord) due(now time.Time) bool {
	return i.Status == api.InvitationStatusPending && !now.Before(i.ExpiresAt)
}

// role is account's part in the invitation, one of its participants.
func (i *invitationRecord) role(account string) api.ParticipantType {
	if account == i.Receiver.Account {
		return api.ParticipantTypeReceiver
	}
	return api.ParticipantTypeSender
}

// view is the invitation as account, one of its participants, sees it: the
// other side is named by its profile id for collaboration and by its
// account id for subsidiaries, the identifiers each type is addressed by.
func (i *invitationRecord) view(account string) *api.GetConnectionInvitationResponse {
	role, other := i.role(account), i.ReceiverIdentifier
	if role == api.ParticipantTypeReceiver {
		other = i.Sender.identifier(i.ConnectionType)
	}
	expires := i.ExpiresAt
	return &api.GetConnectionInvitationResponse{
		Catalog: i.Catalog, Id: i.Id, Arn: i.Arn, ConnectionId: omitEmpty(i.ConnectionId), ConnectionType: i.ConnectionType,
		CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt, ExpiresAt: &expires,
		OtherParticipantIdentifier: other, ParticipantType: role, Status: i.Status,
		InvitationMessage: i.Message, InviterEmail: i.InviterEmail, InviterName: i.InviterName,
	}
}

// summary is the invitation's ListConnectionInvitations entry for account.
func (i *invitationRecord) summary(account string) api.ConnectionInvitationSummary {
	v := i.view(account)
	return api.ConnectionInvitationSummary{
		Catalog: v.Catalog, Id: v.Id, Arn: v.Arn, ConnectionId: v.ConnectionId, ConnectionType: v.ConnectionType,
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt, ExpiresAt: v.ExpiresAt,
		OtherParticipantIdentifier: v.OtherParticipantIdentifier, ParticipantType: v.ParticipantType, Status: v.Status,
	}
}

func invitationNotFound(id string) func() error {
	return func() error {
		return apierr.NotFound("Connection invitation %s does not exist.", id).
			WithReason(string(api.ResourceNotFoundExceptionReasonConnectionInvitationNotFound))
	}
}

// visibleInvitation reads an invitation account takes part in; anyone
// else's is not found, so ids of others' invitations reveal nothing.
func visibleInvitation(ctx context.Context, r store.Reader, account, catalog, id string) (docstore.Doc[invitationRecord], error) {
	d, err := docstore.Get[invitationRecord](ctx, r, kindConnectionInvitation, catalog, id, invitationNotFound(id))
	if err != nil {
		return d, err
	}
	if d.Value.Sender.Account != account && d.Value.Receiver.Account != account {
		return docstore.Doc[invitationRecord]{}, invitationNotFound(id)()
	}
	return d, nil
}

func saveInvitation(ctx context.Context, tx store.Tx, d docstore.Doc[invitationRecord]) error {
	_, err := docstore.Put(ctx, tx, kindConnectionInvitation, d.Value.Catalog, d.Value, d.Version)
	return err
}

// omitEmpty is a pointer to s, or nil for "" so the member is left out.
func omitEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

package account

import (
	"context"
	"fmt"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/store"
)

// The Account API's EventBridge detail-types (semantics §7.4). The event
// reference's names are canonical; the connections guide's shorter ones
// ("Connection Invitation Created", …) are not what rules match on.
const (
	detailInvitationReceived  = "Partner Connection Invitation Received"
	detailInvitationAccepted  = "Partner Connection Invitation Accepted"
	detailInvitationRejected  = "Partner Connection Invitation Rejected"
	detailInvitationCancelled = "Partner Connection Invitation Cancelled"
	detailInvitationExpired   = "Partner Connection Invitation Expired"
	detailConnectionCancelled = "Partner Connection Cancelled"
)

// emit appends an Account API event for account in tx, stamped with the
// clock: it commits with the change it reports or not at all.
func (s *Service) emit(ctx context.Context, tx store.Tx, account, detailType string, resources []string, detail any) error {
	if err := s.events.Emit(ctx, tx, s.now(), account, detailType, resources, detail); err != nil {
		return fmt.Errorf("account: emit %s: %w", detailType, err)
	}
	return nil
}

// emitEach sends the same event to each of accounts, in order.
func (s *Service) emitEach(ctx context.Context, tx store.Tx, accounts []string, detailType string, resources []string, detail any) error {
	for _, a := range accounts {
		if err := s.emit(ctx, tx, a, detailType, resources, detail); err != nil {
			return err
		}
	}
	return nil
}

// invitationDetail is the detail of the invitation events. The documented
// examples carry no schemaVersion (unlike the Selling captures), and
// nothing real shows one, so none is invented.
type invitationDetail struct {
	Catalog              string             `json:"catalog"`
	ConnectionInvitation eventInvitation    `json:"connectionInvitation"`
	Connection           *eventNewConnected `json:"connection,omitempty"`
}

// eventInvitation is detail.connectionInvitation. Each detail type fills
// only the members its documented example shows; profile ids are left out
// for a party without a public profile (a subsidiary may have none).
type eventInvitation struct {
	Arn               string     `json:"arn"`
	Id                string     `json:"id"`
	ConnectionType    string     `json:"connectionType"`
	InviterEmail      string     `json:"inviterEmail,omitempty"`
	InvitationMessage string     `json:"invitationMessage,omitempty"`
	SenderCompanyName string     `json:"senderCompanyName,omitempty"`
	SenderProfileId   string     `json:"senderProfileId,omitempty"`
	ReceiverProfileId string     `json:"receiverProfileId,omitempty"`
	ExpiresAt         *time.Time `json:"expiresAt,omitempty"`
}

// eventNewConnected is the Accepted event's detail.connection, with the
// documented example's capitalised participant keys: Participant1 is the
// invitation's sender, Participant2 its receiver.
type eventNewConnected struct {
	Arn                   string `json:"arn"`
	Id                    string `json:"id"`
	Participant1AccountId string `json:"Participant1AccountId"`
	Participant2AccountId string `json:"Participant2AccountId"`
	Status                string `json:"status"`
}

// connectionDetail is the Connection Cancelled event's detail.
type connectionDetail struct {
	Catalog    string          `json:"catalog"`
	Connection eventConnection `json:"connection"`
}

type eventConnection struct {
	Arn            string `json:"arn"`
	Id             string `json:"id"`
	ConnectionType string `json:"connectionType"`
	CanceledBy     string `json:"canceledBy"`
}

// eventConnectionType spells a connection type as the events do, in
// PascalCase (OpportunityCollaboration) rather than the API's
// OPPORTUNITY_COLLABORATION.
func eventConnectionType(t api.ConnectionType) string {
	var b strings.Builder
	for word := range strings.SplitSeq(strings.ToLower(string(t)), "_") {
		if word != "" {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

// invitationRef is the members every invitation event shares.
func invitationRef(inv *invitationRecord) eventInvitation {
	return eventInvitation{Arn: inv.Arn, Id: inv.Id, ConnectionType: eventConnectionType(inv.ConnectionType)}
}

// emitInvitationReceived tells the receiver of a new invitation.
func (s *Service) emitInvitationReceived(ctx context.Context, tx store.Tx, inv *invitationRecord) error {
	ref := invitationRef(inv)
	expires := inv.ExpiresAt
	ref.InviterEmail, ref.InvitationMessage, ref.SenderCompanyName, ref.SenderProfileId, ref.ExpiresAt =
		inv.InviterEmail, inv.Message, inv.Sender.Name, inv.Sender.ProfileId, &expires
	return s.emit(ctx, tx, inv.Receiver.Account, detailInvitationReceived, []string{inv.Arn},
		invitationDetail{Catalog: inv.Catalog, ConnectionInvitation: ref})
}

// emitInvitationAccepted tells both parties the invitation made (or joined)
// conn. The connection's status is that of the type just accepted.
func (s *Service) emitInvitationAccepted(ctx context.Context, tx store.Tx, inv *invitationRecord, conn *connectionRecord) error {
	detail := invitationDetail{Catalog: inv.Catalog, ConnectionInvitation: invitationRef(inv), Connection: &eventNewConnected{
		Arn: conn.Arn, Id: conn.Id, Participant1AccountId: inv.Sender.Account, Participant2AccountId: inv.Receiver.Account,
		Status: string(api.ConnectionTypeStatusActive),
	}}
	return s.emitEach(ctx, tx, []string{inv.Sender.Account, inv.Receiver.Account}, detailInvitationAccepted, []string{inv.Arn, conn.Arn}, detail)
}

// emitInvitationRejected tells the sender; the receiver rejected it.
func (s *Service) emitInvitationRejected(ctx context.Context, tx store.Tx, inv *invitationRecord) error {
	ref := invitationRef(inv)
	ref.InvitationMessage, ref.ReceiverProfileId = inv.Message, inv.Receiver.ProfileId
	return s.emit(ctx, tx, inv.Sender.Account, detailInvitationRejected, []string{inv.Arn},
		invitationDetail{Catalog: inv.Catalog, ConnectionInvitation: ref})
}

// emitInvitationCancelled tells the receiver; the sender withdrew it.
func (s *Service) emitInvitationCancelled(ctx context.Context, tx store.Tx, inv *invitationRecord) error {
	ref := invitationRef(inv)
	ref.InvitationMessage, ref.SenderProfileId = inv.Message, inv.Sender.ProfileId
	return s.emit(ctx, tx, inv.Receiver.Account, detailInvitationCancelled, []string{inv.Arn},
		invitationDetail{Catalog: inv.Catalog, ConnectionInvitation: ref})
}

// emitInvitationExpired tells both parties; nobody acted, so nobody knows.
func (s *Service) emitInvitationExpired(ctx context.Context, tx store.Tx, inv *invitationRecord) error {
	ref := invitationRef(inv)
	ref.InviterEmail, ref.InvitationMessage, ref.SenderProfileId, ref.ReceiverProfileId =
		inv.InviterEmail, inv.Message, inv.Sender.ProfileId, inv.Receiver.ProfileId
	return s.emitEach(ctx, tx, []string{inv.Sender.Account, inv.Receiver.Account}, detailInvitationExpired, []string{inv.Arn},
		invitationDetail{Catalog: inv.Catalog, ConnectionInvitation: ref})
}

// emitConnectionCancelled tells the participant other than by, who
// canceled type t of conn and already knows. The documented example puts
// "<<Connection Invitation ARN>>" in detail.connection.arn beside a
// connection id and a resources entry of the connection ARN; the
// connection's own ARN is taken as what was meant.
func (s *Service) emitConnectionCancelled(ctx context.Context, tx store.Tx, conn *connectionRecord, t api.ConnectionType, by string) error {
	detail := connectionDetail{Catalog: conn.Catalog, Connection: eventConnection{
		Arn: conn.Arn, Id: conn.Id, ConnectionType: eventConnectionType(t), CanceledBy: by,
	}}
	return s.emit(ctx, tx, conn.other(by).Account, detailConnectionCancelled, []string{conn.Arn}, detail)
}

package selling

import (
	"context"
	"fmt"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// invitationLifetime is how long an invitation stays PENDING: "Invitations
// will automatically expire if not accepted within 15 days" (model), and real
// captures show ExpirationDate = InvitationDate + exactly 15 days.
const invitationLifetime = 15 * 24 * time.Hour

// invitationRecord is an engagement invitation as stored: an offer from a
// member of an engagement (or AWS) to one partner to join it.
type invitationRecord struct {
	Id                    string                              `json:"id"`
	Arn                   string                              `json:"arn"`
	Catalog               string                              `json:"catalog"`
	EngagementId          string                              `json:"engagementId"`
	EngagementTitle       string                              `json:"engagementTitle"`
	EngagementDescription string                              `json:"engagementDescription"`
	PayloadType           api.EngagementInvitationPayloadType `json:"payloadType"`
	Payload               api.Payload                         `json:"payload"`
	SenderAwsAccountId    string                              `json:"senderAwsAccountId"`
	SenderCompanyName     string                              `json:"senderCompanyName"`
	Receiver              api.AccountReceiver                 `json:"receiver"`
	InvitationMessage     string                              `json:"invitationMessage"`
	Status                api.InvitationStatus                `json:"status"`
	InvitationDate        time.Time                           `json:"invitationDate"`
	ExpirationDate        time.Time                           `json:"expirationDate"`
	RejectionReason       string                              `json:"rejectionReason,omitempty"`
	// SourceOpportunityId is, for a Sandbox AWS referral, the opportunity
	// that stands in for AWS's own: accepting can copy from it the customer
	// details AWS withholds until acceptance.
	SourceOpportunityId string `json:"sourceOpportunityId,omitempty"`
}

func (r *invitationRecord) DocID() string         { return r.Id }
func (r *invitationRecord) DocCreated() time.Time { return r.InvitationDate }

// keys serve ListEngagementInvitations: "sender" and "receiver" give each
// side its listing (ParticipantType), the rest are its filters.
func (r *invitationRecord) DocKeys() map[string][]string {
	return map[string][]string{
		"sender":      {r.SenderAwsAccountId},
		"receiver":    {r.Receiver.AwsAccountId},
		"status":      {string(r.Status)},
		"payloadType": {string(r.PayloadType)},
		"engagement":  {r.EngagementId},
	}
}

// due says whether a PENDING invitation has reached its ExpirationDate.
func (r *invitationRecord) due(now time.Time) bool {
	return r.Status == api.InvitationStatusPending && !now.Before(r.ExpirationDate)
}

func (s *Service) invitationArn(catalog, id string) string {
	// Invitation ARNs carry no account: sender and receiver share the record.
	return fmt.Sprintf("arn:aws:partnercentral:%s::catalog/%s/engagement-invitation/%s", s.region, catalog, id)
}

// invitationID resolves an Identifier that is an invitation id or its ARN.
// An ARN of another catalog or region names nothing here.
func (s *Service) invitationID(catalog, identifier string) (string, error) {
	if !strings.HasPrefix(identifier, "arn:") {
		return identifier, nil
	}
	id := identifier[strings.LastIndex(identifier, "/")+1:]
	if s.invitationArn(catalog, id) != identifier {
		return "", invitationNotFound(identifier)()
	}
	return id, nil
}

func invitationNotFound(identifier string) func() error {
	return func() error { return apierr.NotFound("Engagement invitation %s does not exist.", identifier) }
}

// loadInvitation reads an invitation of the catalog by id or ARN for one of
// its two parties. Anyone else is AccessDenied, as engagements answer
// non-members.
func (s *Service) loadInvitation(ctx context.Context, r store.Reader, account, catalog, identifier string) (docstore.Doc[invitationRecord], error) {
	id, err := s.invitationID(catalog, identifier)
	if err != nil {
		return docstore.Doc[invitationRecord]{}, err
	}
	d, err := docstore.Get[invitationRecord](ctx, r, kindInvitation, catalog, id, invitationNotFound(identifier))
	if err != nil {
		return d, err
	}
	if inv := d.Value; account != inv.SenderAwsAccountId && account != inv.Receiver.AwsAccountId {
		return d, apierr.AccessDenied("Account %s is neither the sender nor the receiver of engagement invitation %s.", account, id)
	}
	return d, nil
}

func saveInvitation(ctx context.Context, tx store.Tx, d docstore.Doc[invitationRecord]) error {
	_, err := docstore.Put(ctx, tx, kindInvitation, d.Value.Catalog, d.Value, d.Version)
	return err
}

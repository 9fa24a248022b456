package channel

import (
	"context"
	"time"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// handshakeLifetime is how long a handshake stays PENDING. AWS documents
// no expiry (semantics-2026 §7.8); billing transfer itself is an AWS
// Organizations handshake, and those expire after 15 days, the period the
// Selling API's engagement invitations have too.
const handshakeLifetime = 15 * 24 * time.Hour

// handshakeRecord is a channel handshake as stored. Owner created it and
// owns its ARN; Sender is the account it comes from (the owner for a
// PROGRAM_MANAGEMENT_ACCOUNT handshake, the PMA's management account for
// a service period); Receiver is the management account whose consent it
// asks (semantics-2026 §4.3, the event examples).
type handshakeRecord struct {
	Id                   string              `json:"id"`
	Arn                  string              `json:"arn"`
	Catalog              string              `json:"catalog"`
	Type                 api.HandshakeType   `json:"type"`
	Owner                string              `json:"owner"`
	Sender               string              `json:"sender"`
	SenderDisplayName    string              `json:"senderDisplayName"`
	Receiver             string              `json:"receiver"`
	AssociatedResourceId string              `json:"associatedResourceId"`
	PMAId                string              `json:"pmaId"`
	Program              api.Program         `json:"program,omitempty"` // PROGRAM_MANAGEMENT_ACCOUNT handshakes
	Period               *periodDetail       `json:"period,omitempty"`  // the service period handshakes
	Status               api.HandshakeStatus `json:"status"`
	CreatedAt            time.Time           `json:"createdAt"`
	UpdatedAt            time.Time           `json:"updatedAt"`
	ExpiresAt            time.Time           `json:"expiresAt"`
}

// periodDetail is what a START_ or REVOKE_SERVICE_PERIOD handshake says of
// its service period (the five members of both HandshakeDetail shapes).
type periodDetail struct {
	Note              *string               `json:"note,omitempty"`
	Type              api.ServicePeriodType `json:"type"`
	MinimumNoticeDays *string               `json:"minimumNoticeDays,omitempty"`
	StartDate         time.Time             `json:"startDate"`
	EndDate           *time.Time            `json:"endDate,omitempty"`
}

func (h *handshakeRecord) DocID() string         { return h.Id }
func (h *handshakeRecord) DocCreated() time.Time { return h.CreatedAt }

// DocKeys: a handshake is listed by its sending side (owner and sender)
// and its receiver; "resource" finds the pending ones on a PMA or
// relationship, "route" the ones an owner sent one receiver in a type
// (the daily limit). A scoped reset leaves it: it names two accounts.
func (h *handshakeRecord) DocKeys() map[string][]string {
	return map[string][]string{
		"owner":       {h.Owner},
		"sender":      {h.Sender},
		"receiver":    {h.Receiver},
		"participant": {h.Owner, h.Sender, h.Receiver},
		"sendingSide": {h.Owner, h.Sender},
		"status":      {string(h.Status)},
		"type":        {string(h.Type)},
		"resource":    {h.AssociatedResourceId},
		"route":       {routeKey(h.Owner, h.Type, h.Receiver)},
	}
}

func routeKey(owner string, t api.HandshakeType, receiver string) string {
	return owner + "|" + string(t) + "|" + receiver
}

// due reports whether a PENDING handshake has reached its expiry.
func (h *handshakeRecord) due(now time.Time) bool {
	return h.Status == api.HandshakeStatusPending && !now.Before(h.ExpiresAt)
}

// detail is the handshake's HandshakeDetail union.
func (h *handshakeRecord) detail() *api.HandshakeDetail {
	switch h.Type {
	case api.HandshakeTypeProgramManagementAccount:
		return &api.HandshakeDetail{ProgramManagementAccountHandshakeDetail: &api.ProgramManagementAccountHandshakeDetail{Program: &h.Program}}
	case api.HandshakeTypeStartServicePeriod:
		p := h.Period
		return &api.HandshakeDetail{StartServicePeriodHandshakeDetail: &api.StartServicePeriodHandshakeDetail{
			Note: p.Note, ServicePeriodType: &p.Type, MinimumNoticeDays: p.MinimumNoticeDays, StartDate: timePtr(p.StartDate), EndDate: p.EndDate}}
	default:
		p := h.Period
		return &api.HandshakeDetail{RevokeServicePeriodHandshakeDetail: &api.RevokeServicePeriodHandshakeDetail{
			Note: p.Note, ServicePeriodType: &p.Type, MinimumNoticeDays: p.MinimumNoticeDays, StartDate: timePtr(p.StartDate), EndDate: p.EndDate}}
	}
}

func (h *handshakeRecord) summary() api.ChannelHandshakeSummary {
	return api.ChannelHandshakeSummary{
		Id: &h.Id, Arn: &h.Arn, Catalog: &h.Catalog, HandshakeType: &h.Type, OwnerAccountId: &h.Owner,
		SenderAccountId: &h.Sender, SenderDisplayName: &h.SenderDisplayName, ReceiverAccountId: &h.Receiver,
		AssociatedResourceId: &h.AssociatedResourceId, Detail: h.detail(), CreatedAt: &h.CreatedAt, UpdatedAt: &h.UpdatedAt,
		Status: &h.Status,
	}
}

// visibleHandshake reads a handshake account takes part in (as owner,
// sender or receiver) by id or ARN; anyone else's is not found, so ids of
// others' handshakes reveal nothing.
func visibleHandshake(ctx context.Context, r store.Reader, account, catalog, identifier string) (docstore.Doc[handshakeRecord], error) {
	d, err := anyHandshake(ctx, r, catalog, identifier)
	if err != nil {
		return d, err
	}
	h := d.Value
	if account != h.Owner && account != h.Sender && account != h.Receiver {
		return docstore.Doc[handshakeRecord]{}, notFound(resourceHandshake, identifier)
	}
	return d, nil
}

// anyHandshake reads a handshake by id or ARN, whoever takes part in it
// (for the AWS side).
func anyHandshake(ctx context.Context, r store.Reader, catalog, identifier string) (docstore.Doc[handshakeRecord], error) {
	id := idOf(identifier)
	nf := func() error { return notFound(resourceHandshake, identifier) }
	d, err := docstore.Get[handshakeRecord](ctx, r, kindHandshake, catalog, id, nf)
	if err != nil {
		return d, err
	}
	if identifier != id && identifier != d.Value.Arn {
		return docstore.Doc[handshakeRecord]{}, nf()
	}
	return d, nil
}

func saveHandshake(ctx context.Context, tx store.Tx, d docstore.Doc[handshakeRecord]) error {
	_, err := docstore.Put(ctx, tx, kindHandshake, d.Value.Catalog, d.Value, d.Version)
	return err
}

// refuseWhilePending is a ConflictException when a handshake about the
// resource (a PMA or relationship id) is still PENDING: deleting it would
// leave the handshake pointing at nothing.
func refuseWhilePending(ctx context.Context, r store.Reader, catalog, resourceID, resourceType string) error {
	pending, _, err := docstore.List[handshakeRecord](ctx, r, store.DocumentQuery{Kind: kindHandshake, Catalog: catalog, Limit: 1,
		Match: map[string][]string{"resource": {resourceID}, "status": {string(api.HandshakeStatusPending)}}})
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		return apierr.Conflict("The %s %s has a pending handshake, %s; cancel it first.", resourceType, resourceID, pending[0].Id).About(resourceType, resourceID)
	}
	return nil
}

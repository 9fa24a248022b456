package channel

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/store"
)

// The Channel API's EventBridge detail-types (semantics-2026 §4.5): a
// handshake's creation goes to its receiver, its acceptance and rejection
// to its owner. Nothing is sent for a cancel, an expiry, or any PMA or
// relationship change.
const (
	eventHandshakeCreated  = "Channel Handshake Created"
	eventHandshakeAccepted = "Channel Handshake Accepted"
	eventHandshakeRejected = "Channel Handshake Rejected"
)

// handshakeEvent is the detail of all three events, member for member as
// AWS's examples show it: no status, and the type's detail under
// handshakeDetail.
type handshakeEvent struct {
	RequestId                    string               `json:"requestId"`
	Catalog                      string               `json:"catalog"`
	AssociatedResourceIdentifier string               `json:"associatedResourceIdentifier"`
	HandshakeType                api.HandshakeType    `json:"handshakeType"`
	Id                           string               `json:"id"`
	ReceiverAccountId            string               `json:"receiverAccountId"`
	OwnerAccountId               string               `json:"ownerAccountId"`
	SenderAccountId              string               `json:"senderAccountId"`
	SenderDisplayName            string               `json:"senderDisplayName"`
	HandshakeDetail              handshakeEventDetail `json:"handshakeDetail"`
}

type handshakeEventDetail struct {
	ProgramManagementAccount *pmaEventDetail    `json:"programManagementAccountHandshakeDetail,omitempty"`
	StartServicePeriod       *periodEventDetail `json:"startServicePeriodHandshakeDetail,omitempty"`
	RevokeServicePeriod      *periodEventDetail `json:"revokeServicePeriodHandshakeDetail,omitempty"`
}

type pmaEventDetail struct {
	Program api.Program `json:"program"`
}

// periodEventDetail keeps absent members as null, as the example's
// "endDate": null does; times are at second precision, as there.
type periodEventDetail struct {
	ServicePeriodType api.ServicePeriodType `json:"servicePeriodType"`
	MinimumNoticeDays *string               `json:"minimumNoticeDays"`
	EndDate           *string               `json:"endDate"`
	StartDate         *string               `json:"startDate"`
	Note              *string               `json:"note"`
}

func eventTime(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

// emitHandshake appends an event about h for account in tx: it commits
// with the change it reports or not at all. requestId is a fresh id: the
// domain does not see the API request's own.
func (s *Service) emitHandshake(ctx context.Context, tx store.Tx, h *handshakeRecord, detailType, account string) error {
	detail := handshakeEvent{
		RequestId: uuid.NewString(), Catalog: h.Catalog, AssociatedResourceIdentifier: h.AssociatedResourceId,
		HandshakeType: h.Type, Id: h.Id, ReceiverAccountId: h.Receiver, OwnerAccountId: h.Owner,
		SenderAccountId: h.Sender, SenderDisplayName: h.SenderDisplayName,
	}
	if h.Type == api.HandshakeTypeProgramManagementAccount {
		detail.HandshakeDetail.ProgramManagementAccount = &pmaEventDetail{Program: h.Program}
	} else {
		p := h.Period
		start := p.StartDate
		pd := &periodEventDetail{ServicePeriodType: p.Type, MinimumNoticeDays: p.MinimumNoticeDays,
			EndDate: eventTime(p.EndDate), StartDate: eventTime(&start), Note: p.Note}
		if h.Type == api.HandshakeTypeStartServicePeriod {
			detail.HandshakeDetail.StartServicePeriod = pd
		} else {
			detail.HandshakeDetail.RevokeServicePeriod = pd
		}
	}
	if err := s.events.Emit(ctx, tx, s.now(), account, detailType, []string{h.Arn}, detail); err != nil {
		return fmt.Errorf("channel: emit %s: %w", detailType, err)
	}
	return nil
}

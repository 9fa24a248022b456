package acemode

import (
	"context"
	"fmt"

	"github.com/cosell/cosell/api/selling"
)

// AcceptReferral queues the CRM's acceptance of a pending AWS referral;
// the opportunity it becomes takes crmID ("" names it ace-{invitation}).
func (e *Engine) AcceptReferral(ctx context.Context, invitationID, crmID string) error {
	if crmID == "" {
		crmID = "ace-" + invitationID
	}
	return e.answer(ctx, Answer{InvitationID: invitationID, Accept: true, CRMID: crmID})
}

// RejectReferral queues the CRM's rejection, with one of ACE's rejection
// reasons ("Customer problem unclear", ...).
func (e *Engine) RejectReferral(ctx context.Context, invitationID, reason string) error {
	return e.answer(ctx, Answer{InvitationID: invitationID, Reason: reason})
}

func (e *Engine) answer(ctx context.Context, a Answer) error {
	inv, err := e.invitation(ctx, a.InvitationID)
	if err != nil {
		return err
	}
	if inv == nil || inv.Status != string(selling.InvitationStatusPending) {
		return fmt.Errorf("acemode: no pending referral %s in the CRM", a.InvitationID)
	}
	a.Catalog, a.State = e.Catalog, AnswerPending
	return e.Book.AddAnswer(ctx, a)
}

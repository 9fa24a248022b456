package account

import (
	"regexp"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/idempotency"
)

func TestConnectionInvitationCreateAndGet(t *testing.T) {
	f := newConnFixture(t)
	out := f.invite(t, acctOne, acctTwo)
	if !regexp.MustCompile(`^pacinv-[A-Za-z0-9]{13}$`).MatchString(out.Id) {
		t.Errorf("Id %q", out.Id)
	}
	if want := "arn:aws:partnercentral:us-east-1::catalog/Sandbox/connection-invitation/" + out.Id; out.Arn != want {
		t.Errorf("Arn %q, want %q", out.Arn, want)
	}
	now := f.clock.Now()
	if out.Status != api.InvitationStatusPending || !out.CreatedAt.Equal(now) || out.ExpiresAt == nil || !out.ExpiresAt.Equal(now.Add(day(30))) || out.ConnectionId != nil {
		t.Errorf("new invitation %+v", out)
	}
	sender, receiver := f.getInvitation(t, acctOne, out.Id), f.getInvitation(t, acctTwo, out.Id)
	if sender.ParticipantType != api.ParticipantTypeSender || sender.OtherParticipantIdentifier != f.profiles[acctTwo] {
		t.Errorf("sender view %+v", sender)
	}
	if receiver.ParticipantType != api.ParticipantTypeReceiver || receiver.OtherParticipantIdentifier != f.profiles[acctOne] {
		t.Errorf("receiver view %+v", receiver)
	}
	if receiver.InvitationMessage != "Let's collaborate" || receiver.InviterName != "Inviter "+acctOne || receiver.InviterEmail != "inviter@"+acctOne+".example.com" {
		t.Errorf("receiver sees %+v", receiver)
	}
	for _, tc := range []struct{ account, catalog, id string }{
		{acctThree, CatalogSandbox, out.Id},               // not a participant
		{acctOne, CatalogAWS, out.Id},                     // other catalog
		{acctOne, CatalogSandbox, "pacinv-0000000000000"}, // unknown
	} {
		_, err := f.svc.GetConnectionInvitation(f.ctx, tc.account, &api.GetConnectionInvitationRequest{Catalog: tc.catalog, Identifier: tc.id})
		wantAPIErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonConnectionInvitationNotFound))
	}
}

func TestConnectionInvitationClientToken(t *testing.T) {
	f := newConnFixture(t)
	first, err := f.inviteTry(acctOne, acctTwo, "same")
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.inviteTry(acctOne, acctTwo, "same")
	if err != nil || again.Id != first.Id {
		t.Fatalf("replay: %v, %v", again, err)
	}
	_, err = f.inviteTry(acctOne, acctThree, "same")
	if e := wantAPIErr(t, err, apierr.KindConflict, ""); e.Message != idempotency.ConflictingToken {
		t.Errorf("message %q", e.Message)
	}
}

func TestConnectionInvitationSubsidiary(t *testing.T) {
	f := newConnFixture(t)
	in := &api.CreateConnectionInvitationRequest{
		Catalog: CatalogSandbox, ClientToken: "sub", ConnectionType: api.ConnectionTypeSubsidiary,
		Email: "a@example.com", Name: "A", Message: "Same company", ReceiverIdentifier: acctTwo,
	}
	out, err := f.svc.CreateConnectionInvitation(f.ctx, acctOne, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.getInvitation(t, acctTwo, out.Id); got.OtherParticipantIdentifier != acctOne || got.ConnectionType != api.ConnectionTypeSubsidiary {
		t.Errorf("receiver view %+v", got)
	}
	// A collaboration invitation to the same pair is a different type.
	f.invite(t, acctOne, acctTwo)
	in.ClientToken, in.ReceiverIdentifier = "unknown", "999999999999"
	_, err = f.svc.CreateConnectionInvitation(f.ctx, acctOne, in)
	wantAPIErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonReceiverProfileNotFound))
}

func TestConnectionInvitationCreateRules(t *testing.T) {
	f := newConnFixture(t)
	_, err := f.inviteTry(acctOne, acctOne, "self")
	e := wantAPIErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
	if len(e.Fields) != 1 || e.Fields[0].Code != string(api.BusinessValidationCodeIncompatibleConnectionInvitationRequest) || e.Fields[0].FieldName != "" {
		t.Errorf("fields %+v", e.Fields)
	}

	f.profiles["nobody"] = "pprofile-doesnotexist1"
	_, err = f.inviteTry(acctOne, "nobody", "no-receiver")
	wantAPIErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonReceiverProfileNotFound))
	f.svc.accounts["444444444444"] = "No partner yet"
	_, err = f.inviteTry("444444444444", acctTwo, "no-sender")
	wantAPIErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonSenderProfileNotFound))

	pending := f.invite(t, acctOne, acctTwo)
	for _, from := range [][2]string{{acctOne, acctTwo}, {acctTwo, acctOne}} {
		_, err = f.inviteTry(from[0], from[1], "dup-"+from[0])
		wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonDuplicateConnectionInvitation))
	}
	if _, err := f.accept(acctTwo, pending.Id); err != nil {
		t.Fatal(err)
	}
	for _, from := range [][2]string{{acctOne, acctTwo}, {acctTwo, acctOne}} {
		_, err = f.inviteTry(from[0], from[1], "connected-"+from[0])
		wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonDuplicateConnection))
	}
}

func TestConnectionInvitationAccept(t *testing.T) {
	f := newConnFixture(t)
	inv := f.invite(t, acctOne, acctTwo)
	_, err := f.accept(acctOne, inv.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationReceiver))
	_, err = f.accept(acctThree, inv.Id)
	wantAPIErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonConnectionInvitationNotFound))

	f.clock.Advance(5 * time.Second)
	out, err := f.accept(acctTwo, inv.Id)
	if err != nil {
		t.Fatal(err)
	}
	c := out.Connection
	if !regexp.MustCompile(`^pac-[A-Za-z0-9]{13}$`).MatchString(c.Id) || c.Arn != "arn:aws:partnercentral:us-east-1::catalog/Sandbox/connection/"+c.Id || c.OtherParticipantAccountId != acctOne {
		t.Errorf("connection %+v", c)
	}
	detail := c.ConnectionTypes[string(api.ConnectionTypeOpportunityCollaboration)]
	if detail.Status != api.ConnectionTypeStatusActive || detail.InviterName != "Inviter "+acctOne || detail.OtherParticipant.PartnerProfile == nil ||
		*detail.OtherParticipant.PartnerProfile != (api.PartnerProfileSummary{Id: f.profiles[acctOne], Name: "Display " + acctOne}) {
		t.Errorf("type detail %+v", detail)
	}
	got := f.getInvitation(t, acctOne, inv.Id)
	if got.Status != api.InvitationStatusAccepted || got.ConnectionId == nil || *got.ConnectionId != c.Id || !got.UpdatedAt.After(got.CreatedAt) {
		t.Errorf("accepted invitation %+v", got)
	}
	_, err = f.accept(acctTwo, inv.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationState))

	// A second type joins the same connection.
	sub, err := f.svc.CreateConnectionInvitation(f.ctx, acctTwo, &api.CreateConnectionInvitationRequest{
		Catalog: CatalogSandbox, ClientToken: "sub", ConnectionType: api.ConnectionTypeSubsidiary,
		Email: "b@example.com", Name: "B", Message: "Subsidiary", ReceiverIdentifier: acctOne,
	})
	if err != nil {
		t.Fatal(err)
	}
	joined, err := f.accept(acctOne, sub.Id)
	if err != nil {
		t.Fatal(err)
	}
	if joined.Connection.Id != c.Id || len(joined.Connection.ConnectionTypes) != 2 {
		t.Errorf("second type made %+v", joined.Connection)
	}
	if acct := joined.Connection.ConnectionTypes[string(api.ConnectionTypeSubsidiary)].OtherParticipant.Account; acct == nil || acct.Name != "Display "+acctTwo {
		t.Errorf("subsidiary participant %+v", acct)
	}
}

func TestConnectionInvitationRejectAndCancel(t *testing.T) {
	f := newConnFixture(t)
	toReject, toCancel := f.invite(t, acctOne, acctTwo), f.invite(t, acctOne, acctThree)
	reject := func(account, id string) (*api.RejectConnectionInvitationResponse, error) {
		return f.svc.RejectConnectionInvitation(f.ctx, account, &api.RejectConnectionInvitationRequest{Catalog: CatalogSandbox, Identifier: id, ClientToken: "r-" + account + id, Reason: ptrTo("Not now")})
	}
	cancel := func(account, id string) (*api.CancelConnectionInvitationResponse, error) {
		return f.svc.CancelConnectionInvitation(f.ctx, account, &api.CancelConnectionInvitationRequest{Catalog: CatalogSandbox, Identifier: id, ClientToken: "c-" + account + id})
	}
	_, err := reject(acctOne, toReject.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationReceiver))
	_, err = cancel(acctThree, toCancel.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationReceiver))

	rejected, err := reject(acctTwo, toReject.Id)
	if err != nil || rejected.Status != api.InvitationStatusRejected || rejected.ParticipantType != api.ParticipantTypeReceiver {
		t.Fatalf("reject: %+v, %v", rejected, err)
	}
	canceled, err := cancel(acctOne, toCancel.Id)
	if err != nil || canceled.Status != api.InvitationStatusCanceled || canceled.ParticipantType != api.ParticipantTypeSender {
		t.Fatalf("cancel: %+v, %v", canceled, err)
	}
	if got := f.getInvitation(t, acctThree, toCancel.Id); got.Status != api.InvitationStatusCanceled {
		t.Errorf("receiver sees %s", got.Status)
	}
	_, err = cancel(acctOne, toReject.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationState))
	_, err = f.accept(acctThree, toCancel.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationState))
	// Ended invitations free the pair for a new one.
	f.invite(t, acctTwo, acctOne)
}

func TestConnectionInvitationExpiry(t *testing.T) {
	f := newConnFixture(t)
	old := f.invite(t, acctOne, acctTwo)
	f.clock.Advance(day(1))
	young := f.invite(t, acctOne, acctThree)
	f.clock.Advance(day(29))
	if got := f.getInvitation(t, acctTwo, old.Id); got.Status != api.InvitationStatusExpired || !got.UpdatedAt.Equal(*old.ExpiresAt) {
		t.Errorf("after 30 days: %s updated %v", got.Status, got.UpdatedAt)
	}
	if got := f.getInvitation(t, acctThree, young.Id); got.Status != api.InvitationStatusPending {
		t.Errorf("29-day-old invitation is %s", got.Status)
	}
	_, err := f.accept(acctTwo, old.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationState))
	f.clock.Advance(day(1))
	// Expiry on a write path: the receiver's accept sees it first.
	_, err = f.accept(acctThree, young.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationState))
	// An expired invitation no longer blocks a new one.
	f.invite(t, acctOne, acctTwo)
}

func ptrTo[T any](v T) *T { return &v }

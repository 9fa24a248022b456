package account

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// accountEvent is one outbox event of the account, decoded.
type accountEvent struct {
	Version    string         `json:"version"`
	ID         string         `json:"id"`
	DetailType string         `json:"detail-type"`
	Source     string         `json:"source"`
	Account    string         `json:"account"`
	Time       string         `json:"time"`
	Region     string         `json:"region"`
	Resources  []string       `json:"resources"`
	Detail     map[string]any `json:"detail"`
}

// eventsOf is every event account has received, oldest first.
func (f *connFixture) eventsOf(t *testing.T, account string) []accountEvent {
	t.Helper()
	rows, err := f.svc.store.ListEvents(f.ctx, store.EventQuery{Account: account})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]accountEvent, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.Body, &out[i]); err != nil {
			t.Fatal(err)
		}
		if out[i].Account != account || out[i].DetailType != r.DetailType || out[i].ID != r.ID {
			t.Errorf("row %+v holds event %+v", r, out[i])
		}
	}
	return out
}

// wantTypes fails unless account's events have exactly these detail-types,
// in order, and returns them.
func (f *connFixture) wantTypes(t *testing.T, account string, want ...string) []accountEvent {
	t.Helper()
	got := f.eventsOf(t, account)
	types := make([]string, len(got))
	for i, e := range got {
		types[i] = e.DetailType
	}
	if !slices.Equal(types, want) {
		t.Fatalf("%s received %q, want %q", account, types, want)
	}
	return got
}

// wantDetail fails unless e's detail is exactly want (as JSON).
func wantDetail(t *testing.T, e accountEvent, want string) {
	t.Helper()
	var w map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(e.Detail, w) {
		got, _ := json.Marshal(e.Detail)
		t.Errorf("%s detail\n got %s\nwant %s", e.DetailType, got, want)
	}
}

func (f *connFixture) invArn(id string) string {
	return "arn:aws:partnercentral:us-east-1::catalog/Sandbox/connection-invitation/" + id
}

func TestEventInvitationReceivedGoesToTheReceiverOnly(t *testing.T) {
	f := newConnFixture(t)
	inv := f.invite(t, acctOne, acctTwo)
	f.wantTypes(t, acctOne)
	e := f.wantTypes(t, acctTwo, detailInvitationReceived)[0]
	if e.Version != "0" || e.Source != "aws.partnercentral-account" || e.Region != "us-east-1" || e.Time != "2026-03-01T12:00:00Z" || e.ID == "" {
		t.Errorf("envelope %+v", e)
	}
	if !slices.Equal(e.Resources, []string{f.invArn(inv.Id)}) {
		t.Errorf("resources %q", e.Resources)
	}
	wantDetail(t, e, `{"catalog": "Sandbox", "connectionInvitation": {
		"arn": "`+f.invArn(inv.Id)+`", "id": "`+inv.Id+`", "connectionType": "OpportunityCollaboration",
		"inviterEmail": "inviter@`+acctOne+`.example.com", "invitationMessage": "Let's collaborate",
		"senderCompanyName": "Display `+acctOne+`", "senderProfileId": "`+f.profiles[acctOne]+`",
		"expiresAt": "2026-03-31T12:00:00Z"}}`)
}

func TestEventInvitationReplayEmitsNothingMore(t *testing.T) {
	f := newConnFixture(t)
	for range 2 {
		if _, err := f.inviteTry(acctOne, acctTwo, "same-token"); err != nil {
			t.Fatal(err)
		}
	}
	f.wantTypes(t, acctTwo, detailInvitationReceived)
}

func TestEventInvitationAcceptedGoesToBoth(t *testing.T) {
	f := newConnFixture(t)
	inv := f.invite(t, acctOne, acctTwo)
	out, err := f.accept(acctTwo, inv.Id)
	if err != nil {
		t.Fatal(err)
	}
	sent := f.wantTypes(t, acctOne, detailInvitationAccepted)[0]
	received := f.wantTypes(t, acctTwo, detailInvitationReceived, detailInvitationAccepted)[1]
	conn := out.Connection
	for _, e := range []accountEvent{sent, received} {
		if !slices.Equal(e.Resources, []string{f.invArn(inv.Id), conn.Arn}) {
			t.Errorf("%s resources %q", e.Account, e.Resources)
		}
		wantDetail(t, e, `{"catalog": "Sandbox",
			"connectionInvitation": {"arn": "`+f.invArn(inv.Id)+`", "id": "`+inv.Id+`", "connectionType": "OpportunityCollaboration"},
			"connection": {"arn": "`+conn.Arn+`", "id": "`+conn.Id+`",
				"Participant1AccountId": "`+acctOne+`", "Participant2AccountId": "`+acctTwo+`", "status": "ACTIVE"}}`)
	}
}

func TestEventInvitationRejectedGoesToTheSender(t *testing.T) {
	f := newConnFixture(t)
	inv := f.invite(t, acctOne, acctTwo)
	reason := "Not now"
	_, err := f.svc.RejectConnectionInvitation(f.ctx, acctTwo, &api.RejectConnectionInvitationRequest{
		Catalog: CatalogSandbox, Identifier: inv.Id, ClientToken: "reject", Reason: &reason,
	})
	if err != nil {
		t.Fatal(err)
	}
	f.wantTypes(t, acctTwo, detailInvitationReceived)
	e := f.wantTypes(t, acctOne, detailInvitationRejected)[0]
	wantDetail(t, e, `{"catalog": "Sandbox", "connectionInvitation": {
		"arn": "`+f.invArn(inv.Id)+`", "id": "`+inv.Id+`", "connectionType": "OpportunityCollaboration",
		"invitationMessage": "Let's collaborate", "receiverProfileId": "`+f.profiles[acctTwo]+`"}}`)
}

func TestEventInvitationCancelledGoesToTheReceiver(t *testing.T) {
	f := newConnFixture(t)
	inv := f.invite(t, acctOne, acctTwo)
	_, err := f.svc.CancelConnectionInvitation(f.ctx, acctOne, &api.CancelConnectionInvitationRequest{
		Catalog: CatalogSandbox, Identifier: inv.Id, ClientToken: "cancel",
	})
	if err != nil {
		t.Fatal(err)
	}
	f.wantTypes(t, acctOne)
	e := f.wantTypes(t, acctTwo, detailInvitationReceived, detailInvitationCancelled)[1]
	wantDetail(t, e, `{"catalog": "Sandbox", "connectionInvitation": {
		"arn": "`+f.invArn(inv.Id)+`", "id": "`+inv.Id+`", "connectionType": "OpportunityCollaboration",
		"invitationMessage": "Let's collaborate", "senderProfileId": "`+f.profiles[acctOne]+`"}}`)
}

func TestEventConnectionCancelledGoesToTheOtherParticipant(t *testing.T) {
	f := newConnFixture(t)
	conn := f.connect(t, acctOne, acctTwo)
	// The receiver cancels, so the event goes to the sender: recipients
	// follow the canceller, not the roles of the invitation.
	_, err := f.svc.CancelConnection(f.ctx, acctTwo, &api.CancelConnectionRequest{
		Catalog: CatalogSandbox, Identifier: conn.Id, ConnectionType: api.ConnectionTypeOpportunityCollaboration, Reason: "Done", ClientToken: "cancel",
	})
	if err != nil {
		t.Fatal(err)
	}
	f.wantTypes(t, acctTwo, detailInvitationReceived, detailInvitationAccepted)
	e := f.wantTypes(t, acctOne, detailInvitationAccepted, detailConnectionCancelled)[1]
	if !slices.Equal(e.Resources, []string{conn.Arn}) {
		t.Errorf("resources %q", e.Resources)
	}
	wantDetail(t, e, `{"catalog": "Sandbox", "connection": {
		"arn": "`+conn.Arn+`", "id": "`+conn.Id+`", "connectionType": "OpportunityCollaboration", "canceledBy": "`+acctTwo+`"}}`)
}

func TestEventInvitationExpiredOnceToBoth(t *testing.T) {
	f := newConnFixture(t)
	inv := f.invite(t, acctOne, acctTwo)
	f.clock.Advance(invitationLifetime)
	// Accepting sweeps the invitation EXPIRED and then fails, so the
	// whole transaction, the sweep's event included, rolls back.
	_, err := f.accept(acctTwo, inv.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationState))
	f.wantTypes(t, acctOne)
	f.wantTypes(t, acctTwo, detailInvitationReceived)

	// The first read commits the sweep; later reads and writes find
	// nothing left to expire.
	f.getInvitation(t, acctOne, inv.Id)
	f.getInvitation(t, acctTwo, inv.Id)
	if _, err := f.svc.ListConnectionInvitations(f.ctx, acctOne, &api.ListConnectionInvitationsRequest{Catalog: CatalogSandbox}); err != nil {
		t.Fatal(err)
	}
	f.invite(t, acctOne, acctThree)

	sent := f.wantTypes(t, acctOne, detailInvitationExpired)[0]
	received := f.wantTypes(t, acctTwo, detailInvitationReceived, detailInvitationExpired)[1]
	for _, e := range []accountEvent{sent, received} {
		if !slices.Equal(e.Resources, []string{f.invArn(inv.Id)}) || e.Time != "2026-03-31T12:00:00Z" {
			t.Errorf("%s envelope %+v", e.Account, e)
		}
		wantDetail(t, e, `{"catalog": "Sandbox", "connectionInvitation": {
			"arn": "`+f.invArn(inv.Id)+`", "id": "`+inv.Id+`", "connectionType": "OpportunityCollaboration",
			"inviterEmail": "inviter@`+acctOne+`.example.com", "invitationMessage": "Let's collaborate",
			"senderProfileId": "`+f.profiles[acctOne]+`", "receiverProfileId": "`+f.profiles[acctTwo]+`"}}`)
	}
	if sent.ID == received.ID {
		t.Errorf("both parties' events have id %s", sent.ID)
	}
}

func TestEventFailedOperationEmitsNothing(t *testing.T) {
	f := newConnFixture(t)
	inv := f.invite(t, acctOne, acctTwo)
	// The sender may not accept its own invitation.
	_, err := f.accept(acctOne, inv.Id)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionInvitationReceiver))
	// A duplicate invitation is refused.
	_, err = f.inviteTry(acctOne, acctTwo, docstore.NewID("token-", 13))
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonDuplicateConnectionInvitation))
	f.wantTypes(t, acctOne)
	f.wantTypes(t, acctTwo, detailInvitationReceived)
}

func TestEventConnectionTypeIsPascalCase(t *testing.T) {
	for in, want := range map[api.ConnectionType]string{
		api.ConnectionTypeOpportunityCollaboration: "OpportunityCollaboration",
		api.ConnectionTypeSubsidiary:               "Subsidiary",
	} {
		if got := eventConnectionType(in); got != want {
			t.Errorf("eventConnectionType(%s) = %q, want %q", in, got, want)
		}
	}
}

package account

import (
	"slices"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
)

const collaboration = string(api.ConnectionTypeOpportunityCollaboration)

func (f *connFixture) cancelConnection(account, id string, t api.ConnectionType) (*api.CancelConnectionResponse, error) {
	return f.svc.CancelConnection(f.ctx, account, &api.CancelConnectionRequest{
		Catalog: CatalogSandbox, Identifier: id, ConnectionType: t, Reason: "Partnership ended", ClientToken: docstore.NewID("token-", 13),
	})
}

func TestConnectionGetAndCancel(t *testing.T) {
	f := newConnFixture(t)
	c := f.connect(t, acctOne, acctTwo)
	got, err := f.svc.GetConnection(f.ctx, acctOne, &api.GetConnectionRequest{Catalog: CatalogSandbox, Identifier: c.Id})
	if err != nil || got.OtherParticipantAccountId != acctTwo || got.ConnectionTypes[collaboration].OtherParticipant.PartnerProfile.Id != f.profiles[acctTwo] {
		t.Fatalf("sender's view %+v, %v", got, err)
	}
	_, err = f.svc.GetConnection(f.ctx, acctThree, &api.GetConnectionRequest{Catalog: CatalogSandbox, Identifier: c.Id})
	wantAPIErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonConnectionNotFound))
	_, err = f.cancelConnection(acctThree, c.Id, api.ConnectionTypeOpportunityCollaboration)
	wantAPIErr(t, err, apierr.KindNotFound, string(api.ResourceNotFoundExceptionReasonConnectionNotFound))
	_, err = f.cancelConnection(acctOne, c.Id, api.ConnectionTypeSubsidiary)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionState))

	canceled, err := f.cancelConnection(acctTwo, c.Id, api.ConnectionTypeOpportunityCollaboration)
	if err != nil {
		t.Fatal(err)
	}
	d := canceled.ConnectionTypes[collaboration]
	if d.Status != api.ConnectionTypeStatusCanceled || d.CanceledBy == nil || *d.CanceledBy != acctTwo || d.CanceledAt == nil || !d.CanceledAt.Equal(f.clock.Now()) {
		t.Errorf("canceled type %+v", d)
	}
	_, err = f.cancelConnection(acctOne, c.Id, api.ConnectionTypeOpportunityCollaboration)
	wantAPIErr(t, err, apierr.KindConflict, string(api.ConflictExceptionReasonIncompatibleConnectionState))

	// Terminated, it stays readable; connecting again makes a new connection.
	if _, err := f.svc.GetConnection(f.ctx, acctOne, &api.GetConnectionRequest{Catalog: CatalogSandbox, Identifier: c.Id}); err != nil {
		t.Fatal(err)
	}
	again := f.connect(t, acctTwo, acctOne)
	if again.Id == c.Id {
		t.Errorf("a terminated connection was reactivated")
	}
}

func TestConnectedForSelling(t *testing.T) {
	f := newConnFixture(t)
	connected := func(a, b string) bool {
		ok, err := Connections{}.Connected(f.ctx, f.svc.store, CatalogSandbox, a, b)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if connected(acctOne, acctTwo) {
		t.Fatal("connected before any invitation")
	}
	inv := f.invite(t, acctOne, acctTwo)
	if connected(acctOne, acctTwo) {
		t.Fatal("connected by a pending invitation")
	}
	out, err := f.accept(acctTwo, inv.Id)
	if err != nil {
		t.Fatal(err)
	}
	if !connected(acctOne, acctTwo) || !connected(acctTwo, acctOne) || connected(acctOne, acctThree) {
		t.Fatal("connection not seen both ways, or seen for a third")
	}
	if ok, _ := (Connections{}).Connected(f.ctx, f.svc.store, CatalogAWS, acctOne, acctTwo); ok {
		t.Error("a Sandbox connection counts in AWS")
	}
	if _, err := f.cancelConnection(acctOne, out.Connection.Id, api.ConnectionTypeOpportunityCollaboration); err != nil {
		t.Fatal(err)
	}
	if connected(acctOne, acctTwo) {
		t.Error("still connected after cancel")
	}
}

func TestListConnections(t *testing.T) {
	f := newConnFixture(t)
	first := f.connect(t, acctOne, acctTwo)
	f.clock.Advance(time.Second) // listings are in creation order
	second := f.connect(t, acctThree, acctOne)
	if _, err := f.cancelConnection(acctOne, second.Id, api.ConnectionTypeOpportunityCollaboration); err != nil {
		t.Fatal(err)
	}
	list := func(account string, in api.ListConnectionsRequest) []string {
		t.Helper()
		in.Catalog = CatalogSandbox
		var ids []string
		for {
			out, err := f.svc.ListConnections(f.ctx, account, &in)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range out.ConnectionSummaries {
				ids = append(ids, c.Id)
			}
			if out.NextToken == nil {
				return ids
			}
			in.NextToken = out.NextToken
		}
	}
	one := int32(1)
	for name, tc := range map[string]struct {
		account string
		in      api.ListConnectionsRequest
		want    []string
	}{
		"all, one a page":        {acctOne, api.ListConnectionsRequest{MaxResults: &one}, []string{first.Id, second.Id}},
		"other side":             {acctTwo, api.ListConnectionsRequest{}, []string{first.Id}},
		"type":                   {acctOne, api.ListConnectionsRequest{ConnectionType: ptrTo(collaboration)}, []string{first.Id, second.Id}},
		"active":                 {acctOne, api.ListConnectionsRequest{ConnectionType: ptrTo(collaboration + ":ACTIVE")}, []string{first.Id}},
		"canceled":               {acctOne, api.ListConnectionsRequest{ConnectionType: ptrTo(collaboration + ":CANCELED")}, []string{second.Id}},
		"no subsidiaries":        {acctOne, api.ListConnectionsRequest{ConnectionType: ptrTo("SUBSIDIARY")}, nil},
		"by account":             {acctOne, api.ListConnectionsRequest{OtherParticipantIdentifiers: []string{acctThree}}, []string{second.Id}},
		"by profile":             {acctOne, api.ListConnectionsRequest{OtherParticipantIdentifiers: []string{f.profiles[acctTwo]}}, []string{first.Id}},
		"own id matches nothing": {acctOne, api.ListConnectionsRequest{OtherParticipantIdentifiers: []string{acctOne}}, nil},
	} {
		if got := list(tc.account, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
	for _, bad := range []string{"RESELLER", collaboration + ":PENDING"} {
		_, err := f.svc.ListConnections(f.ctx, acctOne, &api.ListConnectionsRequest{Catalog: CatalogSandbox, ConnectionType: &bad})
		wantAPIErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
	}
}

func TestListConnectionInvitations(t *testing.T) {
	f := newConnFixture(t)
	sent := f.invite(t, acctOne, acctTwo)
	f.clock.Advance(time.Second) // listings are in creation order
	received := f.invite(t, acctThree, acctOne)
	other := f.invite(t, acctTwo, acctThree)
	if _, err := f.accept(acctOne, received.Id); err != nil {
		t.Fatal(err)
	}
	list := func(in api.ListConnectionInvitationsRequest) []string {
		t.Helper()
		in.Catalog = CatalogSandbox
		var ids []string
		for {
			out, err := f.svc.ListConnectionInvitations(f.ctx, acctOne, &in)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range out.ConnectionInvitationSummaries {
				ids = append(ids, s.Id)
			}
			if out.NextToken == nil {
				return ids
			}
			in.NextToken = out.NextToken
		}
	}
	one := int32(1)
	sender, receiver := api.ParticipantTypeSender, api.ParticipantTypeReceiver
	pending, accepted := api.InvitationStatusPending, api.InvitationStatusAccepted
	sub := api.ConnectionTypeSubsidiary
	for name, tc := range map[string]struct {
		in   api.ListConnectionInvitationsRequest
		want []string
	}{
		"all, one a page": {api.ListConnectionInvitationsRequest{MaxResults: &one}, []string{sent.Id, received.Id}},
		"as sender":       {api.ListConnectionInvitationsRequest{ParticipantType: &sender}, []string{sent.Id}},
		"as receiver":     {api.ListConnectionInvitationsRequest{ParticipantType: &receiver}, []string{received.Id}},
		"pending":         {api.ListConnectionInvitationsRequest{Status: &pending}, []string{sent.Id}},
		"accepted":        {api.ListConnectionInvitationsRequest{Status: &accepted}, []string{received.Id}},
		"subsidiary":      {api.ListConnectionInvitationsRequest{ConnectionType: &sub}, nil},
		"by peer profile": {api.ListConnectionInvitationsRequest{OtherParticipantIdentifiers: []string{f.profiles[acctThree]}}, []string{received.Id}},
	} {
		if got := list(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
	if got := list(api.ListConnectionInvitationsRequest{}); slices.Contains(got, other.Id) {
		t.Error("lists an invitation between two other accounts")
	}
	out, err := f.svc.ListConnectionInvitations(f.ctx, acctOne, &api.ListConnectionInvitationsRequest{Catalog: CatalogSandbox, MaxResults: &one})
	if err != nil || out.NextToken == nil {
		t.Fatalf("first page: %v", err)
	}
	_, err = f.svc.ListConnectionInvitations(f.ctx, acctOne, &api.ListConnectionInvitationsRequest{Catalog: CatalogSandbox, NextToken: out.NextToken, Status: &pending})
	wantAPIErr(t, err, apierr.KindValidation, apierr.ReasonRequestValidation)
}

package account

import (
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// acctThree is a third known account, for tests that need one.
const acctThree = "333333333333"

// connFixture is the shared fixture with a Sandbox partner for each of
// its accounts and a third; profiles maps each account to its profile id.
type connFixture struct {
	*fixture
	profiles map[string]string
}

func newConnFixture(t *testing.T) *connFixture {
	t.Helper()
	f := &connFixture{fixture: newFixture(t), profiles: map[string]string{}}
	f.svc.accounts[acctThree] = "Example Partner Three"
	for _, a := range []string{acctOne, acctTwo, acctThree} {
		f.profiles[a] = f.addPartner(t, a)
	}
	return f
}

// addPartner stores a Sandbox partner for account and returns its profile id.
func (f *connFixture) addPartner(t *testing.T, account string) string {
	t.Helper()
	profile := docstore.NewID("pprofile-", 13)
	p := &partnerRecord{
		Id: docstore.NewID("partner-", 13), Catalog: CatalogSandbox, Account: account, LegalName: "Legal " + account,
		CreatedAt: f.svc.now(), Profile: api.PartnerProfile{DisplayName: "Display " + account, ProfileId: &profile},
	}
	err := f.svc.store.Update(f.ctx, func(tx store.Tx) error {
		_, err := savePartner(f.ctx, tx, docstore.Doc[partnerRecord]{Value: p})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return profile
}

// inviteTry sends an OPPORTUNITY_COLLABORATION invitation from one account
// to another's profile.
func (f *connFixture) inviteTry(from, to, token string) (*api.CreateConnectionInvitationResponse, error) {
	return f.svc.CreateConnectionInvitation(f.ctx, from, &api.CreateConnectionInvitationRequest{
		Catalog: CatalogSandbox, ClientToken: token, ConnectionType: api.ConnectionTypeOpportunityCollaboration,
		Email: "inviter@" + from + ".example.com", Name: "Inviter " + from, Message: "Let's collaborate", ReceiverIdentifier: f.profiles[to],
	})
}

func (f *connFixture) invite(t *testing.T, from, to string) *api.CreateConnectionInvitationResponse {
	t.Helper()
	out, err := f.inviteTry(from, to, docstore.NewID("token-", 13))
	if err != nil {
		t.Fatalf("invite %s → %s: %v", from, to, err)
	}
	return out
}

func (f *connFixture) accept(account, id string) (*api.AcceptConnectionInvitationResponse, error) {
	return f.svc.AcceptConnectionInvitation(f.ctx, account, &api.AcceptConnectionInvitationRequest{Catalog: CatalogSandbox, Identifier: id, ClientToken: docstore.NewID("token-", 13)})
}

// connect makes from and to connected for opportunity collaboration.
func (f *connFixture) connect(t *testing.T, from, to string) api.Connection {
	t.Helper()
	out, err := f.accept(to, f.invite(t, from, to).Id)
	if err != nil {
		t.Fatal(err)
	}
	return out.Connection
}

func (f *connFixture) getInvitation(t *testing.T, account, id string) *api.GetConnectionInvitationResponse {
	t.Helper()
	out, err := f.svc.GetConnectionInvitation(f.ctx, account, &api.GetConnectionInvitationRequest{Catalog: CatalogSandbox, Identifier: id})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wantAPIErr fails unless err is an apierr of kind with reason.
func wantAPIErr(t *testing.T, err error, kind apierr.Kind, reason string) *apierr.Error {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != kind || e.Reason != reason {
		t.Fatalf("got error %v (%+v), want kind %d reason %q", err, e, kind, reason)
	}
	return e
}

func day(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

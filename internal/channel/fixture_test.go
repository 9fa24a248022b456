package channel

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/channel"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// Accounts of the fixture: two partner accounts of the server, and an end
// customer's management account the server does not serve.
const (
	partnerA    = "111111111111"
	partnerB    = "222222222222"
	endCustomer = "333333333333"
	sandbox     = CatalogSandbox
)

// fixture is a Service on a fresh in-memory store with a frozen clock.
type fixture struct {
	svc   *Service
	store store.Store
	clock *clock.Manual
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clk := clock.NewManual()
	clk.Freeze(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	svc := New(Config{Store: st, Clock: clk, Region: "us-east-1", TokenKey: []byte("fixture-token-key-of-32-bytes!!!"),
		Accounts: map[string]string{partnerA: "Example Partner One", partnerB: "Example Partner Two"}})
	return &fixture{svc: svc, store: st, clock: clk, ctx: context.Background()}
}

// createPMA creates a PENDING PMA of owner for management account acct.
func (f *fixture) createPMA(t *testing.T, owner, acct string) string {
	t.Helper()
	out, err := f.svc.CreateProgramManagementAccount(f.ctx, owner, &api.CreateProgramManagementAccountRequest{
		Catalog: sandbox, Program: api.ProgramSolutionProvider, DisplayName: "PMA " + acct, AccountId: acct})
	if err != nil {
		t.Fatalf("create PMA: %v", err)
	}
	return *out.ProgramManagementAccountDetail.Id
}

// pmaHandshake sends the PROGRAM_MANAGEMENT_ACCOUNT handshake of a PMA.
func (f *fixture) pmaHandshake(t *testing.T, owner, pma string) string {
	t.Helper()
	id, err := f.handshake(owner, api.HandshakeTypeProgramManagementAccount, pma, nil)
	if err != nil {
		t.Fatalf("create PMA handshake: %v", err)
	}
	return id
}

func (f *fixture) handshake(owner string, typ api.HandshakeType, resource string, payload *api.ChannelHandshakePayload) (string, error) {
	out, err := f.svc.CreateChannelHandshake(f.ctx, owner, &api.CreateChannelHandshakeRequest{
		HandshakeType: typ, Catalog: sandbox, AssociatedResourceIdentifier: resource, Payload: payload})
	if err != nil {
		return "", err
	}
	return *out.ChannelHandshakeDetail.Id, nil
}

func (f *fixture) accept(t *testing.T, account, id string) {
	t.Helper()
	if _, err := f.svc.AcceptChannelHandshake(f.ctx, account, &api.AcceptChannelHandshakeRequest{Catalog: sandbox, Identifier: id}); err != nil {
		t.Fatalf("accept %s as %s: %v", id, account, err)
	}
}

// activePMA is an ACTIVE PMA of partnerA for partnerB's account.
func (f *fixture) activePMA(t *testing.T) string {
	t.Helper()
	pma := f.createPMA(t, partnerA, partnerB)
	f.accept(t, partnerB, f.pmaHandshake(t, partnerA, pma))
	return pma
}

// relationship creates a relationship of partnerA under pma for acct.
func (f *fixture) relationship(t *testing.T, pma, acct string) string {
	t.Helper()
	out, err := f.svc.CreateRelationship(f.ctx, partnerA, &api.CreateRelationshipRequest{
		Catalog: sandbox, AssociationType: api.AssociationTypeEndCustomer, ProgramManagementAccountIdentifier: pma,
		AssociatedAccountId: acct, DisplayName: "Customer " + acct, Sector: api.SectorCommercial})
	if err != nil {
		t.Fatalf("create relationship: %v", err)
	}
	return *out.RelationshipDetail.Id
}

func startPayload(pma string) *api.ChannelHandshakePayload {
	return &api.ChannelHandshakePayload{StartServicePeriodPayload: &api.StartServicePeriodPayload{
		ProgramManagementAccountIdentifier: pma, ServicePeriodType: api.ServicePeriodTypeMinimumNoticePeriod,
		MinimumNoticeDays: ptr("14"), Note: ptr("Billing moves to us")}}
}

func (f *fixture) listHandshakes(t *testing.T, account string, typ api.HandshakeType, role api.ParticipantType) []api.ChannelHandshakeSummary {
	t.Helper()
	out, err := f.svc.ListChannelHandshakes(f.ctx, account, &api.ListChannelHandshakesRequest{HandshakeType: typ, Catalog: sandbox, ParticipantType: role})
	if err != nil {
		t.Fatalf("list handshakes: %v", err)
	}
	return out.Items
}

func (f *fixture) handshakeStatus(t *testing.T, id string) api.HandshakeStatus {
	t.Helper()
	h, err := f.svc.Handshake(f.ctx, sandbox, id)
	if err != nil {
		t.Fatalf("read handshake %s: %v", id, err)
	}
	return *h.Status
}

func (f *fixture) pma(t *testing.T, owner, id string) api.ProgramManagementAccountSummary {
	t.Helper()
	out, err := f.svc.ListProgramManagementAccounts(f.ctx, owner, &api.ListProgramManagementAccountsRequest{Catalog: sandbox})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Items {
		if *p.Id == id {
			return p
		}
	}
	t.Fatalf("PMA %s not listed for %s", id, owner)
	return api.ProgramManagementAccountSummary{}
}

// event is one outbox event, decoded.
type event struct {
	Account    string         `json:"account"`
	DetailType string         `json:"detail-type"`
	Source     string         `json:"source"`
	Resources  []string       `json:"resources"`
	Detail     map[string]any `json:"detail"`
}

func (f *fixture) events(t *testing.T) []event {
	t.Helper()
	rows, err := f.store.ListEvents(f.ctx, store.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]event, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.Body, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// wantErr fails unless err is a domain error of kind.
func wantErr(t *testing.T, err error, kind apierr.Kind) *apierr.Error {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != kind {
		t.Fatalf("error %v, want kind %d", err, kind)
	}
	return e
}

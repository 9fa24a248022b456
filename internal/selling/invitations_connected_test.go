package selling

import (
	"context"
	"testing"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/store"
)

// connections is the fixtures' Account domain: every two accounts are
// connected except the pairs in apart.
type connections struct{ apart map[[2]string]bool }

func (c connections) Connected(_ context.Context, _ store.Reader, _, a, b string) (bool, error) {
	return !c.apart[[2]string{a, b}] && !c.apart[[2]string{b, a}], nil
}

// Subsidiaries: the same pairs are connected as subsidiaries.
func (c connections) Subsidiaries(ctx context.Context, r store.Reader, catalog, a, b string) (bool, error) {
	return c.Connected(ctx, r, catalog, a, b)
}

func TestInvitationNeedsConnection(t *testing.T) {
	f := newInvitationFixture(t)
	f.svc.connections = connections{apart: map[[2]string]bool{{acctB, acctA}: true, {awsParty, acctA}: true}}
	eng := f.invEngagement(t, acctA)
	_, err := f.invTry(acctA, eng, acctB, "unconnected")
	e := wantErr(t, err, apierr.KindValidation, apierr.ReasonBusinessValidation)
	if !hasField(e, receiverField, apierr.CodeActionNotPermitted) {
		t.Errorf("fields %+v", e.Fields)
	}
	if got := f.invMembers(t, eng); len(got) != 1 {
		t.Errorf("members %v after a refused invitation", got)
	}
	// A connected partner is invited as before, and AWS needs no connection.
	if _, err := f.invTry(acctA, eng, invAcctC, "connected"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.checkConnected(f.ctx, f.svc.store, CatalogSandbox, awsParty, acctA); err != nil {
		t.Errorf("AWS as sender: %v", err)
	}
}

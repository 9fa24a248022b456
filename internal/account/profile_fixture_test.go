package account

import (
	"testing"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
)

// profilePartner registers account as a Sandbox partner, whose profile
// starts PRIVATE and named after the legal name, and returns it as stored.
func (f *fixture) profilePartner(t *testing.T, account string) *partnerRecord {
	t.Helper()
	out := f.registerPartner(t, account, CatalogSandbox)
	return f.storedPartner(t, &partnerRecord{Id: out.Id, Catalog: CatalogSandbox})
}

// storedPartner reads a partner back from the store.
func (f *fixture) storedPartner(t *testing.T, p *partnerRecord) *partnerRecord {
	t.Helper()
	d, err := docstore.Get[partnerRecord](f.ctx, f.svc.store, kindPartner, p.Catalog, p.Id, func() error { return partnerNotFound(p.Id) })
	if err != nil {
		t.Fatal(err)
	}
	return d.Value
}

// wantProfileErr fails unless err is a domain error of kind with reason
// (reason "" skips the reason check).
func wantProfileErr(t *testing.T, err error, kind apierr.Kind, reason string) {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok || e.Kind != kind || (reason != "" && e.Reason != reason) {
		t.Fatalf("got error %v (%+v), want kind %v reason %q", err, e, kind, reason)
	}
}

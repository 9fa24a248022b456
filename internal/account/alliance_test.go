package account

import (
	"testing"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
)

func TestAllianceLeadContact(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogAWS)
	got, err := f.svc.GetAllianceLeadContact(f.ctx, acctOne, &api.GetAllianceLeadContactRequest{Catalog: CatalogAWS, Identifier: p.Arn})
	if err != nil || got.AllianceLeadContact != p.AllianceLeadContact || got.Id != p.Id {
		t.Fatalf("%+v %v", got, err)
	}

	// A new title with the same address (in any case) needs no code.
	same := p.AllianceLeadContact
	same.BusinessTitle, same.Email = "VP Alliances", "LEAD@"+acctOne+".example.com"
	put, err := f.svc.PutAllianceLeadContact(f.ctx, acctOne, &api.PutAllianceLeadContactRequest{Catalog: CatalogAWS, Identifier: p.Id, AllianceLeadContact: same})
	if err != nil || put.AllianceLeadContact != same {
		t.Fatalf("%+v %v", put, err)
	}
	// A new address does.
	moved := same
	moved.Email = "next@corp.example"
	_, err = f.svc.PutAllianceLeadContact(f.ctx, acctOne, &api.PutAllianceLeadContactRequest{Catalog: CatalogAWS, Identifier: p.Id, AllianceLeadContact: moved})
	wantCode(t, err, apierr.CodeRequiredFieldMissing)

	got, _ = f.svc.GetAllianceLeadContact(f.ctx, acctOne, &api.GetAllianceLeadContactRequest{Catalog: CatalogAWS, Identifier: p.Id})
	if got.AllianceLeadContact != same {
		t.Errorf("stored %+v, want %+v", got.AllianceLeadContact, same)
	}
}

func TestAllianceLeadContactSandboxAndStrangers(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogSandbox)
	moved := p.AllianceLeadContact
	moved.Email = "next@corp.example"
	if _, err := f.svc.PutAllianceLeadContact(f.ctx, acctOne, &api.PutAllianceLeadContactRequest{Catalog: CatalogSandbox, Identifier: p.Id, AllianceLeadContact: moved}); err != nil {
		t.Fatalf("Sandbox change of address: %v", err)
	}
	_, err := f.svc.GetAllianceLeadContact(f.ctx, acctTwo, &api.GetAllianceLeadContactRequest{Catalog: CatalogSandbox, Identifier: p.Id})
	wantErr(t, err, apierr.KindNotFound, "PARTNER_NOT_FOUND")
	_, err = f.svc.PutAllianceLeadContact(f.ctx, acctTwo, &api.PutAllianceLeadContactRequest{Catalog: CatalogSandbox, Identifier: p.Arn, AllianceLeadContact: moved})
	wantErr(t, err, apierr.KindAccessDenied, "ACCESS_DENIED")
}

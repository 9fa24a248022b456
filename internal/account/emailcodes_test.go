package account

import (
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
)

func TestEmailCodesAreLoggedAndLimited(t *testing.T) {
	f := newFixture(t)
	send := func() error {
		_, err := f.svc.SendEmailVerificationCode(f.ctx, acctOne, &api.SendEmailVerificationCodeRequest{Catalog: CatalogAWS, Email: "Me@Corp.example"})
		return err
	}
	for i := range maxEmailCodesPerDay {
		if err := send(); err != nil {
			t.Fatalf("code %d: %v", i+1, err)
		}
		f.clock.Advance(time.Hour)
	}
	wantErr(t, send(), apierr.KindServiceQuotaExceeded, "LIMIT_EXCEEDED_NUMBER_OF_EMAIL")

	// The window rolls: a day after the first code, one more may go.
	f.clock.Advance(20 * time.Hour)
	if err := send(); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	codes, err := f.svc.SentCodes(f.ctx)
	if err != nil || len(codes) != 1 || codes[0].Email != "me@corp.example" || len(codes[0].Code) != 6 || codes[0].Account != acctOne || codes[0].Used {
		t.Fatalf("mail log %+v %v", codes, err)
	}
}

func TestSandboxSendsNoEmail(t *testing.T) {
	f := newFixture(t)
	for range maxEmailCodesPerDay + 1 {
		if _, err := f.svc.SendEmailVerificationCode(f.ctx, acctOne, &api.SendEmailVerificationCodeRequest{Catalog: CatalogSandbox, Email: "a@b.example"}); err != nil {
			t.Fatal(err)
		}
	}
	if codes, _ := f.svc.SentCodes(f.ctx); len(codes) != 0 {
		t.Errorf("the Sandbox logged %+v", codes)
	}
}

// A code works once, only while valid, and only the newest counts.
func TestEmailCodeIsConsumed(t *testing.T) {
	f := newFixture(t)
	p := f.registerPartner(t, acctOne, CatalogAWS)
	put := func(email, code string) error {
		_, err := f.svc.PutAllianceLeadContact(f.ctx, acctOne, &api.PutAllianceLeadContactRequest{Catalog: CatalogAWS, Identifier: p.Id,
			AllianceLeadContact: api.AllianceLeadContact{FirstName: "N", LastName: "L", Email: email, BusinessTitle: "T"}, EmailVerificationCode: &code})
		return err
	}
	old := f.sendCode(t, acctOne, "new@corp.example")
	newest := f.sendCode(t, acctOne, "new@corp.example")
	if old != newest {
		wantCode(t, put("new@corp.example", old), apierr.CodeInvalidValue)
	}
	if err := put("new@corp.example", newest); err != nil {
		t.Fatal(err)
	}
	wantCode(t, put("third@corp.example", newest), apierr.CodeInvalidValue) // sent to another address

	late := f.sendCode(t, acctOne, "late@corp.example")
	f.clock.Advance(emailCodeLifetime)
	wantCode(t, put("late@corp.example", late), apierr.CodeInvalidValue)
	codes, _ := f.svc.SentCodes(f.ctx)
	for _, c := range codes {
		if c.Email == "new@corp.example" && !c.Used {
			t.Error("the used code is not marked used")
		}
	}
}

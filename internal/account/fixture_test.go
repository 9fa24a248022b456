package account

import (
	"context"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// Accounts of the fixture, as in auth.DefaultAccounts.
const (
	acctOne = "111111111111"
	acctTwo = "222222222222"
)

// fixture is a Service on a fresh in-memory store with a frozen clock.
type fixture struct {
	svc   *Service
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
	svc := New(Config{
		Store: st, Clock: clk, Region: "us-east-1", TokenKey: []byte("fixture-token-key-of-32-bytes!!!"),
		Accounts: map[string]string{acctOne: "Example Partner One", acctTwo: "Example Partner Two"},
	})
	return &fixture{svc: svc, clock: clk, ctx: context.Background()}
}

// legalNameOf is the legal name registerPartner gives an account's partner.
func legalNameOf(account string) string { return "Partner " + account + " LLC" }

// registerPartner registers account as a partner in catalog the way a
// client would: in AWS it passes both verifications (advancing the clock
// past verificationDelay) and uses a code sent to the alliance lead.
func (f *fixture) registerPartner(t *testing.T, account, catalog string) *api.CreatePartnerResponse {
	t.Helper()
	lead := api.AllianceLeadContact{FirstName: "Ada", LastName: "Lead", Email: "lead@" + account + ".example.com", BusinessTitle: "Alliance Lead"}
	code := "123456"
	if catalog == CatalogAWS {
		f.verify(t, account, legalNameOf(account))
		code = f.sendCode(t, account, lead.Email)
	}
	out, err := f.svc.CreatePartner(f.ctx, account, &api.CreatePartnerRequest{
		Catalog: catalog, LegalName: legalNameOf(account), PrimarySolutionType: api.PrimarySolutionTypeSoftwareProducts,
		AllianceLeadContact: lead, EmailVerificationCode: code,
	})
	if err != nil {
		t.Fatalf("register %s in %s: %v", account, catalog, err)
	}
	return out
}

// verify starts both verifications of account and lets them succeed.
func (f *fixture) verify(t *testing.T, account, legalName string) {
	t.Helper()
	for _, d := range []api.VerificationDetails{
		{BusinessVerificationDetails: &api.BusinessVerificationDetails{LegalName: legalName, RegistrationId: "REG-1", CountryCode: "US"}},
		{RegistrantVerificationDetails: &api.RegistrantVerificationDetails{}},
	} {
		if _, err := f.svc.StartVerification(f.ctx, account, &api.StartVerificationRequest{VerificationDetails: &d}); err != nil {
			t.Fatalf("start verification for %s: %v", account, err)
		}
	}
	f.clock.Advance(verificationDelay)
}

// sendCode sends an AWS verification code to email and reads it back
// from the mail log.
func (f *fixture) sendCode(t *testing.T, account, email string) string {
	t.Helper()
	if _, err := f.svc.SendEmailVerificationCode(f.ctx, account, &api.SendEmailVerificationCodeRequest{Catalog: CatalogAWS, Email: email}); err != nil {
		t.Fatalf("send code to %s: %v", email, err)
	}
	codes, err := f.svc.SentCodes(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if c.Email == strings.ToLower(email) {
			return c.Code
		}
	}
	t.Fatalf("no code in the mail log for %s", email)
	return ""
}

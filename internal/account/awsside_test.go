package account

import (
	"testing"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
)

func (f *fixture) verification(t *testing.T, typ api.VerificationType) *api.GetVerificationResponse {
	t.Helper()
	got, err := f.svc.GetVerification(f.ctx, acctOne, &api.GetVerificationRequest{VerificationType: typ})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestDecideVerification(t *testing.T) {
	f := newFixture(t)
	typ := api.VerificationTypeBusinessVerification
	_, err := f.svc.DecideVerification(f.ctx, acctOne, typ, api.VerificationStatusRejected, "")
	wantErr(t, err, apierr.KindNotFound, "VERIFICATION_NOT_FOUND")
	if _, err := f.svc.StartVerification(f.ctx, acctOne, &api.StartVerificationRequest{VerificationDetails: business("Acme GmbH")}); err != nil {
		t.Fatal(err)
	}

	// Held running, it stays so past the delay after which it would succeed.
	if _, err := f.svc.DecideVerification(f.ctx, acctOne, typ, api.VerificationStatusInProgress, "ignored while running"); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * verificationDelay)
	if got := f.verification(t, typ); got.VerificationStatus != api.VerificationStatusInProgress || got.CompletedAt != nil || got.VerificationStatusReason != nil {
		t.Fatalf("held: %+v", got)
	}

	out, err := f.svc.DecideVerification(f.ctx, acctOne, typ, api.VerificationStatusRejected, "Registration id does not match the legal name.")
	if err != nil {
		t.Fatal(err)
	}
	got := f.verification(t, typ)
	if got.VerificationStatus != api.VerificationStatusRejected || got.VerificationStatusReason == nil || *got.VerificationStatusReason != "Registration id does not match the legal name." ||
		got.CompletedAt == nil || !got.CompletedAt.Equal(*out.CompletedAt) {
		t.Fatalf("rejected: %+v (decision %+v)", got, out)
	}
	// A REJECTED verification can be started again, as a real one can.
	if _, err := f.svc.StartVerification(f.ctx, acctOne, &api.StartVerificationRequest{VerificationDetails: business("Acme GmbH")}); err != nil {
		t.Fatalf("restart after rejection: %v", err)
	}

	_, err = f.svc.DecideVerification(f.ctx, acctOne, "PASSPORT_CHECK", api.VerificationStatusSucceeded, "")
	wantErr(t, err, apierr.KindValidation, "REQUEST_VALIDATION_FAILED")
	_, err = f.svc.DecideVerification(f.ctx, acctOne, typ, "MAYBE", "")
	wantErr(t, err, apierr.KindValidation, "REQUEST_VALIDATION_FAILED")
}

package account

import (
	"errors"
	"testing"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

func business(name string) *api.VerificationDetails {
	return &api.VerificationDetails{BusinessVerificationDetails: &api.BusinessVerificationDetails{LegalName: name, RegistrationId: "R1", CountryCode: "DE"}}
}

func TestBusinessVerificationRunsThenSucceeds(t *testing.T) {
	f := newFixture(t)
	started, err := f.svc.StartVerification(f.ctx, acctOne, &api.StartVerificationRequest{VerificationDetails: business("Acme GmbH")})
	if err != nil {
		t.Fatal(err)
	}
	if started.VerificationStatus != api.VerificationStatusInProgress || started.CompletedAt != nil ||
		started.VerificationResponseDetails.BusinessVerificationResponse.BusinessVerificationDetails.LegalName != "Acme GmbH" {
		t.Fatalf("started %+v", started)
	}
	_, err = f.svc.StartVerification(f.ctx, acctOne, &api.StartVerificationRequest{VerificationDetails: business("Acme GmbH")})
	wantErr(t, err, apierr.KindConflict, "VERIFICATION_ALREADY_IN_PROGRESS")

	f.clock.Advance(verificationDelay)
	got, err := f.svc.GetVerification(f.ctx, acctOne, &api.GetVerificationRequest{VerificationType: api.VerificationTypeBusinessVerification})
	if err != nil || got.VerificationStatus != api.VerificationStatusSucceeded || got.CompletedAt == nil || !got.CompletedAt.Equal(started.StartedAt.Add(verificationDelay)) {
		t.Fatalf("after the delay: %+v %v", got, err)
	}
	_, err = f.svc.StartVerification(f.ctx, acctOne, &api.StartVerificationRequest{VerificationDetails: business("Acme GmbH")})
	wantErr(t, err, apierr.KindConflict, "ACCOUNT_ALREADY_VERIFIED")
}

func TestRegistrantVerificationWaitsOnThePerson(t *testing.T) {
	f := newFixture(t)
	started, err := f.svc.StartVerification(f.ctx, acctOne, &api.StartVerificationRequest{VerificationDetails: &api.VerificationDetails{RegistrantVerificationDetails: &api.RegistrantVerificationDetails{}}})
	if err != nil {
		t.Fatal(err)
	}
	r := started.VerificationResponseDetails.RegistrantVerificationResponse
	if started.VerificationStatus != api.VerificationStatusPendingCustomerAction || r == nil || r.CompletionUrl == "" || !r.CompletionUrlExpiresAt.After(started.StartedAt) {
		t.Fatalf("started %+v", started)
	}
	// The other type is independent.
	_, err = f.svc.GetVerification(f.ctx, acctOne, &api.GetVerificationRequest{VerificationType: api.VerificationTypeBusinessVerification})
	wantErr(t, err, apierr.KindNotFound, "VERIFICATION_NOT_FOUND")
}

// A verification the AWS side failed can be started again.
func TestVerificationRestartsAfterFailure(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.StartVerification(f.ctx, acctOne, &api.StartVerificationRequest{VerificationDetails: business("Acme")}); err != nil {
		t.Fatal(err)
	}
	err := f.svc.store.Update(f.ctx, func(tx store.Tx) error {
		id := verificationID(acctOne, api.VerificationTypeBusinessVerification)
		d, err := docstore.Get[verificationRecord](f.ctx, tx, kindVerification, verificationCatalog, id, func() error { return errors.New("missing") })
		if err != nil {
			return err
		}
		d.Value.Outcome = &verificationOutcome{Status: api.VerificationStatusFailed}
		_, err = docstore.Put(f.ctx, tx, kindVerification, verificationCatalog, d.Value, d.Version)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(verificationDelay)
	got, err := f.svc.GetVerification(f.ctx, acctOne, &api.GetVerificationRequest{VerificationType: api.VerificationTypeBusinessVerification})
	if err != nil || got.VerificationStatus != api.VerificationStatusFailed {
		t.Fatalf("the AWS side's outcome was not kept: %+v %v", got, err)
	}
	again, err := f.svc.StartVerification(f.ctx, acctOne, &api.StartVerificationRequest{VerificationDetails: business("Acme AG")})
	if err != nil || again.VerificationStatus != api.VerificationStatusInProgress || !again.StartedAt.Equal(f.svc.now()) {
		t.Fatalf("restart: %+v %v", again, err)
	}
}

func TestStartVerificationNeedsDetails(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.StartVerification(f.ctx, acctOne, &api.StartVerificationRequest{})
	wantCode(t, err, apierr.CodeRequiredFieldMissing)
}

package account

import (
	"context"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// Verification belongs to the account, not to a catalog (its operations
// take none), so its documents live under this catalog value.
const verificationCatalog = ""

// verificationDelay is how long a verification runs before it succeeds
// unless the AWS side decides otherwise. AWS documents no timings; half a
// minute of server clock lets a test watch it run and then advance past it.
const verificationDelay = 30 * time.Second

// completionURLLifetime is how long a registrant's CompletionUrl works;
// AWS says only that it is time-limited.
const completionURLLifetime = time.Hour

// verificationRecord is one account's latest verification of one type.
type verificationRecord struct {
	Id        string                           `json:"id"` // account/type: one per account and type
	Account   string                           `json:"account"`
	Type      api.VerificationType             `json:"type"`
	Business  *api.BusinessVerificationDetails `json:"business,omitempty"`
	StartedAt time.Time                        `json:"startedAt"`
	// CompletionURL and its expiry are the registrant's identity check page.
	CompletionURL       string     `json:"completionUrl,omitempty"`
	CompletionExpiresAt *time.Time `json:"completionExpiresAt,omitempty"`
	// Outcome, when set, is a decision the AWS side made; it overrides the
	// default of succeeding after verificationDelay.
	Outcome *verificationOutcome `json:"outcome,omitempty"`
}

type verificationOutcome struct {
	Status      api.VerificationStatus `json:"status"`
	Reason      *string                `json:"reason,omitempty"`
	CompletedAt *time.Time             `json:"completedAt,omitempty"`
}

func (v *verificationRecord) DocID() string         { return v.Id }
func (v *verificationRecord) DocCreated() time.Time { return v.StartedAt }
func (v *verificationRecord) DocKeys() map[string][]string {
	return map[string][]string{"account": {v.Account}}
}

func verificationID(account string, t api.VerificationType) string { return account + "/" + string(t) }

// verificationState is where a verification stands at now: the AWS side's
// decision if it made one, else running until verificationDelay after it
// started and SUCCEEDED from then on. A registrant verification waits on
// the person (PENDING_CUSTOMER_ACTION), a business one on AWS (IN_PROGRESS).
// It is the one place a verification's status is decided.
func verificationState(v *verificationRecord, now time.Time) verificationOutcome {
	if v.Outcome != nil {
		return *v.Outcome
	}
	done := v.StartedAt.Add(verificationDelay)
	if now.Before(done) {
		if v.Type == api.VerificationTypeRegistrantVerification {
			return verificationOutcome{Status: api.VerificationStatusPendingCustomerAction}
		}
		return verificationOutcome{Status: api.VerificationStatusInProgress}
	}
	return verificationOutcome{Status: api.VerificationStatusSucceeded, CompletedAt: &done}
}

// running reports whether a status is still waiting for an outcome.
func running(st api.VerificationStatus) bool {
	return st == api.VerificationStatusPendingCustomerAction || st == api.VerificationStatusInProgress
}

// StartVerification starts a business or registrant verification of the
// caller's account. A verification that FAILED or was REJECTED can be
// started again; one running or SUCCEEDED cannot.
func (s *Service) StartVerification(ctx context.Context, account string, in *api.StartVerificationRequest) (*api.StartVerificationResponse, error) {
	d := in.VerificationDetails
	if d == nil || (d.BusinessVerificationDetails == nil) == (d.RegistrantVerificationDetails == nil) {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "verificationDetails", Code: apierr.CodeRequiredFieldMissing,
			Message: "Give exactly one of BusinessVerificationDetails or RegistrantVerificationDetails."})
	}
	t := api.VerificationTypeRegistrantVerification
	if d.BusinessVerificationDetails != nil {
		t = api.VerificationTypeBusinessVerification
	}
	return once(ctx, s, scopeOf(account, verificationCatalog), "StartVerification", in.ClientToken, in, func(tx store.Tx) (*api.StartVerificationResponse, error) {
		now := s.now()
		prev, err := docstore.Get[verificationRecord](ctx, tx, kindVerification, verificationCatalog, verificationID(account, t), func() error { return nil })
		if err != nil {
			return nil, err
		}
		if prev.Value != nil {
			switch st := verificationState(prev.Value, now).Status; {
			case st == api.VerificationStatusSucceeded:
				return nil, apierr.Conflict("The account has already passed %s.", t).WithReason(string(api.ConflictExceptionReasonAccountAlreadyVerified))
			case running(st):
				return nil, apierr.Conflict("A %s is already in progress.", t).WithReason(string(api.ConflictExceptionReasonVerificationAlreadyInProgress))
			}
		}
		v := &verificationRecord{Id: verificationID(account, t), Account: account, Type: t, Business: d.BusinessVerificationDetails, StartedAt: now}
		if t == api.VerificationTypeRegistrantVerification {
			// The page is not served: the person's identity check is
			// simulated by verificationState.
			expires := now.Add(completionURLLifetime)
			v.CompletionURL = "http://localhost/_cosell/verify/" + docstore.NewID("", 32)
			v.CompletionExpiresAt = &expires
		}
		if _, err := docstore.Put(ctx, tx, kindVerification, verificationCatalog, v, prev.Version); err != nil {
			return nil, err
		}
		out := api.StartVerificationResponse(verificationView(v, now))
		return &out, nil
	})
}

// GetVerification is the caller's latest verification of a type.
func (s *Service) GetVerification(ctx context.Context, account string, in *api.GetVerificationRequest) (*api.GetVerificationResponse, error) {
	d, err := docstore.Get[verificationRecord](ctx, s.store, kindVerification, verificationCatalog, verificationID(account, in.VerificationType), func() error {
		return apierr.NotFound("No %s has been started for this account.", in.VerificationType).WithReason(string(api.ResourceNotFoundExceptionReasonVerificationNotFound))
	})
	if err != nil {
		return nil, err
	}
	out := verificationView(d.Value, s.now())
	return &out, nil
}

func verificationView(v *verificationRecord, now time.Time) api.GetVerificationResponse {
	st := verificationState(v, now)
	out := api.GetVerificationResponse{VerificationType: v.Type, VerificationStatus: st.Status, VerificationStatusReason: st.Reason, StartedAt: v.StartedAt, CompletedAt: st.CompletedAt}
	if v.Business != nil {
		out.VerificationResponseDetails.BusinessVerificationResponse = &api.BusinessVerificationResponse{BusinessVerificationDetails: *v.Business}
	} else {
		out.VerificationResponseDetails.RegistrantVerificationResponse = &api.RegistrantVerificationResponse{CompletionUrl: v.CompletionURL, CompletionUrlExpiresAt: *v.CompletionExpiresAt}
	}
	return out
}

// verifiedFor checks, before an AWS catalog registration, that both
// verifications SUCCEEDED and that the legal name is the verified one.
// Sandbox registrations need neither (AWS's Sandbox guide registers
// without them).
func (s *Service) verifiedFor(ctx context.Context, r store.Reader, account, legalName string) error {
	now := s.now()
	checks := []struct {
		t    api.VerificationType
		code api.BusinessValidationCode
	}{
		{api.VerificationTypeBusinessVerification, api.BusinessValidationCodeIncompatibleKnowYourBusinessStatus},
		{api.VerificationTypeRegistrantVerification, api.BusinessValidationCodeIncompatibleIdentityVerificationStatus},
	}
	for _, c := range checks {
		d, err := docstore.Get[verificationRecord](ctx, r, kindVerification, verificationCatalog, verificationID(account, c.t), func() error { return nil })
		if err != nil {
			return err
		}
		if d.Value == nil || verificationState(d.Value, now).Status != api.VerificationStatusSucceeded {
			return businessError(c.code, string(c.t)+" must succeed before the account registers as a partner.")
		}
		if c.t == api.VerificationTypeBusinessVerification && !strings.EqualFold(d.Value.Business.LegalName, legalName) {
			return businessError(api.BusinessValidationCodeIncompatibleLegalName, "The legal name differs from the one business verification confirmed.")
		}
	}
	return nil
}

// businessError is a BUSINESS_VALIDATION_FAILED ValidationException with
// one BusinessValidationError.
func businessError(code api.BusinessValidationCode, msg string) error {
	return apierr.BusinessInvalid(msg, apierr.FieldError{Code: string(code), Message: msg})
}

package account

import (
	"context"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/account"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// VerificationDecision is where a verification stands after AWS decided it.
type VerificationDecision struct {
	Type        api.VerificationType
	Status      api.VerificationStatus
	Reason      *string
	StartedAt   time.Time
	CompletedAt *time.Time
}

// DecideVerification is AWS deciding account's latest verification of a
// type, whatever verificationState would have made of it: SUCCEEDED,
// FAILED or REJECTED end it now (with reason), IN_PROGRESS or
// PENDING_CUSTOMER_ACTION hold it running until decided again. AWS may
// decide at any time, also overturning an earlier outcome; a verification
// never started is not found.
func (s *Service) DecideVerification(ctx context.Context, account string, t api.VerificationType, status api.VerificationStatus, reason string) (*VerificationDecision, error) {
	if !validEnum(t, api.VerificationType("").Values()) {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "verificationType", Code: apierr.CodeInvalidEnumValue,
			Message: "VerificationType must be BUSINESS_VERIFICATION or REGISTRANT_VERIFICATION."})
	}
	if !validEnum(status, api.VerificationStatus("").Values()) {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "verificationStatus", Code: apierr.CodeInvalidEnumValue,
			Message: "VerificationStatus must be one of PENDING_CUSTOMER_ACTION, IN_PROGRESS, FAILED, SUCCEEDED and REJECTED."})
	}
	var out *VerificationDecision
	err := s.store.Update(ctx, func(tx store.Tx) error {
		d, err := docstore.Get[verificationRecord](ctx, tx, kindVerification, verificationCatalog, verificationID(account, t), func() error {
			return apierr.NotFound("Account %s has started no %s.", account, t).WithReason(string(api.ResourceNotFoundExceptionReasonVerificationNotFound))
		})
		if err != nil {
			return err
		}
		o := verificationOutcome{Status: status}
		if !running(status) {
			now := s.now()
			o.CompletedAt = &now
			if reason != "" {
				o.Reason = &reason
			}
		}
		d.Value.Outcome = &o
		if _, err := docstore.Put(ctx, tx, kindVerification, verificationCatalog, d.Value, d.Version); err != nil {
			return err
		}
		out = &VerificationDecision{Type: t, Status: o.Status, Reason: o.Reason, StartedAt: d.Value.StartedAt, CompletedAt: o.CompletedAt}
		return nil
	})
	return out, err
}

func validEnum[T comparable](v T, values []T) bool { return slices.Contains(values, v) }

package benefits

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// The partner's side of the lifecycle (semantics-2026 §3.3). AWS documents
// which transitions exist but not every status each operation accepts, nor
// how an application in ACTION_REQUIRED returns to review. cosell's
// reading, in the README's "Behaviour where AWS's sources are silent":
//   - Submit: from PENDING_SUBMISSION, and from ACTION_REQUIRED once the
//     feedback is addressed (the developer guide's "addresses feedback";
//     Submit is the one operation that sends an application to review).
//   - Recall: from IN_REVIEW in an early stage and from ACTION_REQUIRED,
//     back to PENDING_SUBMISSION ("early review stages", never after a
//     decision); the finance stage is the late one.
//   - Cancel: from any status before a decision (PENDING_SUBMISSION,
//     IN_REVIEW, ACTION_REQUIRED); CANCELED is final.
//   - Amend: after submission and before the application is closed
//     (IN_REVIEW, ACTION_REQUIRED, APPROVED: the ISVWMP second tranche's
//     consent is captured after the first tranche is approved).
// A status an operation does not accept is a business ValidationException
// (INVALID_RESOURCE_STATE); a stale Revision is a ConflictException.

// Review stages AWS's event reference names; Stage is a free string.
const (
	StageBusinessReview = "BUSINESS_REVIEW"
	StageTechReview     = "TECH_REVIEW"
	StageFinanceReview  = "FINANCE_REVIEW"
	StageAwsReview      = "AWS_REVIEW"
)

// lateStages are the stages after which an application cannot be recalled
// (the event example spells the finance stage FINANCIAL_REVIEW).
var lateStages = []string{StageFinanceReview, "FINANCIAL_REVIEW"}

// maxAmendments is the developer guide's limit of amendments per call.
const maxAmendments = 10

// SubmitBenefitApplication sends an application to AWS's review, after
// the full validation: the benefit still takes applications, the details
// satisfy its request schema whole, no file is still being processed or
// failed, and every associated resource is still readable.
func (s *Service) SubmitBenefitApplication(ctx context.Context, account string, in *api.SubmitBenefitApplicationInput) (*api.SubmitBenefitApplicationOutput, error) {
	err := s.store.Update(ctx, func(tx store.Tx) error {
		var benefit *Benefit
		a, err := s.change(ctx, tx, account, in.Catalog, in.Identifier, nil, func(a *applicationRecord, b *Benefit, now time.Time) error {
			benefit = b
			if a.Status != api.BenefitApplicationStatusPendingSubmission && a.Status != api.BenefitApplicationStatusActionRequired {
				return invalidState("identifier", "Benefit application %s is %s; only an application in PENDING_SUBMISSION or ACTION_REQUIRED can be submitted.", a.Id, a.Status)
			}
			if err := s.checkComplete(ctx, tx, a, b, now); err != nil {
				return err
			}
			a.Status, a.SubmittedAt = api.BenefitApplicationStatusInReview, &now
			if a.Stage == nil {
				a.Stage = ptr(StageBusinessReview)
			}
			a.StatusReason, a.StatusReasonCode, a.StatusReasonCodes = nil, nil, nil
			return nil
		})
		if err != nil {
			return err
		}
		return s.applicationEvent(ctx, tx, a, benefit, detailApplicationInReview)
	})
	if err != nil {
		return nil, err
	}
	return &api.SubmitBenefitApplicationOutput{}, nil
}

// checkComplete is Submit's full validation.
func (s *Service) checkComplete(ctx context.Context, r store.Reader, a *applicationRecord, b *Benefit, now time.Time) error {
	if b.Status != api.BenefitStatusActive {
		return invalidField("identifier", apierr.CodeInvalidResourceState, "Benefit %s is %s and takes no applications.", b.Id, b.Status)
	}
	if _, err := checkDetails(b, a.Details, true); err != nil {
		return err
	}
	var fields []apierr.FieldError
	for _, f := range a.Files {
		switch f.status(now) {
		case FilePending:
			fields = append(fields, apierr.FieldError{FieldName: "fileDetails", Code: apierr.CodeInvalidResourceState,
				Message: fmt.Sprintf("File %s is still being processed; submit once its FileStatus is SUCCEEDED.", f.URI)})
		case FileFailed:
			fields = append(fields, apierr.FieldError{FieldName: "fileDetails", Code: apierr.CodeInvalidValue,
				Message: fmt.Sprintf("File %s failed processing (%s); replace it with UpdateBenefitApplication.", f.URI, deref(f.StatusReason))})
		}
	}
	if len(fields) > 0 {
		return apierr.BusinessInvalid("The application's files are not all processed successfully.", fields...)
	}
	for _, arn := range a.Resources {
		if err := s.checkReadable(ctx, r, a.Owner, a.Catalog, arn); err != nil {
			return err
		}
	}
	return nil
}

// RecallBenefitApplication takes an application back from early review to
// PENDING_SUBMISSION, where it can be updated and submitted again.
func (s *Service) RecallBenefitApplication(ctx context.Context, account string, in *api.RecallBenefitApplicationInput) (*api.RecallBenefitApplicationOutput, error) {
	recall := func(tx store.Tx) (*api.RecallBenefitApplicationOutput, error) {
		_, err := s.change(ctx, tx, account, in.Catalog, in.Identifier, nil, func(a *applicationRecord, _ *Benefit, _ time.Time) error {
			switch {
			case a.Status == api.BenefitApplicationStatusActionRequired:
			case a.Status == api.BenefitApplicationStatusInReview && a.Stage != nil && slices.Contains(lateStages, *a.Stage):
				return invalidState("identifier", "Benefit application %s is in the %s stage; it can be recalled only in an early review stage.", a.Id, *a.Stage)
			case a.Status != api.BenefitApplicationStatusInReview:
				return invalidState("identifier", "Benefit application %s is %s; only an application in review or in ACTION_REQUIRED can be recalled.", a.Id, a.Status)
			}
			a.Status, a.Stage = api.BenefitApplicationStatusPendingSubmission, nil
			a.StatusReason, a.StatusReasonCode, a.StatusReasonCodes = ptr(in.Reason), nil, nil
			return nil
		})
		return &api.RecallBenefitApplicationOutput{}, err
	}
	if in.ClientToken == nil {
		var out *api.RecallBenefitApplicationOutput
		err := s.store.Update(ctx, func(tx store.Tx) (err error) { out, err = recall(tx); return err })
		return out, err
	}
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "RecallBenefitApplication", *in.ClientToken, in, recall)
}

// CancelBenefitApplication ends an application for good.
func (s *Service) CancelBenefitApplication(ctx context.Context, account string, in *api.CancelBenefitApplicationInput) (*api.CancelBenefitApplicationOutput, error) {
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "CancelBenefitApplication", in.ClientToken, in, func(tx store.Tx) (*api.CancelBenefitApplicationOutput, error) {
		_, err := s.change(ctx, tx, account, in.Catalog, in.Identifier, nil, func(a *applicationRecord, _ *Benefit, _ time.Time) error {
			switch a.Status {
			case api.BenefitApplicationStatusPendingSubmission, api.BenefitApplicationStatusInReview, api.BenefitApplicationStatusActionRequired:
			default:
				return invalidState("identifier", "Benefit application %s is %s and can no longer be canceled.", a.Id, a.Status)
			}
			a.Status, a.StatusReason, a.StatusReasonCode, a.StatusReasonCodes = api.BenefitApplicationStatusCanceled, in.Reason, nil, nil
			return nil
		})
		return &api.CancelBenefitApplicationOutput{}, err
	})
}

// AmendBenefitApplication replaces members of a submitted application's
// details at the JSONPaths the benefit allows, guarded by Revision.
func (s *Service) AmendBenefitApplication(ctx context.Context, account string, in *api.AmendBenefitApplicationInput) (*api.AmendBenefitApplicationOutput, error) {
	if len(in.Amendments) > maxAmendments {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "amendments", Code: apierr.CodeTooManyValues,
			Message: fmt.Sprintf("At most %d amendments per request.", maxAmendments)})
	}
	if len(in.Amendments) == 0 {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "amendments", Code: apierr.CodeNotEnoughValues, Message: "Give at least one amendment."})
	}
	return idempotency.Run(ctx, s.store, s.now(), scopeOf(account, in.Catalog), "AmendBenefitApplication", in.ClientToken, in, func(tx store.Tx) (*api.AmendBenefitApplicationOutput, error) {
		_, err := s.change(ctx, tx, account, in.Catalog, in.Identifier, &in.Revision, func(a *applicationRecord, b *Benefit, _ time.Time) error {
			switch a.Status {
			case api.BenefitApplicationStatusInReview, api.BenefitApplicationStatusActionRequired, api.BenefitApplicationStatusApproved:
			case api.BenefitApplicationStatusPendingSubmission:
				return invalidState("identifier", "Benefit application %s is not submitted yet; change it with UpdateBenefitApplication.", a.Id)
			default:
				return invalidState("identifier", "Benefit application %s is %s and can no longer be amended.", a.Id, a.Status)
			}
			return amend(a, b, in.Amendments)
		})
		return &api.AmendBenefitApplicationOutput{}, err
	})
}

// amend applies amendments to a's details; each path must be one the
// benefit allows and each value must satisfy its schema.
func amend(a *applicationRecord, b *Benefit, amendments []api.Amendment) error {
	details, err := decodeDetails(a.Details)
	if err != nil {
		return fmt.Errorf("benefits: stored details of %s: %w", a.Id, err)
	}
	sc, err := parseSchema(b.RequestSchema)
	if err != nil {
		return fmt.Errorf("benefits: schema of %s: %w", b.Id, err)
	}
	var fields []apierr.FieldError
	for _, am := range amendments {
		name, ok := strings.CutPrefix(am.FieldPath, "$.")
		prop := sc.property(name)
		if !ok || !slices.Contains(b.AmendableFieldPaths, am.FieldPath) || prop == nil {
			fields = append(fields, apierr.FieldError{FieldName: "amendments.fieldPath", Code: apierr.CodeActionNotPermitted,
				Message: fmt.Sprintf("%s cannot be amended for benefit %s; amendable: %v. Recall the application for larger changes.", am.FieldPath, b.Id, b.AmendableFieldPaths)})
			continue
		}
		v, ok := prop.fromAmendment(am.NewValue)
		if !ok {
			fields = append(fields, apierr.FieldError{FieldName: "amendments.newValue", Code: apierr.CodeInvalidValue,
				Message: fmt.Sprintf("%q is not a valid %s for %s.", am.NewValue, prop.Type, am.FieldPath)})
			continue
		}
		prop.check("benefitApplicationDetails."+name, v, true, &fields)
		details[name] = v
	}
	if len(fields) > 0 {
		return apierr.BusinessInvalid("The amendments cannot be applied.", fields...)
	}
	raw, err := json.Marshal(details)
	if err != nil {
		return fmt.Errorf("benefits: encode details: %w", err)
	}
	a.Details = raw
	return nil
}

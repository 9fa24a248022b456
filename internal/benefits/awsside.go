package benefits

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
)

// AWS's side of the Benefits API (AWS's internal
// "UpdateBenefitApplicationInternal" and "UpdateBenefitAllocationInternal"):
// reviewing applications, processing their files and moving allocations.
// The admin API and the CLI call these.

// Review decisions.
const (
	DecisionActionRequired = "ACTION_REQUIRED"
	DecisionStage          = "STAGE"
	DecisionApprove        = "APPROVED"
	DecisionReject         = "REJECTED"
)

// Review is a reviewer's decision on an application in review.
type Review struct {
	// Decision is ACTION_REQUIRED, STAGE (move to Stage, still in review),
	// APPROVED or REJECTED.
	Decision string `json:"decision"`
	// Stage is the review stage after the decision (a free string; AWS
	// names BUSINESS_REVIEW, TECH_REVIEW, FINANCE_REVIEW and AWS_REVIEW).
	// Required for STAGE; ACTION_REQUIRED keeps the current one without it.
	Stage string `json:"stage,omitempty"`
	// Reason, ReasonCode and ReasonCodes (at most 5) tell the partner why.
	Reason      string   `json:"reason,omitempty"`
	ReasonCode  string   `json:"reasonCode,omitempty"`
	ReasonCodes []string `json:"reasonCodes,omitempty"`
	// Allocations are what an approval grants; none means one per
	// fulfillment type of the application, on the benefit's defaults.
	Allocations []AllocationGrant `json:"allocations,omitempty"`
}

// AllocationGrant is one allocation an approval creates. Every member is
// optional.
type AllocationGrant struct {
	FulfillmentType api.FulfillmentType `json:"fulfillmentType,omitempty"` // default: the application's first
	Name            string              `json:"name,omitempty"`
	Description     string              `json:"description,omitempty"`
	Amount          *api.MonetaryValue  `json:"amount,omitempty"` // default: the benefit's DefaultAmount
	StartsAt        *time.Time          `json:"startsAt,omitempty"`
	ExpiresAt       *time.Time          `json:"expiresAt,omitempty"` // default: the benefit's ValidDays from now
	// AwsAccountId receives CREDITS; default: the details' AccountId, else the owner.
	AwsAccountId         string   `json:"awsAccountId,omitempty"`
	ApplicableBenefitIds []string `json:"applicableBenefitIds,omitempty"` // default: the benefit
	// Consumable grants CASH as a pool drawn down over time (ConsumableDetails)
	// rather than a disbursement.
	Consumable bool `json:"consumable,omitempty"`
}

// ReviewOutcome is where an application stands after AWS's decision.
type ReviewOutcome struct {
	Id          string                       `json:"id"`
	Status      api.BenefitApplicationStatus `json:"status"`
	Stage       *string                      `json:"stage,omitempty"`
	Revision    string                       `json:"revision"`
	Allocations []string                     `json:"allocations,omitempty"`
}

// ReviewApplication applies AWS's decision to an application in review;
// REJECTED also ends one in ACTION_REQUIRED.
func (s *Service) ReviewApplication(ctx context.Context, account, catalog, id string, r Review) (*ReviewOutcome, error) {
	if err := checkReview(&r); err != nil {
		return nil, err
	}
	var out *ReviewOutcome
	err := s.store.Update(ctx, func(tx store.Tx) (err error) {
		out, err = s.review(ctx, tx, account, catalog, id, r)
		return err
	})
	return out, err
}

// review is ReviewApplication inside tx: the decision, its event, and on
// approval the allocations and theirs.
func (s *Service) review(ctx context.Context, tx store.Tx, account, catalog, id string, r Review) (*ReviewOutcome, error) {
	var benefit *Benefit
	var grants []*allocationRecord
	a, err := s.change(ctx, tx, account, catalog, id, nil, func(a *applicationRecord, b *Benefit, now time.Time) error {
		benefit = b
		inReview := a.Status == api.BenefitApplicationStatusInReview
		if !inReview && !(r.Decision == DecisionReject && a.Status == api.BenefitApplicationStatusActionRequired) {
			return invalidState("status", "Benefit application %s is %s; AWS decides only on applications in review.", a.Id, a.Status)
		}
		if r.Stage != "" {
			a.Stage = &r.Stage
		}
		a.StatusReason, a.StatusReasonCode, a.StatusReasonCodes = nonEmpty(r.Reason), nonEmpty(r.ReasonCode), r.ReasonCodes
		switch r.Decision {
		case DecisionActionRequired:
			a.Status = api.BenefitApplicationStatusActionRequired
		case DecisionReject:
			a.Status, a.Stage = api.BenefitApplicationStatusRejected, nil
		case DecisionApprove:
			a.Status, a.Stage = api.BenefitApplicationStatusApproved, nil
			var err error
			grants, err = s.grants(a, b, r.Allocations, now)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	detail := map[string]string{
		DecisionActionRequired: detailApplicationActionReq, DecisionStage: detailApplicationStageChanged,
		DecisionApprove: detailApplicationApproved, DecisionReject: detailApplicationRejected,
	}[r.Decision]
	if err := s.applicationEvent(ctx, tx, a, benefit, detail); err != nil {
		return nil, err
	}
	out := &ReviewOutcome{Id: a.Id, Status: a.Status, Stage: a.Stage, Revision: a.Revision}
	for _, al := range grants {
		if _, err := docstore.Put(ctx, tx, kindAllocation, catalog, al, 0); err != nil {
			return nil, err
		}
		if err := s.allocationEvent(ctx, tx, al, benefit); err != nil {
			return nil, err
		}
		out.Allocations = append(out.Allocations, al.Id)
	}
	return out, nil
}

func checkReview(r *Review) error {
	bad := func(msg string) error {
		return apierr.RequestInvalid(apierr.FieldError{FieldName: "decision", Code: apierr.CodeInvalidValue, Message: msg})
	}
	switch r.Decision {
	case DecisionActionRequired, DecisionApprove, DecisionReject:
	case DecisionStage:
		if r.Stage == "" {
			return bad("A STAGE decision names the stage.")
		}
	default:
		return bad(fmt.Sprintf("Decision %q: want ACTION_REQUIRED, STAGE, APPROVED or REJECTED.", r.Decision))
	}
	switch {
	case len(r.ReasonCodes) > 5:
		return bad("At most 5 reason codes.")
	case len(r.Reason) > 1000:
		return bad("A reason has at most 1000 characters.")
	case len(r.Allocations) > 0 && r.Decision != DecisionApprove:
		return bad("Only an approval grants allocations.")
	}
	return nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// grants builds the allocations an approval creates.
func (s *Service) grants(a *applicationRecord, b *Benefit, specs []AllocationGrant, now time.Time) ([]*allocationRecord, error) {
	if len(specs) == 0 {
		for _, t := range a.FulfillmentTypes {
			specs = append(specs, AllocationGrant{FulfillmentType: t})
		}
	}
	details, _ := decodeDetails(a.Details)
	out := make([]*allocationRecord, 0, len(specs))
	for _, g := range specs {
		if g.FulfillmentType == "" {
			g.FulfillmentType = a.FulfillmentTypes[0]
		}
		if !slices.Contains(a.FulfillmentTypes, g.FulfillmentType) {
			return nil, invalidField("allocations.fulfillmentType", apierr.CodeInvalidValue, "The application asks for %v, not %s.", a.FulfillmentTypes, g.FulfillmentType)
		}
		amount := g.Amount
		if amount == nil {
			amount = b.DefaultAmount
		}
		if amount == nil && g.FulfillmentType != api.FulfillmentTypeAccess {
			return nil, invalidField("allocations.amount", apierr.CodeRequiredFieldMissing, "Benefit %s has no default amount; give the allocation's amount.", b.Id)
		}
		if amount != nil && !validAmount(*amount) {
			return nil, invalidField("allocations.amount", apierr.CodeInvalidValue, "An amount is a non-negative decimal and a currency code.")
		}
		starts := now
		if g.StartsAt != nil {
			starts = g.StartsAt.UTC().Truncate(time.Millisecond)
		}
		days := b.ValidDays
		if days == 0 {
			days = defaultValidDays
		}
		expires := starts.AddDate(0, 0, days)
		if g.ExpiresAt != nil {
			expires = g.ExpiresAt.UTC().Truncate(time.Millisecond)
		}
		if !expires.After(starts) {
			return nil, invalidField("allocations.expiresAt", apierr.CodeInvalidValue, "An allocation expires after it starts.")
		}
		id := docstore.NewID("benalloc-", 14)
		al := &allocationRecord{
			Id: id, Arn: s.allocationArn(a.Owner, a.Catalog, id), Catalog: a.Catalog, Owner: a.Owner,
			Name: g.Name, Description: nonEmpty(g.Description), Status: api.BenefitAllocationStatusActive,
			ApplicationId: a.Id, BenefitId: b.Id, FulfillmentType: g.FulfillmentType, ApplicableBenefitIds: g.ApplicableBenefitIds,
			CreatedAt: now, UpdatedAt: now, StartsAt: starts, ExpiresAt: expires,
		}
		if al.Name == "" {
			al.Name = fmt.Sprintf("%s %s", b.Name, strings.ToLower(string(g.FulfillmentType)))
		}
		if len(al.ApplicableBenefitIds) == 0 {
			al.ApplicableBenefitIds = []string{b.Id}
		}
		switch g.FulfillmentType {
		case api.FulfillmentTypeCredits:
			account := g.AwsAccountId
			if account == "" {
				account, _ = details["AccountId"].(string)
			}
			if account == "" {
				account = a.Owner
			}
			al.Detail.CreditDetails = &api.CreditDetails{AllocatedAmount: *amount, IssuedAmount: *amount, Codes: []api.CreditCode{{
				AwsAccountId: account, Value: *amount, AwsCreditCode: creditCode(), Status: api.BenefitAllocationStatusActive, IssuedAt: now, ExpiresAt: expires,
			}}}
		case api.FulfillmentTypeCash:
			issuance := &api.IssuanceDetail{IssuanceId: ptr(docstore.NewID("iss-", 14)), IssuanceAmount: amount, IssuedAt: &now}
			if g.Consumable {
				zero := api.MonetaryValue{Amount: "0", CurrencyCode: amount.CurrencyCode}
				al.Detail.ConsumableDetails = &api.ConsumableDetails{AllocatedAmount: amount, RemainingAmount: amount, UtilizedAmount: &zero, IssuanceDetails: issuance}
			} else {
				al.Detail.DisbursementDetails = &api.DisbursementDetails{DisbursedAmount: amount, IssuanceDetails: issuance}
			}
		case api.FulfillmentTypeAccess:
			desc := b.AccessDescription
			if g.Description != "" {
				desc = g.Description
			}
			al.Detail.AccessDetails = &api.AccessDetails{Description: nonEmpty(desc)}
		}
		out = append(out, al)
	}
	return out, nil
}

// creditCode is an AWS promotional credit code: upper-case letters and
// digits, as AWS prints them.
func creditCode() string {
	return "PC" + strings.ToUpper(docstore.NewID("", 14))
}

// ProcessFile is AWS's processing of one attached file: SUCCEEDED, or
// FAILED with a reason the partner sees in FileStatusReason.
func (s *Service) ProcessFile(ctx context.Context, account, catalog, id, fileURI, status, reason string) (*api.GetBenefitApplicationOutput, error) {
	if status != FileSucceeded && status != FileFailed {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "status", Code: apierr.CodeInvalidValue, Message: "A file's processing ends SUCCEEDED or FAILED."})
	}
	var out *api.GetBenefitApplicationOutput
	err := s.store.Update(ctx, func(tx store.Tx) error {
		a, err := s.change(ctx, tx, account, catalog, id, nil, func(a *applicationRecord, _ *Benefit, now time.Time) error {
			i := slices.IndexFunc(a.Files, func(f fileRecord) bool { return f.URI == fileURI })
			if i < 0 {
				return apierr.NotFound("Benefit application %s has no file %s.", a.Id, fileURI)
			}
			f := &a.Files[i]
			f.Status, f.StatusReason, f.DecidedAt = status, nonEmpty(reason), &now
			return nil
		})
		if err == nil {
			out = a.output(s.now())
		}
		return err
	})
	return out, err
}

// AllocationChange is AWS moving an allocation: ACTIVE (reactivate,
// optionally with a new expiry), INACTIVE or FULFILLED.
type AllocationChange struct {
	Status    api.BenefitAllocationStatus `json:"status"`
	Reason    string                      `json:"reason,omitempty"`
	ExpiresAt *time.Time                  `json:"expiresAt,omitempty"`
}

// AllocationOutcome is where an allocation stands.
type AllocationOutcome struct {
	Id        string                      `json:"id"`
	Status    api.BenefitAllocationStatus `json:"status"`
	ExpiresAt time.Time                   `json:"expiresAt"`
}

// ChangeAllocation applies AWS's change to one of account's allocations,
// after the expiry sweep.
func (s *Service) ChangeAllocation(ctx context.Context, account, catalog, id string, c AllocationChange) (*AllocationOutcome, error) {
	if !slices.Contains(api.BenefitAllocationStatus("").Values(), c.Status) {
		return nil, apierr.RequestInvalid(apierr.FieldError{FieldName: "status", Code: apierr.CodeInvalidEnumValue, Message: "Status is ACTIVE, INACTIVE or FULFILLED."})
	}
	var out *AllocationOutcome
	err := s.store.Update(ctx, func(tx store.Tx) error {
		if err := s.expireAllocations(ctx, tx, account, catalog); err != nil {
			return err
		}
		if c.ExpiresAt != nil {
			if err := s.extendAllocation(ctx, tx, account, catalog, id, c.ExpiresAt.UTC().Truncate(time.Millisecond)); err != nil {
				return err
			}
		}
		al, err := s.setAllocationStatus(ctx, tx, account, catalog, id, c.Status, c.Reason)
		if err == nil {
			out = &AllocationOutcome{Id: al.Id, Status: al.Status, ExpiresAt: al.ExpiresAt}
		}
		return err
	})
	return out, err
}

// extendAllocation moves an allocation's expiry (and its credit codes').
func (s *Service) extendAllocation(ctx context.Context, tx store.Tx, account, catalog, id string, expires time.Time) error {
	d, err := s.loadAllocation(ctx, tx, account, catalog, id)
	if err != nil {
		return err
	}
	al := d.Value
	if !expires.After(al.StartsAt) {
		return invalidField("expiresAt", apierr.CodeInvalidValue, "An allocation expires after it starts (%s).", al.StartsAt.Format(time.RFC3339))
	}
	al.ExpiresAt, al.UpdatedAt = expires, s.now()
	if c := al.Detail.CreditDetails; c != nil {
		for i := range c.Codes {
			c.Codes[i].ExpiresAt = expires
		}
	}
	_, err = docstore.Put(ctx, tx, kindAllocation, catalog, al, d.Version)
	return err
}

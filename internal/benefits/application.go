package benefits

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/idempotency"
	"github.com/cosell/cosell/internal/store"
)

// applicationRecord is a benefit application as stored.
type applicationRecord struct {
	Id                string                       `json:"id"`
	Arn               string                       `json:"arn"`
	Catalog           string                       `json:"catalog"`
	Owner             string                       `json:"owner"`
	BenefitId         string                       `json:"benefitId"`
	Name              *string                      `json:"name,omitempty"`
	Description       *string                      `json:"description,omitempty"`
	FulfillmentTypes  []api.FulfillmentType        `json:"fulfillmentTypes"`
	Programs          []string                     `json:"programs"`
	Details           json.RawMessage              `json:"details,omitempty"`
	Status            api.BenefitApplicationStatus `json:"status"`
	Stage             *string                      `json:"stage,omitempty"`
	StatusReason      *string                      `json:"statusReason,omitempty"`
	StatusReasonCode  *string                      `json:"statusReasonCode,omitempty"`
	StatusReasonCodes []string                     `json:"statusReasonCodes,omitempty"`
	CreatedAt         time.Time                    `json:"createdAt"`
	UpdatedAt         time.Time                    `json:"updatedAt"`
	Revision          string                       `json:"revision"`
	Resources         []string                     `json:"resources,omitempty"`
	PartnerContacts   []api.Contact                `json:"partnerContacts,omitempty"`
	Files             []fileRecord                 `json:"files,omitempty"`
	// SubmittedAt is when the application last entered review; the
	// automatic reviewer counts from it.
	SubmittedAt *time.Time `json:"submittedAt,omitempty"`
}

func (a *applicationRecord) DocID() string         { return a.Id }
func (a *applicationRecord) DocCreated() time.Time { return a.CreatedAt }

// DocKeys index what ListBenefitApplications filters on; "owner" is also
// what a scoped reset finds an account's applications by.
func (a *applicationRecord) DocKeys() map[string][]string {
	keys := map[string][]string{
		"owner":       {a.Owner},
		"benefit":     {a.BenefitId},
		"status":      {string(a.Status)},
		"program":     a.Programs,
		"fulfillment": stringsOf(a.FulfillmentTypes),
		"resource":    a.Resources,
	}
	if a.Stage != nil {
		keys["stage"] = []string{*a.Stage}
	}
	return keys
}

func stringsOf[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

func applicationNotFound(id string) error {
	return apierr.NotFound("Benefit application %s does not exist.", id)
}

// MaxApplications is AWS's quota of benefit applications per account and
// catalog (developer guide, "Benefits quotas").
const MaxApplications = 10_000

// applicationCountSetting counts an account's applications in a catalog,
// so the quota costs one read instead of a count of documents. It lives in
// the account's catalog scope, which a scoped reset empties together with
// the applications.
const applicationCountSetting = "benefits.applications"

// CreateBenefitApplication creates an application in PENDING_SUBMISSION.
// A draft may be incomplete: its details are checked only for what they
// hold (types, formats), not for what they lack; SubmitBenefitApplication
// checks them whole.
func (s *Service) CreateBenefitApplication(ctx context.Context, account string, in *api.CreateBenefitApplicationInput) (*api.CreateBenefitApplicationOutput, error) {
	scope := scopeOf(account, in.Catalog)
	return idempotency.Run(ctx, s.store, s.now(), scope, "CreateBenefitApplication", in.ClientToken, in, func(tx store.Tx) (*api.CreateBenefitApplicationOutput, error) {
		b, err := s.loadBenefit(ctx, tx, in.Catalog, in.BenefitIdentifier)
		if err != nil {
			return nil, err
		}
		if b.Status != api.BenefitStatusActive {
			return nil, invalidField("benefitIdentifier", apierr.CodeInvalidResourceState, "Benefit %s is %s and takes no new applications.", b.Id, b.Status)
		}
		types := in.FulfillmentTypes
		if len(types) == 0 {
			types = b.FulfillmentTypes
		}
		for _, t := range types {
			if !slices.Contains(b.FulfillmentTypes, t) {
				return nil, invalidField("fulfillmentTypes", apierr.CodeInvalidValue, "Benefit %s is not fulfilled as %s; it offers %v.", b.Id, t, b.FulfillmentTypes)
			}
		}
		if err := s.reserveApplication(ctx, tx, scope); err != nil {
			return nil, err
		}
		now := s.now()
		id := docstore.NewID("benappl-", 14)
		a := &applicationRecord{
			Id: id, Arn: s.applicationArn(account, in.Catalog, id), Catalog: in.Catalog, Owner: account, BenefitId: b.Id,
			FulfillmentTypes: slices.Compact(slices.Clone(types)), Programs: b.Programs,
			Status: api.BenefitApplicationStatusPendingSubmission, CreatedAt: now, Revision: newRevision(),
		}
		if err := s.replacePartnerFields(b, a, partnerFields{in.Name, in.Description, in.BenefitApplicationDetails, in.PartnerContacts, in.FileDetails}, now); err != nil {
			return nil, err
		}
		for _, arn := range in.AssociatedResources {
			if err := s.associate(ctx, tx, a, arn); err != nil {
				return nil, err
			}
		}
		if _, err := docstore.Put(ctx, tx, kindApplication, in.Catalog, a, 0); err != nil {
			return nil, err
		}
		if len(in.Tags) > 0 {
			if err := tx.PutTags(ctx, account, a.Arn, store.TagsOf(in.Tags)); err != nil {
				return nil, fmt.Errorf("benefits: tag application: %w", err)
			}
		}
		if err := s.applicationEvent(ctx, tx, a, b, detailApplicationCreated); err != nil {
			return nil, err
		}
		return &api.CreateBenefitApplicationOutput{Id: &a.Id, Arn: &a.Arn, Revision: &a.Revision}, nil
	})
}

// reserveApplication counts one more application of the account in the
// catalog, or refuses it past MaxApplications.
func (s *Service) reserveApplication(ctx context.Context, tx store.Tx, scope store.Scope) error {
	n := 0
	raw, err := tx.GetSetting(ctx, scope, applicationCountSetting)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return fmt.Errorf("benefits: count applications: %w", err)
	default:
		if n, err = strconv.Atoi(raw); err != nil {
			return fmt.Errorf("benefits: count applications: %w", err)
		}
	}
	if n >= MaxApplications {
		return apierr.QuotaExceeded("Account %s has reached the quota of %d benefit applications in the %s catalog.", scope.Account, MaxApplications, scope.Catalog).
			About("BenefitApplication", scope.Account).WithQuotaCode("BENEFIT_APPLICATIONS_PER_CATALOG")
	}
	return tx.PutSetting(ctx, scope, applicationCountSetting, strconv.Itoa(n+1))
}

// partnerFields are what Create and Update write; an update replaces all
// of them (AWS: "full replace", semantics-2026 §3.4).
type partnerFields struct {
	Name, Description *string
	Details           json.RawMessage
	Contacts          []api.Contact
	Files             []api.FileInput
}

// replacePartnerFields writes f on a, checking the details for what they
// hold against the benefit's schema. Files already on the application keep
// their processing; new ones start PENDING.
func (s *Service) replacePartnerFields(b *Benefit, a *applicationRecord, f partnerFields, now time.Time) error {
	details, err := checkDetails(b, f.Details, false)
	if err != nil {
		return err
	}
	a.Name, a.Description, a.Details, a.PartnerContacts = f.Name, f.Description, details, f.Contacts
	a.Files = a.replaceFiles(f.Files, now)
	a.UpdatedAt = now
	return nil
}

// checkDetails validates BenefitApplicationDetails against the benefit's
// request schema, and returns them as stored ("" for none). complete also
// requires the schema's required members.
func checkDetails(b *Benefit, raw json.RawMessage, complete bool) (json.RawMessage, error) {
	details, err := decodeDetails(raw)
	if err != nil {
		return nil, invalidField("benefitApplicationDetails", apierr.CodeInvalidValue, "BenefitApplicationDetails must be a JSON object.")
	}
	sc, err := parseSchema(b.RequestSchema)
	if err != nil {
		return nil, fmt.Errorf("benefits: schema of %s: %w", b.Id, err)
	}
	var fields []apierr.FieldError
	sc.check("benefitApplicationDetails", details, complete, &fields)
	if len(fields) > 0 {
		return nil, apierr.BusinessInvalid(fmt.Sprintf("BenefitApplicationDetails do not satisfy the request schema of benefit %s (see GetBenefit).", b.Id), fields...)
	}
	if len(details) == 0 {
		return nil, nil
	}
	return json.Marshal(details)
}

// loadApplication reads the caller's application by id or ARN. Another
// account's application does not exist for the caller.
func (s *Service) loadApplication(ctx context.Context, r store.Reader, account, catalog, identifier string) (docstore.Doc[applicationRecord], error) {
	id, ok := s.idOf(identifier, catalog, "benefit-application")
	if !ok || (arnAccount(identifier) != "" && arnAccount(identifier) != account) {
		return docstore.Doc[applicationRecord]{}, applicationNotFound(identifier)
	}
	d, err := docstore.Get[applicationRecord](ctx, r, kindApplication, catalog, id, func() error { return applicationNotFound(identifier) })
	if err == nil && d.Value.Owner != account {
		return docstore.Doc[applicationRecord]{}, applicationNotFound(identifier)
	}
	return d, err
}

// GetBenefitApplication returns one of the caller's applications.
func (s *Service) GetBenefitApplication(ctx context.Context, account string, in *api.GetBenefitApplicationInput) (*api.GetBenefitApplicationOutput, error) {
	if err := s.decideDueReviews(ctx, account, in.Catalog); err != nil {
		return nil, err
	}
	d, err := s.loadApplication(ctx, s.store, account, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	return d.Value.output(s.now()), nil
}

func (a *applicationRecord) output(now time.Time) *api.GetBenefitApplicationOutput {
	out := &api.GetBenefitApplicationOutput{
		Id: &a.Id, Arn: &a.Arn, Catalog: &a.Catalog, BenefitId: &a.BenefitId, Name: a.Name, Description: a.Description,
		FulfillmentTypes: a.FulfillmentTypes, BenefitApplicationDetails: a.Details, Programs: a.Programs, Status: &a.Status, Stage: a.Stage,
		StatusReason: a.StatusReason, StatusReasonCode: a.StatusReasonCode, StatusReasonCodes: a.StatusReasonCodes,
		CreatedAt: &a.CreatedAt, UpdatedAt: &a.UpdatedAt, Revision: &a.Revision, AssociatedResources: a.Resources, PartnerContacts: a.PartnerContacts,
	}
	for _, f := range a.Files {
		out.FileDetails = append(out.FileDetails, f.detail(now))
	}
	return out
}

// UpdateBenefitApplication replaces the partner's fields of an application
// in PENDING_SUBMISSION (AWS: only there), guarded by Revision.
func (s *Service) UpdateBenefitApplication(ctx context.Context, account string, in *api.UpdateBenefitApplicationInput) (*api.UpdateBenefitApplicationOutput, error) {
	scope := scopeOf(account, in.Catalog)
	return idempotency.Run(ctx, s.store, s.now(), scope, "UpdateBenefitApplication", in.ClientToken, in, func(tx store.Tx) (*api.UpdateBenefitApplicationOutput, error) {
		a, err := s.change(ctx, tx, account, in.Catalog, in.Identifier, &in.Revision, func(a *applicationRecord, b *Benefit, now time.Time) error {
			if a.Status != api.BenefitApplicationStatusPendingSubmission {
				return invalidState("identifier", "Benefit application %s is %s; only an application in PENDING_SUBMISSION can be updated (recall it first).", a.Id, a.Status)
			}
			return s.replacePartnerFields(b, a, partnerFields{in.Name, in.Description, in.BenefitApplicationDetails, in.PartnerContacts, in.FileDetails}, now)
		})
		if err != nil {
			return nil, err
		}
		return &api.UpdateBenefitApplicationOutput{Id: &a.Id, Arn: &a.Arn, Revision: &a.Revision}, nil
	})
}

// change is every write to an existing application: load the caller's
// application and its benefit in tx, check the revision when the request
// carries one, let edit change it, then store it with a new Revision and
// UpdatedAt.
func (s *Service) change(ctx context.Context, tx store.Tx, account, catalog, identifier string, revision *string, edit func(a *applicationRecord, b *Benefit, now time.Time) error) (*applicationRecord, error) {
	d, err := s.loadApplication(ctx, tx, account, catalog, identifier)
	if err != nil {
		return nil, err
	}
	a := d.Value
	if revision != nil && *revision != a.Revision {
		return nil, apierr.Conflict("Benefit application %s is at another revision than %s; read it again with GetBenefitApplication and retry.", a.Id, *revision)
	}
	b, err := s.loadBenefit(ctx, tx, catalog, a.BenefitId)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := edit(a, b, now); err != nil {
		return nil, err
	}
	return a, s.save(ctx, tx, d, now)
}

// save stores an edited application under a new revision.
func (s *Service) save(ctx context.Context, tx store.Tx, d docstore.Doc[applicationRecord], now time.Time) error {
	d.Value.UpdatedAt = now
	d.Value.Revision = newRevision()
	_, err := docstore.Put(ctx, tx, kindApplication, d.Value.Catalog, d.Value, d.Version)
	return err
}

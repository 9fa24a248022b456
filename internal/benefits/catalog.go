package benefits

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	api "github.com/cosell/cosell/api/benefits"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// Benefit is one entry of a catalog's benefit list, as AWS's side edits it.
// Partners read it through GetBenefit and ListBenefits.
type Benefit struct {
	Id               string                `json:"id"`
	Name             string                `json:"name"`
	Description      string                `json:"description,omitempty"`
	Programs         []string              `json:"programs"`
	FulfillmentTypes []api.FulfillmentType `json:"fulfillmentTypes"`
	Status           api.BenefitStatus     `json:"status"`
	// RequestSchema is GetBenefit's BenefitRequestSchema: a JSON Schema
	// that BenefitApplicationDetails must satisfy (see schema.go for the
	// keywords cosell checks).
	RequestSchema json.RawMessage `json:"requestSchema"`
	// AmendableFieldPaths are the JSONPaths AmendBenefitApplication may
	// replace ($.AccountId for MAP and POC, $.IsvWmpSecondTrancheConsentCaptured
	// for ISVWMP, per the API reference).
	AmendableFieldPaths []string `json:"amendableFieldPaths,omitempty"`
	// DefaultAmount is what an approval allocates when AWS's side names no
	// amount; ValidDays how long its allocations last.
	DefaultAmount *api.MonetaryValue `json:"defaultAmount,omitempty"`
	ValidDays     int                `json:"validDays,omitempty"`
	// AccessDescription tells an ACCESS allocation's holder how to use it.
	AccessDescription string `json:"accessDescription,omitempty"`
}

// benefitRecord is a benefit AWS's side added or edited, stored over the
// seeded catalog.
type benefitRecord struct {
	Benefit
	Catalog   string    `json:"catalog"`
	CreatedAt time.Time `json:"createdAt"`
}

func (b *benefitRecord) DocID() string                { return b.Id }
func (b *benefitRecord) DocCreated() time.Time        { return b.CreatedAt }
func (b *benefitRecord) DocKeys() map[string][]string { return nil }

// defaultValidDays is how long an allocation lasts when neither AWS's side
// nor the benefit says (AWS documents no term; promotional credits
// commonly last a year).
const defaultValidDays = 365

func benefitNotFound(id string) error {
	return apierr.NotFound("Benefit %s does not exist.", id)
}

// catalogBenefits is the catalog as partners see it: the seed, with the
// benefits AWS's side edited replaced and the ones it added after them, in
// the order they were added.
func catalogBenefits(ctx context.Context, r store.Reader, catalog string) ([]Benefit, error) {
	stored, _, err := docstore.List[benefitRecord](ctx, r, store.DocumentQuery{Kind: kindBenefit, Catalog: catalog})
	if err != nil {
		return nil, err
	}
	list := seedCatalog(catalog)
	for _, b := range stored {
		if i := slices.IndexFunc(list, func(x Benefit) bool { return x.Id == b.Id }); i >= 0 {
			list[i] = b.Benefit
		} else {
			list = append(list, b.Benefit)
		}
	}
	return list, nil
}

// loadBenefit finds a benefit of catalog by id or ARN.
func (s *Service) loadBenefit(ctx context.Context, r store.Reader, catalog, identifier string) (*Benefit, error) {
	id, ok := s.idOf(identifier, catalog, "benefit")
	if !ok {
		return nil, benefitNotFound(identifier)
	}
	list, err := catalogBenefits(ctx, r, catalog)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].Id == id {
			return &list[i], nil
		}
	}
	return nil, benefitNotFound(identifier)
}

// GetBenefit returns one benefit of the catalog with its request schema.
func (s *Service) GetBenefit(ctx context.Context, _ string, in *api.GetBenefitInput) (*api.GetBenefitOutput, error) {
	b, err := s.loadBenefit(ctx, s.store, in.Catalog, in.Identifier)
	if err != nil {
		return nil, err
	}
	return &api.GetBenefitOutput{
		Id: &b.Id, Catalog: &in.Catalog, Arn: ptr(s.benefitArn(in.Catalog, b.Id)), Name: &b.Name, Description: &b.Description,
		Programs: b.Programs, FulfillmentTypes: b.FulfillmentTypes, BenefitRequestSchema: b.RequestSchema, Status: &b.Status,
	}, nil
}

// catalogPage is the state of a ListBenefits NextToken: the catalog is
// small and kept whole, so a position in the filtered list is enough.
type catalogPage struct {
	Offset int `json:"o"`
}

// defaultPageSize is the page size of lists without MaxResults; AWS does
// not document one.
const defaultPageSize = 20

func pageSize(n *int32) int {
	if n == nil {
		return defaultPageSize
	}
	return int(*n)
}

// ListBenefits lists the catalog's benefits matching every filter given;
// within a filter, any value matches.
func (s *Service) ListBenefits(ctx context.Context, account string, in *api.ListBenefitsInput) (*listBenefitsOutput, error) {
	bind, err := pagetoken.Binding(account, in.Catalog, "ListBenefits", in, func(r *api.ListBenefitsInput) { r.NextToken, r.MaxResults = nil, nil })
	if err != nil {
		return nil, err
	}
	var pos catalogPage
	if in.NextToken != nil && *in.NextToken != "" {
		if err := s.tokens.Decode(bind, *in.NextToken, &pos); err != nil || pos.Offset < 0 {
			return nil, pagetoken.Invalid()
		}
	}
	list, err := catalogBenefits(ctx, s.store, in.Catalog)
	if err != nil {
		return nil, err
	}
	var matched []Benefit
	for _, b := range list {
		if anyOf(in.Programs, b.Programs) && anyOf(in.FulfillmentTypes, b.FulfillmentTypes) && (len(in.Status) == 0 || slices.Contains(in.Status, b.Status)) {
			matched = append(matched, b)
		}
	}
	out := &listBenefitsOutput{BenefitSummaries: []api.BenefitSummary{}}
	end := min(pos.Offset+pageSize(in.MaxResults), len(matched))
	for _, b := range matched[min(pos.Offset, end):end] {
		out.BenefitSummaries = append(out.BenefitSummaries, api.BenefitSummary{
			Id: ptr(b.Id), Catalog: &in.Catalog, Arn: ptr(s.benefitArn(in.Catalog, b.Id)), Name: ptr(b.Name), Description: ptr(b.Description),
			Programs: b.Programs, FulfillmentTypes: b.FulfillmentTypes, Status: ptr(b.Status),
		})
	}
	if end < len(matched) {
		tok, err := s.tokens.Encode(bind, catalogPage{Offset: end})
		if err != nil {
			return nil, fmt.Errorf("benefits: encode token: %w", err)
		}
		out.NextToken = &tok
	}
	return out, nil
}

// listBenefitsOutput is ListBenefits' answer, its list there even when
// empty (see listApplicationsOutput).
type listBenefitsOutput struct {
	api.ListBenefitsOutput
	BenefitSummaries []api.BenefitSummary `json:"BenefitSummaries"`
}

// anyOf is a list filter: true when the filter is empty or one of its
// values is among have.
func anyOf[T comparable](filter, have []T) bool {
	if len(filter) == 0 {
		return true
	}
	for _, f := range filter {
		if slices.Contains(have, f) {
			return true
		}
	}
	return false
}

// PutBenefit is AWS's side adding a benefit to a catalog (no Id) or
// replacing one (its Id). It returns the benefit as stored.
func (s *Service) PutBenefit(ctx context.Context, catalog string, b Benefit) (*Benefit, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	if err := checkBenefit(&b); err != nil {
		return nil, err
	}
	err := s.store.Update(ctx, func(tx store.Tx) error {
		version := int64(0)
		created := s.now()
		if b.Id == "" {
			b.Id = docstore.NewID("ben-", 14)
		} else {
			if _, err := s.loadBenefit(ctx, tx, catalog, b.Id); err != nil {
				return err
			}
			d, err := docstore.Get[benefitRecord](ctx, tx, kindBenefit, catalog, b.Id, func() error { return nil })
			if err != nil {
				return err
			}
			if d.Value != nil && d.Version > 0 {
				version, created = d.Version, d.Value.CreatedAt
			}
		}
		_, err := docstore.Put(ctx, tx, kindBenefit, catalog, &benefitRecord{Benefit: b, Catalog: catalog, CreatedAt: created}, version)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// checkCatalog refuses a catalog the server does not have, for AWS's side
// (the partner side is held to the model's pattern only, and an unknown
// catalog simply holds nothing).
func checkCatalog(catalog string) error {
	if catalog != CatalogAWS && catalog != CatalogSandbox {
		return apierr.RequestInvalid(apierr.FieldError{FieldName: "catalog", Code: apierr.CodeInvalidValue,
			Message: fmt.Sprintf("Catalog %q does not exist; use AWS or Sandbox.", catalog)})
	}
	return nil
}

// checkBenefit holds an AWS-side benefit to what the model can answer.
func checkBenefit(b *Benefit) error {
	var fields []apierr.FieldError
	bad := func(field, msg string) {
		fields = append(fields, apierr.FieldError{FieldName: field, Code: apierr.CodeInvalidValue, Message: msg})
	}
	if b.Status == "" {
		b.Status = api.BenefitStatusActive
	}
	if b.Name == "" || len(b.Name) > 100 {
		bad("name", "A benefit has a name of 1 to 100 characters.")
	}
	if len(b.Description) > 1000 {
		bad("description", "A benefit's description has at most 1000 characters.")
	}
	if len(b.Programs) == 0 || slices.ContainsFunc(b.Programs, func(p string) bool { return !programPattern.MatchString(p) }) {
		bad("programs", "A benefit belongs to at least one program, named by letters, digits, _ and -.")
	}
	if len(b.FulfillmentTypes) == 0 || slices.ContainsFunc(b.FulfillmentTypes, func(f api.FulfillmentType) bool {
		return !slices.Contains(api.FulfillmentType("").Values(), f)
	}) {
		bad("fulfillmentTypes", "A benefit has at least one fulfillment type of CREDITS, CASH and ACCESS.")
	}
	if !slices.Contains(api.BenefitStatus("").Values(), b.Status) {
		bad("status", "A benefit's status is ACTIVE or INACTIVE.")
	}
	if len(b.RequestSchema) == 0 {
		b.RequestSchema = json.RawMessage(`{"type":"object"}`)
	}
	if _, err := parseSchema(b.RequestSchema); err != nil {
		bad("requestSchema", "The request schema is not a JSON Schema cosell can check: "+err.Error())
	}
	if b.DefaultAmount != nil && !validAmount(*b.DefaultAmount) {
		bad("defaultAmount", "A default amount is a non-negative decimal and a currency code.")
	}
	if b.ValidDays < 0 {
		bad("validDays", "A benefit's allocations last a positive number of days.")
	}
	if len(fields) > 0 {
		return apierr.RequestInvalid(fields...)
	}
	return nil
}

// Catalog is a catalog's benefits as AWS's side edits them (with the
// members partners do not see).
func (s *Service) Catalog(ctx context.Context, catalog string) ([]Benefit, error) {
	if err := checkCatalog(catalog); err != nil {
		return nil, err
	}
	return catalogBenefits(ctx, s.store, catalog)
}

package selling

import (
	"bytes"
	"encoding/json"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/store"
)

// record is an opportunity as the store keeps it: the partner-visible
// document plus what only AWS's side shows (GetAwsOpportunitySummary).
type record struct {
	Opportunity     api.GetOpportunityResponse `json:"opportunity"`
	Origin          api.OpportunityOrigin      `json:"origin"`
	InvolvementType *api.SalesInvolvementType  `json:"involvementType,omitempty"`
	Visibility      *api.Visibility            `json:"visibility,omitempty"`
	// FollowsReviewOf is, for an opportunity made by accepting a partner's
	// invitation while the partner's own was under review, that opportunity
	// ("account/id"): it becomes Approved when that one is.
	FollowsReviewOf string `json:"followsReviewOf,omitempty"`
	// Aws is what AWS's side has added to its summary (UpdateAwsSummary).
	Aws *AwsFields `json:"aws,omitempty"`
	// SubmittedAt is when the opportunity entered AWS's review; the
	// automatic reviewer counts from it.
	SubmittedAt *time.Time `json:"submittedAt,omitempty"`
}

// MarshalJSON stores the opportunity exactly as GetOpportunity answers it,
// so a read can send the stored bytes without decoding and re-encoding them.
func (r *record) MarshalJSON() ([]byte, error) {
	type fields record // the same fields, without this method
	return json.Marshal(struct {
		*fields
		Opportunity *opportunityOutput `json:"opportunity"`
	}{(*fields)(r), outputOf(r)})
}

// opportunityKey is the record's member that holds the wire-form
// opportunity. MarshalJSON writes it last (the embedded fields come first),
// and no member of the opportunity itself has this lower-case name, while
// quotes inside string values are escaped: so its last occurrence in a
// stored document is the top-level key.
var opportunityKey = []byte(`"opportunity":`)

// storedOpportunity is the opportunity inside a stored document, as
// GetOpportunity answers it. It slices the bytes out rather than decoding
// the whole document, which cost a GetOpportunity more than its lookup.
func storedOpportunity(doc []byte) (json.RawMessage, error) {
	if i := bytes.LastIndex(doc, opportunityKey); i > 0 && len(doc) > 1 && doc[len(doc)-1] == '}' {
		v := doc[i+len(opportunityKey) : len(doc)-1]
		if len(v) > 1 && v[0] == '{' && v[len(v)-1] == '}' {
			return v, nil
		}
	}
	// Not laid out as MarshalJSON writes it: decode it the slow way.
	var stored struct {
		Opportunity json.RawMessage `json:"opportunity"`
	}
	if err := json.Unmarshal(doc, &stored); err != nil {
		return nil, err
	}
	return stored.Opportunity, nil
}

func decodeRecord(doc []byte) (*record, error) {
	var r record
	if err := json.Unmarshal(doc, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// row turns the record into the stored row with its index columns.
func (r *record) row(scope store.Scope) (*store.Opportunity, error) {
	doc, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	o := &r.Opportunity
	row := &store.Opportunity{
		Scope:            scope,
		ID:               o.Id,
		CreatedDate:      o.CreatedDate,
		LastModifiedDate: o.LastModifiedDate,
		Doc:              doc,
	}
	if lc := o.LifeCycle; lc != nil {
		row.Stage = string(deref(lc.Stage))
		row.ReviewStatus = string(deref(lc.ReviewStatus))
		row.TargetCloseDate = deref(lc.TargetCloseDate)
	}
	if c := o.Customer; c != nil && c.Account != nil {
		row.CustomerCompany = c.Account.CompanyName
	}
	if row.Summary, err = json.Marshal(summaryOf(r)); err != nil {
		return nil, err
	}
	return row, nil
}

func (r *record) reviewStatus() api.ReviewStatus {
	if r.Opportunity.LifeCycle == nil {
		return ""
	}
	return deref(r.Opportunity.LifeCycle.ReviewStatus)
}

// touch stamps a write at modified, and the start of a review when the
// write is the one that submitted the opportunity: every submission path
// ends in a write, so none is missed.
func (r *record) touch(modified time.Time) {
	r.Opportunity.LastModifiedDate = modified
	switch r.reviewStatus() {
	case api.ReviewStatusSubmitted, api.ReviewStatusInReview:
		if r.SubmittedAt == nil {
			r.SubmittedAt = &modified
		}
	default:
		r.SubmittedAt = nil
	}
}

// opportunityOutput is GetOpportunity's answer. Real responses always carry
// every RelatedEntityIdentifiers list, empty ones as [], so the field is
// shadowed by a type without omitempty.
type opportunityOutput struct {
	api.GetOpportunityResponse
	RelatedEntityIdentifiers relatedEntities `json:"RelatedEntityIdentifiers"`
}

// relatedEntities answers the four lists of the captures always, empty
// or not; the Marketplace listing lists, newer than the captures, only
// when they hold something.
type relatedEntities struct {
	AwsMarketplaceOffers    []string `json:"AwsMarketplaceOffers"`
	AwsMarketplaceOfferSets []string `json:"AwsMarketplaceOfferSets"`
	Solutions               []string `json:"Solutions"`
	AwsProducts             []string `json:"AwsProducts"`
	AwsMarketplaceSolutions []string `json:"AwsMarketplaceSolutions,omitempty"`
	AwsMarketplaceProducts  []string `json:"AwsMarketplaceProducts,omitempty"`
}

// storedJSON is an answer the store already holds in its wire form.
type storedJSON []byte

// AppendJSON lets the wire layer send the bytes as they are.
func (j storedJSON) AppendJSON(b []byte) []byte { return append(b, j...) }

func outputOf(r *record) *opportunityOutput {
	rel := r.Opportunity.RelatedEntityIdentifiers
	return &opportunityOutput{
		GetOpportunityResponse: r.Opportunity,
		RelatedEntityIdentifiers: relatedEntities{
			AwsMarketplaceOffers:    nonNil(rel.AwsMarketplaceOffers),
			AwsMarketplaceOfferSets: nonNil(rel.AwsMarketplaceOfferSets),
			Solutions:               nonNil(rel.Solutions),
			AwsProducts:             nonNil(rel.AwsProducts),
			AwsMarketplaceSolutions: rel.AwsMarketplaceSolutions,
			AwsMarketplaceProducts:  rel.AwsMarketplaceProducts,
		},
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

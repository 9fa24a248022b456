package selling

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// defaultPageSize is ListOpportunities' and ListSolutions' documented default.
const defaultPageSize = 20

// ListOpportunities pages through the caller's opportunities with keyset
// pagination, so a listing stays indexed at any size and a record that does
// not change is never skipped or repeated while pages are fetched. A record
// modified mid-listing moves to its new place in the order; a sync that lists
// by LastModifiedDate picks it up on its next AfterLastModifiedDate poll.
//
// Filter bounds: After* are inclusive, as the model documents for
// AfterLastModifiedDate; Before* are exclusive (AWS does not say).
func (s *Service) ListOpportunities(ctx context.Context, account string, in *api.ListOpportunitiesRequest) (*listOpportunitiesOutput, error) {
	q := store.OpportunityQuery{
		Scope:           scopeOf(account, in.Catalog),
		IDs:             in.Identifier,
		Stages:          asStrings(in.LifeCycleStage),
		ReviewStatuses:  asStrings(in.LifeCycleReviewStatus),
		CustomerCompany: in.CustomerCompanyName,
		SortBy:          store.SortLastModifiedDate,
		Descending:      true,
		Limit:           pageSize(in.MaxResults),
		SummariesOnly:   true,
	}
	if f := in.LastModifiedDate; f != nil {
		q.ModifiedAfter, q.ModifiedBefore = inclusiveFrom(f.AfterLastModifiedDate), inclusiveUntil(f.BeforeLastModifiedDate)
	}
	if f := in.CreatedDate; f != nil {
		q.CreatedAfter, q.CreatedBefore = inclusiveFrom(f.AfterCreatedDate), inclusiveUntil(f.BeforeCreatedDate)
	}
	if f := in.TargetCloseDate; f != nil {
		q.TargetCloseAfter = deref(f.AfterTargetCloseDate)
		if b := deref(f.BeforeTargetCloseDate); b != "" {
			q.TargetCloseBefore = dayBefore(b)
		}
	}
	if in.Sort != nil {
		q.SortBy, q.Descending = store.SortField(in.Sort.SortBy), in.Sort.SortOrder == api.SortOrderDescending
	}
	if err := s.decideDueReviews(ctx, q.Scope); err != nil {
		return nil, err
	}
	binding, err := pagetoken.Binding(q.Scope.Account, q.Scope.Catalog, "ListOpportunities", in, func(r *api.ListOpportunitiesRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	if t := deref(in.NextToken); t != "" {
		var pos store.Position
		if err := s.tokens.Decode(binding, t, &pos); err != nil {
			return nil, pagetoken.Invalid()
		}
		q.After = &pos
	}
	limit := q.Limit
	q.Limit++ // one more than asked tells whether another page exists
	rows, err := s.store.ListOpportunities(ctx, q)
	if errors.Is(err, store.ErrBadPosition) {
		return nil, pagetoken.Invalid()
	}
	if err != nil {
		return nil, internal("list opportunities", err)
	}
	out := &listOpportunitiesOutput{OpportunitySummaries: make([]json.RawMessage, 0, min(len(rows), limit))}
	for i := range rows[:min(len(rows), limit)] {
		summary, err := storedSummary(&rows[i])
		if err != nil {
			return nil, err
		}
		out.OpportunitySummaries = append(out.OpportunitySummaries, summary)
	}
	if len(rows) > limit {
		tok, err := s.tokens.Encode(binding, store.PositionOf(&rows[limit-1], q.SortBy))
		if err != nil {
			return nil, internal("encode token", err)
		}
		out.NextToken = &tok
	}
	return out, nil
}

// listOpportunitiesOutput is ListOpportunitiesResponse with each summary
// as the JSON stored with its row, so a page is copied, not re-encoded.
type listOpportunitiesOutput struct {
	OpportunitySummaries []json.RawMessage `json:"OpportunitySummaries"`
	NextToken            *string           `json:"NextToken,omitempty"`
}

// AppendJSON writes the page as ListOpportunitiesResponse JSON by joining
// the stored summaries, which encoding/json produced when they were saved.
func (o *listOpportunitiesOutput) AppendJSON(b []byte) []byte {
	b = append(b, `{"OpportunitySummaries":[`...)
	for i, s := range o.OpportunitySummaries {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, s...)
	}
	b = append(b, ']')
	if o.NextToken != nil {
		token, _ := json.Marshal(*o.NextToken) // a string always marshals
		b = append(append(b, `,"NextToken":`...), token...)
	}
	return append(b, '}')
}

// storedSummary is a row's listing JSON; rows written before summaries were
// stored get theirs built from the document.
func storedSummary(row *store.Opportunity) (json.RawMessage, error) {
	if len(row.Summary) > 0 {
		return row.Summary, nil
	}
	rec, err := decodeRecord(row.Doc)
	if err != nil {
		return nil, internal("decode opportunity", err)
	}
	b, err := json.Marshal(summaryOf(rec))
	if err != nil {
		return nil, internal("encode summary", err)
	}
	return b, nil
}

func pageSize(n *int32) int {
	if n == nil {
		return defaultPageSize
	}
	return int(*n)
}

func asStrings[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// inclusiveFrom rounds a lower bound up to the store's millisecond grain.
func inclusiveFrom(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	r := t.UTC().Truncate(time.Millisecond)
	if r.Before(*t) {
		r = r.Add(time.Millisecond)
	}
	return &r
}

// inclusiveUntil turns an exclusive upper bound into the last millisecond
// before it.
func inclusiveUntil(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	r := inclusiveFrom(t).Add(-time.Millisecond)
	return &r
}

func dayBefore(date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date // the validator has checked the format already
	}
	return d.AddDate(0, 0, -1).Format(time.DateOnly)
}

func summaryOf(rec *record) api.OpportunitySummary {
	o := &rec.Opportunity
	sum := api.OpportunitySummary{
		Catalog: o.Catalog, Id: &o.Id, Arn: o.Arn, PartnerOpportunityIdentifier: o.PartnerOpportunityIdentifier,
		OpportunityType: o.OpportunityType, LastModifiedDate: &o.LastModifiedDate, CreatedDate: &o.CreatedDate,
	}
	if lc := o.LifeCycle; lc != nil {
		sum.LifeCycle = &api.LifeCycleSummary{
			Stage: lc.Stage, ClosedLostReason: lc.ClosedLostReason, NextSteps: lc.NextSteps, TargetCloseDate: lc.TargetCloseDate,
			ReviewStatus: lc.ReviewStatus, ReviewComments: lc.ReviewComments, ReviewStatusReason: lc.ReviewStatusReason,
		}
	}
	if c := o.Customer; c != nil && c.Account != nil {
		a := c.Account
		acc := &api.AccountSummary{Industry: a.Industry, OtherIndustry: a.OtherIndustry, CompanyName: a.CompanyName, WebsiteUrl: a.WebsiteUrl}
		if ad := a.Address; ad != nil {
			acc.Address = &api.AddressSummary{City: ad.City, PostalCode: ad.PostalCode, StateOrRegion: ad.StateOrRegion, CountryCode: ad.CountryCode}
		}
		sum.Customer = &api.CustomerSummary{Account: acc}
	}
	if p := o.Project; p != nil {
		sum.Project = &api.ProjectSummary{DeliveryModels: p.DeliveryModels, ExpectedCustomerSpend: p.ExpectedCustomerSpend, ExpectedContractDuration: p.ExpectedContractDuration}
	}
	return sum
}

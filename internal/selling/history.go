package selling

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"

	"github.com/cosell/cosell/internal/store"
)

// HistoryWindow is how many of the newest outbox events OpportunityEvents
// looks through: the outbox keeps every account's events in one sequence
// and indexes them by account, not by opportunity, so a bounded window
// keeps the read cheap at any size.
const HistoryWindow = 20_000

// historyPage is how many events OpportunityEvents reads at a time.
const historyPage = 1000

// OpportunityEvents returns the account's events about one opportunity
// among the newest HistoryWindow events of the server, oldest first: its
// Created and Updated events, and any other event that names its ARN
// among the resources. Consoles show it as the opportunity's history.
func (s *Service) OpportunityEvents(ctx context.Context, account, catalog, id string) ([]store.Event, error) {
	scope := scopeOf(account, catalog)
	arn := s.opportunityArn(scope, id)
	last, err := s.store.LastEventSeq(ctx)
	if err != nil {
		return nil, internal("last event", err)
	}
	q := store.EventQuery{Account: account, AfterSeq: max(0, last-HistoryWindow), Limit: historyPage}
	quoted := []byte(`"` + id + `"`)
	var out []store.Event
	for {
		page, err := s.store.ListEvents(ctx, q)
		if err != nil {
			return nil, internal("list events", err)
		}
		for _, e := range page {
			if bytes.Contains(e.Body, quoted) && aboutOpportunity(e.Body, catalog, id, arn) {
				out = append(out, e)
			}
		}
		if len(page) < q.Limit {
			return out, nil
		}
		q.AfterSeq = page[len(page)-1].Seq
	}
}

// aboutOpportunity says whether an event body is about the opportunity.
func aboutOpportunity(body []byte, catalog, id, arn string) bool {
	var e struct {
		Resources []string          `json:"resources"`
		Detail    opportunityDetail `json:"detail"`
	}
	if json.Unmarshal(body, &e) != nil {
		return false
	}
	if e.Detail.Catalog == catalog && e.Detail.Opportunity.Identifier == id {
		return true
	}
	return slices.Contains(e.Resources, arn)
}

package selling

import (
	"context"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/pagetoken"
	"github.com/cosell/cosell/internal/store"
)

// ListResourceSnapshotJobs lists the caller's jobs ("Lists resource
// snapshot jobs owned by the customer"), newest first unless Sort asks for
// ascending CreatedDate, the only sort field.
func (s *Service) ListResourceSnapshotJobs(ctx context.Context, account string, in *api.ListResourceSnapshotJobsRequest) (*api.ListResourceSnapshotJobsResponse, error) {
	binding, err := pagetoken.Binding(account, in.Catalog, "ListResourceSnapshotJobs", in, func(r *api.ListResourceSnapshotJobsRequest) { r.MaxResults, r.NextToken = nil, nil })
	if err != nil {
		return nil, internal("bind token", err)
	}
	q := store.DocumentQuery{
		Kind: kindSnapshotJob, Catalog: in.Catalog, Descending: true,
		Match: keyFilter(map[string][]string{
			"owner":      {account},
			"engagement": optionalList(in.EngagementIdentifier),
			"status":     asStrings(optionalList(in.Status)),
		}),
	}
	if in.Sort != nil && in.Sort.SortOrder != nil {
		q.Descending = *in.Sort.SortOrder == api.SortOrderDescending
	}
	jobs, next, err := documentPage[snapshotJobRecord](ctx, s, binding, in.NextToken, limitOr(in.MaxResults, defaultSnapshotPage), q)
	if err != nil {
		return nil, err
	}
	out := &api.ListResourceSnapshotJobsResponse{ResourceSnapshotJobSummaries: make([]api.ResourceSnapshotJobSummary, len(jobs)), NextToken: next}
	for i, j := range jobs {
		out.ResourceSnapshotJobSummaries[i] = api.ResourceSnapshotJobSummary{Id: &j.Id, Arn: &j.Arn, EngagementId: &j.View.Engagement, Status: &j.Status}
	}
	return out, nil
}

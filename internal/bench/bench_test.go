package bench

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
)

const testCatalog = "AWS"

func startLocal(t *testing.T, n int) *Local {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	l, err := StartLocal(context.Background(), "", testCatalog, n, nil, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Error(err)
		}
	})
	if len(l.IDs) != n {
		t.Fatalf("seeded %d opportunities, want %d", len(l.IDs), n)
	}
	return l
}

func TestRunMeasuresEveryOperationWithoutErrors(t *testing.T) {
	l := startLocal(t, 200)
	const conc = 2
	var done []string
	results, err := Run(context.Background(), Config{
		Client: l.Client(conc), Catalog: testCatalog, IDs: l.IDs, Concurrency: conc,
		Duration: 200 * time.Millisecond, Ops: AllOps,
		Done: func(r Result) { done = append(done, r.Op) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(done, AllOps) {
		t.Errorf("Done saw %v, want %v", done, AllOps)
	}
	for _, r := range results {
		if r.Requests == 0 || r.Errors != 0 || r.Conflicts != 0 {
			t.Errorf("%s: %d requests, %d errors %q, %d conflicts; want requests and no errors or conflicts",
				r.Op, r.Requests, r.Errors, r.ErrorSamples, r.Conflicts)
		}
		if r.P50 <= 0 || r.P50 > r.P99 || r.P99 > r.Max {
			t.Errorf("%s: p50 %v, p99 %v, max %v: want 0 < p50 <= p99 <= max", r.Op, r.P50, r.P99, r.Max)
		}
	}
}

func TestRunCountsRequestsAndReportsServerErrors(t *testing.T) {
	l := startLocal(t, 2)
	// Opportunities that do not exist: every GetOpportunity is a 404.
	results, err := Run(context.Background(), Config{
		Client: l.Client(1), Catalog: testCatalog, IDs: []string{"O1"}, Concurrency: 1, Requests: 7, Ops: []string{OpGet},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := results[0]
	if r.Requests != 7 || r.Errors != 7 || len(r.ErrorSamples) != maxErrorSamples {
		t.Fatalf("got %d requests, %d errors, samples %q; want 7, 7 and %d samples", r.Requests, r.Errors, r.ErrorSamples, maxErrorSamples)
	}
}

// The seed must write the documents the service writes: every seeded
// opportunity reads back, the data varies, and listing filters select
// exactly the rows whose stored fields match.
func TestSeededOpportunitiesReadAndFilter(t *testing.T) {
	l := startLocal(t, 200)
	c, ctx := l.Client(1), context.Background()
	got := map[string]*api.GetOpportunityResponse{}
	stages, statuses, companies := map[api.Stage]bool{}, map[api.ReviewStatus]bool{}, map[string]bool{}
	var modified []time.Time
	for _, id := range l.IDs {
		o := new(api.GetOpportunityResponse)
		if err := c.Call(ctx, OpGet, &api.GetOpportunityRequest{Catalog: testCatalog, Identifier: id}, o); err != nil {
			t.Fatal(err)
		}
		if o.Id != id || o.LifeCycle == nil || o.Customer == nil || o.Customer.Account == nil || o.CreatedDate.After(o.LastModifiedDate) {
			t.Fatalf("GetOpportunity %s returned %+v", id, o)
		}
		got[id] = o
		stages[*o.LifeCycle.Stage], statuses[*o.LifeCycle.ReviewStatus] = true, true
		companies[o.Customer.Account.CompanyName] = true
		modified = append(modified, o.LastModifiedDate)
	}
	if len(stages) < 5 || len(statuses) < 5 || len(companies) < 50 {
		t.Errorf("seed lacks variety: %d stages, %d review statuses, %d companies", len(stages), len(statuses), len(companies))
	}

	slices.SortFunc(modified, time.Time.Compare)
	since := modified[len(modified)/2]
	var want []string
	for id, o := range got {
		if *o.LifeCycle.Stage == api.StageQualified && *o.LifeCycle.ReviewStatus == api.ReviewStatusApproved && !o.LastModifiedDate.Before(since) {
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		t.Fatal("the filter selects nothing; the test would prove nothing")
	}
	var listed []string
	in := &api.ListOpportunitiesRequest{
		Catalog: testCatalog, MaxResults: ptr(int32(3)),
		LifeCycleStage: []api.Stage{api.StageQualified}, LifeCycleReviewStatus: []api.ReviewStatus{api.ReviewStatusApproved},
		LastModifiedDate: &api.LastModifiedDate{AfterLastModifiedDate: &since},
	}
	for {
		var page api.ListOpportunitiesResponse
		if err := c.Call(ctx, OpList, in, &page); err != nil {
			t.Fatal(err)
		}
		for _, s := range page.OpportunitySummaries {
			listed = append(listed, *s.Id)
		}
		if page.NextToken == nil {
			break
		}
		in.NextToken = page.NextToken
	}
	slices.Sort(want)
	slices.Sort(listed)
	if !slices.Equal(listed, want) {
		t.Errorf("ListOpportunities returned %v, want %v", listed, want)
	}
}

func TestPercentilesAreNearestRank(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- { // out of order: summarize must sort
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	r := summarize("x", time.Second, []*tally{{requests: 100, latencies: lat[:60]}, {latencies: lat[60:]}})
	if r.P50 != 50*time.Millisecond || r.P99 != 99*time.Millisecond || r.Max != 100*time.Millisecond || r.Throughput() != 100 {
		t.Errorf("p50 %v p99 %v max %v throughput %v; want 50ms 99ms 100ms 100/s", r.P50, r.P99, r.Max, r.Throughput())
	}
}

// A kept data directory is seeded once: a second start finds the same
// opportunities and seeds only what is missing to reach n.
func TestStartLocalReusesAKeptDataDirectory(t *testing.T) {
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	start := func(n int) []string {
		l, err := StartLocal(context.Background(), dir, testCatalog, n, nil, logger)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		return l.IDs
	}
	first := start(30)
	again := start(30)
	more := start(45)
	if len(first) != 30 || !slices.Equal(again, first) {
		t.Fatalf("second start has %d opportunities, want the first start's 30: %v vs %v", len(again), again, first)
	}
	if len(more) != 45 || !slices.Equal(more[:30], first) {
		t.Fatalf("growing to 45 should keep the first 30 and add 15; got %d", len(more))
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the kept data directory is gone: %v", err)
	}
}

// The page's own NextToken is read from the end of its body, even when a
// summary's text spells the key.
func TestNextTokenReadsThePagesOwn(t *testing.T) {
	for body, want := range map[string]string{
		`{"OpportunitySummaries":[{"Project":{"Title":"say \"NextToken\":\"x\""}}],"NextToken":"abc"}`: "abc",
		`{"OpportunitySummaries":[{"Project":{"Title":"say \"NextToken\":\"x\""}}]}`:                   "",
		`{"OpportunitySummaries":[],"NextToken":null}`:                                                 "",
	} {
		got, err := nextToken(&Response{Body: []byte(body)})
		if err != nil || deref(got) != want {
			t.Errorf("nextToken(%s) = %v, %v; want %q", body, got, err, want)
		}
	}
	if _, err := nextToken(&Response{Body: []byte(`{"NextToken":12}`)}); err == nil {
		t.Error("a NextToken that is not a string should be an error")
	}
}

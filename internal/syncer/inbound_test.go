package syncer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// countingAPI counts the calls that reach Partner Central and, once
// failAfter GetOpportunity calls got through, refuses the others: the
// connector cut off in the middle of a page.
type countingAPI struct {
	API
	failAfter int // 0: never

	mu    sync.Mutex
	gets  map[string]int
	lists int
}

var errCutOff = errors.New("cut off")

func (a *countingAPI) GetOpportunity(ctx context.Context, in *selling.GetOpportunityRequest) (*selling.GetOpportunityResponse, error) {
	a.mu.Lock()
	if a.failAfter > 0 && len(a.gets) >= a.failAfter {
		a.mu.Unlock()
		return nil, errCutOff
	}
	a.gets[in.Identifier]++
	a.mu.Unlock()
	return a.API.GetOpportunity(ctx, in)
}

func (a *countingAPI) ListOpportunities(ctx context.Context, in *selling.ListOpportunitiesRequest) (*selling.ListOpportunitiesResponse, error) {
	a.mu.Lock()
	a.lists++
	a.mu.Unlock()
	return a.API.ListOpportunities(ctx, in)
}

// A first load cut off in its second page resumes from the token saved
// after the first: no page listed again before it, no opportunity
// fetched twice, every one stored, and polling starts from the newest.
func TestFirstLoadResumesExactly(t *testing.T) {
	ctx := context.Background()
	srv := startCosell(t, t.TempDir())
	partner := srv.client()
	const n = 2*pageSize + 30
	for i := range n {
		if _, err := partner.CreateOpportunity(ctx, &selling.CreateOpportunityRequest{Catalog: catalog, ClientToken: fmt.Sprintf("seed-%d", i),
			Customer: &selling.Customer{Account: &selling.Account{CompanyName: fmt.Sprintf("Customer %d", i)}}}); err != nil {
			t.Fatal(err)
		}
	}
	db, err := crmdb.Open(ctx, filepath.Join(t.TempDir(), "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	cut := &countingAPI{API: srv.client(), failAfter: pageSize + 40, gets: map[string]int{}}
	if err := (&Engine{API: cut, DB: db, Catalog: catalog, Log: quietLog()}).SyncOnce(ctx); !errors.Is(err, errCutOff) {
		t.Fatalf("the cut-off load: %v, want %v", err, errCutOff)
	}
	st, err := db.State(ctx, catalog)
	if err != nil || st.FullLoadDone || st.FullLoadToken == "" {
		t.Fatalf("state after the cut: %+v, %v; want the second page's token", st, err)
	}

	resumed := &countingAPI{API: srv.client(), gets: map[string]int{}}
	if err := (&Engine{API: resumed, DB: db, Catalog: catalog, Log: quietLog()}).SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if resumed.lists != 2 {
		t.Errorf("the resumed load listed %d pages, want the last 2", resumed.lists)
	}
	for id := range resumed.gets {
		if cut.gets[id] > 0 {
			t.Errorf("%s was fetched again after the cut", id)
		}
	}
	if got := len(cut.gets) + len(resumed.gets); got != n {
		t.Errorf("fetched %d opportunities, want each of the %d once", got, n)
	}
	rows, err := db.Opportunities(ctx, catalog)
	if err != nil || len(rows) != n {
		t.Fatalf("%d rows, %v; want %d", len(rows), err, n)
	}
	newest, _ := db.NewestAWSChange(ctx, catalog)
	if st, err = db.State(ctx, catalog); err != nil || !st.FullLoadDone || st.FullLoadToken != "" || !st.AWSLastModified.Equal(newest) {
		t.Errorf("state after the load: %+v, %v; want done, polling after %v", st, err, newest)
	}
}

// A change that becomes visible only after a later one was seen (AWS's
// writes are not listed in commit order) is still picked up by the next
// poll, and unchanged records are not fetched again.
func TestPollPicksUpALateVisibleChange(t *testing.T) {
	ctx := context.Background()
	srv := startCosell(t, t.TempDir())
	partner := srv.client()
	db, err := crmdb.Open(ctx, filepath.Join(t.TempDir(), "crm.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	engine := &Engine{API: srv.client(), DB: db, Catalog: catalog, Log: quietLog()}
	if err := engine.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	late, err := partner.CreateOpportunity(ctx, &selling.CreateOpportunityRequest{Catalog: catalog, ClientToken: "late",
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Late Co"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The connector has already seen a change stamped a minute after it.
	st, err := db.State(ctx, catalog)
	if err != nil {
		t.Fatal(err)
	}
	st.AWSLastModified = late.LastModifiedDate.Add(time.Minute)
	if err := db.SaveState(ctx, st); err != nil {
		t.Fatal(err)
	}
	counting := &countingAPI{API: srv.client(), gets: map[string]int{}}
	engine.API = counting
	if err := engine.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OpportunityByPCID(ctx, catalog, late.Id); err != nil {
		t.Fatalf("the late change is not in the CRM: %v", err)
	}
	if err := engine.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if counting.gets[late.Id] != 1 {
		t.Errorf("%s fetched %d times, want once: a stored version is not fetched again", late.Id, counting.gets[late.Id])
	}
}

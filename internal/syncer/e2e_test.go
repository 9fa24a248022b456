package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/syncer/crmdb"
	"github.com/cosell/cosell/internal/syncer/feed"
	"github.com/cosell/cosell/internal/syncer/fieldpath"
	"github.com/cosell/cosell/internal/testpg"
	"github.com/cosell/cosell/internal/testwait"
)

// submittable is a CRM create complete enough for AWS to review.
func submittable(title string) map[string]any {
	return map[string]any{
		"Customer.Account": map[string]any{"CompanyName": title + " Corp", "Industry": "Retail", "WebsiteUrl": "https://example.com",
			"Address": map[string]any{"CountryCode": "US", "PostalCode": "98101", "StateOrRegion": "Washington", "City": "Seattle"}},
		"Project.Title":                    title,
		"Project.CustomerBusinessProblem":  "The customer needs one place for its sales data.",
		"Project.CustomerUseCase":          "Business Intelligence & Data Warehouse",
		"Project.DeliveryModels":           []string{"SaaS or PaaS"},
		"Project.ExpectedCustomerSpend":    []map[string]any{{"Amount": "1000", "CurrencyCode": "USD", "Frequency": "Monthly", "TargetCompany": "AWS"}},
		"Project.SalesActivities":          []string{"Initialized discussions with customer"},
		"Project.OtherSolutionDescription": "Our analytics platform",
		"LifeCycle.Stage":                  "Qualified",
		"LifeCycle.TargetCloseDate":        "2030-12-31",
	}
}

// edit is one CRM edit the workload makes, checked at the end.
type edit struct {
	crmID, path string
	value       any
}

// countingWebhook records how often each event id was delivered, to show
// the chaos knobs really duplicated events.
type countingWebhook struct {
	*feed.Webhook
	mu   sync.Mutex
	seen map[string]int
}

func (w *countingWebhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	w.seen[r.Header.Get("X-Cosell-Event-Id")]++
	w.mu.Unlock()
	w.Webhook.ServeHTTP(rw, r)
}

func (w *countingWebhook) duplicates() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, c := range w.seen {
		n += c - 1
	}
	return n
}

// connector is one run of the engine in daemon mode; stop is the crash.
type connector struct {
	engine *Engine
	cancel context.CancelFunc
	done   chan error
}

func startConnector(api API, db crmdb.Store, src feed.Source) *connector {
	ctx, cancel := context.WithCancel(context.Background())
	c := &connector{engine: &Engine{API: api, DB: db, Catalog: catalog, Log: quietLog()}, cancel: cancel, done: make(chan error, 1)}
	go func() { c.done <- c.engine.Run(ctx, src, 100*time.Millisecond) }()
	return c
}

func (c *connector) stop(t *testing.T) {
	c.cancel()
	if err := <-c.done; err != nil {
		t.Errorf("connector Run: %v", err)
	}
}

// faults makes every operation the connector uses fail some of the time:
// throttling, 5xx, and updates refused with a ConflictException although
// nothing changed on Partner Central's side (the connector must re-read,
// see no conflicting change and re-apply).
const faults = `[
 {"operation": "GetOpportunity", "probability": 0.2, "errorCode": "ThrottlingException", "statusCode": 429},
 {"operation": "ListOpportunities", "probability": 0.2, "errorCode": "ServiceUnavailable", "statusCode": 503},
 {"operation": "UpdateOpportunity", "probability": 0.2, "errorCode": "ConflictException"},
 {"operation": "CreateOpportunity", "probability": 0.3, "errorCode": "InternalServerException"}]`

func turnOnChaos(srv *cosell) {
	srv.Admin(http.MethodPut, "/_cosell/faults?seed=7", faults)
	srv.Admin(http.MethodPut, "/_cosell/events/chaos", `{"duplicate": 0.5, "reorderWindow": 4, "seed": 3}`)
}

// TestEndToEnd runs the connector against a real cosell with faults and
// event chaos on, crashes it and restarts the server mid-way, and checks
// that after one quiet cycle the CRM and Partner Central agree.
// It runs once per CRM database: the default SQLite file and PostgreSQL.
func TestEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { endToEnd(t, filepath.Join(t.TempDir(), "crm.db")) })
	t.Run("postgres", func(t *testing.T) { endToEnd(t, testpg.NewDatabase(t)) })
}

func endToEnd(t *testing.T, dsn string) {
	ctx := context.Background()
	srv := startCosell(t, t.TempDir())
	db, err := crmdb.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	hook := &countingWebhook{Webhook: &feed.Webhook{Secret: "s3cret"}, seen: map[string]int{}}
	receiver := httptest.NewServer(hook)
	defer receiver.Close()
	srv.Admin(http.MethodPut, "/_cosell/webhooks/crm", fmt.Sprintf(`{"account": %q, "url": %q, "secret": "s3cret"}`, account, receiver.URL))
	turnOnChaos(srv)

	// Partner Central already has a pipeline before the first sync.
	partner := srv.client()
	for i := range 3 {
		f := submittable(fmt.Sprintf("Existing %d", i))
		var req selling.CreateOpportunityRequest
		mustConvert(t, f, &req)
		req.Catalog, req.ClientToken = catalog, fmt.Sprintf("existing-%d", i)
		if _, err := partner.CreateOpportunity(ctx, &req); err != nil {
			t.Fatal(err)
		}
	}

	run := startConnector(srv.client(), db, hook.Webhook)
	for i := range 6 {
		if err := db.CreateLocal(ctx, catalog, fmt.Sprintf("crm-%d", i), submittable(fmt.Sprintf("CRM deal %d", i))); err != nil {
			t.Fatal(err)
		}
	}
	pcID := func(crmID string) string {
		o, err := db.Opportunity(ctx, crmID)
		if err != nil {
			t.Fatal(err)
		}
		return o.PCID
	}
	testwait.Until(t, "the CRM creates to reach Partner Central", func() bool { return drained(ctx, db) })

	var edits []edit
	crmEdit := func(crmID, path string, value any) {
		t.Helper()
		if err := db.EditLocal(ctx, crmID, map[string]any{path: value}); err != nil {
			t.Fatal(err)
		}
		edits = append(edits, edit{crmID, path, value})
	}
	partnerEdit := func(pcID, path string, value any) {
		t.Helper()
		for { // a plain partner integration: read, change, write, again on conflict
			cur, err := partner.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: catalog, Identifier: pcID})
			if err != nil {
				t.Fatal(err)
			}
			doc := mustDoc(t, cur)
			req, err := updateRequest(doc, map[string]any{path: value})
			if err != nil {
				t.Fatal(err)
			}
			req.Catalog, req.Identifier, req.LastModifiedDate = catalog, pcID, cur.LastModifiedDate
			if _, err = partner.UpdateOpportunity(ctx, req); err == nil {
				return
			}
		}
	}
	review := func(pcID, status string) {
		srv.Admin(http.MethodPost, fmt.Sprintf("/_cosell/aws/opportunities/%s/%s/%s/review", catalog, account, pcID), fmt.Sprintf(`{"status": %q}`, status))
	}
	submit := func(pcID string) {
		t.Helper()
		_, err := partner.StartEngagementFromOpportunityTask(ctx, &selling.StartEngagementFromOpportunityTaskRequest{
			Catalog: catalog, ClientToken: "submit-" + pcID, Identifier: pcID, AwsSubmission: selling.AwsSubmission{InvolvementType: selling.SalesInvolvementTypeCoSell}})
		if err != nil {
			t.Fatal(err)
		}
	}

	// Both sides at work while the connector runs.
	crmEdit("crm-0", "LifeCycle.NextSteps", "Workshop booked")
	crmEdit("crm-1", "Project.Title", "CRM deal 1, renamed")
	partnerEdit(pcID("crm-2"), "Project.Title", "Renamed in Partner Central")
	crmEdit("crm-2", "LifeCycle.NextSteps", "Follow up") // another field: merges, no conflict
	submit(pcID("crm-3"))
	review(pcID("crm-3"), "Approved")
	submit(pcID("crm-4"))
	review(pcID("crm-4"), "Rejected") // the guide: remove it from the CRM
	submit(pcID("crm-5"))
	crmEdit("crm-5", "LifeCycle.NextSteps", "Edited while in review") // waits for the review
	if _, err := partner.CreateOpportunity(ctx, &selling.CreateOpportunityRequest{Catalog: catalog, ClientToken: "referral",
		Origin: ptr(selling.OpportunityOriginAwsReferral), Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Referred Co"}}}); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, "events to be handled", func() bool {
		o, err := db.Opportunity(ctx, "crm-4")
		return err == nil && o.Deleted
	})

	// The connector crashes; meanwhile both sides change the same field.
	run.stop(t)
	crmEdit("crm-1", "Project.Title", "CRM deal 1, renamed twice")
	crmEdit("crm-0", "Project.Title", "CRM's title for deal 0")
	partnerEdit(pcID("crm-0"), "Project.Title", "Partner Central's title for deal 0")
	if err := db.CreateLocal(ctx, catalog, "crm-6", submittable("CRM deal 6")); err != nil {
		t.Fatal(err)
	}

	// The server restarts on its data; the connector starts again.
	srv.Stop()
	srv = startCosell(t, srv.dir)
	partner = srv.client()
	turnOnChaos(srv)
	run = startConnector(srv.client(), db, hook.Webhook)
	review(pcID("crm-5"), "Approved")
	crmEdit("crm-3", "LifeCycle.NextSteps", "Approved: plan the launch")
	testwait.Until(t, "the CRM's edits to drain", func() bool { return drained(ctx, db) })
	run.stop(t)

	// Quiet: no faults, no chaos, one last cycle (cosell sync --once).
	srv.Admin(http.MethodDelete, "/_cosell/faults", "")
	srv.Admin(http.MethodPut, "/_cosell/events/chaos", `{}`)
	final := &Engine{API: srv.client(), DB: db, Catalog: catalog, Log: quietLog()}
	if err := final.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}

	assertInStep(t, db, partner)
	assertEditsLanded(t, db, partner, edits, map[string]string{"crm-0": "Project.Title"})
	if hook.duplicates() == 0 {
		t.Error("chaos delivered no duplicate event: the test did not exercise deduplication")
	}
	invs, err := db.Invitations(ctx, catalog)
	if err != nil || len(invs) == 0 {
		t.Errorf("AWS referral not surfaced: %v, %v", invs, err)
	}

	// The CRM settles the conflict its way; the next cycle applies it.
	open, _ := db.Conflicts(ctx, true)
	for _, c := range open {
		if err := db.ResolveConflict(ctx, c.ID, crmdb.KeepCRM); err != nil {
			t.Fatal(err)
		}
	}
	if err := final.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got := pcField(t, partner, pcID("crm-0"), "Project.Title"); got != "CRM's title for deal 0" {
		t.Errorf("after resolving for the CRM, Partner Central shows %v", got)
	}
}

// drained reports whether the CRM has nothing left to push.
func drained(ctx context.Context, db crmdb.Store) bool {
	st, err := db.Stats(ctx, catalog)
	return err == nil && st.PendingEdits == 0
}

// assertInStep checks every Partner Central opportunity against its CRM
// row, and that no CRM id reached Partner Central twice.
func assertInStep(t *testing.T, db crmdb.Store, api *sellingclient.Client) {
	t.Helper()
	ctx := context.Background()
	byPartnerID := map[string]int{}
	listed := 0
	p := sellingclient.NewListOpportunitiesPaginator(api, &selling.ListOpportunitiesRequest{Catalog: catalog, MaxResults: aws.Int32(100)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.OpportunitySummaries {
			listed++
			cur, err := api.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: catalog, Identifier: *s.Id})
			if err != nil {
				t.Fatal(err)
			}
			byPartnerID[aws.ToString(cur.PartnerOpportunityIdentifier)]++
			row, err := db.OpportunityByPCID(ctx, catalog, cur.Id)
			if err != nil {
				t.Errorf("%s: not in the CRM: %v", cur.Id, err)
				continue
			}
			want, _ := json.Marshal(cur)
			if !row.AWSLastModified.Equal(cur.LastModifiedDate) || !fieldpath.Equal(decodeAny(t, want), decodeAny(t, row.Record)) {
				t.Errorf("%s (%s): CRM has %s, Partner Central %s", cur.Id, row.CRMID, row.Record, want)
			}
			rejected := cur.LifeCycle != nil && aws.ToString((*string)(cur.LifeCycle.ReviewStatus)) == "Rejected"
			if row.Deleted != rejected {
				t.Errorf("%s: deleted %v, rejected %v", cur.Id, row.Deleted, rejected)
			}
		}
	}
	rows, err := db.Opportunities(ctx, catalog)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != listed {
		t.Errorf("CRM has %d opportunities, Partner Central %d", len(rows), listed)
	}
	for i := range 7 {
		if n := byPartnerID[fmt.Sprintf("crm-%d", i)]; n != 1 {
			t.Errorf("crm-%d is in Partner Central %d times", i, n)
		}
	}
}

// assertEditsLanded checks each CRM edit is in Partner Central (or was
// overtaken by a later CRM edit of the same field) or in the conflicts.
func assertEditsLanded(t *testing.T, db crmdb.Store, api *sellingclient.Client, edits []edit, wantConflict map[string]string) {
	t.Helper()
	ctx := context.Background()
	conflicts, err := db.Conflicts(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	inConflict := map[[2]string]bool{}
	for _, c := range conflicts {
		for _, f := range c.Fields {
			inConflict[[2]string{c.CRMID, f}] = true
		}
	}
	last := map[[2]string]any{}
	for _, e := range edits {
		last[[2]string{e.crmID, e.path}] = e.value
	}
	for key, value := range last {
		o, err := db.Opportunity(ctx, key[0])
		if err != nil {
			t.Fatal(err)
		}
		if got := pcField(t, api, o.PCID, key[1]); got != value && !inConflict[key] {
			t.Errorf("%s %s: Partner Central has %v, the CRM edit %v is neither applied nor a conflict", key[0], key[1], got, value)
		}
	}
	for crmID, path := range wantConflict {
		if !inConflict[[2]string{crmID, path}] {
			t.Errorf("%s %s: edited on both sides, but no conflict recorded (conflicts: %+v)", crmID, path, conflicts)
		}
	}
	// Injected ConflictExceptions and retries must not pass for conflicts.
	for key := range inConflict {
		if wantConflict[key[0]] != key[1] {
			t.Errorf("%s %s: a conflict recorded where only one side edited (conflicts: %+v)", key[0], key[1], conflicts)
		}
	}
}

func pcField(t *testing.T, api *sellingclient.Client, pcID, path string) any {
	t.Helper()
	cur, err := api.GetOpportunity(context.Background(), &selling.GetOpportunityRequest{Catalog: catalog, Identifier: pcID})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := fieldpath.Get(mustDoc(t, cur), path)
	return v
}

func mustDoc(t *testing.T, v any) fieldpath.Doc {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	d, err := fieldpath.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func decodeAny(t *testing.T, raw []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func mustConvert(t *testing.T, fields map[string]any, into any) {
	t.Helper()
	doc := fieldpath.Doc{}
	for p, v := range fields {
		n, err := fieldpath.Normalize(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := fieldpath.Set(doc, p, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := convert(doc, into); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

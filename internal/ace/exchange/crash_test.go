package exchange

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/ace"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
)

func (f *fixture) opportunityCount() int {
	f.t.Helper()
	ids, err := f.svc.OpportunitiesModifiedSince(f.ctx, partnerAccount, selling.CatalogSandbox, time.Time{})
	if err != nil {
		f.t.Fatal(err)
	}
	return len(ids)
}

// runUntil runs x until done reports true (or a generous deadline passes)
// and checks that Run returns once its context ends.
func runUntil(t *testing.T, x *Exchange, done func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- x.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for !done() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-stopped; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !done() {
		t.Fatal("Run did not get there")
	}
}

func (f *fixture) has(key string) bool {
	_, _, err := f.objects.GetObject(f.ctx, f.bucket, key)
	return err == nil
}

func TestAceStartupScanProcessesLeftFilesOnce(t *testing.T) {
	f := newFixture(t)
	f.put(sampleKey, sample(t, nil)) // put while no exchange ran: never notified
	runUntil(t, f.newExchange(), func() bool { return f.has(ace.ResultKey(sampleKey)) && !f.has(sampleKey) })
	wantSuccess(t, f.result(ace.ResultKey(sampleKey)), "ALL")
	// Another start finds nothing left to do.
	runUntil(t, f.newExchange(), func() bool { return true })
	if n := f.opportunityCount(); n != 1 {
		t.Fatalf("%d opportunities, want 1", n)
	}
}

func TestAceNotifiedFileIsProcessedByRun(t *testing.T) {
	f := newFixture(t)
	key := ace.OpportunityInbound + "notified_03012026120000.json"
	f.x.Notify(f.bucket, "elsewhere/"+key) // outside the inbound folders: ignored
	f.x.Notify("not-an-ace-bucket", key)
	runUntil(t, f.x, func() bool {
		if !f.has(key) {
			f.put(key, sample(t, nil))
			f.x.Notify(f.bucket, key)
		}
		return f.has(ace.ResultKey(key))
	})
	wantSuccess(t, f.result(ace.ResultKey(key)), "ALL")
}

func TestAceCrashBeforeDeleteFinishesWithTheSameAnswer(t *testing.T) {
	f := newFixture(t)
	f.objects.failDelete = true
	f.put(sampleKey, sample(t, nil))
	if err := f.x.Process(f.ctx, f.bucket, sampleKey); err == nil {
		t.Fatal("a failed delete was not reported")
	}
	first := f.result(ace.ResultKey(sampleKey))
	if !f.has(sampleKey) {
		t.Fatal("the input is gone although its delete failed")
	}
	// After the restart the move is finished, not the file processed again.
	f.clock.Advance(time.Minute)
	if err := f.newExchange().Process(f.ctx, f.bucket, sampleKey); err != nil {
		t.Fatal(err)
	}
	if f.has(sampleKey) || f.opportunityCount() != 1 {
		t.Fatalf("inbound %v, %d opportunities", f.objects.keys(f.bucket, ace.OpportunityInbound), f.opportunityCount())
	}
	if again := f.result(ace.ResultKey(sampleKey)); again.FileApnProcessedDT != first.FileApnProcessedDT {
		t.Fatalf("the result changed: %+v then %+v", first, again)
	}
}

func TestAceReprocessingAfterALostDecisionCreatesNoDuplicate(t *testing.T) {
	f := newFixture(t)
	f.put(sampleKey, sample(t, nil))
	// As if the exchange crashed after creating the opportunity and before
	// recording its decision: the records run again with the same tokens.
	b := f.x.buckets[f.bucket]
	if _, err := f.x.decide(f.ctx, b, kinds[0], sampleKey, strings.TrimPrefix(sampleKey, ace.OpportunityInbound), sample(t, nil)); err != nil {
		t.Fatal(err)
	}
	r := f.process(sampleKey, sample(t, nil))
	wantSuccess(t, r, "ALL")
	if n := f.opportunityCount(); n != 1 {
		t.Fatalf("%d opportunities, want 1", n)
	}
}

func (f *fixture) eventTypes(after int64) ([]string, int64) {
	f.t.Helper()
	evs, err := f.store.ListEvents(f.ctx, store.EventQuery{Account: partnerAccount, AfterSeq: after})
	if err != nil {
		f.t.Fatal(err)
	}
	var types []string
	for _, e := range evs {
		types = append(types, e.DetailType)
		after = e.Seq
	}
	return types, after
}

func TestAceFileChangesEmitTheAPIsEvents(t *testing.T) {
	f := newFixture(t)
	_, start := f.eventTypes(0)
	r := f.process(sampleKey, sample(t, nil))
	wantSuccess(t, r, "ALL")
	byFile, mark := f.eventTypes(start)

	// The same create and associations through the API, for comparison.
	body := sample(t, nil)
	parsed, err := ace.ParseFile(ace.KindOpportunity, body)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := ace.NewOpportunity(selling.CatalogSandbox, parsed.Records[0])
	req.ClientToken = "api"
	out, err := f.svc.CreateOpportunity(f.ctx, partnerAccount, req)
	if err != nil {
		t.Fatal(err)
	}
	solutions, products, _ := ace.Associations(parsed.Records[0])
	for typ, ids := range map[api.RelatedEntityType][]string{api.RelatedEntityTypeSolutions: solutions, api.RelatedEntityTypeAwsProducts: products} {
		for _, id := range ids {
			// S-XXXXXXX, the sample's placeholder, is refused here too.
			f.svc.AssociateOpportunity(f.ctx, partnerAccount, &api.AssociateOpportunityRequest{
				Catalog: selling.CatalogSandbox, OpportunityIdentifier: out.Id, RelatedEntityType: typ, RelatedEntityIdentifier: id})
		}
	}
	byAPI, _ := f.eventTypes(mark)
	if len(byFile) == 0 || !slices.Equal(byFile, byAPI) {
		t.Fatalf("file events %v, API events %v", byFile, byAPI)
	}
	evs, _ := f.store.ListEvents(f.ctx, store.EventQuery{Account: partnerAccount, AfterSeq: start, Limit: 1})
	var env struct{ Detail json.RawMessage }
	if err := json.Unmarshal(evs[0].Body, &env); err != nil || !strings.Contains(string(env.Detail), *r.InboundApiResults[0].ApnCrmUniqueIdentifier) {
		t.Fatalf("event %s does not name the opportunity", evs[0].Body)
	}
}

// A bucket never exported is not exported the moment the exchange starts
// (an on-demand export then would race it) but one period later, by the
// server clock; then once a period.
func TestAceScheduledExportStartsOnePeriodAfterStart(t *testing.T) {
	f := newFixture(t)
	f.referOpportunity()
	outbound := func() int { return len(f.objects.keys(f.bucket, ace.OpportunityOutbound)) }
	f.x.exportDue(f.ctx) // the worker's first look, at start
	if n := outbound(); n != 0 {
		t.Fatalf("%d outbound files right after start, want none before the first period", n)
	}
	f.clock.Advance(time.Hour - time.Second)
	if f.x.exportDue(f.ctx); outbound() != 0 {
		t.Fatal("exported before the period was over")
	}
	f.clock.Advance(time.Second)
	if f.x.exportDue(f.ctx); outbound() != 1 {
		t.Fatalf("%d outbound files one period after start, want 1", outbound())
	}
	f.referOpportunity()
	f.clock.Advance(time.Hour)
	if f.x.exportDue(f.ctx); outbound() != 2 {
		t.Fatalf("%d outbound files a period later, want 2", outbound())
	}
}

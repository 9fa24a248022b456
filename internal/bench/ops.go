package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/selling"
	"github.com/fxamacker/cbor/v2"
)

// The operations a run measures, in the order it measures them. NoOp is the
// ceiling: the server's whole request path with no domain work.
const (
	OpNoOp   = "NoOp"
	OpCreate = "CreateOpportunity"
	OpGet    = "GetOpportunity"
	OpUpdate = "UpdateOpportunity"
	OpList   = "ListOpportunities"
	// OpRevenueGet is GetRevenueAttribution over smithy-rpc-v2-cbor: the
	// same kind of work as OpGet in the other protocol.
	OpRevenueGet = "GetRevenueAttribution"
)

// AllOps is every operation, in run order.
var AllOps = []string{OpNoOp, OpCreate, OpGet, OpUpdate, OpList, OpRevenueGet}

// NoOpTarget is the benchmark API's operation (server.Config.BenchNoOp).
const NoOpTarget = "CosellBench.NoOp"

// List walks: each worker lists the Qualified opportunities modified in the
// last listWindow, 100 per page, for up to listPagesPerWalk pages, then
// starts over, as a sync that polls for recent changes does.
const (
	listPageSize     = 100
	listPagesPerWalk = 5
	listWindow       = 180 * 24 * time.Hour
)

// maxLockedPicks bounds how many opportunities an Update worker fetches
// looking for one whose review status allows edits; the seeded mix has
// about one in six locked, so a few picks always suffice.
const maxLockedPicks = 20

// worker is one concurrent client's state during one operation's run.
type worker struct {
	run   *runner
	index int // among the operation's workers
	rng   *rand.Rand
	t     *tally
	share []string // Update's own IDs: disjoint from every other worker's, so no two workers update one opportunity
	seq   int      // CreateOpportunity's ClientToken counter

	listToken *string
	listPages int

	attributionGet []byte // OpRevenueGet's request, for the worker's own attribution
}

// step runs one measured request of its operation.
type step func(w *worker, ctx context.Context)

var steps = map[string]step{
	OpNoOp:       (*worker).noOp,
	OpCreate:     (*worker).create,
	OpGet:        (*worker).get,
	OpUpdate:     (*worker).update,
	OpList:       (*worker).list,
	OpRevenueGet: (*worker).revenueGet,
}

// send makes one measured request and records it; it returns the response
// of a 2xx answer, else nil. ConflictException is tallied apart from errors.
func (w *worker) send(ctx context.Context, target string, body []byte) *Response {
	r, err := w.run.cfg.Client.Do(ctx, target, body)
	return w.tallyResponse(r, err)
}

// tallyResponse records one measured exchange of any protocol.
func (w *worker) tallyResponse(r *Response, err error) *Response {
	if err != nil {
		w.t.fail(err.Error(), true)
		return nil
	}
	w.t.answered(r.Latency)
	switch {
	case r.OK():
		return r
	case r.ErrorType == "ConflictException":
		w.t.conflicts++
	default:
		w.t.fail(fmt.Sprintf("HTTP %d %s: %.300s", r.Status, r.ErrorType, r.Body), false)
	}
	return nil
}

func (w *worker) sendJSON(ctx context.Context, op string, in any) *Response {
	body, err := json.Marshal(in)
	if err != nil {
		w.t.fail(fmt.Sprintf("encode %s: %v", op, err), true)
		return nil
	}
	return w.send(ctx, SellingTarget+op, body)
}

func (w *worker) noOp(ctx context.Context) {
	w.send(ctx, NoOpTarget, []byte("{}"))
}

// create sends a fresh, realistic opportunity with a token no earlier
// request used, so the server does the full create, never an idempotent
// replay.
func (w *worker) create(ctx context.Context) {
	in := selling.SampleOpportunity(w.rng, w.run.cfg.Catalog, time.Now())
	w.seq++
	in.ClientToken = fmt.Sprintf("bench-%s-%d-%d", w.run.id, w.index, w.seq)
	w.sendJSON(ctx, OpCreate, in)
}

func (w *worker) get(ctx context.Context) {
	ids := w.run.cfg.IDs
	w.sendJSON(ctx, OpGet, &api.GetOpportunityRequest{Catalog: w.run.cfg.Catalog, Identifier: ids[w.rng.IntN(len(ids))]})
}

// update is what AWS tells integrations to do: fetch the opportunity, change
// it, and send it back whole with the LastModifiedDate that was read. Only
// the UpdateOpportunity request is measured; the fetch prepares it.
func (w *worker) update(ctx context.Context) {
	o, err := w.editable(ctx)
	if err != nil {
		w.t.fail("prepare update: "+err.Error(), true)
		return
	}
	lc := *o.LifeCycle
	// TargetCloseDate may change in every editable review status.
	lc.TargetCloseDate = ptr(time.Now().AddDate(0, 0, 7+w.rng.IntN(540)).Format(time.DateOnly))
	w.sendJSON(ctx, OpUpdate, &api.UpdateOpportunityRequest{
		Catalog: o.Catalog, Identifier: o.Id, LastModifiedDate: o.LastModifiedDate,
		PrimaryNeedsFromAws: o.PrimaryNeedsFromAws, NationalSecurity: o.NationalSecurity,
		PartnerOpportunityIdentifier: o.PartnerOpportunityIdentifier, Customer: o.Customer, Project: o.Project,
		OpportunityType: o.OpportunityType, Marketing: o.Marketing, SoftwareRevenue: o.SoftwareRevenue, LifeCycle: &lc,
	})
}

// editable fetches random opportunities of the worker's share until one
// is in a review status that allows partner edits.
func (w *worker) editable(ctx context.Context) (*api.GetOpportunityResponse, error) {
	for range maxLockedPicks {
		var o api.GetOpportunityResponse
		in := &api.GetOpportunityRequest{Catalog: w.run.cfg.Catalog, Identifier: w.share[w.rng.IntN(len(w.share))]}
		if err := w.run.cfg.Client.Call(ctx, OpGet, in, &o); err != nil {
			return nil, err
		}
		if o.LifeCycle == nil {
			return nil, fmt.Errorf("opportunity %s has no LifeCycle", o.Id)
		}
		switch deref(o.LifeCycle.ReviewStatus) {
		case api.ReviewStatusSubmitted, api.ReviewStatusInReview, api.ReviewStatusRejected:
			continue // locked while AWS reviews it, or for good
		}
		return &o, nil
	}
	return nil, fmt.Errorf("no editable opportunity in %d picks", maxLockedPicks)
}

func (w *worker) list(ctx context.Context) {
	since := w.run.start.Add(-listWindow)
	r := w.sendJSON(ctx, OpList, &api.ListOpportunitiesRequest{
		Catalog: w.run.cfg.Catalog, MaxResults: ptr(int32(listPageSize)), NextToken: w.listToken,
		LifeCycleStage:   []api.Stage{api.StageQualified},
		LastModifiedDate: &api.LastModifiedDate{AfterLastModifiedDate: &since},
	})
	token, err := nextToken(r)
	if err != nil {
		w.listToken, w.listPages = nil, 0
		return
	}
	w.listPages++
	w.listToken = token
	if w.listPages == listPagesPerWalk {
		w.listToken = nil
	}
	if w.listToken == nil {
		w.listPages = 0
	}
}

// revenueGet reads a revenue attribution over CBOR. Each worker creates
// its own attribution first, unmeasured, so the run needs no seeding.
func (w *worker) revenueGet(ctx context.Context) {
	if w.attributionGet == nil {
		id, err := w.createAttribution(ctx)
		if err != nil {
			w.t.fail("prepare GetRevenueAttribution: "+err.Error(), true)
			return
		}
		if w.attributionGet, err = cbor.Marshal(map[string]string{"Catalog": w.run.cfg.Catalog, "Identifier": id}); err != nil {
			w.t.fail(err.Error(), true)
			return
		}
	}
	r, err := w.run.cfg.Client.DoCBOR(ctx, OpRevenueGet, w.attributionGet)
	w.tallyResponse(r, err)
}

func (w *worker) createAttribution(ctx context.Context) (string, error) {
	body, err := cbor.Marshal(map[string]string{"Catalog": w.run.cfg.Catalog, "TenancyModel": "MULTI_TENANT",
		"Name": fmt.Sprintf("bench-%s-%d", w.run.id, w.index), "Description": "cosell bench"})
	if err != nil {
		return "", err
	}
	r, err := w.run.cfg.Client.DoCBOR(ctx, "CreateRevenueAttribution", body)
	if err != nil {
		return "", err
	}
	var out struct {
		Id string `cbor:"Id"`
	}
	if !r.OK() {
		return "", fmt.Errorf("HTTP %d %s", r.Status, r.ErrorType)
	}
	if err := cbor.Unmarshal(r.Body, &out); err != nil {
		return "", err
	}
	return out.Id, nil
}

// nextTokenKey is where a ListOpportunities page names its next one.
var nextTokenKey = []byte(`"NextToken":`)

// nextToken reads a page's NextToken without decoding its 100 summaries:
// the bench client shares the cores with the server it measures, and
// decoding every page cost a fifth of the CPU of a List run. No summary
// member is called NextToken and quotes in text are escaped, so the last
// occurrence of the key is the page's own; a page without one is the last.
func nextToken(r *Response) (*string, error) {
	if r == nil {
		return nil, errors.New("no page")
	}
	i := bytes.LastIndex(r.Body, nextTokenKey)
	if i < 0 {
		return nil, nil
	}
	var token *string
	if err := json.NewDecoder(bytes.NewReader(r.Body[i+len(nextTokenKey):])).Decode(&token); err != nil {
		return nil, fmt.Errorf("NextToken: %w", err)
	}
	return token, nil
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

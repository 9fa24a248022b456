package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/selling"
	"github.com/cosell/cosell/internal/store"
)

// The opportunity page: every field, as GetOpportunity answers it, its
// related entities, the AWS summary, the engagements it is in with their
// snapshots (and what changed between revisions), its events and the
// LastModifiedDate history those events trace.

// maxRevisions bounds how many snapshot revisions the page fetches.
const maxRevisions = 20

func (c *console) opportunityRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"opportunities/{catalog}/{account}/{id}", c.opportunity)
}

// field is one leaf of a JSON document: its dotted path and value.
type field struct {
	Path, Value string
}

// revision is one snapshot revision and how it differs from the one before.
type revision struct {
	Number  int32
	Arn     string
	Payload json.RawMessage
	Changes []change // against the previous revision; empty for the first
}

type change struct {
	Path, Before, After string
}

type snapshotSeries struct {
	Engagement string
	Template   string
	Revisions  []revision
}

type historyEntry struct {
	Seq        int64
	Time       string
	DetailType string
	Body       json.RawMessage
}

type opportunityData struct {
	ID, Catalog, Account string
	Card                 card
	Fields               []field
	Raw                  json.RawMessage
	Related              []field
	AwsSummary           json.RawMessage
	AwsSummaryError      string
	Engagements          []string
	Snapshots            []snapshotSeries
	Events               []historyEntry
	Modified             []string // when each Created/Updated event was emitted, to the millisecond
	ReviewStatuses       []api.ReviewStatus
	HistoryWindow        int
}

func (c *console) opportunity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	catalog, account, id := r.PathValue("catalog"), r.PathValue("account"), r.PathValue("id")
	sc := scope{Account: account, Catalog: catalog}
	opp, err := c.cfg.Selling.Opportunity(ctx, account, catalog, id)
	if err != nil {
		status := http.StatusInternalServerError
		if apierr.Is(err, apierr.KindNotFound) || apierr.Is(err, apierr.KindValidation) {
			status = http.StatusNotFound
		}
		c.render(w, r, status, "notfound", page{Title: "No such opportunity", Scope: sc, Error: describe(err)})
		return
	}
	raw, err := json.Marshal(opp)
	if err != nil {
		c.failed(w, r, http.StatusInternalServerError, err)
		return
	}
	d := opportunityData{ID: id, Catalog: catalog, Account: account, Raw: raw, ReviewStatuses: reviewOutcomes}
	d.Card = cardOfOpportunity(opp)
	d.Fields = flatten(raw)
	if rel, err := json.Marshal(opp.RelatedEntityIdentifiers); err == nil {
		d.Related = flatten(rel)
	}
	if s, err := c.cfg.Selling.GetAwsOpportunitySummary(ctx, account, &api.GetAwsOpportunitySummaryRequest{Catalog: catalog, RelatedOpportunityIdentifier: id}); err != nil {
		d.AwsSummaryError = describe(err)
	} else {
		d.AwsSummary, _ = json.Marshal(s)
	}
	if err := c.engagementsOf(r, &d); err != nil {
		c.failed(w, r, http.StatusInternalServerError, err)
		return
	}
	events, err := c.cfg.Selling.OpportunityEvents(ctx, account, catalog, id)
	if err != nil {
		c.failed(w, r, http.StatusInternalServerError, err)
		return
	}
	for _, e := range events {
		d.Events = append(d.Events, historyEntry{Seq: e.Seq, Time: formatTime(e.Time), DetailType: e.DetailType, Body: e.Body})
		if e.DetailType == "Opportunity Created" || e.DetailType == "Opportunity Updated" {
			d.Modified = append(d.Modified, store.FormatMillis(e.Time))
		}
	}
	d.HistoryWindow = selling.HistoryWindow
	c.render(w, r, http.StatusOK, "opportunity", page{Title: "Opportunity " + id, Nav: "pipeline", Scope: sc, Data: &d})
}

// reviewOutcomes are the review statuses AWS may set by hand.
var reviewOutcomes = []api.ReviewStatus{api.ReviewStatusInReview, api.ReviewStatusApproved, api.ReviewStatusActionRequired, api.ReviewStatusRejected}

func cardOfOpportunity(o *api.GetOpportunityResponse) card {
	s := api.OpportunitySummary{Id: &o.Id, LastModifiedDate: &o.LastModifiedDate, CreatedDate: &o.CreatedDate}
	if o.LifeCycle != nil {
		s.LifeCycle = &api.LifeCycleSummary{Stage: o.LifeCycle.Stage, ReviewStatus: o.LifeCycle.ReviewStatus, TargetCloseDate: o.LifeCycle.TargetCloseDate}
	}
	c := cardOf(&s)
	if o.Customer != nil && o.Customer.Account != nil {
		c.Company = o.Customer.Account.CompanyName
	}
	if o.Project != nil {
		c.Title = deref(o.Project.Title)
	}
	if o.OpportunityType != nil {
		c.Origin = string(*o.OpportunityType)
	}
	return c
}

// engagementsOf fills the engagements the opportunity is associated with
// and, for each, its snapshot revisions with their differences.
func (c *console) engagementsOf(r *http.Request, d *opportunityData) error {
	ctx := r.Context()
	assoc, err := c.cfg.Selling.ListEngagementResourceAssociations(ctx, d.Account, &api.ListEngagementResourceAssociationsRequest{
		Catalog: d.Catalog, ResourceType: ptr(api.ResourceTypeOpportunity), ResourceIdentifier: &d.ID, MaxResults: ptr(int32(50)),
	})
	if err != nil {
		return err
	}
	for _, a := range assoc.EngagementResourceAssociationSummaries {
		eng := deref(a.EngagementId)
		d.Engagements = append(d.Engagements, eng)
		list, err := c.cfg.Selling.ListResourceSnapshots(ctx, d.Account, &api.ListResourceSnapshotsRequest{
			Catalog: d.Catalog, EngagementIdentifier: eng, ResourceType: ptr(api.ResourceTypeOpportunity), ResourceIdentifier: &d.ID, MaxResults: ptr(int32(maxRevisions)),
		})
		if err != nil {
			// A member may not read another's snapshots: show the engagement without them.
			continue
		}
		series := map[string]*snapshotSeries{}
		var order []string
		for _, s := range list.ResourceSnapshotSummaries {
			tmpl := deref(s.ResourceSnapshotTemplateName)
			got, err := c.cfg.Selling.GetResourceSnapshot(ctx, d.Account, &api.GetResourceSnapshotRequest{
				Catalog: d.Catalog, EngagementIdentifier: eng, ResourceType: api.ResourceTypeOpportunity, ResourceIdentifier: d.ID,
				ResourceSnapshotTemplateIdentifier: tmpl, Revision: s.Revision,
			})
			if err != nil {
				continue
			}
			body, err := json.Marshal(got.Payload)
			if err != nil {
				return err
			}
			if series[tmpl] == nil {
				series[tmpl] = &snapshotSeries{Engagement: eng, Template: tmpl}
				order = append(order, tmpl)
			}
			var n int32
			if s.Revision != nil {
				n = *s.Revision
			}
			series[tmpl].Revisions = append(series[tmpl].Revisions, revision{Number: n, Arn: deref(s.Arn), Payload: body})
		}
		for _, tmpl := range order {
			s := series[tmpl]
			sort.Slice(s.Revisions, func(i, j int) bool { return s.Revisions[i].Number < s.Revisions[j].Number })
			for i := 1; i < len(s.Revisions); i++ {
				s.Revisions[i].Changes = diff(s.Revisions[i-1].Payload, s.Revisions[i].Payload)
			}
			d.Snapshots = append(d.Snapshots, *s)
		}
	}
	return nil
}

// flatten lists a JSON document's leaves by dotted path, in document
// order of the keys sorted at each level; list items are numbered.
func flatten(raw json.RawMessage) []field {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	var out []field
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(join(path, k), x[k])
			}
		case []any:
			if len(x) == 0 {
				out = append(out, field{path, "(none)"})
			}
			for i, item := range x {
				walk(join(path, strconv.Itoa(i)), item)
			}
		case nil:
			out = append(out, field{path, "null"})
		case string:
			out = append(out, field{path, x})
		default:
			out = append(out, field{path, fmt.Sprint(x)})
		}
	}
	walk("", v)
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// diff lists the leaves that differ between two documents.
func diff(before, after json.RawMessage) []change {
	b, a := map[string]string{}, map[string]string{}
	var paths []string
	for _, f := range flatten(before) {
		b[f.Path] = f.Value
		paths = append(paths, f.Path)
	}
	for _, f := range flatten(after) {
		if _, ok := b[f.Path]; !ok {
			paths = append(paths, f.Path)
		}
		a[f.Path] = f.Value
	}
	sort.Strings(paths)
	var out []change
	for _, p := range paths {
		old, hadOld := b[p]
		now, hasNow := a[p]
		switch {
		case !hadOld:
			out = append(out, change{p, "(absent)", now})
		case !hasNow:
			out = append(out, change{p, old, "(absent)"})
		case old != now:
			out = append(out, change{p, old, now})
		}
	}
	return out
}

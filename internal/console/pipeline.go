package console

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	api "github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/validate"
)

// The pipeline: an account's opportunities in a catalog, as a board by
// stage and as a table with ListOpportunities' filters. Both read through
// the Selling domain's ListOpportunities, which pages by keyset, so a page
// costs the same at ten opportunities or a million: nothing here ever
// loads more than a page.

const (
	boardColumnSize = 12 // cards per stage on the board
	tablePageSize   = 50
)

func (c *console) pipelineRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"pipeline", c.board)
	mux.HandleFunc("GET "+Prefix+"pipeline/table", c.table)
}

// card is one opportunity as the board and the table show it. A listing's
// summaries carry no title, so only the opportunity page fills Title.
type card struct {
	ID, Title, Company, Stage, ReviewStatus, TargetClose, Origin string
	LastModified, Created                                        string
}

func cardOf(s *api.OpportunitySummary) card {
	c := card{ID: deref(s.Id)}
	if s.LastModifiedDate != nil {
		c.LastModified = formatTime(*s.LastModifiedDate)
	}
	if s.CreatedDate != nil {
		c.Created = formatTime(*s.CreatedDate)
	}
	if lc := s.LifeCycle; lc != nil {
		if lc.Stage != nil {
			c.Stage = string(*lc.Stage)
		}
		if lc.ReviewStatus != nil {
			c.ReviewStatus = string(*lc.ReviewStatus)
		}
		c.TargetClose = deref(lc.TargetCloseDate)
	}
	if s.Customer != nil && s.Customer.Account != nil {
		c.Company = s.Customer.Account.CompanyName
	}
	return c
}

// column is one stage of the board.
type column struct {
	Stage string
	Cards []card
	More  bool // more opportunities in this stage than the board shows
}

type boardData struct {
	Columns []column
	Total   int
}

// board answers GET /console/pipeline: one column per stage, each with
// the stage's most recently modified opportunities.
// ?fragment=1 answers the board alone, which the page's script fetches
// again when an event arrives, so the board follows the API live.
func (c *console) board(w http.ResponseWriter, r *http.Request) {
	sc := c.scopeOf(r)
	var data boardData
	for _, stage := range api.Stage("").Values() {
		in := &api.ListOpportunitiesRequest{Catalog: sc.Catalog, MaxResults: ptr(int32(boardColumnSize)), LifeCycleStage: []api.Stage{stage}}
		out, err := c.cfg.Selling.ListOpportunities(r.Context(), sc.Account, in)
		if err != nil {
			c.failed(w, r, http.StatusInternalServerError, err)
			return
		}
		col := column{Stage: string(stage), More: out.NextToken != nil}
		for _, raw := range out.OpportunitySummaries {
			var s api.OpportunitySummary
			if err := json.Unmarshal(raw, &s); err != nil {
				c.failed(w, r, http.StatusInternalServerError, err)
				return
			}
			col.Cards = append(col.Cards, cardOf(&s))
		}
		data.Total += len(col.Cards)
		data.Columns = append(data.Columns, col)
	}
	p := page{Title: "Pipeline", Nav: "pipeline", Scope: sc, Data: data}
	if r.URL.Query().Get("fragment") == "1" {
		c.execute(w, r, http.StatusOK, "board", "columns", p)
		return
	}
	c.render(w, r, http.StatusOK, "board", p)
}

// tableData is the table page: the filters as given, so the form keeps
// them, and one page of rows.
type tableData struct {
	Scope        scope
	Filter       tableFilter
	Rows         []card
	NextToken    string
	Stages       []api.Stage
	ReviewStatus []api.ReviewStatus
	SortFields   []api.OpportunitySortName
}

// query is the filter as URL parameters, for links that keep it.
func (d *tableData) query(sortBy, order, next string) url.Values {
	f := d.Filter
	v := url.Values{"account": {d.Scope.Account}, "catalog": {d.Scope.Catalog}}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("id", f.Identifier)
	set("company", f.Company)
	v["stage"], v["review"] = f.Stages, f.ReviewStatuses
	set("modifiedAfter", f.ModifiedAfter)
	set("modifiedBefore", f.ModifiedBefore)
	set("createdAfter", f.CreatedAfter)
	set("createdBefore", f.CreatedBefore)
	set("closeAfter", f.CloseAfter)
	set("closeBefore", f.CloseBefore)
	set("sort", sortBy)
	set("order", order)
	set("next", next)
	return v
}

// SortLink is the table sorted by field: descending first, ascending
// when it already is sorted by it descending.
func (d *tableData) SortLink(field string) template.URL {
	order := string(api.SortOrderDescending)
	if d.sortedBy() == field && d.Filter.SortOrder != string(api.SortOrderAscending) {
		order = string(api.SortOrderAscending)
	}
	return template.URL(d.query(field, order, "").Encode())
}

// NextLink is the next page in the same order.
func (d *tableData) NextLink() template.URL {
	return template.URL(d.query(d.Filter.SortBy, d.Filter.SortOrder, d.NextToken).Encode())
}

// FirstLink is the first page in the same order.
func (d *tableData) FirstLink() template.URL {
	return template.URL(d.query(d.Filter.SortBy, d.Filter.SortOrder, "").Encode())
}

// SortState is how a column header tells assistive technology the order.
func (d *tableData) SortState(field string) string {
	if d.sortedBy() != field {
		return "none"
	}
	if d.Filter.SortOrder == string(api.SortOrderAscending) {
		return "ascending"
	}
	return "descending"
}

func (d *tableData) sortedBy() string {
	if d.Filter.SortBy == "" {
		return string(api.OpportunitySortNameLastModifiedDate)
	}
	return d.Filter.SortBy
}

// Has says whether a multi-value filter includes v, for checked boxes.
func (f tableFilter) Has(values []string, v string) bool { return slices.Contains(values, v) }

// tableFilter is ListOpportunities' filters as the table's form names them.
type tableFilter struct {
	Identifier, Company           string
	Stages, ReviewStatuses        []string
	ModifiedAfter, ModifiedBefore string // YYYY-MM-DD
	CreatedAfter, CreatedBefore   string
	CloseAfter, CloseBefore       string
	SortBy, SortOrder             string
	NextToken                     string
}

func filterOf(r *http.Request) tableFilter {
	q := r.URL.Query()
	return tableFilter{
		Identifier: strings.TrimSpace(q.Get("id")), Company: strings.TrimSpace(q.Get("company")),
		Stages: q["stage"], ReviewStatuses: q["review"],
		ModifiedAfter: q.Get("modifiedAfter"), ModifiedBefore: q.Get("modifiedBefore"),
		CreatedAfter: q.Get("createdAfter"), CreatedBefore: q.Get("createdBefore"),
		CloseAfter: q.Get("closeAfter"), CloseBefore: q.Get("closeBefore"),
		SortBy: q.Get("sort"), SortOrder: q.Get("order"), NextToken: q.Get("next"),
	}
}

// request turns the form into the ListOpportunities request it stands for.
func (f tableFilter) request(catalog string) (*api.ListOpportunitiesRequest, error) {
	in := &api.ListOpportunitiesRequest{Catalog: catalog, MaxResults: ptr(int32(tablePageSize))}
	if f.Identifier != "" {
		in.Identifier = strings.Fields(strings.ReplaceAll(f.Identifier, ",", " "))
	}
	if f.Company != "" {
		in.CustomerCompanyName = []string{f.Company}
	}
	for _, s := range f.Stages {
		in.LifeCycleStage = append(in.LifeCycleStage, api.Stage(s))
	}
	for _, s := range f.ReviewStatuses {
		in.LifeCycleReviewStatus = append(in.LifeCycleReviewStatus, api.ReviewStatus(s))
	}
	day := func(name, v string) (*time.Time, error) {
		if v == "" {
			return nil, nil
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return nil, fmt.Errorf("%s: want a date as YYYY-MM-DD, not %q", name, v)
		}
		return &t, nil
	}
	var err error
	var after, before *time.Time
	if after, err = day("modified after", f.ModifiedAfter); err != nil {
		return nil, err
	}
	if before, err = day("modified before", f.ModifiedBefore); err != nil {
		return nil, err
	}
	if after != nil || before != nil {
		in.LastModifiedDate = &api.LastModifiedDate{AfterLastModifiedDate: after, BeforeLastModifiedDate: before}
	}
	if after, err = day("created after", f.CreatedAfter); err != nil {
		return nil, err
	}
	if before, err = day("created before", f.CreatedBefore); err != nil {
		return nil, err
	}
	if after != nil || before != nil {
		in.CreatedDate = &api.CreatedDateFilter{AfterCreatedDate: after, BeforeCreatedDate: before}
	}
	if f.CloseAfter != "" || f.CloseBefore != "" {
		in.TargetCloseDate = &api.TargetCloseDateFilter{}
		if f.CloseAfter != "" {
			in.TargetCloseDate.AfterTargetCloseDate = &f.CloseAfter
		}
		if f.CloseBefore != "" {
			in.TargetCloseDate.BeforeTargetCloseDate = &f.CloseBefore
		}
	}
	if f.SortBy != "" {
		in.Sort = &api.OpportunitySort{SortBy: api.OpportunitySortName(f.SortBy), SortOrder: api.SortOrderDescending}
		if f.SortOrder == string(api.SortOrderAscending) {
			in.Sort.SortOrder = api.SortOrderAscending
		}
	}
	if f.NextToken != "" {
		in.NextToken = &f.NextToken
	}
	return in, nil
}

// table answers GET /console/pipeline/table: one page of the filtered,
// sorted listing; "next" carries the domain's own page token.
func (c *console) table(w http.ResponseWriter, r *http.Request) {
	sc := c.scopeOf(r)
	f := filterOf(r)
	data := tableData{Scope: sc, Filter: f, Stages: api.Stage("").Values(), ReviewStatus: api.ReviewStatus("").Values(), SortFields: api.OpportunitySortName("").Values()}
	p := page{Title: "Opportunities", Nav: "table", Scope: sc, Data: &data}
	in, err := f.request(sc.Catalog)
	if err == nil {
		err = checkRequest("ListOpportunities", in)
	}
	if err == nil {
		var out *listPage
		if out, err = c.listPage(r, sc.Account, in); err == nil {
			data.Rows, data.NextToken = out.rows, out.next
		}
	}
	if err != nil {
		p.Error = describe(err)
		c.render(w, r, http.StatusBadRequest, "table", p)
		return
	}
	c.render(w, r, http.StatusOK, "table", p)
}

type listPage struct {
	rows []card
	next string
}

func (c *console) listPage(r *http.Request, account string, in *api.ListOpportunitiesRequest) (*listPage, error) {
	out, err := c.cfg.Selling.ListOpportunities(r.Context(), account, in)
	if err != nil {
		return nil, err
	}
	p := &listPage{next: deref(out.NextToken)}
	for _, raw := range out.OpportunitySummaries {
		var s api.OpportunitySummary
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		p.rows = append(p.rows, cardOf(&s))
	}
	return p, nil
}

// checkRequest holds a request the console built to the model's rules,
// as the API endpoint does before the domain sees it: a filter typed into
// the form gets the ValidationException an SDK call would.
func checkRequest(operation string, in any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return validate.Request(api.Service.Operations[operation], body)
}

func ptr[T any](v T) *T { return &v }

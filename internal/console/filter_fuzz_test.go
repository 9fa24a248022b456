package console

import (
	"net/http"
	"net/url"
	"testing"
)

// Whatever a table URL carries, turning it into a ListOpportunities
// request and checking that against the model answers an error or a
// request; it never panics.
func FuzzTableFilter(f *testing.F) {
	f.Add("stage=Prospect&review=Approved&sort=Identifier&order=ASCENDING")
	f.Add("modifiedAfter=2026-01-01&modifiedBefore=2026-13-40&closeAfter=2026-02-30")
	f.Add("id=O1%2CO2++O3&company=%00&next=%ff")
	f.Add("sort=Nope&order=sideways&stage=&review=%22")
	f.Fuzz(func(t *testing.T, query string) {
		if _, err := url.ParseQuery(query); err != nil {
			return
		}
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/console/pipeline/table", RawQuery: query}}
		in, err := filterOf(r).request("Sandbox")
		if err != nil {
			return
		}
		_ = checkRequest("ListOpportunities", in)
		d := &tableData{Filter: filterOf(r)}
		_, _ = d.SortLink("Identifier"), d.NextLink()
	})
}

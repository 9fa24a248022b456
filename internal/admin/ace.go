package admin

import (
	"context"
	"net/http"
)

// The S3 file exchange's AWS side: AWS exports new and updated referrals
// to partners' buckets hourly; these routes run an export now and say
// which bucket is whose, so a test need not wait for the hour.

// Exchange is what the exchange routes ask of the server.
type Exchange interface {
	// Export writes the partner's outbound files for catalog now.
	Export(ctx context.Context, account, catalog string) (*ExportOutcome, error)
	Buckets() []Bucket
}

// ExportRequest is the body of POST /_cosell/aws/ace/export.
type ExportRequest struct {
	Account string `json:"account"`
	Catalog string `json:"catalog"`
}

// ExportOutcome is what an export wrote.
type ExportOutcome struct {
	Bucket        string   `json:"bucket"`
	Keys          []string `json:"keys"`
	Opportunities int      `json:"opportunities"`
	Leads         int      `json:"leads"`
}

// Bucket is one partner's ACE bucket for one catalog.
type Bucket struct {
	Account string `json:"account"`
	SpmsID  string `json:"spmsId"`
	Catalog string `json:"catalog"`
	Name    string `json:"bucket"`
}

func aceRoutes(mux *http.ServeMux, x Exchange) {
	const p = Prefix + "aws/ace/"
	mux.HandleFunc("GET "+p+"buckets", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, x.Buckets()) })
	mux.HandleFunc("POST "+p+"export", func(w http.ResponseWriter, r *http.Request) {
		var in ExportRequest
		if !readBody(w, r, &in) {
			return
		}
		if in.Account == "" || in.Catalog == "" {
			writeError(w, http.StatusBadRequest, `give "account" (the partner) and "catalog" (AWS or Sandbox)`)
			return
		}
		out, err := x.Export(r.Context(), in.Account, in.Catalog)
		answer(w, out, err)
	})
}

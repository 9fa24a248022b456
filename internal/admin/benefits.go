package admin

import (
	"context"
	"encoding/json"
	"net/http"
)

// The Benefits API's AWS side, under /_cosell/aws/benefits/: reviewing
// benefit applications, processing their files, moving allocations and
// editing the benefit catalog. Bodies pass through as JSON for the domain
// to check; the answers are the domain's.

// BenefitsSide is what the Benefits routes ask of the domain.
type BenefitsSide interface {
	// ReviewApplication takes a decision: {"decision": ACTION_REQUIRED |
	// STAGE | APPROVED | REJECTED, "stage", "reason", "reasonCode",
	// "reasonCodes", "allocations"}.
	ReviewApplication(ctx context.Context, catalog, account, id string, body json.RawMessage) (json.RawMessage, error)
	// ProcessFile ends a file's processing: {"fileUri", "status": SUCCEEDED | FAILED, "reason"}.
	ProcessFile(ctx context.Context, catalog, account, id string, body json.RawMessage) (json.RawMessage, error)
	// ChangeAllocation moves an allocation: {"status", "reason", "expiresAt"}.
	ChangeAllocation(ctx context.Context, catalog, account, id string, body json.RawMessage) (json.RawMessage, error)
	// Catalog lists a catalog's benefits as AWS's side edits them.
	Catalog(ctx context.Context, catalog string) (json.RawMessage, error)
	// PutBenefit adds a benefit (id "") or replaces one.
	PutBenefit(ctx context.Context, catalog, id string, body json.RawMessage) (json.RawMessage, error)
}

func benefitsRoutes(mux *http.ServeMux, b BenefitsSide) {
	const p = Prefix + "aws/benefits/"
	mux.HandleFunc("POST "+p+"applications/{catalog}/{account}/{id}/review", withApplication(b.ReviewApplication))
	mux.HandleFunc("POST "+p+"applications/{catalog}/{account}/{id}/files", withApplication(b.ProcessFile))
	mux.HandleFunc("POST "+p+"allocations/{catalog}/{account}/{id}", withApplication(b.ChangeAllocation))
	mux.HandleFunc("GET "+p+"catalog/{catalog}", func(w http.ResponseWriter, r *http.Request) {
		out, err := b.Catalog(r.Context(), r.PathValue("catalog"))
		answer(w, &out, err)
	})
	mux.HandleFunc("POST "+p+"catalog/{catalog}", putBenefit(b))
	mux.HandleFunc("PUT "+p+"catalog/{catalog}/{id}", putBenefit(b))
}

// withApplication serves a route on one resource of an account's catalog.
func withApplication(fn func(ctx context.Context, catalog, account, id string, body json.RawMessage) (json.RawMessage, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in json.RawMessage
		if !readBody(w, r, &in) {
			return
		}
		out, err := fn(r.Context(), r.PathValue("catalog"), r.PathValue("account"), r.PathValue("id"), in)
		answer(w, &out, err)
	}
}

func putBenefit(b BenefitsSide) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in json.RawMessage
		if !readBody(w, r, &in) {
			return
		}
		out, err := b.PutBenefit(r.Context(), r.PathValue("catalog"), r.PathValue("id"), in)
		answer(w, &out, err)
	}
}

package admin

import (
	"context"
	"errors"
	"net/http"
)

// Resetter empties the server, or one account's catalog.
type Resetter interface {
	ResetAll(ctx context.Context) error
	// ResetScope returns an error wrapping ErrBadScope for an account or
	// catalog the server does not have.
	ResetScope(ctx context.Context, account, catalog string) error
}

// ErrBadScope is a reset of an account or catalog that does not exist.
var ErrBadScope = errors.New("no such account or catalog")

// resetState is the answer of POST /_cosell/reset.
type resetState struct {
	Reset   string `json:"reset"` // "all" or "scope"
	Account string `json:"account,omitempty"`
	Catalog string `json:"catalog,omitempty"`
}

// reset answers POST /_cosell/reset: the whole server, or with ?account=
// and &catalog= (both, or neither) one account's catalog.
func reset(rs Resetter) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		account, catalog := q.Get("account"), q.Get("catalog")
		if (account == "") != (catalog == "") {
			writeError(w, http.StatusBadRequest, "give both account and catalog to reset one account's catalog, or neither to reset everything")
			return
		}
		if account == "" {
			if err := rs.ResetAll(r.Context()); err != nil {
				writeError(w, http.StatusInternalServerError, "reset: "+err.Error())
				return
			}
			writeJSON(w, http.StatusOK, resetState{Reset: "all"})
			return
		}
		if err := rs.ResetScope(r.Context(), account, catalog); err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, ErrBadScope) {
				status = http.StatusBadRequest
			}
			writeError(w, status, "reset: "+err.Error())
			return
		}
		writeJSON(w, http.StatusOK, resetState{Reset: "scope", Account: account, Catalog: catalog})
	}
}

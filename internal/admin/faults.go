package admin

import (
	"net/http"
	"strconv"

	"github.com/cosell/cosell/internal/faults"
)

// faultRoutes serve /_cosell/faults: GET lists the rules in evaluation
// order, PUT replaces them, POST appends (a rule already present is not
// added twice), DELETE removes the rules in its body, or all of them with
// no body. Every answer is the list as it now stands. ?seed=N on any
// write restarts the random draws from N, for reproducible runs.
func faultRoutes(mux *http.ServeMux, in *faults.Injector) {
	mux.HandleFunc("GET "+Prefix+"faults", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, rulesOrEmpty(in.Rules()))
	})
	write := func(apply func([]faults.Rule) error, bodyOptional bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			var seed uint64
			hasSeed := r.URL.Query().Has("seed")
			if hasSeed {
				var err error
				if seed, err = strconv.ParseUint(r.URL.Query().Get("seed"), 10, 64); err != nil {
					writeError(w, http.StatusBadRequest, "seed: want a non-negative integer")
					return
				}
			}
			var rules []faults.Rule
			if !(bodyOptional && r.ContentLength == 0) {
				if err := readJSON(w, r, &rules); err != nil {
					writeError(w, http.StatusBadRequest, "body: want a JSON list of rules: "+err.Error())
					return
				}
			}
			if err := apply(rules); err != nil {
				writeError(w, http.StatusBadRequest, err.Error())
				return
			}
			if hasSeed {
				in.Seed(seed)
			}
			writeJSON(w, http.StatusOK, rulesOrEmpty(in.Rules()))
		}
	}
	mux.HandleFunc("PUT "+Prefix+"faults", write(in.Set, false))
	mux.HandleFunc("POST "+Prefix+"faults", write(in.Add, false))
	mux.HandleFunc("DELETE "+Prefix+"faults", write(in.Remove, true))
}

// rulesOrEmpty keeps an empty list "[]" rather than "null" on the wire.
func rulesOrEmpty(rules []faults.Rule) []faults.Rule {
	if rules == nil {
		return []faults.Rule{}
	}
	return rules
}

// Package localstack serves the few LocalStack control endpoints that
// tooling written for LocalStack calls, so it works against cosell
// unchanged: the health check, the state reset and the Chaos API's fault
// rules. Like LocalStack's, they need no credentials unless the server
// guards them (with its admin token); the health check is always open.
package localstack

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/cosell/cosell/internal/faults"
)

// maxBody bounds a rule list; rules are small.
const maxBody = 64 << 10

// Config is what the endpoints act on.
type Config struct {
	Services []string // LocalStack-style service names reported "running"
	Faults   *faults.Injector
	ResetAll func(ctx context.Context) error
	// Guard, when set, wraps every route but the health check: the state
	// reset and the fault rules change the server.
	Guard func(http.Handler) http.Handler
}

// Mount adds the endpoints to mux.
func Mount(mux *http.ServeMux, cfg Config) error {
	if cfg.Faults == nil || cfg.ResetAll == nil {
		return errors.New("localstack: Faults and ResetAll are required")
	}
	mux.HandleFunc("GET /_localstack/health", health(cfg.Services))
	mux.HandleFunc("HEAD /_localstack/health", health(cfg.Services))
	guarded := http.NewServeMux()
	mux.Handle("/_localstack/", guard(cfg.Guard, guarded))
	mount(guarded, cfg)
	return nil
}

func guard(g func(http.Handler) http.Handler, h http.Handler) http.Handler {
	if g == nil {
		return h
	}
	return g(h)
}

// mount adds the routes that change the server.
func mount(mux *http.ServeMux, cfg Config) {
	mux.HandleFunc("POST /_localstack/state/reset", func(w http.ResponseWriter, r *http.Request) {
		if err := cfg.ResetAll(r.Context()); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{})
	})
	in := cfg.Faults
	mux.HandleFunc("GET /_localstack/chaos/faults", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, faults.ToLocalStack(in.Rules()))
	})
	// LocalStack's documented verbs: POST sets the whole configuration,
	// PATCH adds rules to it, DELETE removes the rules given. PUT is taken
	// as POST, for clients that use it to replace.
	replace := change(in, in.Set)
	mux.HandleFunc("POST /_localstack/chaos/faults", replace)
	mux.HandleFunc("PUT /_localstack/chaos/faults", replace)
	mux.HandleFunc("PATCH /_localstack/chaos/faults", change(in, in.Add))
	mux.HandleFunc("DELETE /_localstack/chaos/faults", change(in, in.Remove))
}

// change applies a rule list from the body and answers the rules as they
// now stand.
func change(in *faults.Injector, apply func([]faults.Rule) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var rules []faults.LocalStackRule
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(&rules); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "body: want a JSON list of fault rules: " + err.Error()})
			return
		}
		if err := apply(faults.FromLocalStack(rules)); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, faults.ToLocalStack(in.Rules()))
	}
}

// healthState is LocalStack's /_localstack/health answer, trimmed to what
// cosell has.
type healthState struct {
	Services map[string]string `json:"services"`
	Edition  string            `json:"edition"`
}

func health(services []string) http.HandlerFunc {
	state := healthState{Services: map[string]string{}, Edition: "cosell"}
	for _, s := range services {
		state.Services[s] = "running"
	}
	return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, state) }
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

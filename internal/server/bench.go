package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/cosell/cosell/api/selling"
	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/smithy"
	"github.com/cosell/cosell/internal/validate"
	"github.com/cosell/cosell/internal/wire"
)

// The benchmark API is the ceiling `cosell bench` measures the real
// operations against: one operation, NoOp, that takes the whole request path
// (HTTP, routing, SigV4 verification, model validation, JSON encoding) and
// does no domain work. It is signed like the Selling API, so the signature
// check costs the same, and it exists only when Config.BenchNoOp is set.
const (
	benchServiceName = "CosellBench"
	benchTargetPref  = benchServiceName + "."
)

// benchService is the API's hand-made model: NoOp takes and returns an
// empty structure.
var benchService = func() *smithy.Service {
	empty := func(name string) *smithy.Shape {
		s := &smithy.Shape{ID: "cosell.bench#" + name, Name: name, Kind: smithy.KindStructure}
		s.IndexMembers()
		return s
	}
	return &smithy.Service{
		ID:          "cosell.bench#" + benchServiceName,
		Name:        benchServiceName,
		Namespace:   "cosell.bench",
		Version:     "1",
		SigningName: selling.Service.SigningName,
		Protocol:    smithy.AWSJSON10,
		Operations: map[string]*smithy.Operation{
			"NoOp": {Name: "NoOp", Input: empty("NoOpInput"), Output: empty("NoOpOutput"), ReadOnly: true, HTTPCode: http.StatusOK},
		},
		// Requests that fail before the operation (signature, validation)
		// get the Selling API's exceptions, as they would on a real call.
		ErrorsByName: selling.Service.ErrorsByName,
	}
}()

// noOpOutput is NoOp's answer; encoding it is the JSON-encode step.
type noOpOutput struct{}

// withBenchAPI puts the benchmark API in front of next when cfg.BenchNoOp is
// set, and returns next unchanged otherwise.
//
// The API shares its signing name with the Selling API, which a single
// wire.Endpoint refuses, because POST /<Operation> requests pick their
// service by signing name. So it gets its own endpoint and is reached by its
// X-Amz-Target prefix only: every other request, path-routed ones included,
// goes to next exactly as without the benchmark API.
func withBenchAPI(cfg Config, verifier *auth.Verifier, next http.Handler) http.Handler {
	if !cfg.BenchNoOp {
		return next
	}
	api := &wire.API{
		Service:  benchService,
		Validate: validate.Request,
		Handlers: map[string]wire.Handler{
			"NoOp": func(context.Context, []byte) (any, error) { return noOpOutput{}, nil },
		},
		Errors: wire.SellingErrors,
	}
	bench, err := wire.NewEndpoint(wire.Options{Verifier: verifier, Logger: cfg.Logger}, api)
	if err != nil {
		panic("server: benchmark API: " + err.Error()) // a fixed, valid definition: only a bug gets here
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("X-Amz-Target"), benchTargetPref) {
			bench.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

package wire

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkEndpoint is the protocol overhead of one signed call: route,
// read, verify SigV4, validate, decode, handle, encode, log.
func BenchmarkEndpoint(b *testing.B) {
	for _, bc := range []struct{ name, target string }{
		{"output", "AWSPartnerCentralSelling.Echo"},
		{"void", "AWSPartnerCentralSelling.Void"},
		{"validation-error", "AWSPartnerCentralSelling.Unimplemented"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e, _ := newTestEndpoint(b, fixtureHandlers())
			body := `{"Name":"benchmark"}`
			if bc.name == "validation-error" {
				body = `{"Name":"invalid"}`
			}
			req := serverRequest(b, call{target: bc.target, body: body, bodyHash: true})
			b.ReportAllocs()
			for b.Loop() {
				req.Body = io.NopCloser(strings.NewReader(body))
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

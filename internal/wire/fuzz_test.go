package wire

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// FuzzEndpoint throws client garbage at the endpoint: any method, path,
// target, content type and body, signed properly or carrying a fuzzed
// Authorization header. Garbage must never panic, never answer 5xx (the
// fixture's handlers cannot fail) and always carry a request id and a
// well-formed error.
func FuzzEndpoint(f *testing.F) {
	f.Add("POST", "/", "AWSPartnerCentralSelling.Echo", "application/x-amz-json-1.0", `{"Name":"a"}`, "")
	f.Add("POST", "/Echo", "", "application/json; charset=UTF-8", `{"Name":1}`, "")
	f.Add("POST", "/", "PartnerCentralAccount.Void", "application/x-amz-json-1.0", `[]`, "")
	f.Add("PUT", "/x/y", "AWSPartnerCentralSelling.", "text/plain", "\x00\xff", "")
	f.Add("POST", "/", "AWSPartnerCentralSelling.Raw", "application/x-amz-json-1.0", `{"Name":"invalid"}`, "AWS4-HMAC-SHA256 Credential=test/20260301/us-east-1/partnercentral-selling/aws4_request, SignedHeaders=host, Signature=00")
	f.Add("POST", "/", "AWSPartnerCentralSelling.Unimplemented", "application/x-amz-json-1.0", `{"Name":`, "Bearer x")

	handlers := fixtureHandlers()
	delete(handlers, "Panic") // both answer 500 on purpose
	delete(handlers, "Fail")
	e, _ := newTestEndpoint(f, handlers)
	f.Fuzz(func(t *testing.T, method, path, target, contentType, body, authorization string) {
		req, err := http.NewRequest(method, "http://127.0.0.1:4577"+path, strings.NewReader(body))
		if err != nil || req.URL.Host != "127.0.0.1:4577" {
			return // not a request a client could send
		}
		req.Host = req.URL.Host
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("X-Amz-Target", target)
		if authorization != "" {
			req.Header.Set("X-Amz-Date", testNow.Format("20060102T150405Z"))
			req.Header.Set("Authorization", authorization)
		} else {
			sum := sha256.Sum256([]byte(body))
			creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
			signing := sellingSigning
			if strings.HasPrefix(target, "PartnerCentralAccount") {
				signing = accountSigning
			}
			if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), signing, "us-east-1", testNow); err != nil {
				t.Fatal(err)
			}
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)

		if rec.Code >= 500 && rec.Code != http.StatusNotImplemented {
			t.Fatalf("status %d for client input: %s", rec.Code, rec.Body)
		}
		if rec.Header().Get("X-Amzn-RequestId") == "" {
			t.Fatal("no request id")
		}
		if rec.Code >= 400 {
			var e map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e["__type"] == nil || rec.Header().Get("X-Amzn-ErrorType") == "" {
				t.Fatalf("malformed error %d: %q", rec.Code, rec.Body)
			}
		}
	})
}

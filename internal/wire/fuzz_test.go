package wire

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/fxamacker/cbor/v2"

	"github.com/cosell/cosell/api/revenue"
	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/smithy"
	"github.com/cosell/cosell/internal/validate"
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
		if _, _, isRPCv2 := rpcV2Path(req.URL.Path); isRPCv2 {
			return // smithy-rpc-v2-cbor answers in CBOR: FuzzCBORRequest's
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

// FuzzCBORRequest throws garbage CBOR, paths and headers at the rpcv2Cbor
// fixture, signed properly so the body is decoded. Whatever comes in, the
// answer is never a panic or a 5xx, always echoes smithy-protocol, and an
// error is a well-formed CBOR map with __type. The seeds (with those under
// testdata/fuzz/FuzzCBORRequest) are the protocol's own edge cases.
func FuzzCBORRequest(f *testing.F) {
	ok := "a1 687265717569726564 6178"
	for _, seed := range []struct{ op, protocol, contentType, body string }{
		{"Scalars", "rpc-v2-cbor", "application/cbor", ok},
		{"Scalars", "rpc-v2-cbor", "application/cbor", "bf 687265717569726564 7f 6178 ff 6e74696d657374616d7056616c7565 c1 f9 3c00 ff"},
		{"Scalars", "rpc-v2-cbor", "application/cbor", "a2 687265717569726564 6178 6d6d617056616c7565 a1 616b c1 fb 41cc37db380fbe77"},
		{"Scalars", "rpc-v2-cbor", "application/cbor", "a1 696c69737456616c7565 9f 9f 9f ff ff ff"},
		{"Void", "rpc-v2-cbor", "", ""},
		{"Fail", "rpc-v2-json", "application/json", "7b7d"},
		{"Scalars", "rpc-v2-cbor", "application/cbor", "a2 687265717569726564 6178 66 6e6573746564 a1 63466f6f c0 74 323032362d30332d30315430303a30303a30305a"},
	} {
		body, err := hex.DecodeString(strings.ReplaceAll(seed.body, " ", ""))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed.op, seed.protocol, seed.contentType, body)
	}
	h := newCBORHarness(f)
	e := h.srv.Config.Handler
	f.Fuzz(func(t *testing.T, op, protocol, contentType string, body []byte) {
		req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:4577/service/CborFixture/operation/"+op, bytes.NewReader(body))
		if err != nil || req.URL.Host != "127.0.0.1:4577" {
			return
		}
		if _, _, isRPCv2 := rpcV2Path(req.URL.Path); !isRPCv2 {
			return // not an rpcv2Cbor request (FuzzEndpoint covers the rest)
		}
		req.Host = req.URL.Host
		req.Header.Set("Smithy-Protocol", protocol)
		req.Header.Set("Content-Type", contentType)
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), cborSigning, "us-east-1", testNow); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for client input %x: %x", rec.Code, body, rec.Body.Bytes())
		}
		if rec.Header().Get("Smithy-Protocol") != "rpc-v2-cbor" || rec.Header().Get("X-Amzn-RequestId") == "" {
			t.Fatalf("headers %v", rec.Header())
		}
		if rec.Code >= 400 {
			var v map[string]any
			if err := cbor.Unmarshal(rec.Body.Bytes(), &v); err != nil || v["__type"] == nil {
				t.Fatalf("malformed error %d: %x", rec.Code, rec.Body.Bytes())
			}
		}
	})
}

// FuzzCBORDocument fuzzes the decoder alone against the real Revenue
// Measurement model, all the way into the generated request types: any
// body either decodes, validates and fills the type, or is refused with a
// client error; nothing panics and nothing invalid reaches a handler.
func FuzzCBORDocument(f *testing.F) {
	ops := make([]*smithy.Operation, 0, len(revenue.Service.Operations))
	for _, name := range slices.Sorted(maps.Keys(revenue.Service.Operations)) {
		ops = append(ops, revenue.Service.Operations[name])
	}
	seeds := []string{
		"a0",
		"a1 67436174616c6f67 6753616e64626f78",
		"a2 67436174616c6f67 6753616e64626f78 6c43726561746564416674657 2 c1 1a 69000000",
		"bf 67436174616c6f67 7f 6353616e 6464626f78 ff 6a4d6178526573756c7473 1864 ff",
		"a2 67436174616c6f67 63415753 6b4964656e74696669657273 82 70 72612d616161616161616161616161 f6",
	}
	for i, s := range seeds {
		b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), b)
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		op := ops[int(which)%len(ops)]
		doc, err := cborDocument(op, body)
		if err != nil {
			if !apierr.Is(err, apierr.KindSerialization) {
				t.Fatalf("%s: decoder error %v is not a SerializationException", op.Name, err)
			}
			return
		}
		if !json.Valid(doc) {
			t.Fatalf("%s: decoder produced invalid JSON %q", op.Name, doc)
		}
		into := revenue.NewInput(op.Name)
		if err := validate.Decode(op, doc, into); err != nil {
			if _, ok := apierr.As(err); !ok {
				t.Fatalf("%s: %v is not a client error", op.Name, err)
			}
		}
	})
}

package wire

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/fxamacker/cbor/v2"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/metrics"
	"github.com/cosell/cosell/internal/smithy"
	"github.com/cosell/cosell/internal/validate"
)

// The CBOR fixture is a small rpcv2Cbor service whose Scalars operation
// echoes a structure with a member of every kind the protocol carries; the
// real validator checks its input, so constraints answer as they would on
// a generated service.

const (
	cborServiceName = "CborFixture"
	cborNamespace   = "cosell.fixture"
	cborSigning     = "partnercentral"
)

func scalarShape(name string, k smithy.Kind) *smithy.Shape {
	return &smithy.Shape{ID: cborNamespace + "#" + name, Name: name, Kind: k}
}

func cborFixture() *smithy.Service {
	ts := scalarShape("Timestamp", smithy.KindTimestamp)
	text := str()
	nested := structure("Nested", &smithy.Member{Name: "Foo", Target: text})
	scalars := structure("Scalars",
		&smithy.Member{Name: "stringValue", Target: &smithy.Shape{Name: "Short", Kind: smithy.KindString, Constraints: smithy.Constraints{Length: &smithy.Bounds{Max: smithy.Ptr(50)}}}},
		&smithy.Member{Name: "enumValue", Target: enum("Color", "RED", "BLUE")},
		&smithy.Member{Name: "trueBooleanValue", Target: scalarShape("Boolean", smithy.KindBoolean)},
		&smithy.Member{Name: "falseBooleanValue", Target: scalarShape("Boolean", smithy.KindBoolean)},
		&smithy.Member{Name: "byteValue", Target: scalarShape("Byte", smithy.KindByte)},
		&smithy.Member{Name: "shortValue", Target: scalarShape("Short", smithy.KindShort)},
		&smithy.Member{Name: "integerValue", Target: scalarShape("Integer", smithy.KindInteger)},
		&smithy.Member{Name: "longValue", Target: scalarShape("Long", smithy.KindLong)},
		&smithy.Member{Name: "floatValue", Target: scalarShape("Float", smithy.KindFloat)},
		&smithy.Member{Name: "doubleValue", Target: scalarShape("Double", smithy.KindDouble)},
		&smithy.Member{Name: "blobValue", Target: scalarShape("Blob", smithy.KindBlob)},
		&smithy.Member{Name: "timestampValue", Target: ts},
		&smithy.Member{Name: "listValue", Target: &smithy.Shape{Name: "List", Kind: smithy.KindList, ListMember: &smithy.Member{Name: "member", Target: text}}},
		&smithy.Member{Name: "mapValue", Target: &smithy.Shape{Name: "Map", Kind: smithy.KindMap, MapKey: &smithy.Member{Name: "key", Target: text}, MapValue: &smithy.Member{Name: "value", Target: ts}}},
		&smithy.Member{Name: "nested", Target: nested},
		&smithy.Member{Name: "required", Target: text, Required: true},
	)
	ops := map[string]*smithy.Operation{
		"Scalars": {Name: "Scalars", Input: scalars, Output: scalars, HTTPCode: 200},
		"Void":    {Name: "Void", Input: structure("VoidInput"), HTTPCode: 200},
		"Fail":    {Name: "Fail", Input: structure("FailInput", &smithy.Member{Name: "Kind", Target: text}), Output: structure("FailOutput"), HTTPCode: 200},
	}
	errs := map[string]*smithy.Shape{}
	for _, e := range []*smithy.Shape{
		errShape("ValidationException", 400, reason(true, "REQUEST_VALIDATION_FAILED", "BUSINESS_VALIDATION_FAILED")),
		errShape("ConflictException", 409, reason(false, "REVISION_MISMATCH")),
		errShape("ResourceNotFoundException", 404),
		errShape("ThrottlingException", 429),
		errShape("InternalServerException", 500),
	} {
		errs[e.Name] = e
	}
	return &smithy.Service{ID: cborNamespace + "#" + cborServiceName, Name: cborServiceName, Namespace: cborNamespace,
		SigningName: cborSigning, Protocol: smithy.RPCv2CBOR, Operations: ops, ErrorsByName: errs}
}

// scalarsDoc is Scalars as the handler sees it.
type scalarsDoc struct {
	StringValue       *string              `json:"stringValue,omitempty"`
	EnumValue         *string              `json:"enumValue,omitempty"`
	TrueBooleanValue  *bool                `json:"trueBooleanValue,omitempty"`
	FalseBooleanValue *bool                `json:"falseBooleanValue,omitempty"`
	ByteValue         *int8                `json:"byteValue,omitempty"`
	ShortValue        *int16               `json:"shortValue,omitempty"`
	IntegerValue      *int32               `json:"integerValue,omitempty"`
	LongValue         *int64               `json:"longValue,omitempty"`
	FloatValue        *float32             `json:"floatValue,omitempty"`
	DoubleValue       *float64             `json:"doubleValue,omitempty"`
	BlobValue         []byte               `json:"blobValue,omitempty"`
	TimestampValue    *time.Time           `json:"timestampValue,omitempty"`
	ListValue         []string             `json:"listValue,omitempty"`
	MapValue          map[string]time.Time `json:"mapValue,omitempty"`
	Nested            *struct {
		Foo string `json:"Foo"`
	} `json:"nested,omitempty"`
	Required string `json:"required"`
}

type cborHarness struct {
	srv    *httptest.Server
	admit  func(Call) error
	echoed *scalarsDoc // the last Scalars input the handler saw
}

func newCBORHarness(t testing.TB) *cborHarness {
	t.Helper()
	h := &cborHarness{}
	handlers := map[string]Handler{
		"Scalars": Op(func(_ context.Context, in *scalarsDoc) (*scalarsDoc, error) {
			h.echoed = in
			return in, nil
		}),
		"Void": Op(func(context.Context, *struct{}) (*struct{}, error) { return &struct{}{}, nil }),
		"Fail": Op(func(_ context.Context, in *echoIn) (*struct{}, error) { return nil, failures[in.Kind] }),
	}
	verifier := &auth.Verifier{Accounts: auth.DefaultAccounts(), Clock: func() time.Time { return testNow }}
	admit := func(_ context.Context, c Call) error {
		if h.admit != nil {
			return h.admit(c)
		}
		return nil
	}
	e, err := NewEndpoint(Options{Verifier: verifier, MaxBody: 4096, Admit: admit},
		&API{Service: sellingFixture(), Validate: validateJSON, Handlers: fixtureHandlers(), Errors: SellingErrors},
		&API{Service: cborFixture(), Validate: validate.Request, Decode: validate.Decode, Handlers: handlers, Errors: FieldListErrors},
	)
	if err != nil {
		t.Fatal(err)
	}
	h.srv = httptest.NewServer(e)
	t.Cleanup(h.srv.Close)
	return h
}

// cborCall is one rpcv2Cbor request; zero values are what an SDK sends.
type cborCall struct {
	method   string
	path     string // default /service/CborFixture/operation/<op>
	op       string
	body     []byte
	header   map[string]string // set (value "" deletes) after the defaults
	signing  string
	unsigned bool
}

type cborResponse struct {
	status int
	header http.Header
	body   []byte
	value  map[string]any
}

// cborRequest is the signed client request c describes.
func cborRequest(t testing.TB, baseURL string, c cborCall) *http.Request {
	t.Helper()
	if c.method == "" {
		c.method = http.MethodPost
	}
	if c.path == "" {
		c.path = "/service/" + cborServiceName + "/operation/" + c.op
	}
	if c.signing == "" {
		c.signing = cborSigning
	}
	req, err := http.NewRequest(c.method, baseURL+c.path, bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("smithy-protocol", "rpc-v2-cbor")
	req.Header.Set("Accept", "application/cbor")
	if len(c.body) > 0 {
		req.Header.Set("Content-Type", "application/cbor")
	}
	for k, v := range c.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	if !c.unsigned {
		sum := sha256.Sum256(c.body)
		creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), c.signing, "us-east-1", testNow); err != nil {
			t.Fatal(err)
		}
	}
	return req
}

func (h *cborHarness) do(t testing.TB, c cborCall) cborResponse {
	t.Helper()
	req := cborRequest(t, h.srv.URL, c)
	res, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := cborResponse{status: res.StatusCode, header: res.Header, body: body}
	if res.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
		t.Fatalf("smithy-protocol not echoed (status %d): %q", res.StatusCode, res.Header.Get("Smithy-Protocol"))
	}
	if len(body) > 0 {
		if ct := res.Header.Get("Content-Type"); ct != "application/cbor" {
			t.Fatalf("Content-Type %q for a body", ct)
		}
		// Strict: what cosell writes has definite lengths only.
		dm, _ := cbor.DecOptions{DefaultMapType: reflect.TypeOf(map[string]any(nil)), IndefLength: cbor.IndefLengthForbidden}.DecMode()
		if err := dm.Unmarshal(body, &r.value); err != nil {
			t.Fatalf("response is not a CBOR map: %x (%v)", body, err)
		}
	}
	return r
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func encodeCBOR(t testing.TB, v any) []byte {
	t.Helper()
	b, err := cbor.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantCBORError checks an error answer: status, __type as the absolute
// shape id, the message, and no awsJson error header.
func wantCBORError(t testing.TB, r cborResponse, status int, typ, msgPart string) {
	t.Helper()
	if r.status != status || r.value["__type"] != typ {
		t.Fatalf("got %d %v, want %d %s; body %v", r.status, r.value["__type"], status, typ, r.value)
	}
	msg, _ := r.value["Message"].(string)
	if m, ok := r.value["message"].(string); ok {
		msg = m
	}
	if !strings.Contains(msg, msgPart) {
		t.Errorf("message %q does not contain %q", msg, msgPart)
	}
	if r.header.Get("X-Amzn-ErrorType") != "" {
		t.Error("rpcv2Cbor errors carry no X-Amzn-ErrorType")
	}
}

func TestCBORScalarsRoundTrip(t *testing.T) {
	h := newCBORHarness(t)
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	in := map[string]any{
		"stringValue": "simple", "enumValue": "RED", "trueBooleanValue": true, "falseBooleanValue": false,
		"byteValue": 5, "shortValue": 9898, "integerValue": 256, "longValue": int64(1) << 40,
		"floatValue": float32(7.625), "doubleValue": 1.889, "blobValue": []byte("foo"),
		"timestampValue": cbor.Tag{Number: 1, Content: at.Unix()},
		"listValue":      []string{"a", "b"},
		"mapValue":       map[string]any{"k": cbor.Tag{Number: 1, Content: 946845296.123}},
		"nested":         map[string]any{"Foo": "bar"},
		"required":       "x",
	}
	r := h.do(t, cborCall{op: "Scalars", body: encodeCBOR(t, in)})
	if r.status != 200 {
		t.Fatalf("status %d: %v", r.status, r.value)
	}
	e := h.echoed
	if *e.StringValue != "simple" || *e.ByteValue != 5 || *e.LongValue != 1<<40 || *e.FloatValue != 7.625 || *e.DoubleValue != 1.889 ||
		string(e.BlobValue) != "foo" || !e.TimestampValue.Equal(at) || !*e.TrueBooleanValue || *e.FalseBooleanValue || e.Nested.Foo != "bar" {
		t.Fatalf("decoded %+v", e)
	}
	if got := e.MapValue["k"]; !got.Equal(time.UnixMilli(946845296123)) {
		t.Errorf("fractional timestamp decoded as %v", got)
	}

	// The answer: the same values, integers as integers, a float32 as a
	// single-precision float, timestamps as tag 1 (integer when whole,
	// float with milliseconds otherwise), the blob as a byte string.
	raw := r.body
	for name, enc := range map[string]string{
		"integer 256":            "19 0100",
		"byte 5":                 "6962797465 56616c7565 05",
		"float32 7.625":          "fa 40f40000",
		"tag 1 whole seconds":    "c1 1a" + hex.EncodeToString([]byte{byte(at.Unix() >> 24), byte(at.Unix() >> 16), byte(at.Unix() >> 8), byte(at.Unix())}),
		"tag 1 with millis":      "c1 fb 41cc37db380fbe77",
		"blob as a byte string":  "43 666f6f",
		"definite map of 16":     "b0",
		"bool true, bool false":  "f5",
		"long 2^40 as an 8-byte": "1b 0000010000000000",
	} {
		if !bytes.Contains(raw, mustHex(t, enc)) {
			t.Errorf("%s: %s not in response %x", name, enc, raw)
		}
	}
	for k, v := range r.value {
		if v == nil {
			t.Errorf("%s sent as null", k)
		}
	}
}

func TestCBORDecodesWhatClientsMaySend(t *testing.T) {
	h := newCBORHarness(t)
	// {"required": "x", ...} prefix: a1/bf map header, then "required" "x".
	req := "687265717569726564 6178"
	for _, tc := range []struct {
		name  string
		body  string
		check func(*scalarsDoc) bool
	}{
		{"indefinite map, indefinite key and text", "bf" + req + "7f 66737472696e67 6556616c7565 ff 7f 63616263 6164 ff ff",
			func(d *scalarsDoc) bool { return *d.StringValue == "abcd" }},
		{"indefinite byte string", "a2" + req + "69626c6f6256616c7565 5f 42 6869 41 21 ff",
			func(d *scalarsDoc) bool { return string(d.BlobValue) == "hi!" }},
		{"indefinite array", "a2" + req + "696c69737456616c7565 9f 6161 6162 ff",
			func(d *scalarsDoc) bool { return len(d.ListValue) == 2 && d.ListValue[1] == "b" }},
		{"half-precision double", "a2" + req + "6b646f75626c6556616c7565 f9 3e00",
			func(d *scalarsDoc) bool { return *d.DoubleValue == 1.5 }},
		{"half-precision float", "a2" + req + "6a666c6f617456616c7565 f9 47a0",
			func(d *scalarsDoc) bool { return *d.FloatValue == 7.625 }},
		{"integer for a double", "a2" + req + "6b646f75626c6556616c7565 02",
			func(d *scalarsDoc) bool { return *d.DoubleValue == 2 }},
		{"negative long", "a2" + req + "696c6f6e6756616c7565 3903e7",
			func(d *scalarsDoc) bool { return *d.LongValue == -1000 }},
		{"timestamp as half-precision tag 1", "a2" + req + "6e74696d657374616d7056616c7565 c1 f9 3c00",
			func(d *scalarsDoc) bool { return d.TimestampValue.Equal(time.Unix(1, 0)) }},
		{"timestamp as float tag 1", "a2" + req + "6e74696d657374616d7056616c7565 c1 fb 41cc37db380fbe77",
			func(d *scalarsDoc) bool { return d.TimestampValue.Equal(time.UnixMilli(946845296123)) }},
		{"milliseconds a float cannot hold exactly", "a2" + req + "6e74696d657374616d7056616c7565 c1 fb 41dac551509072b0",
			func(d *scalarsDoc) bool { return d.TimestampValue.Equal(time.UnixMilli(1796556098257)) }},
		{"nulls and unknown members skipped", "a4" + req + "6b737472696e6756616c7565 f6 656578747261 a1 6161 9f 01 ff 69656e756d56616c7565 f7",
			func(d *scalarsDoc) bool { return d.StringValue == nil && d.EnumValue == nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.echoed = nil
			r := h.do(t, cborCall{op: "Scalars", body: mustHex(t, tc.body)})
			if r.status != 200 || h.echoed == nil || !tc.check(h.echoed) {
				t.Fatalf("status %d %v, decoded %+v", r.status, r.value, h.echoed)
			}
		})
	}
}

func TestCBORMalformedBodies(t *testing.T) {
	h := newCBORHarness(t)
	req := "687265717569726564 6178"
	deep := strings.Repeat("81", 40) + "00"
	for _, tc := range []struct {
		name, body, msg string
	}{
		{"truncated", "a2" + req, "not valid CBOR"},
		{"trailing bytes", "a1" + req + "00", "not valid CBOR"},
		{"duplicate key", "a2" + req + req, "not valid CBOR"},
		{"invalid UTF-8", "a1 687265717569726564 62 c328", "not valid CBOR"},
		{"non-text key", "a2" + req + "01 02", "not valid CBOR"},
		{"too deep", "a2" + req + "6a6e6f7468696e67486572 " + deep, "not valid CBOR"},
		{"array at top", "80", "must be a CBOR map"},
		{"text for an integer", "a2" + req + "6c696e746567657256616c7565 6131", "Expected an integer at 'integerValue' but found a text string"},
		{"float for an integer", "a2" + req + "6c696e746567657256616c7565 f9 3e00", "Expected an integer at 'integerValue'"},
		{"byte string for text", "a2" + req + "6b737472696e6756616c7565 4161", "Expected a text string at 'stringValue'"},
		{"untagged timestamp", "a2" + req + "6e74696d657374616d7056616c7565 01", "Expected a timestamp (tag 1) at 'timestampValue'"},
		{"NaN double", "a2" + req + "6b646f75626c6556616c7565 f9 7e00", "finite number"},
		{"integer out of range", "a2" + req + "6962797465 56616c7565 19 0100", "integer that fits in 8 bits"},
		{"list element type", "a2" + req + "696c69737456616c7565 81 01", "Expected a text string at 'listValue'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(t, cborCall{op: "Scalars", body: mustHex(t, tc.body)})
			wantCBORError(t, r, 400, "com.amazon.coral.service#SerializationException", tc.msg)
		})
	}
}

// TestCBORValidationMatchesJSON: the modelled constraints give the same
// field errors whichever protocol carried the request.
func TestCBORValidationMatchesJSON(t *testing.T) {
	h := newCBORHarness(t)
	body := map[string]any{"stringValue": strings.Repeat("x", 51), "enumValue": "GREEN", "listValue": []any{"a", nil}}
	r := h.do(t, cborCall{op: "Scalars", body: encodeCBOR(t, body)})
	wantCBORError(t, r, 400, cborNamespace+"#ValidationException", "errors found")
	if r.value["Reason"] != "REQUEST_VALIDATION_FAILED" {
		t.Errorf("Reason %v", r.value["Reason"])
	}
	jsonErr := validate.Request(cborFixture().Operations["Scalars"], []byte(`{"stringValue":"`+strings.Repeat("x", 51)+`","enumValue":"GREEN","listValue":["a",null]}`))
	e, ok := apierr.As(jsonErr)
	if !ok {
		t.Fatalf("JSON validation: %v", jsonErr)
	}
	fields, _ := r.value["FieldList"].([]any)
	if len(fields) != len(e.Fields) {
		t.Fatalf("CBOR fields %v, JSON fields %v", fields, e.Fields)
	}
	for i, f := range fields {
		m := f.(map[string]any)
		if m["Name"] != e.Fields[i].FieldName || m["Message"] != e.Fields[i].Message || m["Code"] != fieldValidationCode(e.Fields[i].Code) {
			t.Errorf("field %d: CBOR %v, JSON %+v", i, m, e.Fields[i])
		}
	}
	if names := []string{"stringValue", "enumValue", "listValue", "required"}; len(fields) == 4 {
		for i, n := range names {
			if fields[i].(map[string]any)["Name"] != n {
				t.Errorf("field %d is %v, want %s", i, fields[i], n)
			}
		}
	}
}

func TestCBORHeadersAndRouting(t *testing.T) {
	h := newCBORHarness(t)
	ok := encodeCBOR(t, map[string]any{"required": "x"})
	for _, tc := range []struct {
		name   string
		c      cborCall
		status int
		typ    string
		msg    string
	}{
		{"X-Amz-Target refused", cborCall{op: "Scalars", body: ok, header: map[string]string{"X-Amz-Target": "CborFixture.Scalars"}}, 400, "com.amazon.coral.service#UnknownOperationException", "X-Amz-Target"},
		{"X-Amzn-Target refused", cborCall{op: "Scalars", body: ok, header: map[string]string{"X-Amzn-Target": "CborFixture.Scalars"}}, 400, "com.amazon.coral.service#UnknownOperationException", "X-Amz-Target"},
		{"no smithy-protocol", cborCall{op: "Scalars", body: ok, header: map[string]string{"smithy-protocol": ""}}, 400, "com.amazon.coral.service#UnknownOperationException", "smithy-protocol"},
		{"other smithy-protocol", cborCall{op: "Scalars", body: ok, header: map[string]string{"smithy-protocol": "rpc-v2-json"}}, 400, "com.amazon.coral.service#UnknownOperationException", "rpc-v2-json"},
		{"JSON content type", cborCall{op: "Scalars", body: ok, header: map[string]string{"Content-Type": "application/json"}}, 400, "com.amazon.coral.service#SerializationException", "application/cbor"},
		{"unknown operation", cborCall{op: "DeleteEverything", body: ok}, 404, "com.amazon.coral.service#UnknownOperationException", "DeleteEverything"},
		{"unknown service", cborCall{path: "/service/Nope/operation/Scalars", body: ok}, 404, "com.amazon.coral.service#UnknownOperationException", "Nope"},
		{"awsJson service over rpcv2", cborCall{path: "/service/AWSPartnerCentralSelling/operation/Echo", body: ok}, 404, "com.amazon.coral.service#UnknownOperationException", "AWSPartnerCentralSelling"},
		{"wrong namespace", cborCall{path: "/service/other.ns.CborFixture/operation/Scalars", body: ok}, 404, "com.amazon.coral.service#UnknownOperationException", "other.ns.CborFixture"},
		{"GET", cborCall{method: http.MethodGet, op: "Scalars"}, 405, "com.amazon.coral.service#UnknownOperationException", "POST"},
		{"oversize", cborCall{op: "Scalars", body: encodeCBOR(t, map[string]any{"required": strings.Repeat("x", 5000)})}, 413, "com.amazon.coral.service#RequestEntityTooLargeException", "larger"},
		{"unsigned", cborCall{op: "Scalars", body: ok, unsigned: true}, 403, "com.amazon.coral.service#MissingAuthenticationTokenException", ""},
		{"wrong signing name", cborCall{op: "Scalars", body: ok, signing: "partnercentral-selling"}, 403, "com.amazon.coral.service#", ""},
		{"missing required member", cborCall{op: "Scalars", body: encodeCBOR(t, map[string]any{})}, 400, cborNamespace + "#ValidationException", "must not be null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(t, tc.c)
			if r.status != tc.status || !strings.HasPrefix(r.value["__type"].(string), tc.typ) {
				t.Fatalf("got %d %v, want %d %s", r.status, r.value, tc.status, tc.typ)
			}
			if tc.msg != "" {
				wantCBORError(t, r, tc.status, r.value["__type"].(string), tc.msg)
			}
		})
	}

	// The namespaced service form and a path prefix route too.
	for _, path := range []string{"/service/cosell.fixture.CborFixture/operation/Scalars", "/some/prefix/service/CborFixture/operation/Scalars"} {
		if r := h.do(t, cborCall{path: path, body: ok}); r.status != 200 {
			t.Errorf("%s: %d %v", path, r.status, r.value)
		}
	}
	// An empty body, or an empty map, is an input with no member set.
	for _, body := range [][]byte{nil, {0xa0}, {0xbf, 0xff}} {
		if r := h.do(t, cborCall{op: "Void", body: body}); r.status != 200 || len(r.body) != 0 || r.header.Get("Content-Type") != "" {
			t.Errorf("Void with %x: %d %q Content-Type %q", body, r.status, r.body, r.header.Get("Content-Type"))
		}
	}
}

func TestCBORDomainErrorsAndFaults(t *testing.T) {
	h := newCBORHarness(t)
	r := h.do(t, cborCall{op: "Fail", body: encodeCBOR(t, map[string]any{"Kind": "notfound"})})
	wantCBORError(t, r, 404, cborNamespace+"#ResourceNotFoundException", "Opportunity O1 not found")
	r = h.do(t, cborCall{op: "Fail", body: encodeCBOR(t, map[string]any{"Kind": "business"})})
	wantCBORError(t, r, 400, cborNamespace+"#ValidationException", "Legal name")
	if r.value["Reason"] != "BUSINESS_VALIDATION_FAILED" {
		t.Errorf("Reason %v", r.value["Reason"])
	}
	r = h.do(t, cborCall{op: "Fail", body: encodeCBOR(t, map[string]any{"Kind": "plain"})})
	wantCBORError(t, r, 500, cborNamespace+"#InternalServerException", "Request ID")

	h.admit = func(c Call) error {
		if c.Service.Name != cborServiceName || c.Operation != "Scalars" || c.Account == "" {
			t.Errorf("admit saw %+v", c)
		}
		return &Fault{Code: "ThrottlingException"}
	}
	r = h.do(t, cborCall{op: "Scalars", body: encodeCBOR(t, map[string]any{"required": "x"})})
	wantCBORError(t, r, 429, cborNamespace+"#ThrottlingException", "Injected fault")
	h.admit = func(Call) error { return &Fault{Code: "ServiceUnavailable", Status: 503} }
	r = h.do(t, cborCall{op: "Scalars", body: encodeCBOR(t, map[string]any{"required": "x"})})
	wantCBORError(t, r, 503, "com.amazon.coral.service#ServiceUnavailable", "Injected fault")
}

// The access log and metrics get CBOR requests as they get JSON ones,
// error names included (rpcv2Cbor has no X-Amzn-ErrorType to read them from).
func TestCBORRequestsAreRecorded(t *testing.T) {
	var got []metrics.Request
	verifier := &auth.Verifier{Accounts: auth.DefaultAccounts(), Clock: func() time.Time { return testNow }}
	e, err := NewEndpoint(Options{Verifier: verifier, Recorder: recorderFunc(func(r metrics.Request) { got = append(got, r) })},
		&API{Service: cborFixture(), Validate: validate.Request, Decode: validate.Decode, Errors: FieldListErrors,
			Handlers: map[string]Handler{"Void": Op(func(context.Context, *struct{}) (*struct{}, error) { return &struct{}{}, nil })}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []cborCall{{op: "Void"}, {op: "Scalars", body: []byte{0xa0}}, {op: "Void", body: []byte{0xa1}}} {
		e.ServeHTTP(httptest.NewRecorder(), cborRequest(t, "http://127.0.0.1:4577", c))
	}
	want := []struct {
		status int
		code   string
	}{{200, ""}, {400, "ValidationException"}, {400, "SerializationException"}}
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i, w := range want {
		if r := got[i]; r.Service != cborSigning || r.Account != "111111111111" || r.Status != w.status || r.ErrorCode != w.code {
			t.Errorf("request %d recorded as %+v, want %d %q", i, r, w.status, w.code)
		}
	}
}

package wire

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/google/uuid"

	"github.com/cosell/cosell/internal/apierr"
	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/smithy"
)

// The fixtures are two small services shaped like Partner Central's: the
// same signing names and error shapes, a handful of operations.

var testNow = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

const (
	sellingSigning = "partnercentral-selling"
	accountSigning = "partnercentral-account"
)

func str() *smithy.Shape { return &smithy.Shape{Name: "String", Kind: smithy.KindString} }

func enum(name string, values ...string) *smithy.Shape {
	return &smithy.Shape{Name: name, Kind: smithy.KindEnum, EnumValues: values}
}

func structure(name string, members ...*smithy.Member) *smithy.Shape {
	s := &smithy.Shape{Name: name, Kind: smithy.KindStructure, Members: members}
	s.IndexMembers()
	return s
}

func errShape(name string, status int, members ...*smithy.Member) *smithy.Shape {
	s := structure(name, append([]*smithy.Member{{Name: "Message", Target: str(), Required: true}}, members...)...)
	fault := "client"
	if status >= 500 {
		fault = "server"
	}
	s.Error = &smithy.Error{Fault: fault, HTTPStatus: status}
	return s
}

func reason(required bool, values ...string) *smithy.Member {
	return &smithy.Member{Name: "Reason", Target: enum("Reason", values...), Required: required}
}

// operations common to both fixtures: Echo (output), Void (no output),
// Unimplemented, Panic and Fail (returns the error named in the body).
func fixtureOps() map[string]*smithy.Operation {
	in := structure("Input", &smithy.Member{Name: "Name", Target: str()}, &smithy.Member{Name: "Kind", Target: str()})
	out := structure("Output", &smithy.Member{Name: "Name", Target: str()})
	ops := map[string]*smithy.Operation{}
	for _, name := range []string{"Echo", "Void", "Unimplemented", "Panic", "Fail", "Raw"} {
		op := &smithy.Operation{Name: name, Input: in, Output: out, HTTPCode: 200}
		if name == "Void" {
			op.Output, op.HTTPCode = nil, 204
		}
		ops[name] = op
	}
	return ops
}

func sellingFixture() *smithy.Service {
	errs := []*smithy.Shape{
		errShape("ValidationException", 400, reason(true, "REQUEST_VALIDATION_FAILED", "BUSINESS_VALIDATION_FAILED"), &smithy.Member{Name: "ErrorList", Target: str()}),
		errShape("AccessDeniedException", 403, reason(false, "INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE")),
		errShape("ConflictException", 409),
		errShape("ResourceNotFoundException", 404),
		errShape("ServiceQuotaExceededException", 402),
		errShape("ThrottlingException", 429),
		errShape("InternalServerException", 500),
	}
	return service("AWSPartnerCentralSelling", sellingSigning, errs)
}

func accountFixture() *smithy.Service {
	errs := []*smithy.Shape{
		errShape("ValidationException", 400, reason(true, "REQUEST_VALIDATION_FAILED", "BUSINESS_VALIDATION_FAILED"), &smithy.Member{Name: "ErrorDetails", Target: str()}),
		errShape("AccessDeniedException", 403, reason(true, "ACCESS_DENIED", "INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE")),
		errShape("ConflictException", 409, reason(true, "CONFLICT_CLIENT_TOKEN", "DUPLICATE_PARTNER")),
		errShape("ResourceNotFoundException", 404, reason(true, "PARTNER_NOT_FOUND")),
		errShape("ServiceQuotaExceededException", 402, reason(true, "LIMIT_EXCEEDED_NUMBER_OF_EMAIL")),
		errShape("ThrottlingException", 429, &smithy.Member{Name: "QuotaCode", Target: str()}),
		errShape("InternalServerException", 500),
	}
	return service("PartnerCentralAccount", accountSigning, errs)
}

func service(name, signing string, errs []*smithy.Shape) *smithy.Service {
	s := &smithy.Service{Name: name, SigningName: signing, Protocol: smithy.AWSJSON10, Operations: fixtureOps(), ErrorsByName: map[string]*smithy.Shape{}}
	for _, e := range errs {
		s.ErrorsByName[e.Name] = e
	}
	return s
}

type echoIn struct {
	Name string `json:"Name"`
	Kind string `json:"Kind"`
}

type echoOut struct {
	Name string `json:"Name"`
}

// failures are the errors the Fail operation returns, by the body's Kind.
var failures = map[string]error{
	"validation": apierr.RequestInvalid(
		apierr.FieldError{FieldName: "customer.account.companyName", Message: "is required", Code: apierr.CodeRequiredFieldMissing},
		apierr.FieldError{FieldName: "project.expectedCustomerSpend", Message: "too few", Code: apierr.CodeNotEnoughValues},
		apierr.FieldError{FieldName: "tags", Message: "duplicate key", Code: apierr.CodeDuplicateKeyValue},
		apierr.FieldError{FieldName: "amount", Message: "out of range", Code: apierr.CodeValueOutOfRange},
	),
	"business":      apierr.BusinessInvalid("Legal name does not match", apierr.FieldError{Message: "legal name differs", Code: "INCOMPATIBLE_LEGAL_NAME"}),
	"conflict":      apierr.Conflict("Conflicting client token submitted for a new request body."),
	"notfound":      apierr.NotFound("Opportunity O1 not found"),
	"denied":        apierr.AccessDenied("not allowed"),
	"deniedreason":  apierr.AccessDenied("benefit state").WithReason("INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE"),
	"throttled":     apierr.Throttled("Rate exceeded"),
	"throttledwhy":  apierr.Throttled("Rate exceeded").WithReason("SHOULD_BE_DROPPED"),
	"quota":         apierr.QuotaExceeded("too many"),
	"serialization": apierr.Serialization("bad field"),
	"internal":      &apierr.Error{Kind: apierr.KindInternal, Message: "disk on fire"},
	"plain":         errors.New("database is locked"),
	"wrapped":       errors.Join(errors.New("context"), apierr.NotFound("wrapped not found")),
}

func fixtureHandlers() map[string]Handler {
	return map[string]Handler{
		"Echo": Op(func(ctx context.Context, in *echoIn) (*echoOut, error) {
			c := CallerFrom(ctx)
			return &echoOut{Name: in.Name + "@" + c.AccountID + "/" + c.SigningName + "/" + RequestIDFrom(ctx)}, nil
		}),
		"Void": Op(func(context.Context, *echoIn) (*echoOut, error) { return &echoOut{Name: "ignored"}, nil }),
		"Panic": func(context.Context, []byte) (any, error) {
			panic("handler bug")
		},
		"Fail": Op(func(_ context.Context, in *echoIn) (*echoOut, error) {
			if in.Kind == "nil" {
				return nil, nil
			}
			return nil, failures[in.Kind]
		}),
		"Raw": func(context.Context, []byte) (any, error) { return json.RawMessage(`{"Name":"raw & <ok>"}`), nil },
	}
}

// validateJSON stands in for the model validator: non-JSON is a
// SerializationException, and a Name of "invalid" breaks a constraint.
func validateJSON(_ *smithy.Operation, body []byte) error {
	if !json.Valid(body) {
		return apierr.Serialization("Request body is not valid JSON")
	}
	var in echoIn
	if err := json.Unmarshal(body, &in); err != nil {
		return apierr.Serialization("Unexpected value")
	}
	if in.Name == "invalid" {
		return apierr.RequestInvalid(apierr.FieldError{FieldName: "name", Message: "Name must not be 'invalid'", Code: apierr.CodeInvalidValue})
	}
	return nil
}

// testEndpoint serves both fixtures on a real HTTP server; logs go to the
// returned buffer so tests can check what was logged.
func testEndpoint(t testing.TB) (*httptest.Server, *lockedBuffer) {
	t.Helper()
	e, logs := newTestEndpoint(t, fixtureHandlers())
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv, logs
}

func newTestEndpoint(t testing.TB, handlers map[string]Handler) (*Endpoint, *lockedBuffer) {
	t.Helper()
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	verifier := &auth.Verifier{Accounts: auth.DefaultAccounts(), Clock: func() time.Time { return testNow }}
	e, err := NewEndpoint(Options{Verifier: verifier, Logger: logger, MaxBody: 4096},
		&API{Service: sellingFixture(), Validate: validateJSON, Handlers: handlers, Errors: SellingErrors},
		&API{Service: accountFixture(), Validate: validateJSON, Handlers: handlers, Errors: AccountErrors},
	)
	if err != nil {
		t.Fatal(err)
	}
	return e, logs
}

// call describes one request.
type call struct {
	method      string
	path        string // default "/"
	target      string // X-Amz-Target; "" sends none
	contentType string // default application/x-amz-json-1.0
	body        string
	signingName string // default from the target's service
	key, secret string // default test/test
	unsigned    bool
	bodyHash    bool // sign x-amz-content-sha256 like the JS SDK
}

type response struct {
	status int
	header http.Header
	body   []byte
	json   map[string]any
}

// newRequest builds the client request c describes, signed with the real
// aws-sdk-go-v2 signer unless c.unsigned.
func newRequest(t testing.TB, baseURL string, c call) *http.Request {
	t.Helper()
	if c.method == "" {
		c.method = http.MethodPost
	}
	if c.path == "" {
		c.path = "/"
	}
	if c.contentType == "" {
		c.contentType = "application/x-amz-json-1.0"
	}
	if c.key == "" {
		c.key, c.secret = "test", "test"
	}
	if c.signingName == "" {
		c.signingName = sellingSigning
		if strings.HasPrefix(c.target, "PartnerCentralAccount.") {
			c.signingName = accountSigning
		}
	}
	req, err := http.NewRequest(c.method, baseURL+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", c.contentType)
	if c.target != "" {
		req.Header.Set("X-Amz-Target", c.target)
	}
	if !c.unsigned {
		sum := sha256.Sum256([]byte(c.body))
		if c.bodyHash {
			req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
		}
		creds := aws.Credentials{AccessKeyID: c.key, SecretAccessKey: c.secret}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), c.signingName, "us-east-1", testNow); err != nil {
			t.Fatal(err)
		}
	}
	return req
}

// serverRequest is c as a handler receives it, for calling ServeHTTP directly.
func serverRequest(t testing.TB, c call) *http.Request {
	t.Helper()
	client := newRequest(t, "http://127.0.0.1:4577", c)
	r := httptest.NewRequest(client.Method, client.URL.String(), strings.NewReader(c.body))
	r.Header = client.Header.Clone()
	return r
}

func do(t testing.TB, srv *httptest.Server, c call) response {
	t.Helper()
	req := newRequest(t, srv.URL, c)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: res.StatusCode, header: res.Header, body: body}
	if _, err := uuid.Parse(res.Header.Get("X-Amzn-RequestId")); err != nil {
		t.Fatalf("x-amzn-RequestId %q is not a UUID (status %d)", res.Header.Get("X-Amzn-RequestId"), res.StatusCode)
	}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &r.json); err != nil {
			t.Fatalf("response body is not a JSON object: %q", body)
		}
	}
	return r
}

// lockedBuffer collects log output written by server goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

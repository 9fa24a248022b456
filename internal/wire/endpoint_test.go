package wire

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/auth"
	"github.com/cosell/cosell/internal/metrics"
)

func wantHeader(t *testing.T, r response, name, want string) {
	t.Helper()
	if got := r.header.Get(name); got != want {
		t.Errorf("%s: got %q, want %q", name, got, want)
	}
}

// wantError checks status, "__type", x-amzn-ErrorType and the message.
func wantError(t *testing.T, r response, status int, namespace, name, msgKey, msgPart string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status %d, want %d (body %s)", r.status, status, r.body)
	}
	if got := r.json["__type"]; got != namespace+"#"+name {
		t.Errorf("__type %v, want %s#%s", got, namespace, name)
	}
	wantHeader(t, r, "X-Amzn-ErrorType", name+":http://internal.amazon.com/coral/"+namespace+"/")
	if msg, _ := r.json[msgKey].(string); !strings.Contains(msg, msgPart) {
		t.Errorf("%s %q does not contain %q", msgKey, msg, msgPart)
	}
}

const (
	sellingNS = "com.amazon.partnerintegrationapi.common"
	accountNS = "com.amazonaws.partnercentralaccount"
)

func TestRouting(t *testing.T) {
	srv, _ := testEndpoint(t)
	cases := []struct {
		name        string
		c           call
		wantName    string
		wantSigning string
		wantCT      string
	}{
		{"selling by target", call{target: "AWSPartnerCentralSelling.Echo", body: `{"Name":"a"}`}, "a", sellingSigning, "application/x-amz-json-1.0"},
		{"account by target", call{target: "PartnerCentralAccount.Echo", body: `{"Name":"b"}`}, "b", accountSigning, "application/x-amz-json-1.0"},
		{"selling by path, postman style", call{path: "/Echo", contentType: "application/json; charset=UTF-8", body: `{"Name":"c"}`}, "c", sellingSigning, "application/json"},
		{"account by path", call{path: "/Echo", signingName: accountSigning, body: `{"Name":"d"}`}, "d", accountSigning, "application/x-amz-json-1.0"},
		{"js style body hash", call{target: "AWSPartnerCentralSelling.Echo", body: `{"Name":"e"}`, bodyHash: true}, "e", sellingSigning, "application/x-amz-json-1.0"},
		{"second account", call{target: "AWSPartnerCentralSelling.Echo", body: `{"Name":"f"}`, key: "test2", secret: "test2"}, "f", sellingSigning, "application/x-amz-json-1.0"},
		{"empty body", call{target: "AWSPartnerCentralSelling.Echo"}, "", sellingSigning, "application/x-amz-json-1.0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, tc.c)
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			wantHeader(t, r, "Content-Type", tc.wantCT)
			account := "111111111111"
			if tc.c.key == "test2" {
				account = "222222222222"
			}
			want := tc.wantName + "@" + account + "/" + tc.wantSigning + "/" + r.header.Get("X-Amzn-RequestId")
			if r.json["Name"] != want {
				t.Fatalf("Name %v, want %s", r.json["Name"], want)
			}
		})
	}
}

func TestSuccessBodies(t *testing.T) {
	srv, _ := testEndpoint(t)
	t.Run("void operation", func(t *testing.T) {
		// The model says 204 for this one; AWS answers 200 with no body.
		r := do(t, srv, call{target: "AWSPartnerCentralSelling.Void", body: `{}`})
		if r.status != http.StatusOK || len(r.body) != 0 {
			t.Fatalf("status %d body %q", r.status, r.body)
		}
		wantHeader(t, r, "Content-Length", "0")
		wantHeader(t, r, "Content-Type", "application/x-amz-json-1.0")
	})
	t.Run("nil output", func(t *testing.T) {
		r := do(t, srv, call{target: "AWSPartnerCentralSelling.Fail", body: `{"Kind":"nil"}`})
		if r.status != http.StatusOK || len(r.body) != 0 {
			t.Fatalf("status %d body %q", r.status, r.body)
		}
		wantHeader(t, r, "Content-Length", "0")
	})
	t.Run("raw output unescaped", func(t *testing.T) {
		r := do(t, srv, call{target: "AWSPartnerCentralSelling.Raw", body: `{}`})
		if string(r.body) != `{"Name":"raw & <ok>"}` {
			t.Fatalf("body %q", r.body)
		}
	})
}

func TestNotImplemented(t *testing.T) {
	srv, _ := testEndpoint(t)
	r := do(t, srv, call{target: "AWSPartnerCentralSelling.Unimplemented", body: `{}`})
	wantError(t, r, http.StatusNotImplemented, "com.amazon.coral.service", "NotImplementedException", "message",
		"AWSPartnerCentralSelling.Unimplemented is part of the model but cosell does not implement it yet")
}

func TestValidationRunsBeforeMissingHandler(t *testing.T) {
	srv, _ := testEndpoint(t)
	r := do(t, srv, call{target: "AWSPartnerCentralSelling.Unimplemented", body: `{"Name":"invalid"}`})
	wantError(t, r, http.StatusBadRequest, sellingNS, "ValidationException", "Message", "Name must not be 'invalid'")
	r = do(t, srv, call{target: "PartnerCentralAccount.Unimplemented", body: `{"Name":`})
	wantError(t, r, http.StatusBadRequest, "com.amazon.coral.service", "SerializationException", "Message", "not valid JSON")
}

func TestSellingErrors(t *testing.T) {
	srv, _ := testEndpoint(t)
	cases := []struct {
		kind, name string
		status     int
		msg        string
		reason     any // nil: no Reason member
	}{
		{"conflict", "ConflictException", 409, "Conflicting client token", nil},
		{"notfound", "ResourceNotFoundException", 404, "Opportunity O1 not found", nil},
		{"denied", "AccessDeniedException", 403, "not allowed", nil},
		{"deniedreason", "AccessDeniedException", 403, "benefit state", "INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE"},
		{"throttled", "ThrottlingException", 429, "Rate exceeded", nil},
		{"throttledwhy", "ThrottlingException", 429, "Rate exceeded", nil},
		{"quota", "ServiceQuotaExceededException", 402, "too many", nil},
		{"wrapped", "ResourceNotFoundException", 404, "wrapped not found", nil},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			r := do(t, srv, call{target: "AWSPartnerCentralSelling.Fail", body: `{"Kind":"` + tc.kind + `"}`})
			wantError(t, r, tc.status, sellingNS, tc.name, "Message", tc.msg)
			if r.json["Reason"] != tc.reason {
				t.Errorf("Reason %v, want %v", r.json["Reason"], tc.reason)
			}
			if len(r.json) != 2+boolInt(tc.reason != nil) {
				t.Errorf("unexpected members: %s", r.body)
			}
		})
	}
	t.Run("validation", func(t *testing.T) {
		r := do(t, srv, call{target: "AWSPartnerCentralSelling.Fail", body: `{"Kind":"validation"}`})
		wantError(t, r, 400, sellingNS, "ValidationException", "Message", "4 errors found")
		want := `[{"FieldName":"customer.account.companyName","Message":"is required","Code":"REQUIRED_FIELD_MISSING"},` +
			`{"FieldName":"project.expectedCustomerSpend","Message":"too few","Code":"NOT_ENOUGH_VALUES"},` +
			`{"FieldName":"tags","Message":"duplicate key","Code":"DUPLICATE_KEY_VALUE"},` +
			`{"FieldName":"amount","Message":"out of range","Code":"VALUE_OUT_OF_RANGE"}]`
		if got := member(t, r, "ErrorList"); got != want || r.json["Reason"] != "REQUEST_VALIDATION_FAILED" {
			t.Fatalf("ErrorList %s Reason %v", got, r.json["Reason"])
		}
	})
	t.Run("business validation", func(t *testing.T) {
		r := do(t, srv, call{target: "AWSPartnerCentralSelling.Fail", body: `{"Kind":"business"}`})
		wantError(t, r, 400, sellingNS, "ValidationException", "Message", "Legal name does not match")
		if got := member(t, r, "ErrorList"); got != `[{"Message":"legal name differs","Code":"INCOMPATIBLE_LEGAL_NAME"}]` || r.json["Reason"] != "BUSINESS_VALIDATION_FAILED" {
			t.Fatalf("ErrorList %s Reason %v", got, r.json["Reason"])
		}
	})
	t.Run("serialization", func(t *testing.T) {
		r := do(t, srv, call{target: "AWSPartnerCentralSelling.Fail", body: `{"Kind":"serialization"}`})
		wantError(t, r, 400, "com.amazon.coral.service", "SerializationException", "Message", "bad field")
	})
}

func TestAccountErrors(t *testing.T) {
	srv, _ := testEndpoint(t)
	cases := []struct {
		kind, name string
		status     int
		reason     any
	}{
		{"conflict", "ConflictException", 409, "CONFLICT_CLIENT_TOKEN"},
		{"notfound", "ResourceNotFoundException", 404, "PARTNER_NOT_FOUND"},
		{"denied", "AccessDeniedException", 403, "ACCESS_DENIED"},
		{"deniedreason", "AccessDeniedException", 403, "INCOMPATIBLE_BENEFIT_AWS_PARTNER_STATE"},
		{"throttledwhy", "ThrottlingException", 429, nil}, // the shape has no Reason
		{"quota", "ServiceQuotaExceededException", 402, "LIMIT_EXCEEDED_NUMBER_OF_EMAIL"},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			r := do(t, srv, call{target: "PartnerCentralAccount.Fail", body: `{"Kind":"` + tc.kind + `"}`})
			wantError(t, r, tc.status, accountNS, tc.name, "Message", "")
			if r.json["Reason"] != tc.reason {
				t.Errorf("Reason %v, want %v", r.json["Reason"], tc.reason)
			}
		})
	}
	t.Run("validation", func(t *testing.T) {
		r := do(t, srv, call{target: "PartnerCentralAccount.Fail", body: `{"Kind":"validation"}`})
		wantError(t, r, 400, accountNS, "ValidationException", "Message", "4 errors found")
		want := `[{"FieldValidationError":{"Name":"customer.account.companyName","Message":"is required","Code":"REQUIRED_FIELD_MISSING"}},` +
			`{"FieldValidationError":{"Name":"project.expectedCustomerSpend","Message":"too few","Code":"INVALID_VALUE"}},` +
			`{"FieldValidationError":{"Name":"tags","Message":"duplicate key","Code":"DUPLICATE_VALUE"}},` +
			`{"FieldValidationError":{"Name":"amount","Message":"out of range","Code":"INVALID_VALUE"}}]`
		if got := member(t, r, "ErrorDetails"); got != want || r.json["Reason"] != "REQUEST_VALIDATION_FAILED" {
			t.Fatalf("ErrorDetails %s Reason %v", got, r.json["Reason"])
		}
		if _, ok := r.json["ErrorList"]; ok {
			t.Fatal("Account errors must not carry the Selling ErrorList")
		}
	})
	t.Run("business validation", func(t *testing.T) {
		r := do(t, srv, call{target: "PartnerCentralAccount.Fail", body: `{"Kind":"business"}`})
		if got := member(t, r, "ErrorDetails"); got != `[{"BusinessValidationError":{"Message":"legal name differs","Code":"INCOMPATIBLE_LEGAL_NAME"}}]` {
			t.Fatalf("ErrorDetails %s", got)
		}
	})
}

func TestInternalErrors(t *testing.T) {
	srv, logs := testEndpoint(t)
	cases := []struct{ target, body, logged string }{
		{"AWSPartnerCentralSelling.Fail", `{"Kind":"plain"}`, "database is locked"},
		{"AWSPartnerCentralSelling.Fail", `{"Kind":"internal"}`, "disk on fire"},
		{"AWSPartnerCentralSelling.Panic", `{}`, "handler bug"},
		{"PartnerCentralAccount.Panic", `{}`, "handler bug"},
	}
	for _, tc := range cases {
		t.Run(tc.target+tc.body, func(t *testing.T) {
			r := do(t, srv, call{target: tc.target, body: tc.body})
			ns := sellingNS
			if strings.HasPrefix(tc.target, "PartnerCentralAccount") {
				ns = accountNS
			}
			id := r.header.Get("X-Amzn-RequestId")
			wantError(t, r, 500, ns, "InternalServerException", "Message", id)
			if strings.Contains(string(r.body), tc.logged) {
				t.Errorf("the cause leaked to the client: %s", r.body)
			}
			line := logLine(logs.String(), id, "level=ERROR")
			if !strings.Contains(line, tc.logged) {
				t.Errorf("no error log line with request id %s and %q in:\n%s", id, tc.logged, logs.String())
			}
		})
	}
}

func TestRouteErrors(t *testing.T) {
	srv, _ := testEndpoint(t)
	coral := "com.amazon.coral.service"
	cases := []struct {
		name   string
		c      call
		status int
		typ    string
		msg    string
	}{
		{"unknown service", call{target: "DynamoDB_20120810.ListTables", body: "{}"}, 400, "UnknownOperationException", "Unknown X-Amz-Target"},
		{"target without dot", call{target: "Echo", body: "{}"}, 400, "UnknownOperationException", "Unknown X-Amz-Target"},
		{"unknown operation", call{target: "AWSPartnerCentralSelling.DeleteEverything", body: "{}"}, 400, "UnknownOperationException", "Unknown operation DeleteEverything"},
		{"no target on root", call{body: "{}"}, 400, "UnknownOperationException", "No operation given"},
		{"unknown path", call{path: "/DeleteEverything", body: "{}"}, 400, "UnknownOperationException", "DeleteEverything"},
		{"nested path", call{path: "/a/b", body: "{}"}, 400, "UnknownOperationException", "No operation given"},
		{"GET", call{method: http.MethodGet, target: "AWSPartnerCentralSelling.Echo"}, 405, "UnknownOperationException", "POST"},
		{"xml", call{target: "AWSPartnerCentralSelling.Echo", contentType: "text/xml", body: "<a/>"}, 400, "SerializationException", "Unsupported Content-Type"},
		{"json 1.1", call{target: "AWSPartnerCentralSelling.Echo", contentType: "application/x-amz-json-1.1", body: "{}"}, 400, "SerializationException", "Unsupported Content-Type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, tc.c)
			key := "message"
			if tc.typ == "SerializationException" {
				key = "Message"
			}
			wantError(t, r, tc.status, coral, tc.typ, key, tc.msg)
		})
	}
}

// Path routing takes the service from the credential scope; a scope naming
// neither service still routes an operation only one service has, and the
// signature check then names the right scope.
func TestPathRoutingWrongScope(t *testing.T) {
	srv, _ := testEndpoint(t)
	r := do(t, srv, call{path: "/Echo", signingName: "dynamodb", body: "{}"})
	// Both fixtures have Echo, so nothing can be picked.
	wantError(t, r, 400, "com.amazon.coral.service", "UnknownOperationException", "message", "Unknown operation Echo")
	r = do(t, srv, call{target: "AWSPartnerCentralSelling.Echo", signingName: accountSigning, body: "{}"})
	wantError(t, r, 403, "com.amazon.coral.service", auth.CodeInvalidSignature, "message", "Credential should be scoped to correct service: 'partnercentral-selling'.")
}

func TestAuthFailuresRunNothing(t *testing.T) {
	srv, logs := testEndpoint(t)
	coral := "com.amazon.coral.service"
	cases := []struct {
		name   string
		c      call
		status int
		typ    string
		msg    string
	}{
		{"unsigned", call{unsigned: true}, 403, auth.CodeMissingToken, "Missing Authentication Token"},
		{"unknown key", call{key: "AKIDNOBODY", secret: "x"}, 403, auth.CodeUnrecognizedClient, "The security token included in the request is invalid."},
		{"wrong secret", call{key: "test", secret: "nope"}, 403, auth.CodeInvalidSignature, "The request signature we calculated does not match"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Panic would answer 500 and invalid input 400 if anything ran.
			for _, target := range []string{"AWSPartnerCentralSelling.Panic", "PartnerCentralAccount.Echo"} {
				c := tc.c
				c.target, c.body = target, `{"Name":"invalid"}`
				r := do(t, srv, c)
				wantError(t, r, tc.status, coral, tc.typ, "message", tc.msg)
			}
		})
	}
	if strings.Contains(logs.String(), "handler bug") {
		t.Fatal("a handler ran for an unauthenticated request")
	}
}

func TestBodyLimit(t *testing.T) {
	srv, _ := testEndpoint(t)
	big := `{"Name":"` + strings.Repeat("x", 5000) + `"}`
	r := do(t, srv, call{target: "AWSPartnerCentralSelling.Echo", body: big})
	wantError(t, r, 413, "com.amazon.coral.service", "RequestEntityTooLargeException", "message", "4096 bytes")

	// A chunked body has no Content-Length; the limit still applies.
	req, _ := http.NewRequest(http.MethodPost, srv.URL, &onlyReader{strings.NewReader(big)})
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "AWSPartnerCentralSelling.Echo")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 413 {
		t.Fatalf("chunked: status %d", res.StatusCode)
	}
}

// A declared length over the limit is refused from the headers alone: the
// client sends no body at all and still gets its answer.
func TestBodyLimitAnswersBeforeBody(t *testing.T) {
	srv, _ := testEndpoint(t)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Only a safety net so a regression fails instead of hanging the run.
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSPartnerCentralSelling.Echo\r\nContent-Length: 100000000\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusRequestEntityTooLarge || res.Header.Get("X-Amzn-RequestId") == "" {
		t.Fatalf("status %d", res.StatusCode)
	}
}

// Every answered request reaches the Recorder once, with what the access
// log and the metrics need.
func TestRecorderGetsEachRequest(t *testing.T) {
	var got []metrics.Request
	e, err := NewEndpoint(Options{Verifier: &auth.Verifier{Accounts: auth.DefaultAccounts(), Clock: func() time.Time { return testNow }}, Recorder: recorderFunc(func(r metrics.Request) { got = append(got, r) })},
		&API{Service: sellingFixture(), Handlers: fixtureHandlers(), Errors: SellingErrors})
	if err != nil {
		t.Fatal(err)
	}
	ok := httptest.NewRecorder()
	e.ServeHTTP(ok, serverRequest(t, call{target: "AWSPartnerCentralSelling.Echo", body: `{"Name":"x"}`}))
	refused := httptest.NewRecorder()
	e.ServeHTTP(refused, serverRequest(t, call{target: "AWSPartnerCentralSelling.Echo", body: `{"Name":"x"}`, key: "nobody", secret: "x"}))
	if len(got) != 2 {
		t.Fatalf("%d records, want 2", len(got))
	}
	if r := got[0]; r.Service != "partnercentral-selling" || r.Operation != "Echo" || r.Account != "111111111111" || r.Status != 200 ||
		r.ErrorCode != "" || r.RequestID != ok.Header().Get("X-Amzn-RequestId") || r.Latency <= 0 {
		t.Errorf("success recorded as %+v", r)
	}
	if r := got[1]; r.Status != 403 || r.ErrorCode != "UnrecognizedClientException" || r.Account != "" || r.Operation != "Echo" {
		t.Errorf("refusal recorded as %+v", r)
	}
}

type recorderFunc func(metrics.Request)

func (f recorderFunc) Record(r metrics.Request) { f(r) }

func TestNewEndpointRejects(t *testing.T) {
	v := &auth.Verifier{Accounts: auth.DefaultAccounts()}
	s := &API{Service: sellingFixture(), Errors: SellingErrors}
	if _, err := NewEndpoint(Options{}, s); err == nil {
		t.Error("no verifier accepted")
	}
	if _, err := NewEndpoint(Options{Verifier: v}, s, &API{Service: sellingFixture(), Errors: SellingErrors}); err == nil {
		t.Error("duplicate service accepted")
	}
	if _, err := NewEndpoint(Options{Verifier: v}, &API{Service: sellingFixture()}); err == nil {
		t.Error("API without ErrorStyle accepted")
	}
}

func logLine(logs, requestID, level string) string {
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, requestID) && strings.Contains(line, level) {
			return line
		}
	}
	return ""
}

// member returns a body member exactly as sent, so member order is checked too.
func member(t *testing.T, r response, name string) string {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatal(err)
	}
	return string(raw[name])
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// onlyReader hides strings.Reader's type so net/http cannot learn the
// length and sends the body chunked.
type onlyReader struct{ r *strings.Reader }

func (o *onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

package server

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const sellingName = "partnercentral-selling"

// call sends a request to a control route (admin with a token, LocalStack
// without) and returns the status and raw body.
func call(t *testing.T, s *Server, method, path, body, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(raw)
}

func sellingCall(t *testing.T, s *Server, op, body string, key ...string) (*http.Response, map[string]any) {
	t.Helper()
	c := signed{target: "AWSPartnerCentralSelling." + op, signingName: sellingName, body: body}
	if len(key) == 2 {
		c.key, c.secret = key[0], key[1]
	}
	return post(t, s, c)
}

// assertException checks the whole shape of an awsJson error.
func assertException(t *testing.T, res *http.Response, body map[string]any, status int, namespace, name string) {
	t.Helper()
	if res.StatusCode != status {
		t.Errorf("status %d, want %d (%v)", res.StatusCode, status, body)
	}
	if got := body["__type"]; got != namespace+"#"+name {
		t.Errorf("__type %v, want %s#%s", got, namespace, name)
	}
	if got, want := res.Header.Get("X-Amzn-ErrorType"), name+":http://internal.amazon.com/coral/"+namespace+"/"; got != want {
		t.Errorf("X-Amzn-ErrorType %q, want %q", got, want)
	}
}

const sellingNS = "com.amazon.partnerintegrationapi.common"

// With --quotas aws a second write in one second is throttled with the
// modelled exception; requests that fail authentication or validation take
// no quota.
func TestQuotasThrottleWrites(t *testing.T) {
	s := startServer(t, Config{Quotas: QuotasAWS})
	const update = `{"Catalog":"Sandbox","Identifier":"O9999999","LastModifiedDate":"2025-01-01T00:00:00Z","Project":{"Title":"t"}}`

	// A bad signature and an invalid body are refused before the quota.
	if res, body := sellingCall(t, s, "UpdateOpportunity", update, "test", "wrong"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("bad signature: %d %v", res.StatusCode, body)
	}
	if res, body := sellingCall(t, s, "UpdateOpportunity", `{"Catalog":"Sandbox"}`); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("invalid body: %d %v", res.StatusCode, body)
	}
	// So the first admitted write still has its token: it reaches the
	// handler (which finds no such opportunity).
	if res, body := sellingCall(t, s, "UpdateOpportunity", update); res.StatusCode != http.StatusNotFound {
		t.Fatalf("first write: %d %v", res.StatusCode, body)
	}
	res, body := sellingCall(t, s, "AssignOpportunity", `{"Catalog":"Sandbox","Identifier":"O9999999","Assignee":{"FirstName":"A","LastName":"B","Email":"a@example.com","BusinessTitle":"PartnerAccountManager"}}`)
	assertException(t, res, body, http.StatusTooManyRequests, sellingNS, "ThrottlingException")
	if msg, _ := body["Message"].(string); !strings.HasPrefix(msg, "Rate exceeded") {
		t.Errorf("Message %q", msg)
	}
	// Other classes and the other account are not affected.
	if res, body := sellingCall(t, s, "ListSolutions", `{"Catalog":"Sandbox"}`); res.StatusCode != http.StatusOK {
		t.Errorf("read after the write quota: %d %v", res.StatusCode, body)
	}
	if res, body := sellingCall(t, s, "UpdateOpportunity", update, "test2", "test2"); res.StatusCode != http.StatusNotFound {
		t.Errorf("the other account's write: %d %v", res.StatusCode, body)
	}
	// Operations AWS documents no quota for stay unlimited.
	for range 5 {
		if res, body := sellingCall(t, s, "ListEngagements", `{"Catalog":"Sandbox"}`); res.StatusCode != http.StatusOK {
			t.Fatalf("ListEngagements: %d %v", res.StatusCode, body)
		}
	}
	// The bucket refills at 1 write a second.
	time.Sleep(1100 * time.Millisecond)
	if res, body := sellingCall(t, s, "UpdateOpportunity", update); res.StatusCode != http.StatusNotFound {
		t.Errorf("write a second later: %d %v", res.StatusCode, body)
	}
}

func TestQuotasOffByDefault(t *testing.T) {
	s := startServer(t, Config{})
	const update = `{"Catalog":"Sandbox","Identifier":"O9999999","LastModifiedDate":"2025-01-01T00:00:00Z","Project":{"Title":"t"}}`
	for i := range 5 {
		if res, body := sellingCall(t, s, "UpdateOpportunity", update); res.StatusCode != http.StatusNotFound {
			t.Fatalf("write %d without quotas: %d %v", i, res.StatusCode, body)
		}
	}
	if _, err := New(Config{Addr: "127.0.0.1:0", DataDir: ":memory:", Quotas: "aws-ish"}); err == nil {
		t.Error("an unknown quota mode was accepted")
	}
}

func TestFaultRules(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	code, out := call(t, s, http.MethodPut, "/_cosell/faults?seed=3", `[
		{"operation":"GetOpportunity","account":"111111111111","errorCode":"ThrottlingException"},
		{"operation":"GetOpportunity","errorCode":"InternalServerException","statusCode":500},
		{"service":"partnercentral-account","operation":"GetPartner","errorCode":"AccessDeniedException"},
		{"operation":"ListSolutions","errorCode":"ServiceUnavailable"},
		{"operation":"ListEngagements","latency":"150ms"}]`, "tok")
	if code != http.StatusOK || !strings.Contains(out, `"errorCode":"ThrottlingException"`) {
		t.Fatalf("PUT faults: %d %s", code, out)
	}
	get := `{"Catalog":"Sandbox","Identifier":"O1"}`
	res, body := sellingCall(t, s, "GetOpportunity", get)
	assertException(t, res, body, http.StatusTooManyRequests, sellingNS, "ThrottlingException")
	// The other account falls through to the next rule.
	res, body = sellingCall(t, s, "GetOpportunity", get, "test2", "test2")
	assertException(t, res, body, http.StatusInternalServerError, sellingNS, "InternalServerException")
	// The Account API's encoding: its namespace, and the Reason its model requires.
	res, body = post(t, s, signed{target: "PartnerCentralAccount.GetPartner", signingName: "partnercentral-account", body: `{"Catalog":"Sandbox","Identifier":"partner-abcdefghijklm"}`})
	assertException(t, res, body, http.StatusForbidden, "com.amazonaws.partnercentralaccount", "AccessDeniedException")
	if body["Reason"] != "ACCESS_DENIED" {
		t.Errorf("Reason %v, want the model's first ACCESS_DENIED", body["Reason"])
	}
	// An exception neither model has is the front end's.
	res, body = sellingCall(t, s, "ListSolutions", `{"Catalog":"Sandbox"}`)
	assertException(t, res, body, http.StatusServiceUnavailable, "com.amazon.coral.service", "ServiceUnavailable")
	// Latency delays an otherwise normal answer.
	start := time.Now()
	if res, body := sellingCall(t, s, "ListEngagements", `{"Catalog":"Sandbox"}`); res.StatusCode != http.StatusOK {
		t.Fatalf("ListEngagements with latency: %d %v", res.StatusCode, body)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("answered in %v despite 150ms latency", d)
	}

	// Bad rules are refused and change nothing; DELETE clears.
	if code, out := call(t, s, http.MethodPost, "/_cosell/faults", `[{"probability":2}]`, "tok"); code != http.StatusBadRequest {
		t.Errorf("bad rule: %d %s", code, out)
	}
	if code, out := call(t, s, http.MethodPut, "/_cosell/faults", `[]`, ""); code != http.StatusUnauthorized {
		t.Errorf("faults without the token: %d %s", code, out)
	}
	if code, out := call(t, s, http.MethodDelete, "/_cosell/faults", "", "tok"); code != http.StatusOK || out != "[]\n" {
		t.Fatalf("DELETE faults: %d %s", code, out)
	}
	if res, body := sellingCall(t, s, "ListSolutions", `{"Catalog":"Sandbox"}`); res.StatusCode != http.StatusOK {
		t.Errorf("after DELETE: %d %v", res.StatusCode, body)
	}
}

// LocalStack's chaos endpoint takes LocalStack's rule format without
// credentials: POST sets, PATCH adds, DELETE removes, GET lists.
func TestLocalStackChaosFaults(t *testing.T) {
	s := startServer(t, Config{})
	code, out := call(t, s, http.MethodPost, "/_localstack/chaos/faults",
		`[{"service":"partnercentral-selling","region":"us-east-1","operation":"ListSolutions","probability":1,"error":{"statusCode":429,"code":"ThrottlingException"}}]`, "")
	if code != http.StatusOK {
		t.Fatalf("POST: %d %s", code, out)
	}
	res, body := sellingCall(t, s, "ListSolutions", `{"Catalog":"Sandbox"}`)
	assertException(t, res, body, http.StatusTooManyRequests, sellingNS, "ThrottlingException")

	// A rule for another region never matches.
	call(t, s, http.MethodPost, "/_localstack/chaos/faults", `[{"region":"eu-west-1"}]`, "")
	if res, body := sellingCall(t, s, "ListSolutions", `{"Catalog":"Sandbox"}`); res.StatusCode != http.StatusOK {
		t.Fatalf("rule for eu-west-1 hit a us-east-1 server: %d %v", res.StatusCode, body)
	}
	code, out = call(t, s, http.MethodPatch, "/_localstack/chaos/faults", `[{"operation":"ListEngagements"}]`, "")
	var rules []map[string]any
	if err := json.Unmarshal([]byte(out), &rules); err != nil || code != http.StatusOK || len(rules) != 2 {
		t.Fatalf("PATCH: %d %s", code, out)
	}
	res, body = sellingCall(t, s, "ListEngagements", `{"Catalog":"Sandbox"}`)
	assertException(t, res, body, http.StatusServiceUnavailable, "com.amazon.coral.service", "ServiceUnavailable")
	code, out = call(t, s, http.MethodDelete, "/_localstack/chaos/faults", `[{"operation":"ListEngagements"}]`, "")
	if code != http.StatusOK || out != `[{"region":"eu-west-1","error":{"statusCode":503,"code":"ServiceUnavailable"}}]`+"\n" {
		t.Fatalf("DELETE: %d %s", code, out)
	}
	if code, out := call(t, s, http.MethodGet, "/_localstack/chaos/faults", "", ""); code != http.StatusOK || !strings.Contains(out, "eu-west-1") {
		t.Fatalf("GET: %d %s", code, out)
	}
}

func TestLocalStackHealth(t *testing.T) {
	s := startServer(t, Config{})
	code, out := call(t, s, http.MethodGet, "/_localstack/health", "", "")
	var h struct {
		Services map[string]string `json:"services"`
	}
	if err := json.Unmarshal([]byte(out), &h); err != nil || code != http.StatusOK {
		t.Fatalf("health: %d %s", code, out)
	}
	// Every API of the table, and nothing else.
	if len(h.Services) != len(partnerAPIs) {
		t.Errorf("services %v, want the %d APIs served", h.Services, len(partnerAPIs))
	}
	for _, name := range []string{"partnercentral-selling", "partnercentral-account", "partnercentral-channel", "partnercentral-benefits"} {
		if h.Services[name] != "running" {
			t.Errorf("services %v, want %s running", h.Services, name)
		}
	}
}

// createOpportunity creates one Sandbox opportunity for an account and
// returns its id.
func createOpportunity(t *testing.T, s *Server, token string, key ...string) string {
	t.Helper()
	res, body := sellingCall(t, s, "CreateOpportunity", `{"Catalog":"Sandbox","ClientToken":"`+token+`","Customer":{"Account":{"CompanyName":"Reset Co"}}}`, key...)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create: %d %v", res.StatusCode, body)
	}
	return body["Id"].(string)
}

func opportunityStatus(t *testing.T, s *Server, id string, key ...string) int {
	t.Helper()
	res, _ := sellingCall(t, s, "GetOpportunity", `{"Catalog":"Sandbox","Identifier":"`+id+`"}`, key...)
	return res.StatusCode
}

func solutionCount(t *testing.T, s *Server, catalog string) int {
	t.Helper()
	res, body := sellingCall(t, s, "ListSolutions", `{"Catalog":"`+catalog+`"}`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("ListSolutions: %d %v", res.StatusCode, body)
	}
	list, _ := body["SolutionSummaries"].([]any)
	return len(list)
}

func TestResetScoped(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	mine := createOpportunity(t, s, "r1")
	theirs := createOpportunity(t, s, "r2", "test2", "test2")
	solutions := solutionCount(t, s, "Sandbox")

	for _, bad := range []string{"?account=111111111111", "?account=111111111111&catalog=Other", "?account=999999999999&catalog=Sandbox"} {
		if code, out := call(t, s, http.MethodPost, "/_cosell/reset"+bad, "", "tok"); code != http.StatusBadRequest {
			t.Errorf("reset%s: %d %s", bad, code, out)
		}
	}
	if code, out := call(t, s, http.MethodPost, "/_cosell/reset?account=111111111111&catalog=Sandbox", "", ""); code != http.StatusUnauthorized {
		t.Fatalf("reset without the token: %d %s", code, out)
	}
	if code, out := call(t, s, http.MethodPost, "/_cosell/reset?account=111111111111&catalog=Sandbox", "", "tok"); code != http.StatusOK {
		t.Fatalf("scoped reset: %d %s", code, out)
	}
	if got := opportunityStatus(t, s, mine); got != http.StatusNotFound {
		t.Errorf("the reset account's opportunity: %d, want 404", got)
	}
	if got := opportunityStatus(t, s, theirs, "test2", "test2"); got != http.StatusOK {
		t.Errorf("the other account's opportunity: %d, want 200", got)
	}
	if got := solutionCount(t, s, "Sandbox"); got != solutions {
		t.Errorf("%d starter solutions after the reset, want %d again", got, solutions)
	}
	// The idempotency record went too: the same token creates anew.
	if again := createOpportunity(t, s, "r1"); again == mine {
		t.Errorf("ClientToken r1 replayed %s after the reset", again)
	}
}

func TestResetAllAndLocalStackAlias(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	for _, reset := range []struct{ path, token string }{{"/_cosell/reset", "tok"}, {"/_localstack/state/reset", "tok"}} {
		a := createOpportunity(t, s, "all-"+reset.path)
		b := createOpportunity(t, s, "all-"+reset.path, "test2", "test2")
		if code, out := call(t, s, http.MethodPost, reset.path, "", reset.token); code != http.StatusOK {
			t.Fatalf("%s: %d %s", reset.path, code, out)
		}
		if opportunityStatus(t, s, a) != http.StatusNotFound || opportunityStatus(t, s, b, "test2", "test2") != http.StatusNotFound {
			t.Errorf("%s left opportunities", reset.path)
		}
		if solutionCount(t, s, "AWS") == 0 || solutionCount(t, s, "Sandbox") == 0 {
			t.Errorf("%s left no starter solutions", reset.path)
		}
	}
	// NextTokens signed before the reset still verify: the key is server-wide and kept.
	res, body := sellingCall(t, s, "ListSolutions", `{"Catalog":"AWS","MaxResults":1}`)
	next, _ := body["NextToken"].(string)
	if res.StatusCode != http.StatusOK || next == "" {
		t.Fatalf("list: %d %v", res.StatusCode, body)
	}
	call(t, s, http.MethodPost, "/_localstack/state/reset", "", "tok")
	if res, body := sellingCall(t, s, "ListSolutions", `{"Catalog":"AWS","MaxResults":1,"NextToken":"`+next+`"}`); res.StatusCode != http.StatusOK {
		t.Errorf("NextToken from before the reset: %d %v", res.StatusCode, body)
	}
}

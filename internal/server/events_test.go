package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/events/delivery"
	"github.com/cosell/cosell/internal/events/hub"
	"github.com/cosell/cosell/internal/events/webhook"
)

const evAccount = "111111111111" // the account of the "test" key

// evFast retries quickly, so tests of failing receivers stay short.
var evFast = hub.Options{Backoff: delivery.Backoff{Initial: 5 * time.Millisecond, Max: 50 * time.Millisecond}}

// evAdmin sends one admin request and returns the status and body.
func evAdmin(t *testing.T, s *Server, method, path, body string, header map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tok")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

// evCreate commits one opportunity, and so its events.
func evCreate(t *testing.T, s *Server, token string) string {
	t.Helper()
	res, body := post(t, s, signed{target: "AWSPartnerCentralSelling.CreateOpportunity", signingName: "partnercentral-selling",
		body: `{"Catalog":"Sandbox","ClientToken":"` + token + `","Customer":{"Account":{"CompanyName":"Evented Co"}}}`})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("create: %d %v", res.StatusCode, body)
	}
	return body["Id"].(string)
}

// evHook records the events a webhook acknowledged and checks each
// signature.
type evHook struct {
	t      *testing.T
	secret string
	srv    *httptest.Server
	mu     sync.Mutex
	events []map[string]any
	fail   int // answer 503 to this many requests first
	arrive chan struct{}
}

func newEvHook(t *testing.T, secret string, fail int) *evHook {
	h := &evHook{t: t, secret: secret, fail: fail, arrive: make(chan struct{}, 1000)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if got := r.Header.Get(webhook.HeaderSignature); got != webhook.Sign(h.secret, body) {
			t.Errorf("bad signature %q on %s", got, body)
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.fail > 0 {
			h.fail--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var e map[string]any
		if err := json.Unmarshal(body, &e); err != nil {
			t.Errorf("not JSON: %s", body)
		}
		e["_seq"] = r.Header.Get(webhook.HeaderSeq)
		h.events = append(h.events, e)
		h.arrive <- struct{}{}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *evHook) waitFor(n int) []map[string]any {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		h.mu.Lock()
		got := slices.Clone(h.events)
		h.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-h.arrive:
		case <-deadline:
			h.t.Fatalf("timed out with %d of %d events", len(got), n)
		}
	}
}

func evPutHook(t *testing.T, s *Server, id, body string) {
	t.Helper()
	if code, out := evAdmin(t, s, http.MethodPut, "/_cosell/webhooks/"+id, body, nil); code != http.StatusOK {
		t.Fatalf("put webhook: %d %s", code, out)
	}
}

func TestWebhookGetsMatchingEventsInOrder(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok", Events: evFast})
	// The receiver is down for its first 3 calls: the events wait, in order.
	all := newEvHook(t, "k1", 3)
	created := newEvHook(t, "k2", 0)
	evPutHook(t, s, "all", `{"account":"`+evAccount+`","url":"`+all.srv.URL+`","secret":"k1"}`)
	evPutHook(t, s, "created", `{"account":"`+evAccount+`","url":"`+created.srv.URL+`","secret":"k2",
		"pattern":{"source":["aws.partnercentral-selling"],"detail-type":["Opportunity Created"],"detail":{"catalog":["Sandbox"]}}}`)
	if code, out := evAdmin(t, s, http.MethodPut, "/_cosell/webhooks/bad", `{"account":"`+evAccount+`","url":"x","secret":"k"}`, nil); code != http.StatusBadRequest {
		t.Fatalf("a webhook without a usable URL: %d %s", code, out)
	}

	var ids []string
	for i := range 3 {
		ids = append(ids, evCreate(t, s, fmt.Sprintf("wh-%d", i)))
	}
	got := created.waitFor(3)
	for i, e := range got {
		if e["detail-type"] != "Opportunity Created" || e["account"] != evAccount || !strings.Contains(fmt.Sprint(e["detail"]), ids[i]) {
			t.Errorf("event %d: %v, want the creation of %s", i, e, ids[i])
		}
	}
	everything := all.waitFor(3)
	var seqs []int
	for _, e := range everything {
		n, _ := strconv.Atoi(e["_seq"].(string))
		seqs = append(seqs, n)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("the retried webhook got seqs %v, want strictly increasing", seqs)
		}
	}

	code, out := evAdmin(t, s, http.MethodGet, "/_cosell/webhooks", "", nil)
	if code != http.StatusOK || strings.Contains(string(out), `"k1"`) || !strings.Contains(string(out), `"created"`) {
		t.Fatalf("list webhooks: %d %s (secrets must not be shown)", code, out)
	}
	if code, _ := evAdmin(t, s, http.MethodDelete, "/_cosell/webhooks/created", "", nil); code != http.StatusNoContent {
		t.Fatalf("delete: %d", code)
	}
	if code, _ := evAdmin(t, s, http.MethodDelete, "/_cosell/webhooks/created", "", nil); code != http.StatusNotFound {
		t.Fatalf("delete again: %d", code)
	}
}

// A webhook made with startAt "latest" gets only what happens after it.
func TestWebhookStartingAtLatest(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok", Events: evFast})
	before := evCreate(t, s, "before-hook")
	hook := newEvHook(t, "k", 0)
	if code, out := evAdmin(t, s, http.MethodPut, "/_cosell/webhooks/late", `{"account":"`+evAccount+`","url":"`+hook.srv.URL+`","secret":"k","startAt":"soon"}`, nil); code != http.StatusBadRequest {
		t.Fatalf("startAt soon: %d %s", code, out)
	}
	evPutHook(t, s, "late", `{"account":"`+evAccount+`","url":"`+hook.srv.URL+`","secret":"k","startAt":"latest"}`)
	after := evCreate(t, s, "after-hook")
	got := hook.waitFor(1)
	if detail := fmt.Sprint(got[0]["detail"]); !strings.Contains(detail, after) || strings.Contains(detail, before) {
		t.Fatalf("first event delivered: %v, want the creation of %s (not %s)", got[0], after, before)
	}
}

// evReadSSE reads whole events (up to their blank line) from a stream
// until it has n, returning their ids and data.
func evReadSSE(t *testing.T, r *bufio.Reader, n int) (ids []int64, data []string) {
	t.Helper()
	var id int64 = -1
	var lines []string
	for len(ids) < n {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended after %d of %d events: %v", len(ids), n, err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if id >= 0 {
				ids, data = append(ids, id), append(data, strings.Join(lines, "\n"))
			}
			id, lines = -1, nil
		case strings.HasPrefix(line, "id: "):
			if id, err = strconv.ParseInt(strings.TrimPrefix(line, "id: "), 10, 64); err != nil {
				t.Fatalf("id line %q", line)
			}
		case strings.HasPrefix(line, "data: "):
			lines = append(lines, strings.TrimPrefix(line, "data: "))
		}
	}
	return ids, data
}

func evOpenStream(t *testing.T, ctx context.Context, s *Server, query string, lastEventID string) io.ReadCloser {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/_cosell/events/stream?"+query, nil)
	req.Header.Set("Authorization", "Bearer tok")
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	return res.Body
}

func TestEventLogAndStreamResume(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok"})
	for i := range 3 {
		evCreate(t, s, fmt.Sprintf("log-%d", i))
	}
	code, out := evAdmin(t, s, http.MethodGet, "/_cosell/events?account="+evAccount, "", nil)
	var page struct {
		Events []struct {
			Seq     int64           `json:"seq"`
			Account string          `json:"account"`
			Event   json.RawMessage `json:"event"`
		} `json:"events"`
		After int64 `json:"after"`
	}
	if err := json.Unmarshal(out, &page); code != http.StatusOK || err != nil || len(page.Events) < 3 {
		t.Fatalf("event log: %d %s", code, out)
	}
	seqs := make([]int64, len(page.Events))
	for i, e := range page.Events {
		seqs[i] = e.Seq
	}
	if page.After != seqs[len(seqs)-1] {
		t.Fatalf("after %d, want the last seq %v", page.After, seqs)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// From a cursor: everything after the first event, then a new one as it
	// commits.
	stream := evOpenStream(t, ctx, s, "account="+evAccount+"&after="+strconv.FormatInt(seqs[0], 10), "")
	br := bufio.NewReader(stream)
	ids, _ := evReadSSE(t, br, len(seqs)-1)
	if !slices.Equal(ids, seqs[1:]) {
		t.Fatalf("stream after %d gave %v, want %v", seqs[0], ids, seqs[1:])
	}
	evCreate(t, s, "log-live")
	live, data := evReadSSE(t, br, 1)
	if live[0] <= seqs[len(seqs)-1] || !strings.Contains(data[0], `"Opportunity Created"`) {
		t.Fatalf("live event %v %v", live, data)
	}
	stream.Close()

	// A reconnecting client's Last-Event-ID wins over ?after=.
	again := evOpenStream(t, ctx, s, "account="+evAccount+"&after=0", strconv.FormatInt(seqs[len(seqs)-1], 10))
	defer again.Close()
	if ids, _ := evReadSSE(t, bufio.NewReader(again), 1); ids[0] != live[0] {
		t.Fatalf("resumed at %v, want %d", ids, live[0])
	}
}

func TestChaosThroughTheAdminAPI(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok", Events: evFast})
	code, out := evAdmin(t, s, http.MethodPut, "/_cosell/events/chaos", `{"duplicate":1,"delay":"1ms"}`, nil)
	if code != http.StatusOK || !strings.Contains(string(out), `"duplicate":1`) || !strings.Contains(string(out), `"delay":"1ms"`) {
		t.Fatalf("set chaos: %d %s", code, out)
	}
	if code, _ := evAdmin(t, s, http.MethodPut, "/_cosell/events/chaos", `{"duplicate":1.5}`, nil); code != http.StatusBadRequest {
		t.Fatalf("a probability of 1.5: %d", code)
	}
	r := newEvHook(t, "k", 0)
	evPutHook(t, s, "dup", `{"account":"`+evAccount+`","url":"`+r.srv.URL+`","secret":"k","pattern":{"detail-type":["Opportunity Created"]}}`)
	evCreate(t, s, "chaos-1")
	got := r.waitFor(2)
	if got[0]["id"] != got[1]["id"] {
		t.Fatalf("duplicate 1 did not deliver the event twice: %v", got)
	}
	if code, out := evAdmin(t, s, http.MethodGet, "/_cosell/events/chaos", "", nil); code != http.StatusOK || !strings.Contains(string(out), `"duplicate":1`) {
		t.Fatalf("get chaos: %d %s", code, out)
	}
}

// A webhook whose receiver is down while a server stops gets every event
// from the next server on the same data directory.
func TestWebhookDeliverySurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	first, err := New(Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: "tok", Events: evFast})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- first.Serve(ctx) }()
	down := newEvHook(t, "k", 1<<30)
	evPutHook(t, first, "r", `{"account":"`+evAccount+`","url":"`+down.srv.URL+`","secret":"k","pattern":{"detail-type":["Opportunity Created"]}}`)
	var ids []string
	for i := range 3 {
		ids = append(ids, evCreate(t, first, fmt.Sprintf("restart-ev-%d", i)))
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop while a webhook was failing")
	}

	// The receiver recovers at the same URL's successor: point the
	// webhook there on the new server; its cursor is kept.
	up := newEvHook(t, "k", 0)
	second := startServer(t, Config{DataDir: dir, AdminToken: "tok", Events: evFast})
	evPutHook(t, second, "r", `{"account":"`+evAccount+`","url":"`+up.srv.URL+`","secret":"k","pattern":{"detail-type":["Opportunity Created"]}}`)
	got := up.waitFor(3)
	for i, e := range got[:3] {
		if !strings.Contains(fmt.Sprint(e["detail"]), ids[i]) {
			t.Fatalf("event %d after restart: %v, want %s", i, e, ids[i])
		}
	}
}

// fakeEventBridge speaks just enough of the EventBridge JSON protocol to
// take PutEvents; it refuses the first entry it sees, as EventBridge may.
type fakeEventBridge struct {
	mu      sync.Mutex
	calls   int
	entries []map[string]any
	arrive  chan struct{}
}

func (f *fakeEventBridge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in struct{ Entries []map[string]any }
	body, _ := io.ReadAll(r.Body)
	target := r.Header.Get("X-Amz-Target")
	signed := strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKEVENTS/")
	if err := json.Unmarshal(body, &in); err != nil || target != "AWSEvents.PutEvents" || !signed {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"ValidationException","message":"target %q signed %v: %s"}`, target, signed, body)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if f.calls == 1 {
		fmt.Fprint(w, `{"FailedEntryCount":1,"Entries":[{"ErrorCode":"InternalFailure","ErrorMessage":"try again"}]}`)
		return
	}
	f.entries = append(f.entries, in.Entries...)
	fmt.Fprintf(w, `{"FailedEntryCount":0,"Entries":[{"EventId":"eb-%d"}]}`, f.calls)
	f.arrive <- struct{}{}
}

func TestEventBridgePutEvents(t *testing.T) {
	fake := &fakeEventBridge{arrive: make(chan struct{}, 100)}
	eb := httptest.NewServer(fake)
	defer eb.Close()
	// Credentials come from the standard environment, and nothing else.
	t.Setenv("AWS_ACCESS_KEY_ID", "AKEVENTS")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-west-2")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	opts := evFast
	opts.EventBridge.Endpoint = eb.URL
	s := startServer(t, Config{AdminToken: "tok", Events: opts})
	id := evCreate(t, s, "eb-1")

	code, out := evAdmin(t, s, http.MethodGet, "/_cosell/events?limit=1", "", nil)
	var page struct {
		Events []struct{ Event map[string]any } `json:"events"`
	}
	if err := json.Unmarshal(out, &page); code != http.StatusOK || err != nil || len(page.Events) != 1 {
		t.Fatalf("event log: %d %s", code, out)
	}
	want := page.Events[0].Event

	select {
	case <-fake.arrive:
	case <-time.After(10 * time.Second):
		t.Fatal("no PutEvents succeeded")
	}
	fake.mu.Lock()
	entry, calls := fake.entries[0], fake.calls
	fake.mu.Unlock()
	if calls < 2 {
		t.Fatalf("%d calls: the refused entry was not retried", calls)
	}
	if entry["Source"] != want["source"] || entry["DetailType"] != want["detail-type"] {
		t.Errorf("entry %v does not carry the event's source and detail-type (%v)", entry, want)
	}
	var detail map[string]any
	if err := json.Unmarshal([]byte(entry["Detail"].(string)), &detail); err != nil || fmt.Sprint(detail) != fmt.Sprint(want["detail"]) {
		t.Errorf("Detail %v, want the event's detail %v as a JSON string", entry["Detail"], want["detail"])
	}
	if !strings.Contains(entry["Detail"].(string), id) {
		t.Errorf("Detail %v does not name %s", entry["Detail"], id)
	}
	eventTime, _ := time.Parse(time.RFC3339, want["time"].(string))
	if sec, ok := entry["Time"].(float64); !ok || int64(sec) != eventTime.Unix() {
		t.Errorf("Time %v, want %v", entry["Time"], eventTime)
	}
	if fmt.Sprint(entry["Resources"]) != fmt.Sprint(want["resources"]) && !(entry["Resources"] == nil && len(want["resources"].([]any)) == 0) {
		t.Errorf("Resources %v, want %v", entry["Resources"], want["resources"])
	}
}

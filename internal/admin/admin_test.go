package admin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/clock"
)

const token = "s3cret"

var start = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newAPI(t *testing.T) (http.Handler, *clock.Manual) {
	t.Helper()
	c := clock.NewManual()
	c.Freeze(start)
	h, err := New(Config{Token: token, Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	return h, c
}

// call sends one request and decodes the JSON answer.
func call(t *testing.T, h http.Handler, method, path, auth, body string) (int, map[string]string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s %s: Content-Type %q", method, path, ct)
	}
	var out map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: body %q: %v", method, path, rec.Body, err)
	}
	return rec.Code, out
}

func TestNewRefusesAnEmptyToken(t *testing.T) {
	if _, err := New(Config{Clock: clock.NewManual()}); err == nil {
		t.Fatal("an admin API without a token was built")
	}
}

func TestAuth(t *testing.T) {
	h, _ := newAPI(t)
	for _, c := range []struct {
		auth string
		want int
	}{
		{"", http.StatusUnauthorized},
		{"Basic " + token, http.StatusUnauthorized},
		{"Bearer ", http.StatusUnauthorized},
		{"Bearer wrong", http.StatusForbidden},
		{"Bearer " + token + "x", http.StatusForbidden},
		{"Bearer " + token, http.StatusOK},
	} {
		code, body := call(t, h, http.MethodGet, "/_cosell/clock", c.auth, "")
		if code != c.want || (code != http.StatusOK && body["error"] == "") {
			t.Errorf("Authorization %q: %d %v, want %d", c.auth, code, body, c.want)
		}
	}
	// Unknown routes are hidden behind the token too.
	if code, _ := call(t, h, http.MethodGet, "/_cosell/nope", "", ""); code != http.StatusUnauthorized {
		t.Errorf("unknown route without token: %d", code)
	}
	if code, _ := call(t, h, http.MethodGet, "/_cosell/nope", "Bearer "+token, ""); code != http.StatusNotFound {
		t.Errorf("unknown route: %d", code)
	}
}

func TestClock(t *testing.T) {
	h, c := newAPI(t)
	bearer := "Bearer " + token
	now := func(code int, body map[string]string) time.Time {
		t.Helper()
		if code != http.StatusOK {
			t.Fatalf("%d %v", code, body)
		}
		at, err := time.Parse(time.RFC3339Nano, body["now"])
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	if got := now(call(t, h, http.MethodGet, "/_cosell/clock", bearer, "")); !got.Equal(start) {
		t.Errorf("GET: %v, want %v", got, start)
	}
	advanced := start.Add(360 * time.Hour)
	if got := now(call(t, h, http.MethodPost, "/_cosell/clock", bearer, `{"advance":"360h"}`)); !got.Equal(advanced) || !c.Now().Equal(advanced) {
		t.Errorf("advance: answered %v, clock %v, want %v", got, c.Now(), advanced)
	}
	target := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := now(call(t, h, http.MethodPost, "/_cosell/clock", bearer, `{"set":"2027-01-01T00:00:00Z"}`)); !got.Equal(target) || !c.Now().Equal(target) {
		t.Errorf("set: answered %v, clock %v, want %v", got, c.Now(), target)
	}

	for _, body := range []string{
		`{"set":"2026-12-31T23:59:59Z"}`, // backwards
		`{"advance":"-1s"}`,              // backwards
		`{"advance":"soon"}`,
		`{"set":"tomorrow"}`,
		`{}`,
		`{"advance":"1h","set":"2028-01-01T00:00:00Z"}`,
		`{"advance":"1h","extra":true}`,
		`not json`,
	} {
		code, out := call(t, h, http.MethodPost, "/_cosell/clock", bearer, body)
		if code != http.StatusBadRequest || out["error"] == "" {
			t.Errorf("%s: %d %v, want 400 with an error", body, code, out)
		}
	}
	if !c.Now().Equal(target) {
		t.Errorf("a refused move moved the clock to %v", c.Now())
	}
}

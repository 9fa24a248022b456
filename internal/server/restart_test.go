package server

import (
	"context"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/events/hub"
)

// TestDataAndTokensSurviveRestart stops a file-backed server and starts
// another on the same data directory: acknowledged writes are there, and a
// NextToken handed out before the restart still continues its listing.
func TestDataAndTokensSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	first, err := New(Config{Addr: "127.0.0.1:0", DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- first.Serve(ctx) }()

	const selling = "partnercentral-selling"
	var ids []string
	for _, token := range []string{"restart-1", "restart-2"} {
		res, body := post(t, first, signed{target: "AWSPartnerCentralSelling.CreateOpportunity", signingName: selling,
			body: `{"Catalog":"Sandbox","ClientToken":"` + token + `","Customer":{"Account":{"CompanyName":"Durable Co"}}}`})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("create: %d %v", res.StatusCode, body)
		}
		ids = append(ids, body["Id"].(string))
	}
	res, page := post(t, first, signed{target: "AWSPartnerCentralSelling.ListOpportunities", signingName: selling, body: `{"Catalog":"Sandbox","MaxResults":1}`})
	if res.StatusCode != http.StatusOK || page["NextToken"] == nil {
		t.Fatalf("list: %d %v", res.StatusCode, page)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}

	second := startServer(t, Config{DataDir: dir})
	for _, id := range ids {
		res, body := post(t, second, signed{target: "AWSPartnerCentralSelling.GetOpportunity", signingName: selling, body: `{"Catalog":"Sandbox","Identifier":"` + id + `"}`})
		if res.StatusCode != http.StatusOK || body["Id"] != id {
			t.Fatalf("after restart, get %s: %d %v", id, res.StatusCode, body)
		}
	}
	res, next := post(t, second, signed{target: "AWSPartnerCentralSelling.ListOpportunities", signingName: selling,
		body: `{"Catalog":"Sandbox","MaxResults":1,"NextToken":"` + page["NextToken"].(string) + `"}`})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("continuing a listing after restart: %d %v", res.StatusCode, next)
	}
	got := next["OpportunitySummaries"].([]any)[0].(map[string]any)["Id"]
	want := page["OpportunitySummaries"].([]any)[0].(map[string]any)["Id"]
	if got == want {
		t.Fatalf("the second page repeats %v", got)
	}
}

// Settings made through the admin API (the automatic reviewer, the chaos
// knobs) survive a restart; a start that names them replaces them.
func TestAdminSettingsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	run := func(cfg Config, body func(s *Server)) {
		t.Helper()
		cfg.Addr, cfg.DataDir, cfg.AdminToken = "127.0.0.1:0", dir, "tok"
		s, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Serve(ctx) }()
		body(s)
		stop()
		if err := <-done; err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	}
	settings := func(s *Server) (review, chaos string) {
		t.Helper()
		_, r := evAdmin(t, s, http.MethodGet, "/_cosell/aws/auto-review", "", nil)
		_, c := evAdmin(t, s, http.MethodGet, "/_cosell/events/chaos", "", nil)
		return string(r), string(c)
	}
	run(Config{}, func(s *Server) {
		if code, out := evAdmin(t, s, http.MethodPost, "/_cosell/aws/auto-review", `{"mode":"rules","delay":"30s"}`, nil); code != http.StatusOK {
			t.Fatalf("auto-review: %d %s", code, out)
		}
		if code, out := evAdmin(t, s, http.MethodPut, "/_cosell/events/chaos", `{"duplicate":0.5,"seed":9}`, nil); code != http.StatusOK {
			t.Fatalf("chaos: %d %s", code, out)
		}
	})
	run(Config{}, func(s *Server) {
		review, chaos := settings(s)
		if !strings.Contains(review, `"mode":"rules"`) || !strings.Contains(review, `"delay":"30s"`) || !strings.Contains(chaos, `"duplicate":0.5`) || !strings.Contains(chaos, `"seed":9`) {
			t.Errorf("after a restart: auto-review %s, chaos %s; want what the admin API set", review, chaos)
		}
	})
	run(Config{AutoReviewSet: true, Events: hub.Options{ChaosSet: true}}, func(s *Server) {
		review, chaos := settings(s)
		if !strings.Contains(review, `"mode":"off"`) || strings.Contains(chaos, `"duplicate":0.5`) {
			t.Errorf("a start naming the settings: auto-review %s, chaos %s; want them off", review, chaos)
		}
	})
}

// runOn serves on dir (admin token "tok") while body runs, then shuts down.
func runOn(t *testing.T, dir string, body func(s *Server)) {
	t.Helper()
	s, err := New(Config{Addr: "127.0.0.1:0", DataDir: dir, AdminToken: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	body(s)
	stop()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

// A restart resumes the server clock where it was, never earlier: the
// opportunity created after it is stamped after the one created before.
func TestClockSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	const selling = "partnercentral-selling"
	var before time.Time
	var lastModified string
	runOn(t, dir, func(s *Server) {
		code, moved := adminCall(t, s, http.MethodPost, `{"advance":"360h"}`, "tok")
		if code != http.StatusOK {
			t.Fatalf("advance: %d %v", code, moved)
		}
		before, _ = time.Parse(time.RFC3339Nano, moved["now"])
		res, body := post(t, s, signed{target: "AWSPartnerCentralSelling.CreateOpportunity", signingName: selling,
			body: `{"Catalog":"Sandbox","ClientToken":"before","Customer":{"Account":{"CompanyName":"Before Co"}}}`})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("create: %d %v", res.StatusCode, body)
		}
		lastModified = body["LastModifiedDate"].(string)
	})
	runOn(t, dir, func(s *Server) {
		code, now := adminCall(t, s, http.MethodGet, "", "tok")
		after, err := time.Parse(time.RFC3339Nano, now["now"])
		if code != http.StatusOK || err != nil || after.Before(before) {
			t.Fatalf("after a restart the clock reads %v (%d), before it read %v", now, code, before)
		}
		res, body := post(t, s, signed{target: "AWSPartnerCentralSelling.CreateOpportunity", signingName: selling,
			body: `{"Catalog":"Sandbox","ClientToken":"after","Customer":{"Account":{"CompanyName":"After Co"}}}`})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("create: %d %v", res.StatusCode, body)
		}
		if got := body["LastModifiedDate"].(string); got <= lastModified {
			t.Fatalf("created after the restart at %s, before it at %s", got, lastModified)
		}
	})
}

// A second server on a data directory in use fails at once, naming the
// holder; a :memory: store takes no lock.
func TestDataDirectoryIsExclusive(t *testing.T) {
	dir := t.TempDir()
	runOn(t, dir, func(*Server) {
		_, err := New(Config{Addr: "127.0.0.1:0", DataDir: dir})
		if err == nil || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
			t.Fatalf("second server on %s: %v", dir, err)
		}
		if _, err := SeedOpportunities(context.Background(), Config{DataDir: dir}, "111111111111", "Sandbox", 1, nil); err == nil {
			t.Fatal("seeding a directory a server holds succeeded")
		}
	})
	startServer(t, Config{DataDir: ":memory:"})
	startServer(t, Config{DataDir: ":memory:"})
}

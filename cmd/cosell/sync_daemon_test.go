package main

import (
	"bytes"
	"context"
	"github.com/cosell/cosell/internal/testwait"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
)

// cosell sync without --once runs until its context ends: it follows the
// server's event stream (polling only hourly, so the opportunity can only
// arrive by event), stores an opportunity created meanwhile, and on
// cancel stops cleanly with exit code 0.
func TestSyncDaemonStopsOnCancel(t *testing.T) {
	url := serveWithEnv(t, "--admin-token", "t")
	db := filepath.Join(t.TempDir(), "crm.db")
	status := func() string {
		var out bytes.Buffer
		run(context.Background(), []string{"sync", "status", "--db", db}, &out, &bytes.Buffer{})
		return out.String()
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer // written by the daemon; read only after it exits
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"sync", "--db", db, "--poll-every", "1h", "--events-endpoint", url, "--admin-token", "t"}, &bytes.Buffer{}, &stderr)
	}()
	testwait.Until(t, "the first cycle", func() bool { return strings.Contains(status(), "first load done:     true") })

	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sellingclient.New(cfg).CreateOpportunity(ctx, &selling.CreateOpportunityRequest{Catalog: "Sandbox", ClientToken: "daemon",
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Daemon Co"}}}); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, "the opportunity in the CRM", func() bool { return strings.Contains(status(), "opportunities:       1\n") })

	cancel()
	select {
	case c := <-code:
		if c != 0 || !strings.Contains(stderr.String(), "sync stopped") {
			t.Errorf("exit code %d, stderr:\n%s", c, stderr.String())
		}
	case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("cosell sync did not stop after its context was cancelled")
	}
}

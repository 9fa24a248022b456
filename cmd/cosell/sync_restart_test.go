package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
)

// The connector misses nothing across a server restart after the clock was
// moved: an opportunity created after the restart is stamped after the
// ones before it, so `cosell sync --once` picks it up.
func TestSyncAfterRestartWithMovedClockSkipsNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(t.TempDir(), "crm.db")
	var url string
	serve := func() func() {
		lines, stop := startStoppableServe(t, "--addr", "127.0.0.1:0", "--data", dir, "--admin-token", "tok")
		url = useServer(t, lines)
		return stop
	}
	create := func(token string) {
		t.Helper()
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sellingclient.New(cfg).CreateOpportunity(ctx, &selling.CreateOpportunityRequest{Catalog: "Sandbox", ClientToken: token,
			Customer: &selling.Customer{Account: &selling.Account{CompanyName: token + " Co"}}}); err != nil {
			t.Fatal(err)
		}
	}
	syncOnce := func(want string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(ctx, []string{"sync", "--db", db, "--once"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), want) {
			t.Fatalf("sync --once: exit %d, want %q in\n%s\n%s", code, want, stdout.String(), stderr.String())
		}
	}

	stop := serve()
	create("first")
	syncOnce("opportunities:       1\n")
	req, _ := http.NewRequest(http.MethodPost, url+"/_cosell/clock", strings.NewReader(`{"advance":"360h"}`))
	req.Header.Set("Authorization", "Bearer tok")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("advance the clock: %v %v", res, err)
	}
	res.Body.Close()
	create("second")
	syncOnce("opportunities:       2\n")
	stop()

	stop = serve()
	defer stop()
	create("third")
	syncOnce("opportunities:       3\n")
}

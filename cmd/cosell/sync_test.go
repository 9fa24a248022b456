package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// cosell sync --once against a cosell serve, configured only by the
// environment lines serve prints, then status and conflicts on its database.
func TestSyncOnceStatusAndConflicts(t *testing.T) {
	serveWithEnv(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sellingclient.New(cfg).CreateOpportunity(ctx, &selling.CreateOpportunityRequest{Catalog: "Sandbox", ClientToken: "one",
		Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Example Co"}}}); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "crm.db")
	sync := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(ctx, append([]string{"sync"}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	code, out, errOut := sync("--db", db, "--once")
	if code != 0 || !strings.Contains(out, "opportunities:       1\n") || !strings.Contains(out, "first load done:     true") {
		t.Fatalf("sync --once: %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := sync("status", "--db", db); code != 0 || !strings.Contains(out, "open conflicts:      0") {
		t.Errorf("status: %d\n%s", code, out)
	}
	if code, out, _ := sync("conflicts", "list", "--db", db); code != 0 || out != "" {
		t.Errorf("conflicts list: %d %q", code, out)
	}
	if code, _, errOut := sync("conflicts", "resolve", "7", "--keep", "crm", "--db", db); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("resolving an unknown conflict: %d %s", code, errOut)
	}
	for _, bad := range [][]string{{"conflicts"}, {"conflicts", "show"}, {"conflicts", "frob"}, {"--catalog"}} {
		if code, _, _ := sync(append(bad, "--db", db)...); code == 0 {
			t.Errorf("sync %v: exit 0", bad)
		}
	}
	if code, _, errOut := sync("--accept-referral", "engi-1", "--db", db, "--once"); code == 0 || !strings.Contains(errOut, "--accept-referral is for --mode s3") {
		t.Errorf("an S3-mode flag in API mode: %d %q", code, errOut)
	}
	if _, err := os.Stat(".cosell-sync.db"); err == nil {
		t.Error("a usage error created the default database in the working directory")
	}

	// A conflict recorded in the database shows and resolves from the CLI.
	store, err := crmdb.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := store.Opportunities(ctx, "Sandbox")
	id, err := store.AddConflict(ctx, crmdb.Conflict{CRMID: rows[0].CRMID, PCID: rows[0].PCID, Fields: []string{"Project.Title"},
		CRMVersion: map[string]any{"Project.Title": "Mine"}, Reason: "test"})
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := sync("conflicts", "show", "1", "--db", db); code != 0 || !strings.Contains(out, `"Mine"`) {
		t.Errorf("show %d: %d\n%s", id, code, out)
	}
	if code, out, _ := sync("conflicts", "resolve", "1", "--keep", "partner-central", "--db", db); code != 0 || !strings.Contains(out, "resolved") {
		t.Errorf("resolve: %d %s", code, out)
	}
	if code, out, _ := sync("conflicts", "list", "--db", db); code != 0 || !strings.Contains(out, "kept partner-central") {
		t.Errorf("list after resolve: %d %q", code, out)
	}
}

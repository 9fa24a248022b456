package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/cosell/cosell/api/selling"
	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// The documented connector flow, driven from the command line only: a CRM
// create goes out, both sides edit the title, the conflict shows in the
// API's names and is resolved for the CRM, whose title then wins.
func TestSyncCRMCommandsWithoutSQL(t *testing.T) {
	serveWithEnv(t)
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "crm.db")
	sync := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(ctx, append([]string{"sync"}, args...), &stdout, &stderr); code != 0 {
			t.Fatalf("sync %v: exit %d\n%s%s", args, code, stdout.String(), stderr.String())
		}
		return stdout.String()
	}

	sync("crm", "create", "CRM-1", "Customer.Account.CompanyName=Acme", "Project.Title=Data lake", "--db", db)
	if out := sync("crm", "list", "--db", db); out != "CRM-1\t-\tData lake\t-\tcreate pending\n" {
		t.Fatalf("list before the sync: %q", out)
	}
	sync("--once", "--db", db)
	var shown crmOpportunityJSON
	if err := json.Unmarshal([]byte(sync("crm", "show", "--db", db, "CRM-1")), &shown); err != nil || shown.Identifier == "" || shown.PendingCreate != nil {
		t.Fatalf("show after the sync: %+v (%v)", shown, err)
	}

	// Partner Central changes the title; so does the CRM.
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pc := sellingclient.New(cfg, func(o *sellingclient.Options) { o.RateLimit.Disabled = true })
	got, err := pc.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: "Sandbox", Identifier: shown.Identifier})
	if err != nil {
		t.Fatal(err)
	}
	theirs := "Partner Central's title"
	if _, err := pc.UpdateOpportunity(ctx, &selling.UpdateOpportunityRequest{Catalog: "Sandbox", Identifier: got.Id, LastModifiedDate: got.LastModifiedDate,
		Customer: got.Customer, Project: &selling.Project{Title: &theirs}}); err != nil {
		t.Fatal(err)
	}
	sync("crm", "edit", "CRM-1", "Project.Title=The CRM's title", "--db", db)
	if out := sync("crm", "list", "--db", db); !strings.Contains(out, "1 edit(s) pending") {
		t.Fatalf("list after the edit: %q", out)
	}
	sync("--once", "--db", db)

	list := sync("conflicts", "list", "--db", db)
	if !strings.HasPrefix(list, "1\tCRM-1\t"+shown.Identifier+"\t[Project.Title]\topen\t") {
		t.Fatalf("conflicts list: %q", list)
	}
	var c map[string]any
	if err := json.Unmarshal([]byte(sync("conflicts", "show", "1", "--db", db)), &c); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ConflictId", "CrmId", "Identifier", "Fields", "CrmValues", "PartnerCentral", "Reason", "CreatedDate"} {
		if _, ok := c[name]; !ok {
			t.Errorf("conflicts show has no %s: %v", name, c)
		}
	}
	if c["CrmValues"].(map[string]any)["Project.Title"] != "The CRM's title" {
		t.Errorf("CrmValues %v", c["CrmValues"])
	}

	sync("conflicts", "resolve", "--keep", "crm", "1", "--db", db) // the flag before the id
	sync("--once", "--db", db)
	after, err := pc.GetOpportunity(ctx, &selling.GetOpportunityRequest{Catalog: "Sandbox", Identifier: shown.Identifier})
	if err != nil {
		t.Fatal(err)
	}
	if *after.Project.Title != "The CRM's title" {
		t.Fatalf("title after keeping the CRM's: %q", *after.Project.Title)
	}
}

func TestSyncCRMErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.db")
	cases := []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"sync", "crm"}, 2, "give a command"},
		{[]string{"sync", "crm", "frob"}, 2, `unknown command "frob"`},
		{[]string{"sync", "crm", "create", "CRM-1"}, 2, "at least one PATH=VALUE"},
		{[]string{"sync", "crm", "create", "CRM-1", "Project.Title", "--db", missing}, 1, "want PATH=VALUE"},
		{[]string{"sync", "crm", "create", "CRM-1", "Project..Title=x", "--db", missing}, 1, "Project..Title"},
		{[]string{"sync", "crm", "create", "CRM-1", "Project.DeliveryModels=[oops", "--db", missing}, 1, "must be JSON"},
		{[]string{"sync", "crm", "show", "CRM-1", "--db", missing}, 1, "no CRM database at " + missing},
		{[]string{"sync", "crm", "list", "--db", missing}, 1, "no CRM database"},
		{[]string{"sync", "crm", "edit", "CRM-1", "Project.Title=x", "--db", missing}, 1, "no CRM database"},
		{[]string{"sync", "status", "--db", missing}, 1, "no CRM database"},
		{[]string{"sync", "conflicts", "list", "--db", missing}, 1, "no CRM database"},
		{[]string{"sync", "conflicts", "resolve", "1", "--db", missing}, 2, "--keep crm or --keep partner-central"},
		{[]string{"sync", "conflicts", "show", "x", "--db", missing}, 1, "want a number"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.inStderr) {
				t.Fatalf("code %d, stderr %q", code, stderr.String())
			}
		})
	}
	if _, err := filepath.Glob(missing); err != nil {
		t.Fatal(err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*")); len(matches) != 0 {
		t.Fatalf("commands that only read created %v", matches)
	}
}

// Every command and subcommand answers -h with its usage, exit 0, and a
// command with subcommands lists them.
func TestHelpEverywhere(t *testing.T) {
	cases := map[string][]string{
		"serve": {"-addr"}, "seed": {"-opportunities"}, "bench": {"-concurrency"}, "events": {"-follow"},
		"aws": {"review", "ace export", "channel accept"}, "aws ace": {"export", "buckets"}, "aws channel": {"show", "accept", "reject", "expire"}, "aws review": {"-status"}, "aws ace export": {"-account"},
		"sync": {"cosell sync status", "cosell sync crm", "cosell sync conflicts", "-once"}, "sync status": {"-db"},
		"sync crm": {"create", "edit", "show", "list", "PATH"}, "sync conflicts": {"list", "show", "resolve", "-keep"}, "sync bench": {"-opportunities"},
		"version": nil,
	}
	for cmd, want := range cases {
		t.Run(cmd, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), append(strings.Fields(cmd), "-h"), &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr.String())
			}
			help := stdout.String() + stderr.String()
			for _, w := range want {
				if !strings.Contains(help, w) {
					t.Errorf("help lacks %q:\n%s", w, help)
				}
			}
			for _, line := range strings.Split(help, "\n") {
				if strings.Count(line, "(default") > 1 {
					t.Errorf("a default shown twice: %s", line)
				}
			}
		})
	}
}

// --rate aws keeps the client to AWS's quotas; unlimited lifts them.
func TestSyncRate(t *testing.T) {
	cfg := aws.Config{Region: "us-east-1"}
	limited, err := rateLimitedClient(cfg, "aws")
	if err != nil || limited.Options().RateLimit.Disabled || len(limited.Options().RateLimit.Classes) == 0 {
		t.Fatalf("aws: %+v (%v)", limited.Options().RateLimit, err)
	}
	free, err := rateLimitedClient(cfg, "unlimited")
	if err != nil || !free.Options().RateLimit.Disabled {
		t.Fatalf("unlimited: %+v (%v)", free.Options().RateLimit, err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"sync", "--rate", "fast", "--db", filepath.Join(t.TempDir(), "x.db"), "--once"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), `--rate "fast": want aws or unlimited`) {
		t.Fatalf("--rate fast: %d %q", code, stderr.String())
	}
}

// A first load from the start is counted first, so its bar shows a total
// and an ETA; once loaded (or when resuming) there is no total to give.
func TestFirstLoadTotal(t *testing.T) {
	serveWithEnv(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	api, err := rateLimitedClient(cfg, "unlimited")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := api.CreateOpportunity(ctx, &selling.CreateOpportunityRequest{Catalog: "Sandbox", ClientToken: strconv.Itoa(i),
			Customer: &selling.Customer{Account: &selling.Account{CompanyName: "Count Co"}}}); err != nil {
			t.Fatal(err)
		}
	}
	dbPath := filepath.Join(t.TempDir(), "crm.db")
	db, err := crmdb.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if total, err := firstLoadTotal(ctx, api, db, "Sandbox"); err != nil || total != 3 {
		t.Fatalf("before the first load: %d (%v), want 3", total, err)
	}
	if err := db.SaveState(ctx, crmdb.State{Catalog: "Sandbox", FullLoadDone: true}); err != nil {
		t.Fatal(err)
	}
	if total, err := firstLoadTotal(ctx, api, db, "Sandbox"); err != nil || total != -1 {
		t.Fatalf("after it: %d (%v), want -1", total, err)
	}

	var bar bytes.Buffer
	progress := loadProgress(&bar, "loading", 3)
	progress(1, false)
	if !strings.Contains(bar.String(), "33% |") || !strings.Contains(bar.String(), "(1/3, ") || !strings.Contains(bar.String(), "[0s:") {
		t.Fatalf("bar with a total: %q", bar.String())
	}
	progress(5, true) // two created since the count: the total grows, nothing breaks
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// cosell sync --mode s3 --once against a cosell serve, configured by the
// environment lines serve prints: AWS's exported referrals (an opportunity
// and a lead) reach the CRM database and the outbound folder is emptied.
func TestSyncS3Once(t *testing.T) {
	url := serveWithEnv(t, "--admin-token", "tok")
	for _, args := range [][]string{
		{"refer", "--account", "111111111111", "--company", "File Corp", "--problem", "Moving its warehouse systems to AWS"},
		{"refer", "--account", "111111111111", "--kind", "lead", "--company", "Lead Corp", "--problem", "Needs a data platform"},
		{"ace export", "--account", "111111111111", "--catalog", "Sandbox"},
	} {
		if code, out, errOut := awsCLI(t, url, args...); code != 0 {
			t.Fatalf("aws %v: %d %s %s", args, code, out, errOut)
		}
	}
	db := filepath.Join(t.TempDir(), "crm.db")
	sync := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"sync", "--db", db}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	code, out, errOut := sync("--mode", "s3", "--spms-id", "1111111", "--catalog", "Sandbox", "--once")
	for _, want := range []string{"invitations:         2\n", "bucket:              ace-apn-1111111-beta-us-west-2\n", "awaiting results:    0\n", "unreadable files:    0\n"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("sync --mode s3 --once: %d, want %q in\n%s\n%s", code, want, out, errOut)
		}
	}
	// The files were read and deleted: a second run finds nothing new.
	if code, out, _ := sync("--mode", "s3", "--bucket", "ace-apn-1111111-beta-us-west-2", "--once"); code != 0 || !strings.Contains(out, "invitations:         2\n") {
		t.Fatalf("second run: %d\n%s", code, out)
	}
	for _, bad := range [][]string{{"--mode", "s3", "--once"}, {"--mode", "ftp", "--once"}} {
		if code, _, errOut := sync(bad...); code == 0 {
			t.Errorf("sync %v: exit 0 (%s)", bad, errOut)
		}
	}
}

// cosell sync --mode s3 --accept-referral / --reject-referral answer AWS's
// referrals from the CRM: the cycle sends the answers as an inbound file
// and applies their results to the CRM's invitations.
func TestSyncS3AnswersReferrals(t *testing.T) {
	url := serveWithEnv(t, "--admin-token", "tok")
	var referrals []string
	for _, company := range []string{"Accepted Corp", "Rejected Corp"} {
		code, out, errOut := awsCLI(t, url, "refer", "--account", "111111111111", "--company", company, "--industry", "Retail",
			"--problem", "Moving its warehouse systems to AWS")
		var referred struct{ InvitationID string }
		if err := json.Unmarshal([]byte(out), &referred); code != 0 || err != nil || referred.InvitationID == "" {
			t.Fatalf("refer: %d %v %s %s", code, err, out, errOut)
		}
		referrals = append(referrals, referred.InvitationID)
	}
	if code, out, errOut := awsCLI(t, url, "ace export", "--account", "111111111111", "--catalog", "Sandbox"); code != 0 {
		t.Fatalf("ace export: %d %s %s", code, out, errOut)
	}
	db := filepath.Join(t.TempDir(), "crm.db")
	sync := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		full := append([]string{"sync", "--db", db, "--mode", "s3", "--spms-id", "1111111", "--once"}, args...)
		code := run(context.Background(), full, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	if code, out, errOut := sync(); code != 0 || !strings.Contains(out, "invitations:         2\n") {
		t.Fatalf("first run: %d\n%s\n%s", code, out, errOut)
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"--accept-referral", referrals[0], "--reject-referral", referrals[1], "--reason", "Customer problem unclear"}, "give one"},
		{[]string{"--reject-referral", referrals[1]}, "needs --reason"},
		{[]string{"--accept-referral", referrals[0], "--reason", "Customer problem unclear"}, "--reason goes with --reject-referral"},
		{[]string{"--accept-referral", "no-such-invitation"}, "no pending referral no-such-invitation"},
	} {
		if code, _, errOut := sync(bad.args...); code == 0 || !strings.Contains(errOut, bad.want) {
			t.Errorf("sync %v: exit %d, want %q in %s", bad.args, code, bad.want, errOut)
		}
	}
	if code, out, errOut := sync("--accept-referral", referrals[0]); code != 0 || !strings.Contains(out, "opportunities:       1\n") {
		t.Fatalf("accept: %d\n%s\n%s", code, out, errOut)
	}
	if code, out, errOut := sync("--reject-referral", referrals[1], "--reason", "Customer problem unclear"); code != 0 || !strings.Contains(out, "refused answers:     0\n") {
		t.Fatalf("reject: %d\n%s\n%s", code, out, errOut)
	}

	store, err := crmdb.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	invitations, err := store.Invitations(context.Background(), "Sandbox")
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, inv := range invitations {
		status[inv.ID] = inv.Status
	}
	if status[referrals[0]] != "ACCEPTED" || status[referrals[1]] != "REJECTED" {
		t.Fatalf("invitations after the answers: %v", status)
	}
}

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// cosell sync --mode s3 --once against a cosell serve, configured by the
// environment lines serve prints: AWS's exported referrals (an opportunity
// and a lead) reach the CRM database and the outbound folder is emptied.
func TestSyncS3Once(t *testing.T) {
	lines := startServe(t, "--addr", "127.0.0.1:0", "--data", ":memory:", "--admin-token", "tok")
	url := listening.FindStringSubmatch(lines[0])[1]
	t.Setenv("AWS_ENDPOINT_URL", url)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "us-east-1")
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

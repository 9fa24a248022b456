package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// awsCLI runs "cosell aws args..." against endpoint and returns the exit
// code, stdout and stderr.
func awsCLI(t *testing.T, endpoint string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	full := append([]string{"aws", args[0], "--endpoint", endpoint, "--admin-token", "tok"}, args[1:]...)
	code := run(context.Background(), full, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestAwsCommands(t *testing.T) {
	lines := startServe(t, "--addr", "127.0.0.1:0", "--data", ":memory:", "--admin-token", "tok", "--auto-review", "rules", "--auto-review-delay", "5s")
	m := listening.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("banner %q", lines[0])
	}
	endpoint := m[1]

	code, out, errOut := awsCLI(t, endpoint, "auto-review")
	if code != 0 || !strings.Contains(out, `"mode": "rules"`) || !strings.Contains(out, `"delay": "5s"`) {
		t.Fatalf("auto-review: %d %q %q", code, out, errOut)
	}
	if code, out, errOut = awsCLI(t, endpoint, "clock", "--advance", "1h"); code != 0 || !strings.Contains(out, `"now"`) {
		t.Fatalf("clock: %d %q %q", code, out, errOut)
	}

	code, out, errOut = awsCLI(t, endpoint, "refer", "--catalog", "AWS", "--account", "222222222222", "--kind", "lead", "--company", "CLI Corp", "--problem", "Needs a new data platform")
	if code != 0 {
		t.Fatalf("refer: %d %q %q", code, out, errOut)
	}
	var ref struct{ InvitationId, PayloadType string }
	if err := json.Unmarshal([]byte(out), &ref); err != nil || ref.PayloadType != "LeadInvitation" {
		t.Fatalf("refer printed %q: %v", out, err)
	}
	if code, out, errOut = awsCLI(t, endpoint, "expire", "--catalog", "AWS", "--invitation", ref.InvitationId); code != 0 || !strings.Contains(out, `"status": "EXPIRED"`) {
		t.Fatalf("expire: %d %q %q", code, out, errOut)
	}

	if code, out, errOut = awsCLI(t, endpoint, "solution", "--account", "111111111111", "--name", "Edge Analytics"); code != 0 ||
		!strings.Contains(out, `"Name": "Edge Analytics"`) || !strings.Contains(out, `"Status": "Active"`) {
		t.Fatalf("solution: %d %q %q", code, out, errOut)
	}

	// The exchange's two-word actions: AWS exports the lead it referred
	// (expired now, so the export says nothing is pending) and lists buckets.
	var aceOut bytes.Buffer
	if code := run(context.Background(), []string{"aws", "ace", "buckets", "--endpoint", endpoint, "--admin-token", "tok"}, &aceOut, &bytes.Buffer{}); code != 0 ||
		!strings.Contains(aceOut.String(), `"bucket": "ace-apn-2222222-prod-us-west-2"`) {
		t.Fatalf("ace buckets: %d %q", code, aceOut.String())
	}
	aceOut.Reset()
	if code := run(context.Background(), []string{"aws", "ace", "export", "--endpoint", endpoint, "--admin-token", "tok", "--account", "222222222222", "--catalog", "AWS"}, &aceOut, &bytes.Buffer{}); code != 0 ||
		!strings.Contains(aceOut.String(), `"bucket": "ace-apn-2222222-prod-us-west-2"`) {
		t.Fatalf("ace export: %d %q", code, aceOut.String())
	}

	// The server's refusal reaches the user with its status and message.
	code, _, errOut = awsCLI(t, endpoint, "review", "--catalog", "AWS", "--account", "111111111111", "--opportunity", "O999", "--status", "Approved")
	if code != 1 || !strings.Contains(errOut, "404") || !strings.Contains(errOut, "O999") {
		t.Errorf("review of a missing opportunity: %d %q", code, errOut)
	}
	if code, _, errOut = awsCLI(t, endpoint, "review", "--account", "111111111111"); code != 1 || !strings.Contains(errOut, "--opportunity") || !strings.Contains(errOut, "--status") {
		t.Errorf("review without its flags: %d %q", code, errOut)
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"aws", "clock", "--endpoint", endpoint, "--admin-token", ""}, &bytes.Buffer{}, &stderr); code != 1 || !strings.Contains(stderr.String(), "admin token") {
		t.Errorf("without a token: %d %q", code, stderr.String())
	}
	if code := run(context.Background(), []string{"aws", "approve"}, &bytes.Buffer{}, &stderr); code != 2 {
		t.Errorf("an unknown action exits %d, want 2", code)
	}
}

func TestAwsChannelCommands(t *testing.T) {
	lines := startServe(t, "--addr", "127.0.0.1:0", "--data", ":memory:", "--admin-token", "tok")
	m := listening.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("banner %q", lines[0])
	}
	// The route answers for the domain: an unknown handshake is the
	// domain's not-found, not the admin API's unknown route.
	for _, action := range []string{"show", "accept", "reject", "expire"} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), []string{"aws", "channel", action, "--endpoint", m[1], "--admin-token", "tok", "--handshake", "ch-0000000000000"}, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "404") || !strings.Contains(stderr.String(), "ChannelHandshake ch-0000000000000 does not exist") {
			t.Errorf("channel %s of an unknown handshake: %d %q", action, code, stderr.String())
		}
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"aws", "channel", "accept", "--endpoint", m[1], "--admin-token", "tok"}, &bytes.Buffer{}, &stderr); code != 1 || !strings.Contains(stderr.String(), "--handshake") {
		t.Errorf("channel accept without --handshake: %d %q", code, stderr.String())
	}
}

// Against a server whose admin API is off, the admin commands say so and
// how to turn it on, rather than printing an AWS protocol error.
func TestAdminCommandsSayTheAdminAPIIsOff(t *testing.T) {
	endpoint := listening.FindStringSubmatch(startServe(t, "--addr", "127.0.0.1:0", "--data", ":memory:")[0])[1]
	ctx := context.Background()
	for _, args := range [][]string{
		{"aws", "clock", "--endpoint", endpoint, "--admin-token", "tok"},
		{"aws", "review", "--endpoint", endpoint, "--admin-token", "tok", "--account", "111111111111", "--catalog", "Sandbox", "--opportunity", "O1", "--status", "Approved"},
		{"events", "--endpoint", endpoint, "--admin-token", "tok"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(ctx, args, &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "the admin API is off: start cosell serve with --admin-token TOKEN") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestAwsBenefitsCommands(t *testing.T) {
	lines := startServe(t, "--addr", "127.0.0.1:0", "--data", ":memory:", "--admin-token", "tok")
	m := listening.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("banner %q", lines[0])
	}
	endpoint := m[1]
	// Two words, as typed.
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"aws", "benefits", "catalog", "--endpoint", endpoint, "--admin-token", "tok", "--catalog", "Sandbox"}, &out, &errOut); code != 0 {
		t.Fatalf("benefits catalog: %d %q", code, errOut.String())
	}
	var catalog []struct {
		Id, Name            string
		AmendableFieldPaths []string
	}
	if err := json.Unmarshal(out.Bytes(), &catalog); err != nil || len(catalog) == 0 {
		t.Fatalf("catalog %s: %v", out.String(), err)
	}
	code, _, stderr := awsCLI(t, endpoint, "benefits review", "--account", "111111111111", "--application", "benappl-00000000000000", "--decision", "APPROVED")
	if code != 1 || !strings.Contains(stderr, "404") || !strings.Contains(stderr, "benappl-00000000000000") {
		t.Errorf("review of a missing application: %d %q", code, stderr)
	}
	if code, _, stderr = awsCLI(t, endpoint, "benefits allocation", "--account", "111111111111"); code != 1 || !strings.Contains(stderr, "--allocation") || !strings.Contains(stderr, "--status") {
		t.Errorf("allocation without its flags: %d %q", code, stderr)
	}
	if code, _, stderr = awsCLI(t, endpoint, "benefits catalog", "--benefit", catalog[0].Id); code != 1 || !strings.Contains(stderr, "--file") {
		t.Errorf("--benefit without --file: %d %q", code, stderr)
	}
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestAwsRevenueCommands(t *testing.T) {
	lines := startServe(t, "--addr", "127.0.0.1:0", "--data", ":memory:", "--admin-token", "tok")
	m := listening.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("banner %q", lines[0])
	}
	revenue := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		full := append([]string{"aws", "revenue", args[0], "--endpoint", m[1], "--admin-token", "tok"}, args[1:]...)
		return run(context.Background(), full, &stdout, &stderr), stdout.String(), stderr.String()
	}
	if code, out, errOut := revenue("product", "--account", "111111111111", "--id", "prod-cli0000000001", "--name", "CLI Widget"); code != 0 ||
		!strings.Contains(out, `"id": "prod-cli0000000001"`) {
		t.Fatalf("product: %d %q %q", code, out, errOut)
	}
	// The seeded three, then the added one.
	if code, out, errOut := revenue("products", "--account", "111111111111"); code != 0 || strings.Count(out, `"id": "prod-`) != 4 ||
		!strings.Contains(out, `"name": "CLI Widget"`) {
		t.Fatalf("products: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := revenue("settle", "--account", "111111111111", "--attribution", "ra-aaaaaaaaaaaaa"); code == 0 ||
		!strings.Contains(errOut, "ra-aaaaaaaaaaaaa") {
		t.Fatalf("settle of a missing attribution: %d %q %q", code, out, errOut)
	}
}

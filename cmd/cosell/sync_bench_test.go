package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cosell sync bench on a tiny store: the counts it prints are right (the
// timings are not checked).
func TestSyncBenchCounts(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"sync", "bench", "--opportunities", "200", "--data", t.TempDir()}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	out := stdout.String()
	if !strings.HasPrefix(out, "200 opportunities in catalog AWS (200 seeded by this run)") {
		t.Errorf("header:\n%s", out)
	}
	// Each row: the phase, its time, the records, and the requests by operation.
	for _, want := range []struct {
		phase    string
		records  int
		requests string
	}{
		{"initial load", 200, "GetOpportunity=200 ListEngagementInvitations=1 ListOpportunities=2"},
		{"change 1% (server side)", 2, "UpdateOpportunity=2"},
		{"incremental sync, 2 changed", 2, "GetOpportunity=2 ListEngagementInvitations=1 ListOpportunities=1"},
		{"incremental sync, 0 changed", 0, "ListEngagementInvitations=1 ListOpportunities=1"},
	} {
		row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want.phase) + `\s+\S+\s+(\d+)\s+\S+\s+(.*)$`).FindStringSubmatch(out)
		if row == nil {
			t.Errorf("no %q row in\n%s", want.phase, out)
			continue
		}
		if row[1] != strconv.Itoa(want.records) || !strings.Contains(row[2], want.requests) {
			t.Errorf("%s: %s records, requests %q; want %d and %q", want.phase, row[1], row[2], want.records, want.requests)
		}
	}
	if !strings.Contains(out, "CRM database after the initial load: ") {
		t.Errorf("no database size in\n%s", out)
	}
}

func TestSyncBenchRefusesBadFigures(t *testing.T) {
	for _, args := range [][]string{{"--opportunities", "-5"}, {"--changed-percent", "101"}, {"--workers", "0"}} {
		var stderr bytes.Buffer
		if code := run(context.Background(), append([]string{"sync", "bench"}, args...), &bytes.Buffer{}, &stderr); code != 1 || !strings.Contains(stderr.String(), args[0]) {
			t.Errorf("sync bench %v: exit %d, %q", args, code, stderr.String())
		}
	}
}

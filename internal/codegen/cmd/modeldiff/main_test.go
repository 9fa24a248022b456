package main

import (
	"strings"
	"testing"
)

// A Smithy model against a botocore one: the same constraint under a new
// shape name (Name's member pattern, now GetRequestNameString) is no
// change; everything else that moved is listed.
func TestDiff(t *testing.T) {
	var out strings.Builder
	changed, err := run(&out, "testdata/old.json", "testdata/new.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"+ error Busy on Get",
		"- operation Gone",
		"+ operation Put",
		"+ structure Busy",
		"~ member GetRequest.Name is now optional",
		"+ member GetRequest.New (string (pattern ^(?s).{0,80}$))",
		"- member GetRequest.Old",
		"+ enum value Kind \"C\"",
		"- enum value Kind \"B\"",
	}
	if got := strings.TrimSpace(out.String()); !changed || got != strings.Join(want, "\n") {
		t.Errorf("diff:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	out.Reset()
	if changed, err := run(&out, "testdata/new.json", "testdata/new.json"); err != nil || changed || out.Len() != 0 {
		t.Errorf("a model against itself: changed=%v err=%v %q", changed, err, out.String())
	}
}

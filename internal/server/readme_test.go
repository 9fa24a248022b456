package server

import (
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestReadmeListsExactlyTheMissingOperations keeps the README's list of
// unimplemented operations honest: every operation without a handler is
// listed under its service, and nothing implemented is.
func TestReadmeListsExactlyTheMissingOperations(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	d := &deps{cfg: withDefaults(Config{DataDir: ":memory:"}), onClose: func(c io.Closer) { t.Cleanup(func() { c.Close() }) }}
	if err := openDomainStore(d); err != nil {
		t.Fatal(err)
	}
	apis, err := registerAPIs(d)
	if err != nil {
		t.Fatal(err)
	}
	for i, api := range apis {
		heading := "### " + partnerAPIs[i].Title
		if !strings.Contains(string(readme), "\n"+heading+"\n") {
			t.Errorf("README has no %q heading under the operations not implemented", heading)
		}
		var missing []string
		for name := range api.Service.Operations {
			if api.Handlers[name] == nil {
				missing = append(missing, name)
			}
		}
		sort.Strings(missing)
		if got := listedUnder(string(readme), heading); strings.Join(got, ",") != strings.Join(missing, ",") {
			t.Errorf("README %q lists %v;\nthe operations without a handler are %v", heading, got, missing)
		}
	}
}

var listedOp = regexp.MustCompile("^- `([A-Za-z]+)`")

// listedUnder returns the sorted operation names in the bullet list that
// follows heading, up to the next heading.
func listedUnder(readme, heading string) []string {
	_, section, ok := strings.Cut(readme, "\n"+heading)
	if !ok {
		return nil
	}
	var ops []string
	for _, line := range strings.Split(section, "\n")[1:] {
		if strings.HasPrefix(line, "#") {
			break
		}
		if m := listedOp.FindStringSubmatch(line); m != nil {
			ops = append(ops, m[1])
		}
	}
	sort.Strings(ops)
	return ops
}

package console

import (
	"encoding/json"
	"reflect"
	"testing"
)

// A snapshot diff names each leaf that changed, appeared or went away, by
// its dotted path, and nothing else.
func TestDiffListsChangedLeaves(t *testing.T) {
	before := json.RawMessage(`{"Project":{"Title":"Old","Spend":[{"Amount":"10"}]},"Stage":"Prospect","Gone":true}`)
	after := json.RawMessage(`{"Project":{"Title":"New","Spend":[{"Amount":"10"},{"Amount":"20"}]},"Stage":"Prospect","Added":null}`)
	want := []change{
		{"Added", "(absent)", "null"},
		{"Gone", "true", "(absent)"},
		{"Project.Spend.1.Amount", "(absent)", "20"},
		{"Project.Title", "Old", "New"},
	}
	if got := diff(before, after); !reflect.DeepEqual(got, want) {
		t.Fatalf("diff\n got %q\nwant %q", got, want)
	}
	if got := diff(after, after); len(got) != 0 {
		t.Fatalf("a revision differs from itself: %q", got)
	}
}

package store

import "testing"

type requestTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func TestTagsOfAndCountAfterPut(t *testing.T) {
	adding := TagsOf([]requestTag{{"team", "east"}, {"tier", "1"}})
	if len(adding) != 2 || adding[1] != (Tag{Key: "tier", Value: "1"}) {
		t.Fatalf("TagsOf = %+v", adding)
	}
	existing := []Tag{{Key: "team", Value: "west"}, {Key: "owner", Value: "ada"}}
	if n := TagCountAfterPut(existing, adding); n != 3 {
		t.Fatalf("count after put = %d, want 3 (team overwritten, tier added)", n)
	}
}

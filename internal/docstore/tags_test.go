package docstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/cosell/cosell/internal/docstore"
	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

func TestPutTagsKeepsTheLimit(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	const account, arn = "111111111111", "arn:aws:partnercentral:us-east-1::catalog/Sandbox/x/1"
	tags := func(from, n int) []store.Tag {
		out := make([]store.Tag, n)
		for i := range out {
			out[i] = store.Tag{Key: fmt.Sprintf("k%d", from+i), Value: "v"}
		}
		return out
	}
	limit := errors.New("too many")
	var reported int
	tooMany := func(n int) error { reported = n; return limit }
	put := func(t []store.Tag) error {
		return st.Update(ctx, func(tx store.Tx) error { return docstore.PutTags(ctx, tx, account, arn, t, tooMany) })
	}
	if err := put(tags(0, store.MaxTagsPerResource-1)); err != nil {
		t.Fatal(err)
	}
	// Overwriting existing keys does not count twice; one new key reaches the limit exactly.
	if err := put(tags(0, store.MaxTagsPerResource)); err != nil {
		t.Fatalf("reaching the limit exactly: %v", err)
	}
	if err := put(tags(store.MaxTagsPerResource, 2)); !errors.Is(err, limit) || reported != store.MaxTagsPerResource+2 {
		t.Fatalf("past the limit: err %v, reported %d", err, reported)
	}
	got, err := st.ListTags(ctx, account, arn)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != store.MaxTagsPerResource {
		t.Errorf("%d tags kept, want %d: a refused put must change nothing", len(got), store.MaxTagsPerResource)
	}
}

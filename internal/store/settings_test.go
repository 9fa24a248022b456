package store_test

import (
	"context"
	"testing"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// A JSON setting reads back as written; one never written is not found
// and leaves the destination as it was.
func TestJSONSettings(t *testing.T) {
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	type knobs struct {
		Mode  string
		Delay int
	}
	keep := knobs{Mode: "default"}
	if found, err := store.ReadJSONSetting(ctx, st, store.Scope{}, "knobs", &keep); found || err != nil || keep.Mode != "default" {
		t.Fatalf("unset: found=%v err=%v value=%+v", found, err, keep)
	}
	err = st.Update(ctx, func(tx store.Tx) error {
		return store.WriteJSONSetting(ctx, tx, store.Scope{}, "knobs", knobs{Mode: "rules", Delay: 30})
	})
	if err != nil {
		t.Fatal(err)
	}
	var got knobs
	if found, err := store.ReadJSONSetting(ctx, st, store.Scope{}, "knobs", &got); !found || err != nil || got != (knobs{Mode: "rules", Delay: 30}) {
		t.Fatalf("written: found=%v err=%v value=%+v", found, err, got)
	}
}

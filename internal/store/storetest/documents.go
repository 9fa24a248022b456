package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

func testDocuments(t *testing.T, s store.Store) {
	ctx := context.Background()
	doc := func(id string, created time.Time, keys map[string][]string) *store.Document {
		return &store.Document{Kind: "engagement", Catalog: "AWS", ID: id, CreatedAt: created, Keys: keys, Doc: []byte(`{"id":"` + id + `"}`)}
	}
	a := doc("eng-a", baseTime, map[string][]string{"member": {"111111111111", "222222222222"}, "contextType": {"Lead"}})
	update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.PutDocument(ctx, a, 0) })
	if a.Version != 1 {
		t.Fatalf("version after insert %d", a.Version)
	}
	got, err := s.GetDocument(ctx, "engagement", "AWS", "eng-a")
	if err != nil || string(got.Doc) != `{"id":"eng-a"}` || !got.CreatedAt.Equal(baseTime) || got.Version != 1 {
		t.Fatalf("get: %+v %v", got, err)
	}
	if !reflect.DeepEqual(got.Keys, a.Keys) {
		t.Fatalf("keys %v, want %v", got.Keys, a.Keys)
	}
	for _, other := range [][2]string{{"engagement", "Sandbox"}, {"invitation", "AWS"}} {
		if _, err := s.GetDocument(ctx, other[0], other[1], "eng-a"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("%v sees the document: %v", other, err)
		}
	}
	err = s.Update(ctx, func(tx store.Tx) error { return tx.PutDocument(ctx, doc("eng-a", baseTime, nil), 0) })
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("second insert: %v, want ErrExists", err)
	}

	// Compare-and-swap on Version; keys are replaced with the document.
	a.Doc, a.Keys = []byte(`{"v":2}`), map[string][]string{"member": {"111111111111"}}
	update(t, s, func(ctx context.Context, tx store.Tx) error { return tx.PutDocument(ctx, a, 1) })
	if a.Version != 2 {
		t.Fatalf("version after update %d", a.Version)
	}
	stale := s.Update(ctx, func(tx store.Tx) error { return tx.PutDocument(ctx, doc("eng-a", baseTime, nil), 1) })
	if !errors.Is(stale, store.ErrStale) {
		t.Fatalf("stale write: %v, want ErrStale", stale)
	}
	gone := s.Update(ctx, func(tx store.Tx) error { return tx.PutDocument(ctx, doc("eng-zz", baseTime, nil), 1) })
	if !errors.Is(gone, store.ErrNotFound) {
		t.Fatalf("update of a missing document: %v, want ErrNotFound", gone)
	}
	got, _ = s.GetDocument(ctx, "engagement", "AWS", "eng-a")
	if len(got.Keys["member"]) != 1 || got.Keys["contextType"] != nil {
		t.Fatalf("keys after update %v", got.Keys)
	}
}

func testListDocuments(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 30
	update(t, s, func(ctx context.Context, tx store.Tx) error {
		for i := 0; i < n; i++ {
			keys := map[string][]string{"member": {"111111111111"}, "status": {[]string{"PENDING", "ACCEPTED", "REJECTED"}[i%3]}}
			if i%2 == 0 {
				keys["member"] = append(keys["member"], "222222222222")
			}
			// Pairs share a creation time so ties must break by ID.
			d := &store.Document{Kind: "invitation", Catalog: "AWS", ID: fmt.Sprintf("engi-%03d", i), CreatedAt: baseTime.Add(time.Duration(i/2) * time.Second), Keys: keys}
			if err := tx.PutDocument(ctx, d, 0); err != nil {
				return err
			}
		}
		return tx.PutDocument(ctx, &store.Document{Kind: "invitation", Catalog: "Sandbox", ID: "engi-sandbox", CreatedAt: baseTime, Keys: map[string][]string{"member": {"111111111111"}}}, 0)
	})
	want := func(keep func(i int) bool, desc bool) []string {
		var ids []string
		for i := 0; i < n; i++ {
			if keep(i) {
				ids = append(ids, fmt.Sprintf("engi-%03d", i))
			}
		}
		if desc {
			for l, r := 0, len(ids)-1; l < r; l, r = l+1, r-1 {
				ids[l], ids[r] = ids[r], ids[l]
			}
		}
		return ids
	}
	cases := []struct {
		name string
		q    store.DocumentQuery
		keep func(i int) bool
	}{
		{"all", store.DocumentQuery{}, func(int) bool { return true }},
		{"member B", store.DocumentQuery{Match: map[string][]string{"member": {"222222222222"}}}, func(i int) bool { return i%2 == 0 }},
		{"status any of two", store.DocumentQuery{Match: map[string][]string{"status": {"PENDING", "REJECTED"}}}, func(i int) bool { return i%3 != 1 }},
		{"member B and pending", store.DocumentQuery{Match: map[string][]string{"member": {"222222222222"}, "status": {"PENDING"}}}, func(i int) bool { return i%2 == 0 && i%3 == 0 }},
		{"exclude accepted", store.DocumentQuery{Exclude: map[string][]string{"status": {"ACCEPTED"}}}, func(i int) bool { return i%3 != 1 }},
		{"member A excluding B", store.DocumentQuery{Match: map[string][]string{"member": {"111111111111"}}, Exclude: map[string][]string{"member": {"222222222222"}}}, func(i int) bool { return i%2 == 1 }},
	}
	for _, tc := range cases {
		for _, desc := range []bool{false, true} {
			for _, pageSize := range []int{0, 4} {
				q := tc.q
				q.Kind, q.Catalog, q.Descending, q.Limit = "invitation", "AWS", desc, pageSize
				var ids []string
				for {
					page, err := s.ListDocuments(ctx, q)
					if err != nil {
						t.Fatalf("%s: %v", tc.name, err)
					}
					for _, d := range page {
						ids = append(ids, d.ID)
					}
					if pageSize == 0 || len(page) < pageSize {
						break
					}
					last := page[len(page)-1]
					q.After = &store.Position{Key: store.FormatMillis(last.CreatedAt), ID: last.ID}
				}
				if w := want(tc.keep, desc); !reflect.DeepEqual(ids, w) {
					t.Errorf("%s desc=%v page=%d:\n got %v\nwant %v", tc.name, desc, pageSize, ids, w)
				}
			}
		}
	}
	_, err := s.ListDocuments(ctx, store.DocumentQuery{Kind: "invitation", Catalog: "AWS", After: &store.Position{Key: "yesterday", ID: "x"}})
	if !errors.Is(err, store.ErrBadPosition) {
		t.Fatalf("bad position: %v", err)
	}
}

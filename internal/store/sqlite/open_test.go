package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

func TestReopenKeepsDataAndSequence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dir with ? and # in it", "cosell.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	scope := store.Scope{Account: "111111111111", Catalog: "AWS"}
	var first int64
	s := mustOpen(t, path, WithSynchronous(SyncFull), WithReaders(1))
	err := s.Update(ctx, func(tx store.Tx) error {
		var err error
		if first, err = tx.NextOpportunityNumber(ctx); err != nil {
			return err
		}
		return tx.InsertOpportunity(ctx, &store.Opportunity{Scope: scope, ID: "O1", CreatedDate: time.Now(), LastModifiedDate: time.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpen(t, path)
	defer s.Close()
	if _, err := s.GetOpportunity(ctx, scope, "O1"); err != nil {
		t.Fatalf("row lost across reopen: %v", err)
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		n, err := tx.NextOpportunityNumber(ctx)
		if err == nil && n <= first {
			t.Errorf("sequence restarted: %d after %d", n, first)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cosell.db")
	s := mustOpen(t, path)
	if _, err := s.write.Exec(`INSERT INTO schema_migrations (version, name, applied_ms) VALUES (999, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(path); err == nil || !strings.Contains(err.Error(), "newer") {
		if s != nil {
			s.Close()
		}
		t.Fatalf("Open of a newer schema: %v, want refusal", err)
	}
}

func TestOpenRejectsUnknownSynchronous(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "x.db"), WithSynchronous("SOMETIMES")); err == nil {
		t.Fatal("Open accepted an unknown synchronous level")
	}
}

func TestThrowawayStoreIsRemovedOnClose(t *testing.T) {
	s := mustOpen(t, ":memory:")
	var file string
	if err := s.read.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(file)); err == nil {
		t.Fatalf("throwaway store %s survives Close", file)
	}
}

func TestBulkInsert(t *testing.T) {
	s := mustOpen(t, ":memory:")
	defer s.Close()
	ctx := context.Background()
	opps := []store.Opportunity{benchOpportunity(1), benchOpportunity(2), benchOpportunity(9000000)}
	if err := s.BulkInsertOpportunities(ctx, opps); err != nil {
		t.Fatal(err)
	}
	got, err := s.ListOpportunities(ctx, store.OpportunityQuery{Scope: benchScope, SortBy: store.SortIdentifier})
	if err != nil || len(got) != 3 || got[2].ID != "O10000000" || string(got[0].Doc) != string(opps[0].Doc) {
		t.Fatalf("after bulk insert: %v, %v", ids(got), err)
	}
	// Numbers handed out afterwards never collide with seeded IDs.
	s.Update(ctx, func(tx store.Tx) error {
		if n, err := tx.NextOpportunityNumber(ctx); err != nil || n <= 10000000 {
			t.Errorf("NextOpportunityNumber after seeding = %d, %v", n, err)
		}
		return nil
	})
	// A batch with a present key inserts nothing.
	err = s.BulkInsertOpportunities(ctx, []store.Opportunity{benchOpportunity(3), benchOpportunity(1)})
	if !errors.Is(err, store.ErrExists) {
		t.Fatalf("bulk insert of an existing key: %v, want ErrExists", err)
	}
	if _, err := s.GetOpportunity(ctx, benchScope, benchOpportunity(3).ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("failed batch left rows behind: %v", err)
	}
}

func ids(opps []store.Opportunity) []string {
	out := make([]string, len(opps))
	for i, o := range opps {
		out[i] = o.ID
	}
	return out
}

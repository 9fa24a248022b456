package postgres

import (
	"testing"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/storetest"
	"github.com/cosell/cosell/internal/testpg"
)

func TestMain(m *testing.M) { testpg.Main(m) }

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return mustOpen(t, testpg.NewDatabase(t)) })
}

func mustOpen(t testing.TB, url string) *Store {
	t.Helper()
	s, err := Open(url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

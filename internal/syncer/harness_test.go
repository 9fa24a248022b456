package syncer

import (
	"io"
	"log/slog"
	"testing"
	"time"

	sellingclient "github.com/cosell/cosell/client/selling"
	"github.com/cosell/cosell/internal/server"
	"github.com/cosell/cosell/internal/servertest"
	"github.com/cosell/cosell/internal/testpg"
)

const (
	account = "111111111111"
	catalog = "Sandbox"
)

// cosell is a real server on a data directory, so a test can stop it and
// start another on the same data.
type cosell struct {
	*servertest.Server
	dir string
}

func startCosell(t *testing.T, dir string) *cosell {
	t.Helper()
	return &cosell{Server: servertest.Start(t, server.Config{DataDir: dir}), dir: dir}
}

// client is a Selling API client of the test account.
func (c *cosell) client() *sellingclient.Client { return c.SellingClient("test", "test") }

// TestMain stops the PostgreSQL server the end-to-end test starts.
func TestMain(m *testing.M) { testpg.Main(m) }

func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// eventually polls cond until it holds, failing the test after a generous
// deadline (a hang guard, not a timing assertion).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

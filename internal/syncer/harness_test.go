package syncer

import (
	"io"
	"log/slog"
	"testing"

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

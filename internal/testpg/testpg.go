// Package testpg gives tests real PostgreSQL databases: each test gets a
// new, empty database on one throwaway server per test binary, started on
// first use from the PostgreSQL binaries on the machine, or on the server
// COSELL_TEST_PG_URL names. A package that uses it runs its tests through
// Main, which stops the server afterwards:
//
//	func TestMain(m *testing.M) { testpg.Main(m) }
package testpg

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// EnvURL names a server to use instead of starting one: a postgres:// URL
// of a role that may create databases.
const EnvURL = "COSELL_TEST_PG_URL"

var (
	mainRunning atomic.Bool
	startOnce   sync.Once
	admin       *sql.DB  // a connection to the server's maintenance database
	adminURL    *url.URL // its URL, the template for each test's database
	server      *cluster // nil when EnvURL is used
	startErr    error
	skipReason  string
	databases   atomic.Int64
)

// Main runs the package's tests, then stops the server if it was started.
func Main(m *testing.M) {
	mainRunning.Store(true)
	code := m.Run()
	if admin != nil {
		admin.Close()
	}
	if server != nil {
		server.stop()
	}
	os.Exit(code)
}

// NewDatabase creates an empty database for t and returns its postgres://
// URL; the database is dropped when t ends. t is skipped when there is no
// server to use.
func NewDatabase(t testing.TB) string {
	t.Helper()
	if !mainRunning.Load() {
		t.Fatal("testpg: the package's TestMain must call testpg.Main, or the server outlives the tests")
	}
	startOnce.Do(start)
	if skipReason != "" {
		t.Skip(skipReason)
	}
	if startErr != nil {
		t.Fatal(startErr)
	}
	name := fmt.Sprintf("cosell_test_%d_%d", os.Getpid(), databases.Add(1))
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("testpg: %v", err)
	}
	t.Cleanup(func() {
		// FORCE: a test that failed may have left connections open.
		if _, err := admin.ExecContext(ctx, `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("testpg: %v", err)
		}
	})
	u := *adminURL
	u.Path = "/" + name
	return u.String()
}

// start connects to the server EnvURL names, else starts one.
func start() {
	raw := os.Getenv(EnvURL)
	if raw == "" {
		bin, err := findBinaries()
		if err != nil {
			skipReason = fmt.Sprintf("testpg: %v, and %s is not set", err, EnvURL)
			return
		}
		if server, err = startCluster(bin); err != nil {
			startErr = err
			return
		}
		raw = server.url
	}
	if adminURL, startErr = url.Parse(raw); startErr != nil {
		startErr = fmt.Errorf("testpg: %s: %w", EnvURL, startErr)
		return
	}
	admin, startErr = sql.Open("pgx", raw)
	if startErr == nil {
		startErr = admin.Ping()
	}
	if startErr != nil {
		startErr = fmt.Errorf("testpg: connect to %s: %w", adminURL.Redacted(), startErr)
	}
}

package testpg

import (
	"context"
	"database/sql"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// Each database is new, empty and separate from the others.
func TestDatabasesAreSeparate(t *testing.T) {
	ctx := context.Background()
	a, b := open(t), open(t)
	if _, err := a.ExecContext(ctx, `CREATE TABLE marker (n INT)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_tables WHERE tablename = 'marker'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the second database sees the first one's table: %d, %v", n, err)
	}
}

func open(t *testing.T) *sql.DB {
	db, err := sql.Open("pgx", NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

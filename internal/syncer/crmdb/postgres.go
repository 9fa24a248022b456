package crmdb

import (
	"context"
	"database/sql"
	"net/url"
	"strconv"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// postgres is a PostgreSQL server the connector reaches by URL.
var postgres = &dialect{
	migrations:      postgresMigrations,
	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`,
	placeholders:    dollarPlaceholders,
	// A transaction-scoped advisory lock: writers take turns as SQLite's
	// do, and concurrent openers migrate once. The key is "cosellDB" as a
	// big-endian int64: arbitrary, but the same for every connector.
	lockWrites: `SELECT pg_advisory_xact_lock(7165072411617674306)`,
}

// openPostgres opens the PostgreSQL database the URL names, migrated up
// to version (see openAt).
func openPostgres(ctx context.Context, dsn string, version int) (*sqlStore, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	return newStore(ctx, db, postgres, redact(dsn), version)
}

// dollarPlaceholders numbers the shared ? placeholders $1, $2, ...; the
// shared SQL has no ? anywhere else (no jsonb ? operator, none in literals).
func dollarPlaceholders(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r != '?' {
			b.WriteRune(r)
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// redact hides the password of a URL that goes into an error message.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the PostgreSQL URL"
	}
	return u.Redacted()
}

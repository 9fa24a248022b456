package crmdb_test

import (
	"strings"
	"testing"

	"github.com/cosell/cosell/internal/syncer/crmdb"
)

// The database named in logs never carries a PostgreSQL password.
func TestDescribeHidesPasswords(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://crm:s3cret@db.example:5432/crm?sslmode=require": "postgres://crm:xxxxx@db.example:5432/crm?sslmode=require",
		"postgresql://crm:s3cret@db.example/crm":                    "postgresql://crm:xxxxx@db.example/crm",
		"./crm.db":                                                  "./crm.db",
	} {
		if got := crmdb.Describe(dsn); got != want || strings.Contains(got, "s3cret") {
			t.Errorf("Describe(%q) = %q, want %q", dsn, got, want)
		}
	}
}

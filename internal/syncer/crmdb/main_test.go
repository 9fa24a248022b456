package crmdb_test

import (
	"testing"

	"github.com/cosell/cosell/internal/testpg"
)

// TestMain stops the PostgreSQL server the Postgres tests start.
func TestMain(m *testing.M) { testpg.Main(m) }

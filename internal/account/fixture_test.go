package account

import (
	"context"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/clock"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// Accounts of the fixture, as in auth.DefaultAccounts.
const (
	acctOne = "111111111111"
	acctTwo = "222222222222"
)

// fixture is a Service on a fresh in-memory store with a frozen clock.
type fixture struct {
	svc   *Service
	clock *clock.Manual
	ctx   context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clk := clock.NewManual()
	clk.Freeze(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	svc := New(Config{
		Store: st, Clock: clk, Region: "us-east-1", TokenKey: []byte("fixture-token-key-of-32-bytes!!!"),
		Accounts: map[string]string{acctOne: "Example Partner One", acctTwo: "Example Partner Two"},
	})
	return &fixture{svc: svc, clock: clk, ctx: context.Background()}
}

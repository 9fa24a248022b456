// Package testwait waits in tests for something another goroutine or
// process makes true: an event delivered, a file written, a record synced.
package testwait

import (
	"testing"
	"time"
)

// Limit bounds every wait: generous, since it guards against a hang on a
// loaded machine and is never a timing assertion.
const Limit = 30 * time.Second

// Until polls cond until it holds, failing the test after Limit with what
// it was waiting for.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

package sqlite

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
)

// crashChildEnv tells a re-executed test binary to act as the writer that
// gets killed; its value is the database path.
const crashChildEnv = "COSELL_SQLITE_CRASH_CHILD"

var crashScope = store.Scope{Account: "111111111111", Catalog: "AWS"}

// TestCrashLosesNoAcknowledgedWrite kills a writing process with SIGKILL in
// the middle of a stream of commits and checks, after reopening, that every
// write it acknowledged is there and whole.
func TestCrashLosesNoAcknowledgedWrite(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashLosesNoAcknowledgedWrite$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if id, ok := strings.CutPrefix(lines.Text(), "ack "); ok {
			acked = append(acked, id)
		}
		if len(acked) == 300 {
			cmd.Process.Kill() // SIGKILL: no deferred code, no clean close
		}
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != -1 {
		t.Fatalf("child did not die by the signal: %v", err)
	}
	if len(acked) < 300 {
		t.Fatalf("child acknowledged only %d writes before it ended", len(acked))
	}

	s := mustOpen(t, path)
	defer s.Close()
	ctx := context.Background()
	for _, id := range acked {
		// Each transaction wrote two rows; both must be there, whole.
		for _, suffix := range []string{"1", "2"} {
			o, err := s.GetOpportunity(ctx, crashScope, id+suffix)
			if err != nil {
				t.Fatalf("acknowledged write %s%s lost: %v", id, suffix, err)
			}
			if string(o.Doc) != crashDoc(id+suffix) {
				t.Fatalf("acknowledged write %s%s damaged: %q", id, suffix, o.Doc)
			}
		}
	}
	var check string
	if err := s.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	// A transaction cut short by the kill left nothing half-done: rows come in pairs.
	all, err := s.ListOpportunities(ctx, store.OpportunityQuery{Scope: crashScope})
	if err != nil {
		t.Fatal(err)
	}
	if len(all)%2 != 0 || len(all) < 2*len(acked) {
		t.Fatalf("%d rows after the crash for %d acknowledged pairs", len(all), len(acked))
	}
	t.Logf("%d acknowledged transactions survived; %d rows in the database", len(acked), len(all))
}

func crashDoc(id string) string { return fmt.Sprintf(`{"Id":%q,"Padding":"%0500d"}`, id, 0) }

// crashChild commits pairs of rows forever, printing each committed pair's
// prefix only after Update has returned.
func crashChild(path string) {
	s, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx := context.Background()
	for i := 0; ; i++ {
		prefix := fmt.Sprintf("O%d", 100000+i)
		err := s.Update(ctx, func(tx store.Tx) error {
			for _, suffix := range []string{"1", "2"} {
				o := store.Opportunity{Scope: crashScope, ID: prefix + suffix, CreatedDate: time.Now(),
					LastModifiedDate: time.Now(), Doc: []byte(crashDoc(prefix + suffix))}
				if err := tx.InsertOpportunity(ctx, &o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("ack %s\n", prefix) // os.Stdout is unbuffered: printed means acknowledged
	}
}

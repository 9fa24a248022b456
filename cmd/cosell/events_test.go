package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/store"
	"github.com/cosell/cosell/internal/store/sqlite"
)

// seedEvents writes n events for account into a data directory's outbox
// before any server opens it.
func seedEvents(t *testing.T, dir, account string, n int) {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(dir, "cosell.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range n {
		id := fmt.Sprintf("ev-%s-%d", account, i)
		body := fmt.Sprintf(`{"version":"0","id":%q,"detail-type":"Opportunity Created","account":%q,"detail":{"n":%d}}`, id, account, i)
		err := st.Update(context.Background(), func(tx store.Tx) error {
			return tx.AppendEvent(context.Background(), &store.Event{Account: account, ID: id, Time: time.Now(), DetailType: "Opportunity Created", Body: []byte(body)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

type printed struct {
	Seq   int64 `json:"seq"`
	Event struct {
		ID      string `json:"id"`
		Account string `json:"account"`
	} `json:"event"`
}

func TestEventsCommandListsAndFollows(t *testing.T) {
	dir := t.TempDir()
	seedEvents(t, dir, "111111111111", 3)
	seedEvents(t, dir, "222222222222", 1)
	url := strings.TrimPrefix(startServe(t, "--addr", "127.0.0.1:0", "--data", dir, "--admin-token", "tok")[0], "cosell listening on ")

	var out, errOut strings.Builder
	if code := run(context.Background(), []string{"events", "--endpoint", url, "--admin-token", "tok", "--account", "111111111111", "--after", "1"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var seqs []int64
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var p printed
		if err := json.Unmarshal([]byte(line), &p); err != nil || p.Event.Account != "111111111111" {
			t.Fatalf("line %q (%v)", line, err)
		}
		seqs = append(seqs, p.Seq)
	}
	if fmt.Sprint(seqs) != "[2 3]" {
		t.Fatalf("printed seqs %v, want [2 3]", seqs)
	}

	// --follow prints what exists, and stops cleanly when interrupted.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, w := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"events", "--endpoint", url, "--admin-token", "tok", "--follow"}, w, io.Discard)
		w.Close()
	}()
	sc := bufio.NewScanner(r)
	for i := 1; i <= 4; i++ {
		if !sc.Scan() {
			t.Fatalf("follow printed %d lines, want 4", i-1)
		}
		var p printed
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil || p.Seq != int64(i) {
			t.Fatalf("follow line %d: %s (%v)", i, sc.Text(), err)
		}
	}
	cancel()
	go func() { _, _ = io.Copy(io.Discard, r) }()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("interrupted follow exited %d", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("follow did not stop when interrupted")
	}

	if code := run(context.Background(), []string{"events", "--endpoint", url, "--admin-token", "wrong"}, io.Discard, &errOut); code != 1 {
		t.Fatalf("a wrong token exited %d", code)
	}
}

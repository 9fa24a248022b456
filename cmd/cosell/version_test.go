package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	installed := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/cosell/cosell", Version: "v1.4.2"}}
	if got := versionLine(installed, true); got != "cosell v1.4.2 (go1.26.0)" {
		t.Errorf("go install @v1.4.2: %q", got)
	}
	checkout := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	if got := versionLine(checkout, true); got != "cosell (devel) (revision 0123456789ab, committed 2026-12-01T10:00:00Z, with local changes, go1.26.0)" {
		t.Errorf("a checkout with changes: %q", got)
	}
	if got := versionLine(nil, false); got != "cosell (no build information)" {
		t.Errorf("no build info: %q", got)
	}
}

// A binary built from a git checkout names its commit.
func TestVersionOfABuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(root)), ".git")); err != nil || !fi.IsDir() {
		t.Skip("a linked git worktree: the go command stamps no VCS information there")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "cosell")
	if out, err := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "(revision " + string(head[:12]) + ", committed "; !strings.HasPrefix(string(out), "cosell v") || !strings.Contains(string(out), want) {
		t.Fatalf("--version printed %q, want a module version and %q", out, want)
	}
}

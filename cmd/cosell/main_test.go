package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// startServe runs "cosell serve args..." in-process and returns the banner
// lines; the server stops when the test ends and must exit with 0.
func startServe(t *testing.T, args ...string) []string {
	t.Helper()
	lines, stop := startStoppableServe(t, args...)
	t.Cleanup(stop)
	return lines
}

// startStoppableServe is startServe for tests that stop the server
// themselves (to restart it): stop must be called exactly once.
func startStoppableServe(t *testing.T, args ...string) (lines []string, stop func()) {
	t.Helper()
	return serveOutput(t, func(line string) bool { return strings.HasPrefix(line, "# admin API") }, args...)
}

// serveLines runs "cosell serve args..." and returns its first lines of
// output, up to the one last says ends them; the server stops with the test.
func serveLines(t *testing.T, last func(line string) bool, args ...string) []string {
	t.Helper()
	lines, stop := serveOutput(t, last, args...)
	t.Cleanup(stop)
	return lines
}

// serveOutput is serveLines for a caller that stops the server itself:
// stop must be called exactly once.
func serveOutput(t *testing.T, last func(line string) bool, args ...string) (lines []string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	var stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"serve"}, args...), w, &stderr)
		w.Close()
	}()
	stop = func() {
		cancel()
		if c := <-code; c != 0 {
			t.Errorf("exit code %d, stderr:\n%s", c, stderr.String())
		}
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if last(sc.Text()) {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, out) }() // never block the server's stdout
	if len(lines) == 0 {
		stop()
		t.Fatalf("no banner; stderr:\n%s", stderr.String())
	}
	return lines, stop
}

// syncBuffer is a bytes.Buffer the server's logger and the test may use at
// once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serveWithEnv runs "cosell serve" on a throwaway store with extra flags
// and sets the environment lines its banner prints for account
// 111111111111, as a user pastes them; it returns the server's URL.
func serveWithEnv(t *testing.T, extra ...string) string {
	t.Helper()
	lines := startServe(t, append([]string{"--addr", "127.0.0.1:0", "--data", ":memory:"}, extra...)...)
	return useServer(t, lines)
}

// useServer sets the environment lines a banner prints for account
// 111111111111, as a user pastes them, and returns the server's URL.
func useServer(t *testing.T, banner []string) string {
	t.Helper()
	url := listening.FindStringSubmatch(banner[0])[1]
	t.Setenv("AWS_ENDPOINT_URL", url)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "us-east-1")
	return url
}

var listening = regexp.MustCompile(`^cosell listening on (http://127\.0\.0\.1:[0-9]+)$`)

func TestServeBanner(t *testing.T) {
	lines := startServe(t, "--addr", "127.0.0.1:0", "--data", ":memory:")
	m := listening.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("first line %q", lines[0])
	}
	url := m[1]
	want := []string{
		"export AWS_ENDPOINT_URL=" + url,
		"export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1   # account 111111111111 (Example Partner One)",
		"# account 222222222222 (Example Partner Two): AWS_ACCESS_KEY_ID=test2 AWS_SECRET_ACCESS_KEY=test2",
		"# region: signatures scoped to any region are accepted; --strict-region accepts us-east-1 only, as AWS would",
	}
	want = append(want,
		"# SQS queue of account 111111111111's events: "+url+"/111111111111/cosell-partnercentral-events",
		"# SQS queue of account 222222222222's events: "+url+"/222222222222/cosell-partnercentral-events",
		"# ACE S3 bucket of account 111111111111 (Sandbox catalog): s3://ace-apn-1111111-beta-us-west-2",
		"# ACE S3 bucket of account 111111111111 (AWS catalog): s3://ace-apn-1111111-prod-us-west-2",
		"# ACE S3 bucket of account 222222222222 (Sandbox catalog): s3://ace-apn-2222222-beta-us-west-2",
		"# ACE S3 bucket of account 222222222222 (AWS catalog): s3://ace-apn-2222222-prod-us-west-2",
		"# web console: "+url+"/console/, off until you start with --admin-token TOKEN",
		"# admin API: off; start with --admin-token TOKEN to act as AWS, move the clock and inject faults",
	)
	if strings.Join(lines[1:], "\n") != strings.Join(want, "\n") {
		t.Fatalf("banner:\n%s", strings.Join(lines, "\n"))
	}
	// Pasted whole into a shell, the banner leaves the first account in force.
	out, err := exec.Command("sh", "-c", strings.Join(lines[1:], "\n")+"\necho $AWS_ACCESS_KEY_ID $AWS_ENDPOINT_URL").Output()
	if err != nil || strings.TrimSpace(string(out)) != "test "+url {
		t.Fatalf("the pasted banner set %q (%v)", out, err)
	}
	res, err := http.Get(url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("health %d", res.StatusCode)
	}
}

// Flags default to COSELL_* variables; an explicit flag wins.
func TestServeEnvironment(t *testing.T) {
	t.Setenv("COSELL_ADDR", "127.0.0.1:1") // would fail to listen if used
	t.Setenv("COSELL_DATA", ":memory:")
	t.Setenv("COSELL_REGION", "eu-west-1")
	lines := startServe(t, "--addr", "127.0.0.1:0")
	if !listening.MatchString(lines[0]) || !strings.Contains(lines[2], "AWS_REGION=eu-west-1 ") {
		t.Fatalf("banner:\n%s", strings.Join(lines, "\n"))
	}
}

func TestCommandLineErrors(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"serve", "--no-such-flag"}, 2, "flag provided but not defined"},
		{[]string{"serve", "--log-level", "loud", "--data", ":memory:"}, 1, "--log-level"},
		{[]string{"serve", "--smtp-addr", "mail.example", "--data", ":memory:"}, 1, "--smtp-addr"},
		{[]string{"serve", "extra"}, 1, "unexpected arguments"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--data", ":memory:", "--accounts", "/nonexistent/accounts.json"}, 1, "accounts file"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.inStderr) {
				t.Fatalf("code %d, stderr %q", code, stderr.String())
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "cosell ") {
			t.Fatalf("%v: %d %q", args, code, stdout.String())
		}
	}
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "serve") {
			t.Fatalf("%v: %d %q", args, code, stdout.String())
		}
	}
	// No command at all is a mistake: the usage, on stderr, and exit 2.
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), nil, &stdout, &stderr); code != 2 || stdout.Len() != 0 || !strings.Contains(stderr.String(), "usage: cosell") {
		t.Fatalf("no arguments: %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// A command missing from the usage text would exist without anyone knowing.
func TestUsageListsEveryCommand(t *testing.T) {
	cmds := commands()
	if len(usageOrder) != len(cmds) {
		t.Fatalf("usage lists %d commands, there are %d", len(usageOrder), len(cmds))
	}
	for _, name := range usageOrder {
		if _, ok := cmds[name]; !ok {
			t.Errorf("usage lists %q, which is no command", name)
		}
	}
}

// A setting counts as named when its flag is on the command line or its
// variable is set, even to the default value; otherwise it is not.
func TestNamedSettings(t *testing.T) {
	parse := func(args ...string) *flag.FlagSet {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.String("auto-review", "off", "")
		fs.String("other", "", "")
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return fs
	}
	if named(parse("--other", "x"), []string{"auto-review"}, "COSELL_TEST_NAMED") {
		t.Error("neither the flag nor the variable was given")
	}
	if !named(parse("--auto-review", "off"), []string{"auto-review"}, "COSELL_TEST_NAMED") {
		t.Error("the flag was given, with its default value")
	}
	t.Setenv("COSELL_TEST_NAMED", "")
	if !named(parse(), []string{"auto-review"}, "COSELL_TEST_NAMED") {
		t.Error("the variable was set")
	}
}

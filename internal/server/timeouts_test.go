package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/surface"
)

// short timeouts, so the tests see them pass without waiting long.
var short = surface.Timeouts{ReadHeader: 300 * time.Millisecond, Read: 300 * time.Millisecond, Write: 300 * time.Millisecond, Idle: 300 * time.Millisecond}

// dial opens a raw connection to s that gives up reading after a
// generous safety margin, so a server that never closes fails the test
// instead of hanging it.
func dial(t *testing.T, s *Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(s.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	return c
}

// readsToClose reads until the server closes the connection, and fails
// if the safety deadline came first.
func readsToClose(t *testing.T, c net.Conn, what string) {
	t.Helper()
	_, err := io.Copy(io.Discard, c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("%s: the server kept the connection open", what)
	}
}

// A body trickled a byte at a time is cut off, and so is a keep-alive
// connection left idle.
func TestSlowAndIdleConnectionsAreClosed(t *testing.T) {
	s := startServer(t, Config{Exposure: Exposure{Timeouts: short}})

	slow := dial(t, s)
	if _, err := io.WriteString(slow, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 1000\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() { // a byte every 50 ms, for far longer than the read timeout
		for i := 0; i < 400 && ctx.Err() == nil; i++ {
			if _, err := slow.Write([]byte("{")); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	readsToClose(t, slow, "a trickled body")

	idle := dial(t, s)
	if _, err := io.WriteString(idle, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(idle)
	if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, "200") {
		t.Fatalf("health: %q %v", line, err)
	}
	readsToClose(t, idle, "an idle keep-alive connection")
}

// An event stream outlives the read and write timeouts: it moves its own
// deadlines on, and still delivers an event committed after both passed.
func TestEventStreamOutlivesTimeouts(t *testing.T) {
	s := startServer(t, Config{AdminToken: "tok", Exposure: Exposure{Timeouts: short}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	stream := evOpenStream(t, ctx, s, "account="+evAccount+"&after=0", "")
	defer stream.Close()
	time.Sleep(4 * short.Write) // past both deadlines a plain response gets
	evCreate(t, s, "late")
	if ids, data := evReadSSE(t, bufio.NewReader(stream), 1); len(ids) != 1 || !strings.Contains(data[0], "Opportunity Created") {
		t.Fatalf("stream after the timeouts: %v %v", ids, data)
	}
}

// At the connection cap new connections wait rather than take the process
// to its file limit; the cap is logged, idle keep-alive connections are shed
// (or time out), and the waiting client is served.
func TestConnectionCap(t *testing.T) {
	var log syncBuffer
	s := startServer(t, Config{Logger: slog.New(slog.NewTextHandler(&log, nil)),
		Exposure: Exposure{MaxConns: 4, Timeouts: surface.Timeouts{Idle: time.Second}}})
	for range 4 {
		c := dial(t, s)
		if _, err := io.WriteString(c, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(c).ReadString('\n'); err != nil || !strings.Contains(line, "200") {
			t.Fatalf("health: %q %v", line, err)
		}
	}
	if code, _ := send(t, s, "GET", "/health", "", nil); code != 200 {
		t.Fatalf("health at the cap: %d", code)
	}
	if !strings.Contains(log.String(), "connection limit reached") || !strings.Contains(log.String(), "max_conns=4") {
		t.Fatalf("no log line for the cap:\n%s", log.String())
	}
}

// syncBuffer is a log destination the server and the test share.
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

package surface

import (
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Timeouts of cosell's http.Server. Requests are small and answered at
// once, except SQS long polls (up to 20 s, answered within Write) and
// Server-Sent Event streams, which lift their own deadlines with
// KeepStreaming.
type Timeouts struct {
	// ReadHeader: a client that never finishes its headers.
	ReadHeader time.Duration
	// Read bounds reading a whole request, body included: a body trickled a
	// byte at a time is cut off.
	Read time.Duration
	// Write bounds a response from the end of its request headers.
	Write time.Duration
	// Idle closes keep-alive connections with no request in flight.
	Idle time.Duration
}

// DefaultTimeouts: Write is three times SQS's longest poll.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 60 * time.Second, Write: 60 * time.Second, Idle: 60 * time.Second}

// StreamWriteWindow is how long a streaming response may take to get its
// next write out once KeepStreaming extended its deadline.
const StreamWriteWindow = 2 * time.Minute

// Apply sets the timeouts on hs; a zero one takes DefaultTimeouts'.
func (t Timeouts) Apply(hs *http.Server) {
	or := func(d, def time.Duration) time.Duration {
		if d > 0 {
			return d
		}
		return def
	}
	hs.ReadHeaderTimeout = or(t.ReadHeader, DefaultTimeouts.ReadHeader)
	hs.ReadTimeout = or(t.Read, DefaultTimeouts.Read)
	hs.WriteTimeout = or(t.Write, DefaultTimeouts.Write)
	hs.IdleTimeout = or(t.Idle, DefaultTimeouts.Idle)
}

// DefaultMaxConns caps open connections when the server is not told
// otherwise: far above what a team of SDK clients holds, far below the
// file descriptors a process gets.
const DefaultMaxConns = 1024

// KeepStreaming prepares a response that streams for longer than
// WriteTimeout (Server-Sent Events): it lifts the read deadline, since the
// request was read and a deadline there would cancel the request's context
// when it passes, and moves the write deadline StreamWriteWindow ahead.
// Call it before the first write and again before each later one. A
// writer without deadlines (a test recorder) has nothing to lift.
func KeepStreaming(w http.ResponseWriter) error {
	rc := http.NewResponseController(w)
	err := rc.SetReadDeadline(time.Time{})
	if err == nil {
		err = rc.SetWriteDeadline(time.Now().Add(StreamWriteWindow))
	}
	if errors.Is(err, http.ErrNotSupported) {
		return nil
	}
	return err
}

// LimitListener accepts at most max connections at once. When full, Accept
// waits for one to close, and onFull runs (once per episode) so the server
// can log and shed idle keep-alive connections; onRelieved runs when the
// count is back under nine tenths of max.
func LimitListener(l net.Listener, max int, onFull, onRelieved func()) net.Listener {
	return &limitListener{Listener: l, slots: make(chan struct{}, max), onFull: onFull, onRelieved: onRelieved}
}

type limitListener struct {
	net.Listener
	slots      chan struct{} // one token per open connection, and one for an Accept waiting for its connection
	open       atomic.Int64  // connections accepted and not yet closed
	onFull     func()
	onRelieved func()
	mu         sync.Mutex
	full       bool // an episode of being full has started and not ended
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	default:
		l.setFull(true)
		l.slots <- struct{}{} // blocks until a connection closes
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	l.open.Add(1)
	return &limitedConn{Conn: c, release: l.release}, nil
}

func (l *limitListener) release() {
	open := l.open.Add(-1)
	<-l.slots
	if open < int64(cap(l.slots))*9/10 {
		l.setFull(false)
	}
}

func (l *limitListener) setFull(full bool) {
	l.mu.Lock()
	changed := l.full != full
	l.full = full
	l.mu.Unlock()
	switch {
	case changed && full && l.onFull != nil:
		l.onFull()
	case changed && !full && l.onRelieved != nil:
		l.onRelieved()
	}
}

// limitedConn frees its slot on the first Close.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

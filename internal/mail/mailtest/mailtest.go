// Package mailtest is an SMTP server for tests: it speaks just enough of
// RFC 5321 for net/smtp (EHLO or HELO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT)
// and records every message it accepts.
package mailtest

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// connTimeout bounds each connection, so a stuck client cannot hang a test.
const connTimeout = 10 * time.Second

// Message is one accepted message.
type Message struct {
	Auth string   // "user:password" from AUTH PLAIN; "" without
	From string   // the MAIL FROM address
	To   []string // the RCPT TO addresses
	Data string   // the text after DATA, dot-unstuffed, CRLFs kept
}

// Server is a listening test SMTP server.
type Server struct {
	Addr string // 127.0.0.1:port

	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	msgs []Message
}

// Start starts a server on a free loopback port; it stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln}
	s.wg.Go(s.accept)
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

// Messages returns the messages accepted so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func (s *Server) accept() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.wg.Go(func() {
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(connTimeout))
			s.session(bufio.NewReader(conn), conn)
		})
	}
}

// session answers one client until QUIT or a broken connection.
func (s *Server) session(r *bufio.Reader, w net.Conn) {
	reply := func(format string, args ...any) bool {
		_, err := fmt.Fprintf(w, format+"\r\n", args...)
		return err == nil
	}
	if !reply("220 mailtest ready") {
		return
	}
	var m Message
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		ok := true
		switch strings.ToUpper(verb) {
		case "EHLO":
			ok = reply("250-mailtest\r\n250 AUTH PLAIN")
		case "HELO", "NOOP":
			ok = reply("250 ok")
		case "RSET":
			m = Message{}
			ok = reply("250 ok")
		case "AUTH":
			ok = s.auth(arg, &m, reply)
		case "MAIL":
			m.From = address(arg)
			ok = reply("250 ok")
		case "RCPT":
			m.To = append(m.To, address(arg))
			ok = reply("250 ok")
		case "DATA":
			if !reply("354 end with <CRLF>.<CRLF>") {
				return
			}
			data, err := readData(r)
			if err != nil {
				return
			}
			m.Data = data
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			m = Message{Auth: m.Auth}
			ok = reply("250 accepted")
		case "QUIT":
			reply("221 bye")
			return
		default:
			ok = reply("502 command not implemented")
		}
		if !ok {
			return
		}
	}
}

// auth accepts "AUTH PLAIN <base64 of \x00user\x00password>".
func (s *Server) auth(arg string, m *Message, reply func(string, ...any) bool) bool {
	mech, resp, _ := strings.Cut(arg, " ")
	raw, err := base64.StdEncoding.DecodeString(resp)
	parts := strings.Split(string(raw), "\x00")
	if !strings.EqualFold(mech, "PLAIN") || err != nil || len(parts) != 3 {
		return reply("535 authentication failed")
	}
	m.Auth = parts[1] + ":" + parts[2]
	return reply("235 authenticated")
}

// address is the address of "FROM:<a@b> ..." or "TO:<a@b>".
func address(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

// readData reads the message text up to the line holding a single dot.
func readData(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		if line == ".\r\n" {
			return b.String(), nil
		}
		b.WriteString(strings.TrimPrefix(line, "."))
	}
}

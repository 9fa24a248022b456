package mail

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/cosell/cosell/internal/mail/mailtest"
)

func TestSMTPDeliversAMessage(t *testing.T) {
	srv := mailtest.Start(t)
	s := &SMTP{Addr: srv.Addr, From: "no-reply@cosell.local", User: "u", Password: "p"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Send(ctx, "lead@corp.example", "Your code: 123456 ✓", "Hello,\nyour code is 123456.\n"); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if m.Auth != "u:p" || m.From != "no-reply@cosell.local" || len(m.To) != 1 || m.To[0] != "lead@corp.example" {
		t.Fatalf("envelope %+v", m)
	}
	head, body, ok := strings.Cut(m.Data, "\r\n\r\n")
	if !ok {
		t.Fatalf("no blank line after the headers:\n%q", m.Data)
	}
	if strings.Contains(strings.ReplaceAll(m.Data, "\r\n", ""), "\n") {
		t.Errorf("a line does not end in CRLF:\n%q", m.Data)
	}
	headers := map[string]string{}
	for _, l := range strings.Split(head, "\r\n") {
		k, v, _ := strings.Cut(l, ": ")
		headers[k] = v
	}
	want := map[string]string{
		"From": "no-reply@cosell.local", "To": "lead@corp.example",
		"Subject":      "=?utf-8?q?Your_code:_123456_=E2=9C=93?=",
		"MIME-Version": "1.0", "Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": "quoted-printable",
	}
	for k, v := range want {
		if headers[k] != v {
			t.Errorf("%s: %q, want %q", k, headers[k], v)
		}
	}
	if d, err := time.Parse(time.RFC1123Z, headers["Date"]); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date %q: %v", headers["Date"], err)
	}
	if body != "Hello,\r\nyour code is 123456.\r\n" {
		t.Errorf("body %q", body)
	}
}

func TestSMTPWithoutAuth(t *testing.T) {
	srv := mailtest.Start(t)
	s := &SMTP{Addr: srv.Addr, From: "no-reply@cosell.local"}
	if err := s.Send(context.Background(), "a@b.example", "s", "b"); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || msgs[0].Auth != "" {
		t.Fatalf("messages %+v", msgs)
	}
}

func TestSMTPRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	s := &SMTP{Addr: addr, From: "no-reply@cosell.local"}
	if err := s.Send(context.Background(), "a@b.example", "s", "b"); err == nil {
		t.Fatal("sent to a closed port")
	}
}

// A line break in a header value would let the caller add headers.
func TestSMTPRejectsHeaderInjection(t *testing.T) {
	srv := mailtest.Start(t)
	s := &SMTP{Addr: srv.Addr, From: "no-reply@cosell.local"}
	if err := s.Send(context.Background(), "a@b.example", "hi\r\nBcc: x@y.example", "b"); err == nil {
		t.Fatal("sent a subject with a line break")
	}
	if msgs := srv.Messages(); len(msgs) != 0 {
		t.Fatalf("messages %+v", msgs)
	}
}

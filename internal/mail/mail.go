// Package mail delivers the few emails cosell sends — the Account API's
// verification codes — as plain text over SMTP.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"strings"
	"time"
)

// Sender delivers one plain-text email.
type Sender interface {
	Send(ctx context.Context, to, subject, body string) error
}

// sendTimeout bounds one delivery, dialing included, when ctx allows longer.
const sendTimeout = 30 * time.Second

// SMTP is a Sender that hands each message to an SMTP server (a relay or a
// test mailbox such as MailHog). Like smtp.SendMail it upgrades to TLS when
// the server offers STARTTLS.
type SMTP struct {
	Addr string // host:port
	From string // envelope sender and From header
	// User and Password, when User is set, authenticate with AUTH PLAIN,
	// which net/smtp allows only over TLS or to localhost.
	User     string
	Password string
}

// Send delivers one message; it gives up when ctx ends or after sendTimeout.
func (s *SMTP) Send(ctx context.Context, to, subject, body string) error {
	msg, err := message(s.From, to, subject, body, time.Now())
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("mail: smtp address %q: %w", s.Addr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	deadline, _ := ctx.Deadline()
	if err := conn.SetDeadline(deadline); err != nil {
		conn.Close()
		return fmt.Errorf("mail: %w", err)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: %s: %w", s.Addr, err)
	}
	defer c.Close()
	if err := s.deliver(c, host, to, msg); err != nil {
		return fmt.Errorf("mail: %s: %w", s.Addr, err)
	}
	return nil
}

// deliver runs the SMTP exchange after the greeting.
func (s *SMTP) deliver(c *smtp.Client, host, to string, msg []byte) error {
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return err
		}
	}
	if s.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(s.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// message is the text of an email: headers, a blank line and the body as
// quoted-printable UTF-8, every line ending in CRLF.
func message(from, to, subject, body string, date time.Time) ([]byte, error) {
	for _, v := range []string{from, to, subject} {
		if strings.ContainsAny(v, "\r\n") {
			return nil, errors.New("mail: a header value contains a line break")
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", to)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", date.Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	b.WriteString("Content-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b) // writes line breaks as CRLF
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

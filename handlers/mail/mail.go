// Package mail sends the store's outbox over SMTP: the sender goroutine that serve starts takes the
// due messages, marks each attempt before talking to the server, and marks it sent after the
// server accepted it. See the README's Notifications section for what a crash can and cannot do.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"pupns/store"
)

// TLS modes of the SMTP connection.
const (
	TLSNone     = "none"     // plain SMTP (a relay on the same host or network)
	TLSStartTLS = "starttls" // plain connection upgraded by STARTTLS (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
)

// NotConfigured is what the admin reads on a message waiting while no SMTP server is set.
const NotConfigured = "tidak dikirim: SMTP belum diatur"

// Config is the SMTP settings. Password comes from the environment only (PUPNS_SMTP_PASSWORD).
type Config struct {
	Host     string
	Port     int
	TLS      string
	User     string
	Password string
	From     string
	// Timeout bounds the connection and each command; default 30 s.
	Timeout time.Duration
	// TLSConfig overrides the TLS settings (tests trust their own certificate with it).
	TLSConfig *tls.Config
}

// Configured tells whether mail can be sent at all: without a host nothing is sent and nothing fails.
func (c Config) Configured() bool { return c.Host != "" }

// Check refuses settings that cannot work, so that serve fails at start, not at the first mail.
func (c Config) Check() error {
	if !c.Configured() {
		return nil
	}
	switch c.TLS {
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return fmt.Errorf("--smtp-tls %q: pilih none, starttls atau tls", c.TLS)
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("--smtp-port %d: di luar 1..65535", c.Port)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("--smtp-from %q: bukan alamat e-mail: %w", c.From, err)
	}
	return nil
}

// Compose renders m as an RFC 5322 message: UTF-8 plain text, quoted-printable, with the stored
// Message-ID and the enqueue time as Date, so that every attempt sends the same bytes.
func Compose(from string, m store.Mail) []byte {
	var b bytes.Buffer
	to := (&mail.Address{Name: strings.Map(noControl, m.Name), Address: m.To}).String()
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\n", from, to,
		mime.QEncoding.Encode("utf-8", strings.Map(noControl, m.Subject)), m.CreatedAt.Format(time.RFC1123Z), m.MessageID)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n")))
	w.Close()
	return b.Bytes()
}

// noControl drops control characters (a line break in a header would start a new header).
func noControl(r rune) rune {
	if r < 0x20 || r == 0x7f {
		return -1
	}
	return r
}

// Sender delivers the outbox of Store with Config.
type Sender struct {
	Store  *store.Store
	Config Config
	// Poll is how often the outbox is looked at; default 15 s.
	Poll time.Duration
	Log  *slog.Logger
}

// Start runs the sender in its own goroutine and returns the function that stops it and waits
// until it has stopped: serve defers it before closing the store, so no mark is lost to a closed file.
func (s *Sender) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// Run sends due messages every Poll until ctx ends. Without SMTP settings it returns at once:
// the messages stay in the outbox, and the admin's page shows them as not sent.
func (s *Sender) Run(ctx context.Context) {
	if !s.Config.Configured() {
		return
	}
	poll := s.Poll
	if poll <= 0 {
		poll = 15 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := s.SendDue(ctx); err != nil && s.Log != nil {
			s.Log.Error("outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendDue sends every message due now, one connection each, and tells how many were sent. An
// attempt is recorded (MarkMailSending, fsynced) before the SMTP conversation begins, and the
// message moves to the sent list only after the server accepted the end of DATA.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	due, err := s.Store.DueMail(s.Store.Now(), 100)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range due {
		if ctx.Err() != nil {
			return sent, nil
		}
		m, err := s.Store.MarkMailSending(m.Seq)
		if err != nil {
			return sent, err
		}
		if err := s.deliver(ctx, m); err != nil {
			if _, merr := s.Store.MarkMailFailed(m.Seq, err.Error()); merr != nil {
				return sent, merr
			}
			if s.Log != nil {
				s.Log.Warn("outbox: gagal mengirim", "seq", m.Seq, "message_id", m.MessageID, "attempt", m.Attempts, "err", err)
			}
			continue
		}
		if _, err := s.Store.MarkMailSent(m.Seq); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// deliver runs one SMTP conversation for m; the end of ctx cuts it (the message stays due).
func (s *Sender) deliver(ctx context.Context, m store.Mail) error {
	c, err := s.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	defer context.AfterFunc(ctx, func() { c.Close() })()
	if s.Config.User != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.Config.User, s.Config.Password)); err != nil {
			return err
		}
	}
	from, err := mail.ParseAddress(s.Config.From)
	if err != nil {
		return err
	}
	if err := c.Mail(from.Address, nil); err != nil {
		return err
	}
	if err := c.Rcpt(m.To, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(Compose(s.Config.From, m)); err != nil {
		return err
	}
	if err := w.Close(); err != nil { // the server's answer to the end of DATA
		return err
	}
	c.Quit() // accepted: a failing QUIT changes nothing
	return nil
}

// dial connects and greets the server in the configured TLS mode.
func (s *Sender) dial() (*smtp.Client, error) {
	cfg := s.Config
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	tlsCfg := cfg.TLSConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{ServerName: cfg.Host}
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	var c *smtp.Client
	switch cfg.TLS {
	case TLSImplicit:
		c = smtp.NewClient(tls.Client(conn, tlsCfg))
	case TLSStartTLS:
		if c, err = smtp.NewClientStartTLS(conn, tlsCfg); err != nil {
			conn.Close()
			return nil, err
		}
	default:
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout, c.SubmissionTimeout = timeout, timeout
	return c, nil
}

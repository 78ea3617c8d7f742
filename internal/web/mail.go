package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/store"
)

// Sender delivers one message of the outbox.
type Sender interface {
	Send(ctx context.Context, m store.Mail) error
}

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	Addr     string // host:port
	User     string // "": no authentication
	Password string
	From     string // the sender, "noreply@example.vn" or "SIHub <noreply@example.vn>"
}

type smtpSender struct {
	addr, host string
	user, pass string
	from       *mail.Address
	tls        *tls.Config
	now        func() time.Time
}

// NewSMTPSender returns a Sender that delivers through the server at
// cfg.Addr: STARTTLS whenever the server offers it, and PLAIN
// authentication when cfg.User is set — which net/smtp refuses over a
// connection without TLS unless the server is this machine.
func NewSMTPSender(cfg SMTPConfig) (Sender, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" {
		return nil, fmt.Errorf("SMTP address %q: want host:port", cfg.Addr)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("SMTP sender address %q: %v", cfg.From, err)
	}
	return &smtpSender{
		addr: cfg.Addr, host: host, user: cfg.User, pass: cfg.Password, from: from,
		tls: &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}, now: time.Now,
	}, nil
}

func (s *smtpSender) Send(ctx context.Context, m store.Mail) error {
	msg, err := s.message(m)
	if err != nil {
		return err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	// A server that stops answering must not hold the mailer forever.
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(time.Minute)
	}
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello(helloName(s.from.Address)); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(s.tls); err != nil {
			return err
		}
	}
	if s.user != "" {
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return err
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
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

// helloName is the name SIHub greets the server with: the domain of its
// sender address, a name the server can check better than "localhost".
func helloName(from string) string {
	if _, domain, ok := strings.Cut(from, "@"); ok && domain != "" {
		return domain
	}
	return "localhost"
}

// message writes m as an RFC 5322 message: UTF-8 text, quoted-printable,
// the subject encoded for headers (RFC 2047) since it is usually
// Vietnamese.
func (s *smtpSender) message(m store.Mail) ([]byte, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("recipient %q: %v", m.To, err)
	}
	id := make([]byte, 12)
	rand.Read(id)
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", s.from.String())
	header("To", to.String())
	// Q-encoding also encodes any CR or LF, so that a subject cannot add
	// headers. Encoded words (75 characters at most) go on lines of their
	// own, which keeps every line within 76 characters as RFC 2047 asks.
	if subject := mime.QEncoding.Encode("utf-8", m.Subject); subject == m.Subject {
		header("Subject", subject)
	} else {
		b.WriteString("Subject:\r\n " + strings.ReplaceAll(subject, "?= =?", "?=\r\n =?") + "\r\n")
	}
	header("Date", s.now().Format(time.RFC1123Z))
	header("Message-ID", fmt.Sprintf("<%d.%s@%s>", m.ID, hex.EncodeToString(id), helloName(s.from.Address)))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(m.Body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	b.WriteString("\r\n")
	return b.Bytes(), nil
}

// LogSender only logs messages; SIHub uses it when no mail server is
// configured, so that it works offline (a demo, a laptop). The messages
// count as sent; center admins read them on the outbox page.
type LogSender struct {
	Log *slog.Logger
}

func (s LogSender) Send(ctx context.Context, m store.Mail) error {
	s.Log.InfoContext(ctx, "email not sent: no SMTP server configured", "to", m.To, "subject", m.Subject, "body", m.Body)
	return nil
}

// Mailer timing.
const (
	mailLease      = 5 * time.Minute  // a claim outlives any one delivery attempt
	mailSendLimit  = 30 * time.Second // one attempt, delivery and bookkeeping
	mailIdle       = 2 * time.Second  // how long to wait when nothing is due
	mailMaxBackoff = time.Hour
	mailAttempts   = 8 // then give up
)

// RunMailer delivers the outbox through s until ctx is done. Several
// mailers, in one process or in several instances, may run on one
// database: each message is claimed by one of them at a time.
func RunMailer(ctx context.Context, db *store.DB, s Sender, log *slog.Logger) {
	m := mailer{db: db, s: s, log: log, now: time.Now, idle: mailIdle}
	m.run(ctx)
}

type mailer struct {
	db   *store.DB
	s    Sender
	log  *slog.Logger
	now  func() time.Time
	idle time.Duration
}

func (m *mailer) run(ctx context.Context) {
	for ctx.Err() == nil {
		claimed, err := m.deliverOne(ctx)
		if err != nil && ctx.Err() == nil {
			m.log.Error("outbox", "error", err)
		}
		if claimed && err == nil {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
		case <-time.After(m.idle):
		}
	}
}

// deliverOne claims the next message due and tries to send it, reporting
// whether there was one. An attempt under way is not cut short when ctx
// ends (shutdown), so that its outcome is recorded rather than the
// message sent twice once the claim runs out.
func (m *mailer) deliverOne(ctx context.Context) (bool, error) {
	msg, err := m.db.ClaimMail(ctx, mailLease)
	if err != nil || msg == nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mailSendLimit)
	defer cancel()
	sendErr := m.s.Send(ctx, *msg)
	if sendErr == nil {
		return true, m.db.MailSent(ctx, msg.ID)
	}
	attempt := msg.Attempts + 1
	retry := retryAt(m.now(), attempt)
	if retry == nil {
		m.log.Error("email failed; giving up", "id", msg.ID, "to", msg.To, "attempts", attempt, "error", sendErr)
	} else {
		m.log.Warn("email failed; will retry", "id", msg.ID, "to", msg.To, "attempt", attempt, "retry_at", *retry, "error", sendErr)
	}
	if err := m.db.MailFailed(ctx, msg.ID, sendErr.Error(), retry); err != nil {
		return true, errors.Join(sendErr, err)
	}
	return true, nil
}

// retryAt is when to try again after the attempt-th failed attempt: one
// minute after the first, doubling up to an hour; nil once mailAttempts
// have failed.
func retryAt(now time.Time, attempt int) *time.Time {
	if attempt >= mailAttempts {
		return nil
	}
	d := mailMaxBackoff
	if attempt < 7 { // 2^6 minutes already exceeds the cap
		d = time.Minute << max(attempt-1, 0)
	}
	t := now.Add(d)
	return &t
}

package web

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/store/storetest"
)

// smtpServer is a small SMTP server for the tests: it speaks EHLO,
// STARTTLS (when tls is set), AUTH PLAIN, MAIL, RCPT, DATA, RSET and QUIT,
// and records what it accepts.
type smtpServer struct {
	t    *testing.T
	ln   net.Listener
	tls  *tls.Config // offer STARTTLS
	mu   sync.Mutex
	msgs []smtpMsg
	fail int // answer this many DATA commands with a temporary failure
	auth []string
}

type smtpMsg struct {
	from string
	to   []string
	data []byte
	tls  bool // the message came over TLS
}

func newSMTPServer(t *testing.T, host string, tlsConf *tls.Config) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{t: t, ln: ln, tls: tlsConf}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(c) })
		}
	})
	return s
}

func (s *smtpServer) addr() string { return s.ln.Addr().String() }

func (s *smtpServer) messages() []smtpMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMsg(nil), s.msgs...)
}

func (s *smtpServer) auths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

func (s *smtpServer) serve(c net.Conn) {
	defer func() { c.Close() }()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	r := textproto.NewReader(bufio.NewReader(c))
	w := bufio.NewWriter(c)
	reply := func(line string) { w.WriteString(line + "\r\n"); w.Flush() }
	reply("220 test ESMTP")
	var cur smtpMsg
	secure := false
	for {
		line, err := r.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			if s.tls != nil && !secure {
				reply("250-test")
				reply("250-STARTTLS")
			} else {
				reply("250-test")
			}
			reply("250 AUTH PLAIN")
		case "STARTTLS":
			reply("220 go ahead")
			tc := tls.Server(c, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, secure = tc, true
			r = textproto.NewReader(bufio.NewReader(c))
			w = bufio.NewWriter(c)
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			b, err := base64.StdEncoding.DecodeString(resp)
			if mech != "PLAIN" || err != nil {
				reply("504 unsupported")
				continue
			}
			s.mu.Lock()
			s.auth = append(s.auth, string(b))
			s.mu.Unlock()
			reply("235 ok")
		case "MAIL":
			cur = smtpMsg{from: strings.Trim(strings.TrimPrefix(arg, "FROM:"), "<>"), tls: secure}
			reply("250 ok")
		case "RCPT":
			cur.to = append(cur.to, strings.Trim(strings.TrimPrefix(arg, "TO:"), "<>"))
			reply("250 ok")
		case "DATA":
			reply("354 go ahead")
			data, err := r.ReadDotBytes()
			if err != nil {
				return
			}
			s.mu.Lock()
			failing := s.fail > 0
			if failing {
				s.fail--
			} else {
				cur.data = data
				s.msgs = append(s.msgs, cur)
			}
			s.mu.Unlock()
			if failing {
				reply("451 4.3.0 try again later")
			} else {
				reply("250 queued")
			}
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

func newTestSender(t *testing.T, cfg SMTPConfig) *smtpSender {
	t.Helper()
	s, err := NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s.(*smtpSender)
}

// parsed is a received message read back as a mail client would.
type parsed struct {
	header  mail.Header
	subject string
	body    string
}

func parseMail(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("unreadable message: %v\n%s", err, data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject %q: %v", m.Header.Get("Subject"), err)
	}
	if m.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding %q", m.Header.Get("Content-Transfer-Encoding"))
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return parsed{header: m.Header, subject: subject, body: strings.TrimSuffix(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n")}
}

// A Vietnamese message arrives whole: the subject decodes, the body keeps
// its lines, and a header cannot be smuggled in through the subject.
func TestMailMessage(t *testing.T) {
	srv := newSMTPServer(t, "127.0.0.1", nil)
	s := newTestSender(t, SMTPConfig{Addr: srv.addr(), From: "SIHub <noreply@sihub.example.vn>"})
	body := "Chào anh Nguyễn Văn Ánh,\n\nXác nhận địa chỉ email của anh tại liên kết dưới đây:\n" +
		"https://sihub.example.vn/confirm?token=" + strings.Repeat("đ", 80) + "\n\nTrân trọng,\nSIHub"
	cases := []struct{ subject, want string }{
		{"Xác nhận địa chỉ email — SIHub", "Xác nhận địa chỉ email — SIHub"},
		{"Confirm your email address", "Confirm your email address"},
		{"Đặt lại mật khẩu\r\nBcc: victim@example.com", "Đặt lại mật khẩu\r\nBcc: victim@example.com"},
	}
	for i, c := range cases {
		if err := s.Send(context.Background(), store.Mail{ID: int64(i + 1), To: "anh@example.vn", Subject: c.subject, Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	msgs := srv.messages()
	if len(msgs) != len(cases) {
		t.Fatalf("the server received %d messages; want %d", len(msgs), len(cases))
	}
	ids := map[string]bool{}
	for i, m := range msgs {
		if m.from != "noreply@sihub.example.vn" || len(m.to) != 1 || m.to[0] != "anh@example.vn" {
			t.Errorf("envelope from %q to %q", m.from, m.to)
		}
		p := parseMail(t, m.data)
		if p.subject != cases[i].want {
			t.Errorf("subject decodes to %q; want %q", p.subject, cases[i].want)
		}
		if p.header.Get("Bcc") != "" {
			t.Errorf("a Bcc header came through the subject:\n%s", m.data)
		}
		if p.body != body {
			t.Errorf("body decodes to %q; want %q", p.body, body)
		}
		for _, line := range strings.Split(string(m.data), "\n") { // ReadDotBytes ended the lines in LF
			if len(line) > 78 {
				t.Errorf("line longer than 78 bytes: %q", line)
			}
		}
		if from, err := p.header.AddressList("From"); err != nil || from[0].Name != "SIHub" || from[0].Address != "noreply@sihub.example.vn" {
			t.Errorf("From %q: %v", p.header.Get("From"), err)
		}
		if p.header.Get("To") != "<anh@example.vn>" {
			t.Errorf("To %q", p.header.Get("To"))
		}
		if d, err := p.header.Date(); err != nil || time.Since(d).Abs() > time.Minute {
			t.Errorf("Date %q: %v", p.header.Get("Date"), err)
		}
		id := p.header.Get("Message-ID")
		if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@sihub.example.vn>") || ids[id] {
			t.Errorf("Message-ID %q is malformed or repeated", id)
		}
		ids[id] = true
		if p.header.Get("MIME-Version") != "1.0" || p.header.Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Errorf("MIME headers %q, %q", p.header.Get("MIME-Version"), p.header.Get("Content-Type"))
		}
	}
}

func TestMailSenderConfig(t *testing.T) {
	for _, cfg := range []SMTPConfig{
		{Addr: "mail.example.vn", From: "noreply@example.vn"},        // no port
		{Addr: ":587", From: "noreply@example.vn"},                   // no host
		{Addr: "mail.example.vn:587", From: ""},                      // no sender
		{Addr: "mail.example.vn:587", From: "SIHub noreply at host"}, // not an address
	} {
		if _, err := NewSMTPSender(cfg); err == nil {
			t.Errorf("%+v was accepted", cfg)
		}
	}
}

// selfSigned returns a server certificate for 127.0.0.1 and a pool that
// trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// The sender upgrades to TLS when the server offers it and authenticates
// only then — or to a server on this machine; it refuses to send a
// password in the clear to another host.
func TestMailSMTPStartTLSAndAuth(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := newSMTPServer(t, "127.0.0.1", &tls.Config{Certificates: []tls.Certificate{cert}})
	s := newTestSender(t, SMTPConfig{Addr: srv.addr(), User: "sihub", Password: "mật khẩu", From: "noreply@sihub.example.vn"})
	s.tls.RootCAs = pool
	if err := s.Send(context.Background(), store.Mail{ID: 1, To: "a@example.vn", Subject: "Chào", Body: "Xin chào"}); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.messages(); len(msgs) != 1 || !msgs[0].tls {
		t.Fatalf("the message did not come over TLS: %+v", msgs)
	}
	if auth := srv.auths(); len(auth) != 1 || auth[0] != "\x00sihub\x00mật khẩu" {
		t.Errorf("AUTH PLAIN sent %q", auth)
	}

	// An untrusted certificate stops the delivery.
	s.tls.RootCAs = x509.NewCertPool()
	if err := s.Send(context.Background(), store.Mail{ID: 2, To: "a@example.vn", Subject: "Chào", Body: "Xin chào"}); err == nil {
		t.Error("a server with an untrusted certificate got the message")
	}

	// Plain text to a host that is not "localhost": no password is sent.
	plain := newSMTPServerOrSkip(t, "127.0.0.2")
	if plain == nil {
		return
	}
	s = newTestSender(t, SMTPConfig{Addr: plain.addr(), User: "sihub", Password: "secret", From: "noreply@sihub.example.vn"})
	if err := s.Send(context.Background(), store.Mail{ID: 3, To: "a@example.vn", Subject: "Chào", Body: "Xin chào"}); err == nil {
		t.Error("the sender authenticated over a plain-text connection to another host")
	}
	if len(plain.auths()) != 0 || len(plain.messages()) != 0 {
		t.Errorf("the plain-text server got credentials %q or messages", plain.auths())
	}
}

// newSMTPServerOrSkip listens on a loopback address other than 127.0.0.1,
// which only some systems (Linux) route; nil when it cannot.
func newSMTPServerOrSkip(t *testing.T, host string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Logf("cannot listen on %s (%v); not checking plain-text authentication to another host", host, err)
		return nil
	}
	ln.Close()
	return newSMTPServer(t, host, nil)
}

func TestMailRetryAt(t *testing.T) {
	now := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute,
		32 * time.Minute, time.Hour}
	for i, d := range want {
		got := retryAt(now, i+1)
		if got == nil || !got.Equal(now.Add(d)) {
			t.Errorf("after attempt %d: retry at %v; want %v", i+1, got, now.Add(d))
		}
	}
	for _, attempt := range []int{mailAttempts, mailAttempts + 1, 100} {
		if got := retryAt(now, attempt); got != nil {
			t.Errorf("after attempt %d: retry at %v; want to give up", attempt, got)
		}
	}
}

func queueMails(t *testing.T, db *store.DB, n int) map[string]bool {
	t.Helper()
	want := map[string]bool{}
	for i := range n {
		subject := fmt.Sprintf("Thư số %d — xác nhận đăng ký", i)
		if err := db.QueueMail(context.Background(), fmt.Sprintf("user%d@example.vn", i), subject, "Nội dung thư."); err != nil {
			t.Fatal(err)
		}
		want[subject] = true
	}
	return want
}

// Two mailers on two connections to one database — two instances —
// deliver every queued message exactly once.
func TestMailerDeliversOnce(t *testing.T) {
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			a, b := newEnvDSN(t, dsn), newEnvDSN(t, dsn)
			srv := newSMTPServer(t, "127.0.0.1", nil)
			sender := newTestSender(t, SMTPConfig{Addr: srv.addr(), From: "noreply@sihub.example.vn"})
			const n = 40
			want := queueMails(t, a.db, n)

			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for _, e := range []*testEnv{a, b} {
				m := &mailer{db: e.db, s: sender, log: quiet, now: time.Now, idle: 10 * time.Millisecond}
				wg.Go(func() { m.run(ctx) })
			}
			deadline := time.Now().Add(30 * time.Second)
			for len(srv.messages()) < n && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(100 * time.Millisecond) // a duplicate would arrive now
			cancel()
			wg.Wait()

			got := map[string]int{}
			for _, m := range srv.messages() {
				got[parseMail(t, m.data).subject]++
			}
			for s := range want {
				if got[s] != 1 {
					t.Errorf("%q was delivered %d times", s, got[s])
				}
			}
			if len(got) != n {
				t.Errorf("%d distinct messages delivered; want %d", len(got), n)
			}
			if _, total, err := b.db.Outbox(context.Background(), store.OutboxFilter{Status: "sent"}); err != nil || total != n {
				t.Errorf("the outbox has %d sent messages (%v); want %d", total, err, n)
			}
		})
	}
}

// A temporary failure is retried after a backoff that doubles; a message
// that keeps failing is given up after mailAttempts attempts.
func TestMailerRetries(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		srv := newSMTPServer(t, "127.0.0.1", nil)
		srv.fail = 2
		sender := newTestSender(t, SMTPConfig{Addr: srv.addr(), From: "noreply@sihub.example.vn"})
		// The mailer's clock runs three hours behind the store's, so that
		// each retry it schedules is already due and the test need not wait.
		clock := time.Now().Add(-3 * time.Hour).Truncate(time.Second)
		m := &mailer{db: e.db, s: sender, log: quiet, now: func() time.Time { return clock }}
		queueMails(t, e.db, 1)

		only := func() store.Mail {
			t.Helper()
			list, total, err := e.db.Outbox(ctx, store.OutboxFilter{})
			if err != nil || total != 1 {
				t.Fatalf("outbox: %d messages, %v", total, err)
			}
			return list[0]
		}
		step := func() bool {
			t.Helper()
			claimed, err := m.deliverOne(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return claimed
		}
		for attempt, backoff := range []time.Duration{time.Minute, 2 * time.Minute} {
			if !step() {
				t.Fatalf("attempt %d: nothing was due", attempt+1)
			}
			got := only()
			if got.Attempts != attempt+1 || !strings.Contains(got.LastError, "451") || got.SentAt != nil || got.FailedAt != nil {
				t.Errorf("after failed attempt %d: %+v", attempt+1, got)
			}
			if d := got.SendAfter.Sub(clock.Add(backoff)); d.Abs() > time.Millisecond {
				t.Errorf("after failed attempt %d: send after %v; want %v", attempt+1, got.SendAfter, clock.Add(backoff))
			}
		}
		if !step() {
			t.Fatal("the third attempt did not happen")
		}
		if got := only(); got.SentAt == nil || len(srv.messages()) != 1 {
			t.Fatalf("after the third attempt: %+v, %d delivered", got, len(srv.messages()))
		}
		if step() {
			t.Error("a sent message was claimed again")
		}

		// A server that always fails: the message is given up.
		srv.mu.Lock()
		srv.fail = 1000
		srv.mu.Unlock()
		if err := e.db.QueueMail(ctx, "b@example.vn", "Thư không tới", "…"); err != nil {
			t.Fatal(err)
		}
		for i := range mailAttempts {
			if !step() {
				t.Fatalf("attempt %d: nothing was due", i+1)
			}
		}
		if step() {
			t.Error("a message was tried again after it was given up")
		}
		list, _, err := e.db.Outbox(ctx, store.OutboxFilter{To: "b@example.vn"})
		if err != nil || len(list) != 1 || list[0].FailedAt == nil || list[0].Attempts != mailAttempts {
			t.Fatalf("the failing message: %+v, %v", list, err)
		}
		if _, total, _ := e.db.Outbox(ctx, store.OutboxFilter{Status: "failed"}); total != 1 {
			t.Errorf("the outbox lists %d failed messages; want 1", total)
		}
	})
}

// Without a mail server, messages are logged and count as sent.
func TestMailLogSender(t *testing.T) {
	forEachDialect(t, func(t *testing.T, e *testEnv) {
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, nil))
		m := &mailer{db: e.db, s: LogSender{Log: log}, log: log, now: time.Now}
		queueMails(t, e.db, 1)
		if claimed, err := m.deliverOne(context.Background()); !claimed || err != nil {
			t.Fatalf("deliver: %v, %v", claimed, err)
		}
		for _, s := range []string{"level=INFO", "user0@example.vn", "Thư số 0", "Nội dung thư."} {
			if !strings.Contains(buf.String(), s) {
				t.Errorf("the log lacks %q:\n%s", s, buf.String())
			}
		}
		if _, total, err := e.db.Outbox(context.Background(), store.OutboxFilter{Status: "sent"}); err != nil || total != 1 {
			t.Errorf("sent: %d, %v", total, err)
		}
	})
}

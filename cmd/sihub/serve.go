package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/web"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("serve", "", "Serve SIHub over HTTP until interrupted (SIGINT or SIGTERM shut it down gracefully).\n"+
		"Email goes out through the SMTP server given by --smtp-addr (its password in the environment variable\n"+
		"SIHUB_SMTP_PASSWORD); without one, emails are only logged. See docs/OPERATIONS.md.")
	addr := fs.String("addr", envOr(e.getenv, "SIHUB_ADDR", "localhost:8080"), "listen address (env SIHUB_ADDR)")
	demo := fs.Bool("demo", false, "load the demo data set and demo accounts when the database is empty, and print the accounts")
	baseURL := fs.String("base-url", e.getenv("SIHUB_BASE_URL"),
		"the address people reach SIHub at, for links in emails, e.g. https://sihub.example.vn (env SIHUB_BASE_URL;\n"+
			"default: the listen address)")
	smtpAddr := fs.String("smtp-addr", e.getenv("SIHUB_SMTP_ADDR"), "the mail server, host:port (env SIHUB_SMTP_ADDR); STARTTLS is used when offered")
	smtpUser := fs.String("smtp-user", e.getenv("SIHUB_SMTP_USER"), "user name at the mail server (env SIHUB_SMTP_USER; password in SIHUB_SMTP_PASSWORD)")
	smtpFrom := fs.String("smtp-from", e.getenv("SIHUB_SMTP_FROM"), "sender of SIHub's emails, e.g. 'SIHub <noreply@sihub.example.vn>' (env SIHUB_SMTP_FROM)")
	secureCookies := fs.Bool("secure-cookies", false,
		"mark cookies Secure (browsers then send them over HTTPS only): set it when SIHub runs behind a proxy that\n"+
			"terminates TLS (env SIHUB_SECURE_COOKIES=true); requests that reach SIHub over TLS get Secure cookies anyway")
	trustProxy := fs.Bool("trust-proxy", false,
		"take each client's address from the last X-Forwarded-For entry, for sign-in throttling and the audit trail:\n"+
			"set it when every request reaches SIHub through a reverse proxy that appends that header")
	contactViews := fs.Int("contact-views-per-day", 30,
		"how many companies' contact people a user outside the center and the company may view in 24 hours")
	if v := e.getenv("SIHUB_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("SIHUB_SECURE_COOKIES=%q: want true or false", v)
		}
		*secureCookies = b
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("serve takes no arguments, only flags: %q", fs.Args())
	}
	if *contactViews < 1 {
		return fmt.Errorf("--contact-views-per-day=%d: want at least 1", *contactViews)
	}
	if *baseURL != "" {
		if err := checkBaseURL(*baseURL); err != nil {
			return err
		}
	}
	sender, err := e.mailSender(*smtpAddr, *smtpUser, *smtpFrom)
	if err != nil {
		return err
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if *demo {
		if err := loadDemo(ctx, e, db); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	url := "http://" + displayAddr(ln.Addr())
	if *baseURL == "" {
		*baseURL = url
	}
	if *demo {
		if err := printDemoAccounts(ctx, e, db, *baseURL); err != nil {
			return err
		}
	}
	h := web.NewServer(web.Config{DB: db, Logger: e.log, Version: version, BaseURL: *baseURL, SecureCookies: *secureCookies,
		SMTP: *smtpAddr != "", ContactViewsPerDay: *contactViews, TrustProxy: *trustProxy})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // imports upload large files
		WriteTimeout:      10 * time.Minute, // exports stream large files
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          nil,
	}

	// Background work stops, and is waited for, before the database closes.
	bg, stopBG := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stopBG()
	heads := &auditHeadLog{db: db, log: e.log}
	if err := heads.check(ctx); err != nil {
		return err
	}
	wg.Go(func() { heads.run(bg, time.Minute) })
	wg.Go(func() { web.RunMailer(bg, db, sender, e.log) })
	wg.Go(func() { h.Run(bg) })

	e.log.Info("SIHub is serving", "url", url, "db", *dsn, "version", version)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		h.Close()
		return err
	case <-ctx.Done():
	}
	e.log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	h.Close() // cancel background imports (they roll back) before the database closes
	if err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// checkBaseURL accepts an absolute http or https URL without query or
// fragment: the links in emails are made by appending paths to it.
func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("--base-url %q: want an http:// or https:// address such as https://sihub.example.vn", s)
	}
	return nil
}

// mailSender returns the SMTP sender the flags describe, or, without a
// mail server, one that logs the messages.
func (e *env) mailSender(addr, user, from string) (web.Sender, error) {
	password := e.getenv("SIHUB_SMTP_PASSWORD")
	if addr == "" {
		if user != "" || from != "" || password != "" {
			return nil, errors.New("--smtp-user, --smtp-from and SIHUB_SMTP_PASSWORD need --smtp-addr")
		}
		e.log.Warn("no mail server configured (--smtp-addr): emails are logged, not sent; center admins find them on /admin/outbox")
		return web.LogSender{Log: e.log}, nil
	}
	if from == "" {
		return nil, errors.New("--smtp-addr needs --smtp-from, the sender address of SIHub's emails")
	}
	if user != "" && password == "" {
		return nil, errors.New("--smtp-user needs the password in the environment variable SIHUB_SMTP_PASSWORD")
	}
	s, err := web.NewSMTPSender(web.SMTPConfig{Addr: addr, User: user, Password: password, From: from})
	if err != nil {
		return nil, err
	}
	e.log.Info("emails go out by SMTP", "server", addr, "from", from, "user", user)
	return s, nil
}

// auditHeadLog writes the head of the audit trail to the log when it
// changes, so that the log — kept apart from the database, by journald or a
// log collector — holds the heads to check the trail against later
// (sihub audit verify --head).
type auditHeadLog struct {
	db     *store.DB
	log    *slog.Logger
	last   sihub.AuditHead
	logged bool
}

func (a *auditHeadLog) check(ctx context.Context) error {
	h, err := a.db.AuditHead(ctx)
	if err != nil {
		return err
	}
	if !a.logged || h != a.last {
		a.log.Info("audit head", "seq", h.Seq, "hash", h.Hash)
		a.last, a.logged = h, true
	}
	return nil
}

func (a *auditHeadLog) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := a.check(ctx); err != nil && ctx.Err() == nil {
			a.log.Error("audit head", "error", err)
		}
	}
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// displayAddr turns a listen address into something a browser opens.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if host == "" || host == "::" || host == "0.0.0.0" || host == "127.0.0.1" || host == "::1" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

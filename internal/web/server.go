// Package web serves SIHub over HTTP: the bilingual directory pages, the
// staff pages for editing and importing, and the JSON API under /api/v1.
// routes.go lists every URL.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what NewServer needs.
type Config struct {
	DB      *store.DB
	Logger  *slog.Logger     // nil: slog.Default()
	Version string           // shown in the footer and in /metrics
	Now     func() time.Time // nil: time.Now; tests fix the clock
	// BaseURL is the address people reach SIHub at, for the links in
	// emails (confirmation, password reset, invitations); "" for
	// http://localhost:8080.
	BaseURL string
	// SecureCookies marks the session and language cookies Secure even on
	// a plain-HTTP request: set it behind a TLS-terminating proxy, where
	// SIHub itself never sees TLS. Requests over TLS get Secure anyway.
	SecureCookies bool
	// ContactViewsPerDay bounds how many companies' contact people a user
	// outside the center and the company may view in 24 hours; 0 means 30.
	ContactViewsPerDay int
	// SMTP tells that emails leave by a mail server. Then the outbox page
	// hides the secrets of the links they carry (password reset,
	// confirmation, invitation), which belong to their recipients alone;
	// without one, admins pass the emails on by hand and see them whole.
	SMTP bool
	// TrustProxy takes the client's address from the last X-Forwarded-For
	// entry, which a reverse proxy in front of SIHub appends; set it only
	// when every request comes through such a proxy.
	TrustProxy bool
}

type server struct {
	db      *store.DB
	log     *slog.Logger
	version string
	now     func() time.Time
	baseURL string
	// secureCookies and contactViews: see Config.
	secureCookies bool
	contactViews  int
	smtp          bool // Config.SMTP
	trustProxy    bool // Config.TrustProxy

	pages    map[sihub.Lang]map[string]*template.Template
	staticFS fs.FS
	static   http.Handler
	assetV   map[string]string // static file name → content hash, for cache busting
	mux      *http.ServeMux
	cop      *http.CrossOriginProtection
	jobs     liveJobs
	metrics  *metrics
	eng      engine   // the matching index (engine.go)
	gaps     gapCache // the supply-gap view's counts (opportunities.go)

	// Imports run under work, a context Close cancels; running counts
	// them so that Close can wait until every one has rolled back or
	// committed, before the caller closes the database.
	work     context.Context
	stopWork context.CancelFunc
	workMu   sync.Mutex
	closed   bool
	running  sync.WaitGroup
}

// Server is SIHub's HTTP handler. Close it after http.Server.Shutdown and
// before closing the database: it cancels the imports still running and
// waits for them.
type Server struct {
	s *server
}

// NewServer returns SIHub's HTTP handler. It panics if the embedded
// templates do not parse, which a test catches before release.
func NewServer(cfg Config) *Server {
	return &Server{newServer(cfg)}
}

// ServeHTTP serves one request.
func (h *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.s.serveHTTP(w, r) }

// Close cancels the imports still running, each of whose database
// transaction then rolls back so that nothing is half-written, and waits
// until they have stopped. Imports started afterwards are refused with 503.
// Close may be called more than once.
func (h *Server) Close() { h.s.close() }

func newServer(cfg Config) *server {
	s := &server{
		db:            cfg.DB,
		log:           cfg.Logger,
		version:       cfg.Version,
		now:           cfg.Now,
		baseURL:       strings.TrimSuffix(cfg.BaseURL, "/"),
		secureCookies: cfg.SecureCookies,
		contactViews:  cfg.ContactViewsPerDay,
		smtp:          cfg.SMTP,
		trustProxy:    cfg.TrustProxy,
		mux:           http.NewServeMux(),
		cop:           http.NewCrossOriginProtection(),
		metrics:       newMetrics(),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.baseURL == "" {
		s.baseURL = "http://localhost:8080"
	}
	if s.version == "" {
		s.version = "dev"
	}
	if s.contactViews <= 0 {
		s.contactViews = 30
	}
	s.jobs.jobs = map[string]*liveJob{}
	s.work, s.stopWork = context.WithCancel(context.Background())
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	s.staticFS = sub
	s.assetV = hashAssets(sub)
	s.static = http.StripPrefix("/static/", http.FileServerFS(sub))
	s.pages = s.parseTemplates()
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.adapt(rt.handler))
	}
	return s
}

var errShuttingDown = sihub.Errorf(sihub.ErrUnavailable,
	"Máy chủ đang dừng; lượt nhập đã bị hủy và không có gì được lưu. Hãy nhập lại sau khi máy chủ chạy lại.",
	"The server is shutting down; the import was cancelled and nothing was saved. Import again once the server is back.")

// startWork registers an import running under parent. Its context is
// cancelled when parent is done or the server closes; done must be called
// when the import has finished.
func (s *server) startWork(parent context.Context) (ctx context.Context, done func(), err error) {
	s.workMu.Lock()
	defer s.workMu.Unlock()
	if s.closed {
		return nil, nil, errShuttingDown
	}
	s.running.Add(1)
	ctx, cancel := context.WithCancel(parent)
	stop := context.AfterFunc(s.work, cancel)
	return ctx, func() {
		stop()
		cancel()
		s.running.Done()
	}, nil
}

// stopped turns the error of work whose context ctx Close cancelled into
// errShuttingDown, whatever form the cancellation took on its way up (the
// driver may report an interrupted statement rather than context.Canceled).
func (s *server) stopped(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil && s.work.Err() != nil {
		return errShuttingDown
	}
	return err
}

func (s *server) close() {
	s.workMu.Lock()
	s.closed = true
	s.workMu.Unlock()
	s.stopWork()
	s.running.Wait()
}

// reqState travels in the request context from the outermost middleware to
// the handlers, so that logging, metrics and error pages agree on the route
// and the language.
type reqState struct {
	lang    sihub.Lang
	pattern string
	err     error // the error a handler returned, for the request log
	// principal is who asks (authenticate, auth.go); session and
	// sessionSecret are set when a browser session says so.
	principal     *sihub.Principal
	session       *sihub.Session
	sessionSecret string
}

type ctxKey struct{}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(ctxKey{}).(*reqState); ok {
		return st
	}
	return &reqState{lang: langOf(r)}
}

func langFromRequest(r *http.Request) sihub.Lang { return state(r).lang }

// serveHTTP is the middleware chain, written out in order: state and
// logging, panic recovery, security headers, cross-origin protection, who
// is asking (authenticate), then the router.
func (s *server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	st := &reqState{lang: langOf(r)}
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, st))
	rec := &recorder{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if !rec.wrote {
				s.writeError(rec, r, sihub.Errorf(sihub.ErrInternal, "", ""))
			}
		}
		d := time.Since(start)
		route := st.pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(route, rec.status(), d)
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", route),
			slog.Int("status", rec.status()), slog.Int64("bytes", rec.bytes), slog.Duration("duration", d), slog.String("remote", r.RemoteAddr)}
		if st.err != nil && sihub.ErrorCode(st.err) != sihub.ErrInternal {
			attrs = append(attrs, slog.String("error", st.err.Error()))
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "http", attrs...)
	}()
	securityHeaders(rec.Header())
	if err := s.cop.Check(r); err != nil {
		st.err = err
		s.writeError(rec, r, sihub.Errorf(sihub.ErrForbidden,
			"Yêu cầu từ trang web khác bị từ chối để bảo vệ dữ liệu.",
			"A request from another site was refused to protect your data."))
		return
	}
	r, err := s.authenticate(rec, r, st)
	if err != nil {
		st.err = err
		s.writeError(rec, r, err)
		return
	}
	s.mux.ServeHTTP(rec, r)
}

func securityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
}

// handlerFunc is a handler that reports failure by returning an error,
// rendered once by adapt in the form the client expects.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *server) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		st.pattern = r.Pattern
		if err := h(w, r); err != nil {
			st.err = err
			s.writeError(w, r, err)
		}
	})
}

// statusError gives an error an HTTP status other than its code's default,
// e.g. 400 rather than 422 for a malformed query parameter.
type statusError struct {
	status int
	err    error
}

func (e *statusError) Error() string { return e.err.Error() }
func (e *statusError) Unwrap() error { return e.err }

func badRequest(err error) error { return &statusError{http.StatusBadRequest, err} }

// httpStatus maps an error to its HTTP status. Invalid input is 422 when
// fields are named (the request was well formed but its content is wrong)
// and 400 otherwise (the request itself is malformed).
func httpStatus(err error) int {
	var se *statusError
	if errors.As(err, &se) {
		return se.status
	}
	switch sihub.ErrorCode(err) {
	case sihub.ErrInvalid:
		if len(sihub.FieldsOf(err)) > 0 {
			return http.StatusUnprocessableEntity
		}
		return http.StatusBadRequest
	case sihub.ErrNotFound:
		return http.StatusNotFound
	case sihub.ErrConflict:
		return http.StatusConflict
	case sihub.ErrUnauthorized:
		return http.StatusUnauthorized
	case sihub.ErrForbidden:
		return http.StatusForbidden
	case sihub.ErrTooLarge:
		return http.StatusRequestEntityTooLarge
	case sihub.ErrUnsupported:
		return http.StatusUnsupportedMediaType
	case sihub.ErrUnavailable:
		return http.StatusServiceUnavailable
	case sihub.ErrRateLimited:
		return http.StatusTooManyRequests
	case sihub.ErrPrecondition:
		return http.StatusPreconditionFailed
	}
	return http.StatusInternalServerError
}

// writeError renders err as JSON under /api/ and as an HTML page elsewhere,
// in the request's language. Internal errors are logged and shown only as a
// generic message.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := httpStatus(err)
	if status >= 500 {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	if rec, ok := w.(*recorder); ok && rec.wrote {
		return // the response has begun (a streamed export): all we can do is log
	}
	// A handler may have set download headers before it failed.
	w.Header().Del("Content-Disposition")
	lang := langFromRequest(r)
	if isAPI(r) {
		writeJSONError(w, status, err, lang)
		return
	}
	// A page that needs a signed-in visitor sends them to sign in and
	// back; a form posted without a session cannot be replayed, so it
	// gets the error page with the sign-in link instead.
	if status == http.StatusUnauthorized && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		http.Redirect(w, r, signInURL(r), http.StatusSeeOther)
		return
	}
	s.render(w, r, status, "error", &errorPage{
		basePage: s.base(r, "error.title"),
		Status:   status,
		Message:  sihub.ErrorMsg(err).In(lang),
		Fields:   localizeFields(sihub.FieldsOf(err), lang),
		Hint:     errorHint(status, principal(r)),
	})
}

func errorHint(status int, p *sihub.Principal) string {
	switch {
	case status == http.StatusForbidden && p.SignedIn():
		return "account.error.forbidden.hint"
	case status == http.StatusNotFound:
		return "error.hint.notfound"
	}
	return ""
}

// render executes a page template into a buffer first, so that a template
// failure becomes a clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	lang := langFromRequest(r)
	t := s.pages[lang][name]
	var buf bytes.Buffer
	if t == nil {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		s.log.Error("template", "name", name, "error", err)
		http.Error(w, sihub.ErrorMsg(err).In(lang), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", string(lang))
	if principal(r).SignedIn() && w.Header().Get("Cache-Control") == "" {
		// A page for one person must not be kept by a shared cache.
		w.Header().Set("Cache-Control", "private, no-store")
	}
	w.Header().Add("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// recorder remembers the status and size of a response for the log and the
// metrics, and whether writing has begun.
type recorder struct {
	http.ResponseWriter
	code  int
	bytes int64
	wrote bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.code = code
		r.wrote = true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if !r.wrote {
		r.code = http.StatusOK
		r.wrote = true
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		if !r.wrote {
			r.code, r.wrote = http.StatusOK, true
		}
		f.Flush()
	}
}

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixedNow is the clock of every test server, so that pages are stable.
var fixedNow = time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC)

type testEnv struct {
	t  *testing.T
	db *store.DB
	h  http.Handler
	s  *server

	staffUser *sihub.User      // made on first use by staff()
	sessions  map[int64]string // a session secret per user, made on first use
}

// newEnv opens a new, empty database of the dialect ("sqlite" or
// "postgres", see storetest) and a server on it.
func newEnv(t *testing.T, dialect string) *testEnv {
	t.Helper()
	db := storetest.Open(t, dialect, store.Options{Index: match.IndexTokens, SortKey: match.Fold, Logger: quiet})
	srv := NewServer(Config{DB: db, Logger: quiet, Version: "test", Now: func() time.Time { return fixedNow }})
	t.Cleanup(srv.Close) // cleanups run last first: imports stop before the database closes
	return &testEnv{t: t, db: db, h: srv, s: srv.s, sessions: map[int64]string{}}
}

// newEnvDSN opens the database dsn (see storetest.DSN) and a server on it;
// several may share one database, as instances behind a load balancer do.
func newEnvDSN(t *testing.T, dsn string) *testEnv {
	t.Helper()
	db, err := store.Open(context.Background(), dsn, store.Options{Index: match.IndexTokens, SortKey: match.Fold, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := NewServer(Config{DB: db, Logger: quiet, Version: "test", Now: func() time.Time { return fixedNow }})
	t.Cleanup(srv.Close)
	return &testEnv{t: t, db: db, h: srv, s: srv.s, sessions: map[int64]string{}}
}

// forEachDialect runs fn as a subtest per dialect the environment offers,
// each on a server with a database of its own, so that the handlers are
// exercised against every store they ship with.
func forEachDialect(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	t.Helper()
	for _, d := range storetest.Dialects(t) {
		t.Run(d, func(t *testing.T) { fn(t, newEnv(t, d)) })
	}
}

// publicAddr is where test requests come from.
const publicAddr = "203.0.113.5:1234"

// testHost is the Host header of test requests.
const testHost = "localhost:8080"

// testPassword is the password of users made by userWith for signing in
// through the form; most test users have none, since hashing one is slow
// under the race detector.
const testPassword = "xuong ep nhua quan 7"

var userSeq atomic.Int64

// user makes an active user of role, email confirmed, without a password;
// companyID is the company of a company role (0 otherwise).
func (e *testEnv) user(role sihub.Role, companyID int64) *sihub.User {
	e.t.Helper()
	return e.userWith(store.NewUser{Role: role, CompanyID: companyID, EmailConfirmed: true})
}

// userWith makes the user nu describes, filling in an address and a name
// when it has none.
func (e *testEnv) userWith(nu store.NewUser) *sihub.User {
	e.t.Helper()
	// Numbered across environments, which may share a database.
	n := userSeq.Add(1)
	if nu.Email == "" {
		nu.Email = fmt.Sprintf("user%d@example.vn", n)
	}
	if nu.Name == "" {
		nu.Name = fmt.Sprintf("Người dùng %d", n)
	}
	u, err := e.db.CreateUser(context.Background(), nu)
	if err != nil {
		e.t.Fatalf("CreateUser %+v: %v", nu, err)
	}
	return u
}

// staff is the center staff member the tests act as when the center acts.
func (e *testEnv) staff() *sihub.User {
	e.t.Helper()
	if e.staffUser == nil {
		e.staffUser = e.userWith(store.NewUser{Name: "Cán bộ Trung tâm", Role: sihub.RoleCenterStaff, EmailConfirmed: true})
	}
	return e.staffUser
}

// session returns a session secret of u, made directly in the store (and
// kept for u's later requests), as if u had signed in.
func (e *testEnv) session(u *sihub.User) string {
	e.t.Helper()
	if secret, ok := e.sessions[u.ID]; ok {
		return secret
	}
	secret, err := e.db.CreateSession(context.Background(), u.ID, "198.51.100.1", "test browser", time.Hour)
	if err != nil {
		e.t.Fatalf("CreateSession for %s: %v", u.Email, err)
	}
	e.sessions[u.ID] = secret
	return secret
}

type req struct {
	method, url string
	host        string // "" for testHost
	body        io.Reader
	ctype       string
	remote      string
	lang        string // sets the lang cookie
	header      http.Header
	as          *sihub.User // sends u's session cookie (session)
	cookie      string      // sends this session cookie
	token       string      // sends Authorization: Bearer token
}

func (e *testEnv) do(r req) *httptest.ResponseRecorder {
	e.t.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	hr := httptest.NewRequest(r.method, r.url, r.body)
	hr.Host = r.host
	if hr.Host == "" {
		hr.Host = testHost
	}
	hr.RemoteAddr = r.remote
	if hr.RemoteAddr == "" {
		hr.RemoteAddr = publicAddr
	}
	if r.ctype != "" {
		hr.Header.Set("Content-Type", r.ctype)
	}
	if r.lang != "" {
		hr.AddCookie(&http.Cookie{Name: langCookie, Value: r.lang})
	}
	if r.as != nil {
		r.cookie = e.session(r.as)
	}
	if r.cookie != "" {
		hr.AddCookie(&http.Cookie{Name: sessionCookie, Value: r.cookie})
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, vs := range r.header {
		hr.Header[k] = vs
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, hr)
	return w
}

func (e *testEnv) get(url string) *httptest.ResponseRecorder {
	return e.do(req{url: url})
}

// staffGet and postForm act as center staff.
func (e *testEnv) staffGet(url, lang string) *httptest.ResponseRecorder {
	return e.do(req{url: url, as: e.staff(), lang: lang})
}

func (e *testEnv) postForm(path string, form url.Values, lang string) *httptest.ResponseRecorder {
	return e.postAs(e.staff(), path, form, lang)
}

// postAs posts form as u (nil: a visitor).
func (e *testEnv) postAs(u *sihub.User, path string, form url.Values, lang string) *httptest.ResponseRecorder {
	return e.do(req{method: http.MethodPost, url: path, body: strings.NewReader(form.Encode()),
		ctype: "application/x-www-form-urlencoded", as: u, lang: lang})
}

// apiJSON calls the API as u (nil: a visitor) with body as JSON.
func (e *testEnv) apiJSON(method, url string, body any, u *sihub.User) *httptest.ResponseRecorder {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			r = strings.NewReader(b)
		default:
			data, err := json.Marshal(body)
			if err != nil {
				e.t.Fatal(err)
			}
			r = bytes.NewReader(data)
		}
	}
	ctype := ""
	if body != nil {
		ctype = "application/json"
	}
	return e.do(req{method: method, url: url, body: r, ctype: ctype, as: u})
}

// multipartBody builds a multipart form with plain fields and at most one
// file part.
type filePart struct {
	field, name, ctype string
	data               []byte
}

func multipartBody(t *testing.T, fields map[string]string, file *filePart) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, file.field, file.name))
		if file.ctype != "" {
			h.Set("Content-Type", file.ctype)
		}
		pw, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(file.data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// taxCode returns the n-th valid ten-digit tax code of a deterministic
// sequence (province prefix 03).
func taxCode(n int) string {
	for serial := n*7 + 1; ; serial++ {
		first9 := fmt.Sprintf("03%07d", serial%10_000_000)
		if d := sihub.TaxCheckDigit(first9); d >= 0 {
			return fmt.Sprintf("%s%d", first9, d)
		}
	}
}

// seed stores c the way every write path does.
func (e *testEnv) seed(c *sihub.Company) *sihub.Company {
	e.t.Helper()
	if err := match.Prepare(c); err != nil {
		e.t.Fatalf("Prepare %s: %v", c.Name, err)
	}
	if err := e.db.CreateCompany(context.Background(), c); err != nil {
		e.t.Fatalf("CreateCompany %s: %v", c.Name, err)
	}
	return c
}

// seedDirectory stores a small directory: three described companies and
// fillers for paging.
func (e *testEnv) seedDirectory() (plastics, precision, casting *sihub.Company) {
	e.t.Helper()
	plastics = e.seed(&sihub.Company{
		TaxCode: taxCode(1), Name: "Công ty TNHH Nhựa Kỹ Thuật Sài Gòn", NameEn: "Saigon Technical Plastics Co., Ltd",
		Address: "12 Đường số 3, Phường Tân Thuận", ProvinceInput: "TP. Hồ Chí Minh", IndustrialPark: "Khu chế xuất Tân Thuận",
		CapabilitiesText: "Injection moulding of ABS and PP housings; mould making", MaterialsText: "ABS, PP",
		CertificationsText: "ISO 9001:2015", Employees: 120, Founded: 2005, Sectors: []string{"2220"},
		Products: "Vỏ nhựa thiết bị điện", Email: "sales@saigonplastics.vn", Website: "saigonplastics.vn",
		Contacts: []sihub.Contact{{Name: "Nguyễn Văn An", Role: "Giám đốc kinh doanh", Email: "an@saigonplastics.vn"}},
	})
	precision = e.seed(&sihub.Company{
		TaxCode: taxCode(2), Name: "Công ty Cổ phần Cơ khí Chính xác Thuận An", NameEn: "Thuan An Precision Engineering JSC",
		Address: "Đường ĐT743, Thuận An", ProvinceInput: "Bình Dương",
		CapabilitiesText: "Ép phun nhựa, dập kim loại tấm, gia công CNC", CertificationsText: "IATF 16949",
		Employees: 250, Founded: 2010, Sectors: []string{"2592"},
	})
	casting = e.seed(&sihub.Company{
		TaxCode: taxCode(3), Name: "Công ty TNHH Đúc Nhôm Đồng Nai", Kind: sihub.Both,
		ProvinceInput: "Đồng Nai", CapabilitiesText: "Đúc áp lực nhôm", MaterialsText: "ADC12", Employees: 60,
	})
	for i := 0; i < 25; i++ {
		e.seed(&sihub.Company{
			TaxCode: taxCode(10 + i), Name: fmt.Sprintf("Công ty TNHH Cơ khí Số %02d", i), ProvinceInput: "Long An",
			CapabilitiesText: "Gia công cơ khí", Employees: 5 + i,
		})
	}
	return plastics, precision, casting
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decoding %s: %v", w.Body.String(), err)
	}
	return v
}

package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
)

// pageNames are the page templates, every file in templates/ but
// base.html and the partials; each is parsed on top of base.html and the
// partials once per language, so that the t function needs no language
// argument. A partial (a file named _*.html) defines templates several
// pages share.
func pageNames() []string {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	var names []string
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		if name != "base" && !strings.HasPrefix(name, "_") {
			names = append(names, name)
		}
	}
	return names
}

func (s *server) parseTemplates() map[sihub.Lang]map[string]*template.Template {
	out := map[sihub.Lang]map[string]*template.Template{}
	for _, lang := range []sihub.Lang{sihub.VI, sihub.EN} {
		base := template.Must(template.New("base.html").Funcs(s.funcs(lang)).ParseFS(templateFS, "templates/base.html"))
		if partials, _ := fs.Glob(templateFS, "templates/_*.html"); len(partials) > 0 {
			base = template.Must(base.ParseFS(templateFS, partials...))
		}
		out[lang] = map[string]*template.Template{}
		for _, name := range pageNames() {
			t := template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
			out[lang][name] = t
		}
	}
	return out
}

// vietnam is the time zone dates are shown in; Vietnam keeps no daylight
// saving time, so a fixed zone needs no tzdata on the server.
var vietnam = time.FixedZone("ICT", 7*3600)

func (s *server) funcs(lang sihub.Lang) template.FuncMap {
	return template.FuncMap{
		"t":         func(key string, args ...any) string { return tr(lang, key, args...) },
		"msg":       func(m sihub.Msg) string { return m.In(lang) },
		"num":       func(n int) string { return formatInt(lang, n) },
		"date":      func(v any) string { return formatTime(lang, v, false) },
		"datetime":  func(v any) string { return formatTime(lang, v, true) },
		"bytes":     func(n int64) string { return formatBytes(lang, n) },
		"taxcode":   sihub.FormatTaxCode,
		"kind":      func(k sihub.Kind) string { return tr(lang, "kind."+string(k)) },
		"sizeBand":  func(employees int) string { return sizeShort(lang, sihub.SizeBand(employees)) },
		"park":      func(name string) string { return facetLabel(lang, pPark, name) },
		"host":      displayURL,
		"column":    func(key string) string { return columnLabel(lang, key) },
		"docKind":   func(k string) string { return tr(lang, "doc.kind."+k) },
		"process":   func(code string) string { return processLabel(lang, code) },
		"certLabel": func(code string) string { return certLabel(code) },
		"province":  func(code string) string { return provinceName(lang, code) },
		"static":    s.staticURL,
	}
}

func sizeLabel(lang sihub.Lang, band string) string {
	if band == "" {
		return ""
	}
	return tr(lang, "size."+band)
}

// columnLabel names an import column by its header in lang.
func columnLabel(lang sihub.Lang, key string) string {
	for _, c := range sheet.CompanyColumns {
		if c.Key == key {
			return c.Label(lang)
		}
	}
	return key
}

func sizeShort(lang sihub.Lang, band string) string {
	if band == "" {
		return ""
	}
	return tr(lang, "size."+band+".short")
}

// displayURL shows a website without its scheme and trailing slash.
func displayURL(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimSuffix(u, "/")
}

// formatInt groups thousands the way each language writes them:
// 1.250 in Vietnamese, 1,250 in English.
func formatInt(lang sihub.Lang, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	sep := "."
	if lang == sihub.EN {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func formatTime(lang sihub.Lang, v any, withClock bool) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x == nil {
			return ""
		}
		t = *x
	default:
		return fmt.Sprint(v)
	}
	if t.IsZero() {
		return "—"
	}
	t = t.In(vietnam)
	layout := "02/01/2006"
	if lang == sihub.EN {
		layout = "2 Jan 2006"
	}
	if withClock {
		layout += " 15:04"
	}
	return t.Format(layout)
}

func formatBytes(lang sihub.Lang, n int64) string {
	var s string
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		s = strconv.FormatFloat(float64(n)/1024, 'f', 0, 64) + " KiB"
	default:
		s = strconv.FormatFloat(float64(n)/(1024*1024), 'f', 1, 64) + " MiB"
	}
	if lang == sihub.VI {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// hashAssets fingerprints each static file so that its URL changes with its
// content and browsers may cache it for a long time.
func hashAssets(fsys fs.FS) map[string]string {
	out := map[string]string{}
	fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return out
}

var errStaticNotFound = sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy tệp.", "File not found.")

func (s *server) staticURL(name string) string {
	v, ok := s.assetV[name]
	if !ok {
		return "/static/" + name + "?v=missing"
	}
	return "/static/" + name + "?v=" + v
}

func (s *server) serveStatic(w http.ResponseWriter, r *http.Request) error {
	// Only files: http.FileServer would list a directory's contents.
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if fi, err := fs.Stat(s.staticFS, strings.TrimSuffix(name, "/")); name == "" || err != nil || fi.IsDir() {
		return errStaticNotFound
	}
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	s.static.ServeHTTP(w, r)
	return nil
}

// basePage is what the layout needs; every page's data embeds it.
type basePage struct {
	Lang    sihub.Lang
	Title   string
	Nav     string // the name of the current navLink
	Version string
	LangVI  string
	LangEN  string
	Flash   string
	// P is who is asking, for pages that ask the policy themselves;
	// User is the signed-in person (nil for a visitor) and Role their
	// role as the footer names it.
	P    *sihub.Principal
	User *sihub.User
	Role string
	// Links are the navigation entries P may use; SignIn comes back to
	// this page after signing in.
	Links  []navLink
	SignIn string
	// CanCreate and CanImport show the directory's staff buttons.
	CanCreate, CanImport bool
	// Unread counts the signed-in person's unread notifications, shown
	// beside the navigation's link to them.
	Unread int
}

// navLink is one entry of the main navigation.
type navLink struct {
	Name, Label, URL string
}

func (s *server) base(r *http.Request, titleKey string) basePage {
	lang := langFromRequest(r)
	p := principal(r)
	b := basePage{
		Lang:      lang,
		Version:   s.version,
		LangVI:    langSwitchURL(sihub.VI, r),
		LangEN:    langSwitchURL(sihub.EN, r),
		P:         p,
		User:      p.User,
		Links:     navLinks(lang, p),
		SignIn:    signInURL(r),
		CanCreate: p.CanCreateCompany(),
		CanImport: p.CanImport(),
	}
	if u := p.User; u != nil {
		b.Unread = s.unreadCount(r, u)
		b.Role = roleLabel(lang, u.Role)
		switch {
		case u.Status != sihub.StatusActive:
			b.Role += " · " + statusLabel(lang, u.Status)
		case u.EmailConfirmed == nil:
			b.Role += " · " + tr(lang, "account.status.unconfirmed.short")
		}
	}
	if titleKey != "" {
		b.Title = tr(lang, titleKey)
	}
	// Flash messages come back through a redirect as ?done=key; only
	// catalogue keys are shown, so the parameter cannot inject text.
	if k := r.URL.Query().Get("done"); k != "" && hasKey("flash."+k) {
		b.Flash = tr(lang, "flash."+k)
	}
	return b
}

// navLinks are the pages of the main navigation p may use, after the
// directory that everyone has.
func navLinks(lang sihub.Lang, p *sihub.Principal) []navLink {
	var out []navLink
	add := func(name, key, url string) { out = append(out, navLink{name, tr(lang, key), url}) }
	if p.CanImport() {
		add("import", "nav.import", "/import")
	}
	if p.CanSeeSupplyGaps() {
		add("gaps", "nav.gaps", "/gaps")
	}
	if p.CanSeeBoard() {
		add("board", "nav.board", "/board")
	}
	if p.CanListUsers() {
		add("users", "nav.users", "/admin/users")
		add("requests", "nav.requests", "/admin/requests")
	}
	if p.CanBrowseAudit() {
		add("audit", "nav.audit", "/admin/audit")
	}
	if p.CanReadOutbox() {
		add("outbox", "nav.outbox", "/admin/outbox")
	}
	if id := p.CompanyID(); id != 0 {
		company := "/companies/" + strconv.FormatInt(id, 10)
		add("mycompany", "nav.mycompany", company)
		if p.CanSeeOpportunities(id) {
			add("opportunities", "nav.opportunities", company+"/opportunities")
			add("invitations", "nav.invitations", "/invitations")
		}
		if p.CanListUsersOf(id) {
			add("people", "nav.people", company+"/people")
		}
	}
	return out
}

type errorPage struct {
	basePage
	Status  int
	Message string
	Fields  []localField
	Hint    string
}

type localField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func localizeFields(p sihub.Problems, lang sihub.Lang) []localField {
	if len(p) == 0 {
		return nil
	}
	out := make([]localField, len(p))
	for i, f := range p {
		// Names are final here: saveCompany has already renamed validation
		// fields (apiField), and a query parameter keeps its own name.
		out[i] = localField{Field: f.Field, Message: f.Msg.In(lang)}
	}
	return out
}

// option is one choice of a select.
type option struct {
	Value    string
	Label    string
	Selected bool
}

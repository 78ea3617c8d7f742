package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// The audit trail as pages and API: the whole log for center admins with
// its chain head and a verification, a company's history for its people
// and staff, the email outbox, and the erasure of a contact person.

// ---- Records as people read them

// recordView is an audit record with its before and after as a list of
// changed fields.
type recordView struct {
	sihub.AuditRecord
	ActionLabel string // "" when the catalogue has no name for the action
	ObjectLabel string // the object's type, in words when the catalogue has them
	ObjectURL   string // the object's page, when it has one
	Changes     []changeView
}

type changeView struct {
	Field, Before, After string
}

func recordViews(lang sihub.Lang, recs []sihub.AuditRecord) []recordView {
	out := make([]recordView, len(recs))
	for i, rec := range recs {
		v := recordView{AuditRecord: rec, Changes: changes(lang, rec.ObjectType, rec.Before, rec.After), ObjectLabel: rec.ObjectType}
		if k := "admin.action." + rec.Action; hasKey(k) {
			v.ActionLabel = tr(lang, k)
		}
		if k := "admin.object." + rec.ObjectType; hasKey(k) {
			v.ObjectLabel = tr(lang, k)
		}
		id := strconv.FormatInt(rec.ObjectID, 10)
		switch rec.ObjectType {
		case "company":
			v.ObjectURL = "/companies/" + id
		case "user":
			v.ObjectURL = "/users/" + id
		}
		out[i] = v
	}
	return out
}

// changes lists the fields of before and after (JSON objects, or null) of
// an object of type typ, each with its value on either side, in the order
// the record has them; a record whose values are not objects gives one
// unnamed row.
func changes(lang sihub.Lang, typ string, before, after json.RawMessage) []changeView {
	b, bok := jsonObject(before)
	a, aok := jsonObject(after)
	if !bok || !aok {
		if len(before) == 0 && len(after) == 0 {
			return nil
		}
		return []changeView{{Before: jsonText(lang, typ, before), After: jsonText(lang, typ, after)}}
	}
	keys := slices.Clone(b.keys)
	for _, k := range a.keys {
		if _, ok := b.vals[k]; !ok {
			keys = append(keys, k)
		}
	}
	var out []changeView
	for _, k := range keys {
		c := changeView{Field: fieldLabel(lang, typ, k), Before: readable(lang, typ, k, b.vals[k]), After: readable(lang, typ, k, a.vals[k])}
		if c.Before == "—" && c.After == "—" {
			continue // an empty field of a new object says nothing
		}
		out = append(out, c)
	}
	return out
}

// object is a JSON object with its fields in the order written, which for
// a record is its struct's: a contact reads name, role, email, phone.
type object struct {
	keys []string
	vals map[string]any
}

// decodeValue reads one value as readable takes it: objects as *object,
// numbers as json.Number.
func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := &object{vals: map[string]any{}}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			key, _ := k.(string)
			if _, dup := o.vals[key]; !dup {
				o.keys = append(o.keys, key)
			}
			o.vals[key] = v
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		list := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := dec.Token()
		return list, err
	}
	return tok, nil
}

func decodeRaw(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return decodeValue(dec)
}

// jsonObject decodes raw as an object; null and absent are an empty one.
func jsonObject(raw json.RawMessage) (*object, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return &object{vals: map[string]any{}}, true
	}
	v, err := decodeRaw(raw)
	o, ok := v.(*object)
	return o, err == nil && ok
}

func jsonText(lang sihub.Lang, typ string, raw json.RawMessage) string {
	if len(raw) == 0 {
		return "—"
	}
	v, err := decodeRaw(raw)
	if err != nil {
		return string(raw)
	}
	return readable(lang, typ, "", v)
}

// fieldLabel names field k of an object in scope — the record's object
// type at the top, the field holding it below (contacts, equipment…) — by
// the label people know it by: the company form's for a company, the
// contact table's for a contact, the log's own otherwise, and k itself
// when none has it.
func fieldLabel(lang sihub.Lang, scope, k string) string {
	keys := []string{"admin.field." + scope + "." + k}
	switch scope {
	case "company":
		keys = append(keys, "field."+k)
	case "contacts":
		keys = append(keys, "contact."+k)
	}
	for _, key := range append(keys, "admin.field."+k) {
		if hasKey(key) {
			return tr(lang, key)
		}
	}
	return k
}

// readable writes the JSON value of field k (in scope, see fieldLabel) for
// people: codes by their names, times in Vietnam time, lists joined by
// semicolons, objects as "field: value" pairs.
func readable(lang sihub.Lang, scope, k string, v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case string:
		if x == "" {
			return "—"
		}
		return codeLabel(lang, scope, k, x)
	case bool:
		if x {
			return tr(lang, "admin.yes")
		}
		return tr(lang, "admin.no")
	case json.Number:
		return x.String()
	case []any:
		if len(x) == 0 {
			return "—"
		}
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = readable(lang, k, "", e) // the items' fields are in the list's scope
		}
		return strings.Join(parts, "; ")
	case *object:
		var parts []string
		for _, f := range x.keys {
			if s := readable(lang, scope, f, x.vals[f]); s != "—" {
				parts = append(parts, fieldLabel(lang, scope, f)+": "+s)
			}
		}
		if len(parts) == 0 {
			return "—"
		}
		return strings.Join(parts, ", ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// codeLabel names the code s of field k (in scope) in lang, and shows a
// time in Vietnam time; any other string is itself.
func codeLabel(lang sihub.Lang, scope, k, s string) string {
	label := func(key string) string {
		if hasKey(key) {
			return tr(lang, key)
		}
		return s
	}
	switch {
	case k == "process":
		return processLabel(lang, s)
	case k == "scheme":
		return certLabel(s)
	case scope == "materials" && k == "code":
		return materialLabel(lang, s)
	case scope == "equipment" && k == "kind":
		return equipmentLabel(lang, s)
	case scope == "company" && k == "kind":
		return label("kind." + s)
	case k == "source":
		return label("admin.source." + s)
	case k == "role":
		return label("admin.role." + s)
	case k == "status":
		return label("admin.status." + s)
	case k == "lang":
		return label("admin.lang." + s)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return formatTime(lang, t, true)
	}
	return s
}

// ---- Filters

// auditPerPage and maxAuditPage bound the records a page or an API call
// shows.
const (
	auditPerPage = 50
	maxAuditPage = 500
)

// auditQuery is the audit filter as typed, to show it back.
type auditQuery struct {
	Actor, Action, ObjectType, ObjectID, From, To string
}

// readAuditFilter reads the audit filters of a page or API query: actor
// (a user id or an actor label such as an email or "cli"), action (exact,
// or a prefix ending in "."), object_type, object_id, from and to (dates in
// Vietnam time, both days included), before (a seq, for paging) and limit.
func readAuditFilter(q url.Values, problems *sihub.Problems) (store.AuditFilter, auditQuery) {
	in := auditQuery{
		Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		ObjectType: strings.TrimSpace(q.Get("object_type")), ObjectID: strings.TrimSpace(q.Get("object_id")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
	}
	f := store.AuditFilter{Action: in.Action, ObjectType: in.ObjectType}
	if id, err := strconv.ParseInt(in.Actor, 10, 64); err == nil && id > 0 {
		f.ActorID = id
	} else {
		f.Actor = in.Actor
	}
	f.ObjectID = queryInt(q, "object_id", problems)
	f.BeforeSeq = queryInt(q, "before", problems)
	day := func(name, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, v, vietnam)
		if err != nil {
			problems.Add(name, sihub.M("Ngày %q không đúng dạng NNNN-TT-NN.", "The date %q is not in the form YYYY-MM-DD.", v))
		}
		return t
	}
	f.Since = day("from", in.From)
	if to := day("to", in.To); !to.IsZero() {
		f.Until = to.AddDate(0, 0, 1) // the store's Until is exclusive
	}
	f.Limit = readLimit(q, auditPerPage, maxAuditPage, problems)
	return f, in
}

// olderURL is the next page of a log paged by seq: the records before the
// last one shown, when the page was full.
func olderURL(path string, q url.Values, recs []sihub.AuditRecord, limit int) (string, int64) {
	if len(recs) < limit || len(recs) == 0 {
		return "", 0
	}
	seq := recs[len(recs)-1].Seq
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	v.Del("done")
	v.Set("before", strconv.FormatInt(seq, 10))
	return pathWith(path, v), seq
}

// newestURL is the first page, when a later one is shown.
func newestURL(path string, q url.Values) string {
	if q.Get("before") == "" {
		return ""
	}
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	v.Del("before")
	v.Del("done")
	return pathWith(path, v)
}

// ---- The whole log

type auditPage struct {
	basePage
	Company  *sihub.Company // the history page's company; nil for the whole log
	Records  []recordView
	Head     string // seq:hash, "" when the log is empty
	In       auditQuery
	Older    string
	Newest   string
	Problems []string
	Verify   *verifyResult
}

// verifyResult is the outcome of checking the chain.
type verifyResult struct {
	OK       bool     `json:"ok"`
	Records  int      `json:"records"`
	Head     string   `json:"head"`
	Against  string   `json:"against,omitempty"` // the published head checked against
	Problems []string `json:"problems"`          // in English, as the command line reports them
}

func (s *server) newAuditPage(r *http.Request) (*auditPage, *store.AuditFilter, error) {
	p := principal(r)
	if !p.CanBrowseAudit() {
		return nil, nil, refuse(p)
	}
	q := r.URL.Query()
	pg := &auditPage{basePage: s.base(r, "admin.audit.title")}
	pg.Nav = "audit"
	var problems sihub.Problems
	f, in := readAuditFilter(q, &problems)
	pg.In = in
	pg.Problems = localProblems(pg.Lang, problems)
	head, err := s.db.AuditHead(r.Context())
	if err != nil {
		return nil, nil, err
	}
	if head.Seq > 0 {
		pg.Head = head.String()
	}
	if len(problems) > 0 {
		return pg, nil, nil // show the problems, not records the filter did not mean
	}
	return pg, &f, nil
}

func (s *server) auditPage(w http.ResponseWriter, r *http.Request) error {
	pg, f, err := s.newAuditPage(r)
	if err != nil {
		return err
	}
	if f != nil {
		recs, err := s.db.AuditLog(r.Context(), *f)
		if err != nil {
			return err
		}
		pg.Records = recordViews(pg.Lang, recs)
		pg.Older, _ = olderURL("/admin/audit", r.URL.Query(), recs, f.Limit)
		pg.Newest = newestURL("/admin/audit", r.URL.Query())
	}
	s.render(w, r, http.StatusOK, "audit", pg)
	return nil
}

// verifyAudit checks the chain, against a published head when given.
func (s *server) verifyAudit(r *http.Request, published string) (*verifyResult, error) {
	p := principal(r)
	if !p.CanBrowseAudit() {
		return nil, refuse(p)
	}
	res := &verifyResult{Against: strings.TrimSpace(published)}
	var want *sihub.AuditHead
	if res.Against != "" {
		h, err := sihub.ParseAuditHead(res.Against)
		if err != nil {
			return nil, &sihub.Error{Code: sihub.ErrInvalid, Msg: sihub.ErrorMsg(err),
				Fields: []sihub.FieldError{{Field: "head", Msg: sihub.ErrorMsg(err)}}}
		}
		want = &h
	}
	c, head, err := s.db.VerifyAudit(r.Context(), want)
	if err != nil {
		return nil, err
	}
	res.OK, res.Records, res.Problems = len(c.Problems) == 0, c.Records(), c.Problems
	if res.Problems == nil {
		res.Problems = []string{}
	}
	if head.Seq > 0 {
		res.Head = head.String()
	}
	return res, nil
}

// auditVerifyPage checks the chain and shows the result above the log's
// first page; it changes nothing, and is a POST because it may take a while
// on a long trail.
func (s *server) auditVerifyPage(w http.ResponseWriter, r *http.Request) error {
	if err := parsePostForm(w, r); err != nil {
		return err
	}
	res, err := s.verifyAudit(r, r.PostForm.Get("head"))
	if sihub.FieldsOf(err) == nil && err != nil {
		return err
	}
	pg, f, perr := s.newAuditPage(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		pg.Problems = append(pg.Problems, sihub.ErrorMsg(err).In(pg.Lang))
	}
	pg.Verify = res
	if f != nil {
		recs, err := s.db.AuditLog(r.Context(), *f)
		if err != nil {
			return err
		}
		pg.Records = recordViews(pg.Lang, recs)
		pg.Older, _ = olderURL("/admin/audit", url.Values{}, recs, f.Limit)
	}
	status := http.StatusOK
	if res == nil {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "audit", pg)
	return nil
}

type auditList struct {
	Items []sihub.AuditRecord `json:"items"`
	// NextBefore is the before= of the next (older) page, 0 when this
	// page is the last.
	NextBefore int64 `json:"next_before"`
}

func (s *server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanBrowseAudit() {
		return refuse(p)
	}
	var problems sihub.Problems
	f, _ := readAuditFilter(r.URL.Query(), &problems)
	if err := problems.Err(); err != nil {
		return badRequest(err)
	}
	recs, err := s.db.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	_, next := olderURL("", nil, recs, f.Limit)
	writeJSON(w, http.StatusOK, auditList{Items: recs, NextBefore: next})
	return nil
}

type auditHeadJSON struct {
	sihub.AuditHead
	Head string `json:"head"` // seq:hash, as `sihub audit verify --head` takes it; "" when the log is empty
}

func (s *server) apiAuditHead(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanBrowseAudit() {
		return refuse(p)
	}
	h, err := s.db.AuditHead(r.Context())
	if err != nil {
		return err
	}
	out := auditHeadJSON{AuditHead: h}
	if h.Seq > 0 {
		out.Head = h.String()
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) apiAuditVerify(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Head string `json:"head"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &in); err != nil {
			return err
		}
	}
	res, err := s.verifyAudit(r, in.Head)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// ---- A company's history

// companyHistory returns up to limit records about company id older than
// before (0: from the newest). The store records everything done to a
// company under it — profile, flags, contacts and documents (whose records
// carry the document) — so one query gives the history.
//
// The company's own people see what was done and by whom, but not the
// addresses the center's staff or others acted from: only staff do.
func (s *server) companyHistory(r *http.Request, id, before int64, limit int) ([]sihub.AuditRecord, error) {
	recs, err := s.db.AuditLog(r.Context(), store.AuditFilter{ObjectType: "company", ObjectID: id, BeforeSeq: before, Limit: limit})
	if err != nil || principal(r).Staff() {
		return recs, err
	}
	for i := range recs {
		recs[i].IP = ""
	}
	return recs, nil
}

func (s *server) historyPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCompany(r, (*sihub.Principal).CanSeeHistory)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg := &auditPage{basePage: s.base(r, ""), Company: c}
	pg.Title = tr(pg.Lang, "admin.history.title", c.Name)
	pg.Nav = "companies"
	var problems sihub.Problems
	before := queryInt(q, "before", &problems)
	pg.Problems = localProblems(pg.Lang, problems)
	recs, err := s.companyHistory(r, c.ID, before, auditPerPage)
	if err != nil {
		return err
	}
	pg.Records = recordViews(pg.Lang, recs)
	pg.Older, _ = olderURL(r.URL.Path, q, recs, auditPerPage)
	pg.Newest = newestURL(r.URL.Path, q)
	s.render(w, r, http.StatusOK, "audit", pg)
	return nil
}

func (s *server) apiHistory(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCompany(r, (*sihub.Principal).CanSeeHistory)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var problems sihub.Problems
	before := queryInt(q, "before", &problems)
	limit := readLimit(q, auditPerPage, maxAuditPage, &problems)
	if err := problems.Err(); err != nil {
		return badRequest(err)
	}
	recs, err := s.companyHistory(r, c.ID, before, limit)
	if err != nil {
		return err
	}
	_, next := olderURL("", nil, recs, limit)
	writeJSON(w, http.StatusOK, auditList{Items: recs, NextBefore: next})
	return nil
}

// ---- Outbox

// mailView is a message with its status.
// linkSecret finds the secret of a one-time link in an email body.
var linkSecret = regexp.MustCompile(`(/(?:confirm|reset|invitations)/)[A-Za-z0-9_-]{16,}`)

type mailView struct {
	store.Mail
	Status string `json:"status"` // queued, sent or failed
}

type outboxPage struct {
	basePage
	Mails    []mailView
	To       string
	Masked   bool // link secrets hidden (Config.SMTP)
	Statuses []option
	Pager    pager
	Problems []string
}

const outboxPerPage = 50

var outboxStatuses = []string{store.OutboxQueued, store.OutboxSent, store.OutboxFailed}

// readOutbox reads the outbox filters (to: an exact address; status) and
// lists the messages for r's principal.
func (s *server) readOutbox(r *http.Request, problems *sihub.Problems) (store.OutboxFilter, []mailView, int, error) {
	p := principal(r)
	if !p.CanReadOutbox() {
		return store.OutboxFilter{}, nil, 0, refuse(p)
	}
	q := r.URL.Query()
	f := store.OutboxFilter{To: strings.ToLower(strings.TrimSpace(q.Get("to"))), Status: q.Get("status")}
	if f.Status != "" && !slices.Contains(outboxStatuses, f.Status) {
		problems.Add("status", sihub.M("Trạng thái thư %q không tồn tại.", "There is no message status %q.", f.Status))
		f.Status = ""
	}
	f.Limit, f.Offset = pageLimit(q, outboxPerPage, 500, problems)
	mails, total, err := s.db.Outbox(r.Context(), f)
	if err != nil {
		return f, nil, 0, err
	}
	views := make([]mailView, len(mails))
	for i := range mails {
		views[i] = mailView{Mail: mails[i], Status: mails[i].Status()}
		if s.smtp {
			views[i].Body = linkSecret.ReplaceAllString(views[i].Body, "$1…")
		}
	}
	return f, views, total, nil
}

func (s *server) outboxPage(w http.ResponseWriter, r *http.Request) error {
	var problems sihub.Problems
	f, mails, total, err := s.readOutbox(r, &problems)
	if err != nil {
		return err
	}
	pg := &outboxPage{basePage: s.base(r, "admin.outbox.title"), Mails: mails, To: f.To, Masked: s.smtp}
	pg.Nav = "outbox"
	pg.Problems = localProblems(pg.Lang, problems)
	pg.Statuses = choices(pg.Lang, "admin.filter.allstatuses", outboxStatuses, f.Status,
		func(lang sihub.Lang, st string) string { return tr(lang, "admin.mail."+st) })
	pg.Pager = newPager("/admin/outbox", r.URL.Query(), f.Limit, f.Offset, len(mails), total)
	s.render(w, r, http.StatusOK, "outbox", pg)
	return nil
}

type outboxList struct {
	Items  []mailView `json:"items"`
	Total  int        `json:"total"`
	Limit  int        `json:"limit"`
	Offset int        `json:"offset"`
}

func (s *server) apiOutbox(w http.ResponseWriter, r *http.Request) error {
	var problems sihub.Problems
	f, mails, total, err := s.readOutbox(r, &problems)
	if err != nil {
		return err
	}
	if err := problems.Err(); err != nil {
		return badRequest(err)
	}
	writeJSON(w, http.StatusOK, outboxList{Items: mails, Total: total, Limit: f.Limit, Offset: f.Offset})
	return nil
}

// ---- Contact erasure

// eraseContactPage erases a company's contact person at their request:
// the contact goes, and their name, email and phone leave the audit trail.
func (s *server) eraseContactPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if !p.CanEraseContact() {
		return refuse(p)
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pos, err := strconv.Atoi(r.PathValue("position"))
	if err != nil || pos < 0 {
		return sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy người liên hệ %q.", "Contact %q was not found.", r.PathValue("position"))
	}
	if err := s.db.EraseContact(r.Context(), id, pos); err != nil {
		return err
	}
	http.Redirect(w, r, "/companies/"+strconv.FormatInt(id, 10)+"?done=contact_erased", http.StatusSeeOther)
	return nil
}

package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/sihub-org/sihub/internal/sihub"
)

// companyCols are the columns scanCompany reads, from companies c; the
// dialect's contacts expression follows them.
const companyCols = `c.id, c.kind, c.tax_code, c.parent_id, c.name, c.name_en,
	c.address, c.province_input, c.province_code, c.ward_code, c.industrial_park,
	c.sectors, c.capabilities_text, c.materials_text, c.certifications_text, c.equipment_text,
	c.capabilities, c.materials, c.certifications, c.equipment,
	c.employees, c.founded, c.products, c.main_customers, c.export_markets,
	c.website, c.email, c.phone, c.description,
	c.verified, c.verified_by, c.verified_at, c.archived, c.created_at, c.updated_at`

func (db *DB) selectCompanies() string {
	return "SELECT " + companyCols + ",\n\t" + db.d.contactsJSON + "\n"
}

// scanCompany reads one row of selectCompanies. Lists are never nil, so
// that a company reads back the same however it was written.
func scanCompany(row interface{ Scan(...any) error }) (*sihub.Company, error) {
	var (
		c                                                 sihub.Company
		parent                                            sql.NullInt64
		verifiedAt                                        sql.NullTime
		sectors, caps, mats, certs, equip, contacts, kind string
	)
	err := row.Scan(&c.ID, &kind, &c.TaxCode, &parent, &c.Name, &c.NameEn,
		&c.Address, &c.ProvinceInput, &c.ProvinceCode, &c.WardCode, &c.IndustrialPark,
		&sectors, &c.CapabilitiesText, &c.MaterialsText, &c.CertificationsText, &c.EquipmentText,
		&caps, &mats, &certs, &equip,
		&c.Employees, &c.Founded, &c.Products, &c.MainCustomers, &c.ExportMarkets,
		&c.Website, &c.Email, &c.Phone, &c.Description,
		&c.Verified, &c.VerifiedBy, &verifiedAt, &c.Archived, &c.CreatedAt, &c.UpdatedAt,
		&contacts)
	if err != nil {
		return nil, err
	}
	c.Kind = sihub.Kind(kind)
	c.ParentID = parent.Int64
	if verifiedAt.Valid {
		t := verifiedAt.Time.UTC()
		c.VerifiedAt = &t
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	for _, l := range []struct {
		src string
		dst any
	}{
		{sectors, &c.Sectors}, {caps, &c.Capabilities}, {mats, &c.Materials},
		{certs, &c.Certifications}, {equip, &c.Equipment}, {contacts, &c.Contacts},
	} {
		if err := json.Unmarshal([]byte(l.src), l.dst); err != nil {
			return nil, err
		}
	}
	c.Documents = []sihub.Document{}
	return &c, nil
}

// profileCols are the columns every write sets, in the order of
// profileValues.
var profileCols = []string{
	"kind", "tax_code", "parent_id", "name", "name_en", "sort_key",
	"address", "province_input", "province_code", "ward_code", "industrial_park",
	"sectors", "capabilities_text", "materials_text", "certifications_text", "equipment_text",
	"capabilities", "materials", "certifications", "equipment",
	"employees", "founded", "products", "main_customers", "export_markets",
	"website", "email", "phone", "description",
	"completeness", "directory_entry", "content_hash", "terms_hash", "contacts_hash", "text_hash", "updated_at",
}

// derivation is what a write computes from a company besides its columns:
// its terms, sort key, completeness and search text, and hashes of what
// goes into other tables, so that an update rewrites only what changed.
type derivation struct {
	terms        []term
	sortKey      string
	completeness int
	text         string // the index tokens joined by spaces
	// strong are the index tokens standing for the company's core and
	// declared capabilities, which the relevance score weighs more.
	strong                            []string
	termsHash, contactsHash, textHash string
}

// maxToken is the longest search token kept, in bytes: PostgreSQL ignores
// longer words, and both engines must index the same tokens.
const maxToken = 2047

func (db *DB) derive(c *sihub.Company) *derivation {
	d := &derivation{terms: terms(c), sortKey: db.sortKey(c.Name), completeness: completeness(c)}
	toks := db.index(c)
	if slices.ContainsFunc(toks, longToken) {
		toks = slices.DeleteFunc(slices.Clone(toks), longToken)
	}
	d.text = strings.Join(toks, " ")
	d.strong = db.strongTokens(c)
	var parts []string
	for _, t := range d.terms {
		parts = append(parts, t.kind, t.code)
	}
	d.termsHash = shortHash(parts...)
	parts = parts[:0]
	for _, ct := range c.Contacts {
		parts = append(parts, ct.Name, ct.Role, ct.Email, ct.Phone)
	}
	d.contactsHash = shortHash(parts...)
	d.textHash = shortHash(d.text)
	return d
}

func longToken(t string) bool { return len(t) > maxToken }

// strongTokens returns the index tokens of the core and declared
// capabilities of c: those Options.Index gives for a company holding only
// them.
func (db *DB) strongTokens(c *sihub.Company) []string {
	var caps []sihub.Capability
	for _, x := range c.Capabilities {
		if x.Core || x.Source == sihub.Declared {
			caps = append(caps, x)
		}
	}
	if len(caps) == 0 {
		return nil
	}
	toks := slices.Clone(db.index(&sihub.Company{Capabilities: caps}))
	slices.Sort(toks)
	return slices.Compact(slices.DeleteFunc(toks, longToken))
}

// shortHash identifies a list of strings.
func shortHash(parts ...string) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, p := range parts {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(p)))])
		io.WriteString(h, p)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func (db *DB) profileValues(c *sihub.Company, d *derivation, parent sql.NullInt64, now time.Time) ([]any, error) {
	lists := make([]string, 5)
	for i, l := range []any{c.Sectors, c.Capabilities, c.Materials, c.Certifications, c.Equipment} {
		s, err := jsonList(l)
		if err != nil {
			return nil, err
		}
		lists[i] = s
	}
	return []any{
		string(c.Kind), c.TaxCode, parent, c.Name, c.NameEn, d.sortKey,
		c.Address, c.ProvinceInput, c.ProvinceCode, c.WardCode, c.IndustrialPark,
		lists[0], c.CapabilitiesText, c.MaterialsText, c.CertificationsText, c.EquipmentText,
		lists[1], lists[2], lists[3], lists[4],
		c.Employees, c.Founded, c.Products, c.MainCustomers, c.ExportMarkets,
		c.Website, c.Email, c.Phone, c.Description,
		d.completeness, dirEntry(c, d, now), contentHash(c), d.termsHash, d.contactsHash, d.textHash, now,
	}, nil
}

// jsonList encodes a list, writing an empty one as [] rather than null.
func jsonList(l any) (string, error) {
	b, err := json.Marshal(l)
	if err != nil {
		return "", err
	}
	if string(b) == "null" {
		return "[]", nil
	}
	return string(b), nil
}

// contentHash identifies the fields a profile edit or an import sets, so
// that importing unchanged data again writes nothing (and keeps updated_at).
func contentHash(c *sihub.Company) string {
	x := *c
	x.ID, x.ParentID, x.Documents = 0, 0, nil
	x.Verified, x.VerifiedBy, x.VerifiedAt, x.Archived = false, "", nil, false
	x.CreatedAt, x.UpdatedAt = time.Time{}, time.Time{}
	// nil and empty lists are the same data.
	x.Sectors = nonNil(x.Sectors)
	x.Capabilities = nonNil(x.Capabilities)
	x.Materials = nonNil(x.Materials)
	x.Certifications = nonNil(x.Certifications)
	x.Equipment = nonNil(x.Equipment)
	x.Contacts = nonNil(x.Contacts)
	b, _ := json.Marshal(&x) // a Company always encodes
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// completeness counts the filled profile fields; without a search query the
// directory lists fuller profiles first.
func completeness(c *sihub.Company) int {
	n := 0
	for _, ok := range []bool{
		c.NameEn != "", c.Address != "", c.ProvinceCode != "", c.IndustrialPark != "",
		len(c.Sectors) > 0, len(c.Capabilities) > 0, len(c.Materials) > 0,
		len(c.Certifications) > 0, len(c.Equipment) > 0,
		c.Employees > 0, c.Founded > 0, c.Products != "", c.MainCustomers != "",
		c.ExportMarkets != "", c.Website != "", c.Email != "", c.Phone != "",
		c.Description != "", len(c.Contacts) > 0,
	} {
		if ok {
			n++
		}
	}
	return n
}

// Kinds of company_terms rows.
const (
	termProcess       = "process"
	termMaterial      = "material"
	termCertification = "certification"
	termEquipment     = "equipment"
	termDivision      = "division" // the two-digit VSIC division of a sector
	termSector        = "sector"   // a VSIC code and its prefixes of three digits or more
)

type term struct{ kind, code string }

// terms lists the company_terms rows of c, without duplicates.
func terms(c *sihub.Company) []term {
	var ts []term
	for _, x := range c.Capabilities {
		ts = append(ts, term{termProcess, x.Process})
	}
	for _, x := range c.Materials {
		ts = append(ts, term{termMaterial, x.Code})
	}
	for _, x := range c.Certifications {
		ts = append(ts, term{termCertification, x.Scheme})
	}
	for _, x := range c.Equipment {
		ts = append(ts, term{termEquipment, x.Kind})
	}
	// A sector is stored with its prefixes, so that a division or group
	// code finds its subclasses by equality.
	for _, s := range c.Sectors {
		s = strings.TrimSpace(s)
		if !allDigits(s) || len(s) < 2 {
			ts = append(ts, term{termSector, s})
			continue
		}
		ts = append(ts, term{termDivision, s[:2]})
		for n := 3; n <= len(s); n++ {
			ts = append(ts, term{termSector, s[:n]})
		}
	}
	ts = slices.DeleteFunc(ts, func(t term) bool { return t.code == "" })
	slices.SortFunc(ts, func(a, b term) int {
		if a.kind != b.kind {
			return strings.Compare(a.kind, b.kind)
		}
		return strings.Compare(a.code, b.code)
	})
	return slices.Compact(ts)
}

// sectorTerm is the company_terms row a sector filter code matches.
func sectorTerm(code string) term {
	if len(code) == 2 && allDigits(code) {
		return term{termDivision, code}
	}
	return term{termSector, code}
}

// facetKinds are the term kinds the directory index keeps, by the letter
// that marks them there.
var facetKinds = map[string]byte{termProcess: 'p', termCertification: 'c', termDivision: 'd', termSector: 's'}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// prepare checks what the database itself relies on — full validation is
// Company.Validate's job, done by the caller — and normalizes the tax code
// and kind.
func prepare(c *sihub.Company) error {
	c.TaxCode = sihub.CompactTaxCode(c.TaxCode)
	if c.TaxCode == "" {
		return &sihub.Error{Code: sihub.ErrInvalid, Msg: sihub.M("Thiếu mã số thuế.", "The tax code is missing."),
			Fields: []sihub.FieldError{{Field: "tax_code", Msg: sihub.M("Thiếu mã số thuế.", "The tax code is missing.")}}}
	}
	if c.Kind == "" {
		c.Kind = sihub.Supplier
	}
	if !slices.Contains(sihub.Kinds, c.Kind) {
		return sihub.Errorf(sihub.ErrInvalid, "Doanh nghiệp %s: loại %q không hợp lệ.", "Company %s: kind %q is not valid.", c.TaxCode, c.Kind)
	}
	if strings.TrimSpace(c.Name) == "" {
		return sihub.Errorf(sihub.ErrInvalid, "Doanh nghiệp %s: thiếu tên.", "Company %s: the name is missing.", c.TaxCode)
	}
	if err := storableCompany(c); err != nil {
		return err
	}
	// Times are kept to the microsecond, PostgreSQL's precision, so that a
	// company reads back the same from either engine.
	if c.VerifiedAt != nil {
		t := c.VerifiedAt.UTC().Truncate(time.Microsecond)
		c.VerifiedAt = &t
	}
	// Lists read back empty, never nil; written ones are made alike.
	c.Sectors = nonNil(c.Sectors)
	c.Capabilities = nonNil(c.Capabilities)
	c.Materials = nonNil(c.Materials)
	c.Certifications = nonNil(c.Certifications)
	c.Equipment = nonNil(c.Equipment)
	c.Contacts = nonNil(c.Contacts)
	return nil
}

// storable reports whether both engines store s as it is: PostgreSQL
// refuses NUL characters and invalid UTF-8 in text.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// unstorable is the error for a field holding what storable refuses.
func unstorable(field string) error {
	m := sihub.M("Trường %s chứa ký tự không lưu được (ký tự NUL hoặc mã UTF-8 hỏng).",
		"The field %s contains a character that cannot be stored (a NUL character or broken UTF-8).", field)
	return &sihub.Error{Code: sihub.ErrInvalid, Msg: m, Fields: []sihub.FieldError{{Field: field, Msg: m}}}
}

// storableCompany checks the fields stored as text; the lists are stored
// as JSON, which escapes anything.
func storableCompany(c *sihub.Company) error {
	for _, f := range []struct{ name, v string }{
		{"tax_code", c.TaxCode}, {"name", c.Name}, {"name_en", c.NameEn}, {"address", c.Address},
		{"province_input", c.ProvinceInput}, {"province_code", c.ProvinceCode}, {"ward_code", c.WardCode},
		{"industrial_park", c.IndustrialPark}, {"capabilities_text", c.CapabilitiesText},
		{"materials_text", c.MaterialsText}, {"certifications_text", c.CertificationsText},
		{"equipment_text", c.EquipmentText}, {"products", c.Products}, {"main_customers", c.MainCustomers},
		{"export_markets", c.ExportMarkets}, {"website", c.Website}, {"email", c.Email}, {"phone", c.Phone},
		{"description", c.Description}, {"verified_by", c.VerifiedBy},
	} {
		if !storable(f.v) {
			return unstorable(f.name)
		}
	}
	for _, ct := range c.Contacts {
		if !storable(ct.Name) || !storable(ct.Role) || !storable(ct.Email) || !storable(ct.Phone) {
			return unstorable("contacts")
		}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// stored is what a write needs to know about a company already in the
// database.
type stored struct {
	id                   int64
	taxCode, hash        string
	createdAt, updatedAt time.Time
	verified             bool
	verifiedBy           string
	verifiedAt           sql.NullTime
	archived             bool
	parentID             sql.NullInt64
	// The hashes of the derivation written last.
	termsHash, contactsHash, textHash string
}

// keep copies the fields a write never changes from s into c.
func (s *stored) keep(c *sihub.Company) {
	c.ID = s.id
	c.CreatedAt = s.createdAt.UTC()
	c.Verified, c.VerifiedBy, c.VerifiedAt = s.verified, s.verifiedBy, nil
	if s.verifiedAt.Valid {
		t := s.verifiedAt.Time.UTC()
		c.VerifiedAt = &t
	}
	c.Archived = s.archived
}

const storedCols = `id, tax_code, content_hash, created_at, updated_at, verified, verified_by, verified_at, archived, parent_id,
	terms_hash, contacts_hash, text_hash FROM companies`

// companyWriter holds the statements that write companies, prepared once per
// transaction: an import runs them for every row.
type companyWriter struct {
	db  *DB
	tx  *sql.Tx
	all []*sql.Stmt
	byTC, byID, full, parentOf, insertStmt, updateStmt, link, unlink,
	delContacts, delTerms, importKept, keptContacts *sql.Stmt
	// multi holds multi-row INSERT statements by table and row count: a
	// company's terms or contacts go in one statement.
	multi map[string]*sql.Stmt

	// changed: the transaction changed a company, so data_version moves.
	changed bool
	// version is the data_version the transaction moves to when it
	// changes companies: every company row it writes gets it (see
	// CompanyChanges). Read once, under the write lock.
	version int64

	// trail appends the transaction's audit records; nil until the first.
	trail *auditor

	// Search entries wait here to be written in batches (see writeFTS5);
	// pending maps a company id to its entry, so that a company written
	// twice in one batch keeps only its last text.
	text    []textEntry
	pending map[int64]int
}

// textBatch is how many search entries a writer holds before writing them.
const textBatch = 4000

func (db *DB) newWriter(ctx context.Context, tx *sql.Tx) (*companyWriter, error) {
	set := make([]string, len(profileCols), len(profileCols)+1)
	for i, col := range profileCols {
		set[i] = col + " = ?"
	}
	set = append(set, "version = ?")
	insertCols := append(slices.Clone(profileCols), "verified", "verified_by", "verified_at", "archived", "created_at", "version")
	w := &companyWriter{db: db, tx: tx, pending: map[int64]int{}, multi: map[string]*sql.Stmt{}}
	if err := tx.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&w.version); err != nil {
		return nil, err
	}
	w.version++
	for _, s := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&w.byTC, `SELECT ` + storedCols + ` WHERE tax_code = ?`},
		{&w.byID, `SELECT ` + storedCols + ` WHERE id = ?`},
		{&w.full, db.selectCompanies() + `FROM companies c WHERE c.id = ?`},
		{&w.parentOf, `SELECT id FROM companies WHERE tax_code = ?`},
		{&w.insertStmt, `INSERT INTO companies (` + strings.Join(insertCols, ", ") + `) VALUES (?` +
			strings.Repeat(", ?", len(insertCols)-1) + `) RETURNING id`},
		{&w.updateStmt, `UPDATE companies SET ` + strings.Join(set, ", ") + ` WHERE id = ?`},
		// A branch's tax code is its parent's ten digits and three more:
		// the range reads them off the tax_code index.
		{&w.link, `UPDATE companies SET parent_id = ?, version = ? WHERE tax_code > ? AND tax_code <= ? AND length(tax_code) = 13`},
		{&w.unlink, `UPDATE companies SET parent_id = NULL, version = ? WHERE parent_id = ? AND substr(tax_code, 1, 10) <> ?`},
		{&w.delContacts, `DELETE FROM contacts WHERE company_id = ?`},
		{&w.delTerms, `DELETE FROM company_terms WHERE company_id = ?`},
		{&w.importKept, `SELECT kind, main_customers, export_markets FROM companies WHERE id = ?`},
		{&w.keptContacts, `SELECT name, role, email, phone FROM contacts WHERE company_id = ? ORDER BY position`},
	} {
		st, err := tx.PrepareContext(ctx, db.q(s.query))
		if err != nil {
			w.close()
			return nil, err
		}
		*s.dst = st
		w.all = append(w.all, st)
	}
	return w, nil
}

func (w *companyWriter) close() {
	for _, s := range w.all {
		s.Close()
	}
	if w.trail != nil {
		w.trail.close()
	}
}

// current reads company id as stored, with its contacts but without its
// documents.
func (w *companyWriter) current(ctx context.Context, id int64) (*sihub.Company, error) {
	c, err := scanCompany(w.full.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("company", id)
	}
	return c, err
}

// audited is a company as the audit trail records it: what people set,
// without the id (the record's object), the parent link (derived from the
// tax codes), the documents (recorded on their own) and the timestamps
// every write moves. The fields below shadow the company's of the same
// JSON name and, being nil, are left out.
type audited struct {
	*sihub.Company
	ID        omitted `json:"id,omitempty"`
	ParentID  omitted `json:"parent_id,omitempty"`
	Documents omitted `json:"documents,omitempty"`
	CreatedAt omitted `json:"created_at,omitempty"`
	UpdatedAt omitted `json:"updated_at,omitempty"`
}

type omitted *struct{}

// logCompany appends action on company after, which was before (nil for
// a new company), to the audit trail of w's transaction: the fields that
// changed, nothing when none did.
func (w *companyWriter) logCompany(ctx context.Context, action string, before, after *sihub.Company) error {
	if w.trail == nil {
		a, err := w.db.newAuditor(ctx, w.tx)
		if err != nil {
			return err
		}
		w.trail = a
	}
	if before == nil {
		return w.trail.add(ctx, action, "company", after.ID, nil, audited{Company: after})
	}
	b, f, err := companyChanges(before, after)
	if err != nil || b == nil {
		return err
	}
	bj, err := json.Marshal(b)
	if err != nil {
		return err
	}
	fj, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return w.trail.append(ctx, action, "company", after.ID, bj, fj)
}

// companyChanges returns the JSON fields of audited companies that differ
// between before and after, as changedFields finds them (a field left out
// is null), or nil when none do: encoded, what auditor.add would record.
// It compares field by field rather than encoding both companies whole and
// decoding them again, which took a tenth of the time of an import that
// changes every company.
func companyChanges(before, after *sihub.Company) (b, f map[string]json.RawMessage, err error) {
	bv, fv := reflect.ValueOf(before).Elem(), reflect.ValueOf(after).Elem()
	for _, af := range auditedFields() {
		// Pointers to the fields, which go into an interface without
		// being copied to the heap.
		x, y := bv.Field(af.index).Addr(), fv.Field(af.index).Addr()
		if reflect.DeepEqual(x.Interface(), y.Interface()) {
			continue
		}
		xj, err := af.json(x)
		if err != nil {
			return nil, nil, err
		}
		yj, err := af.json(y)
		if err != nil {
			return nil, nil, err
		}
		if bytes.Equal(xj, yj) {
			continue
		}
		if b == nil {
			b, f = map[string]json.RawMessage{}, map[string]json.RawMessage{}
		}
		b[af.name], f[af.name] = xj, yj
	}
	return b, f, nil
}

// auditedField is a JSON field of sihub.Company that audited keeps.
type auditedField struct {
	index     int
	name      string
	omitEmpty bool
}

// json encodes the field's value, which p points to, as the company's
// JSON does; null when the company leaves it out.
func (af auditedField) json(p reflect.Value) (json.RawMessage, error) {
	if v := p.Elem(); af.omitEmpty {
		empty := false
		switch v.Kind() {
		case reflect.Slice, reflect.Map, reflect.String, reflect.Array:
			empty = v.Len() == 0
		case reflect.Float32, reflect.Float64:
			empty = v.Float() == 0
		case reflect.Struct:
		default:
			empty = v.IsZero()
		}
		if empty {
			return json.RawMessage("null"), nil
		}
	}
	return json.Marshal(p.Interface())
}

// auditedFields lists the fields of sihub.Company that audited keeps.
var auditedFields = sync.OnceValue(func() []auditedField {
	tagged := func(f reflect.StructField) (string, bool) {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		return name, slices.Contains(strings.Split(opts, ","), "omitempty")
	}
	left := map[string]bool{}
	for f := range reflect.TypeFor[audited]().Fields() {
		if !f.Anonymous {
			name, _ := tagged(f)
			left[name] = true
		}
	}
	var fs []auditedField
	t := reflect.TypeFor[sihub.Company]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, omit := tagged(f)
		if f.IsExported() && name != "-" && !left[name] {
			fs = append(fs, auditedField{index: i, name: name, omitEmpty: omit})
		}
	}
	return fs
})

// insertRows inserts rows of width values each, flattened in args, into
// table (with its column list, e.g. "contacts (company_id, name)").
func (w *companyWriter) insertRows(ctx context.Context, table string, width int, args []any) error {
	n := len(args) / width
	if n == 0 {
		return nil
	}
	key := table + "/" + strconv.Itoa(n)
	st, ok := w.multi[key]
	if !ok {
		row := "(?" + strings.Repeat(", ?", width-1) + ")"
		var err error
		st, err = w.tx.PrepareContext(ctx, w.db.q("INSERT INTO "+table+" VALUES "+row+strings.Repeat(", "+row, n-1)))
		if err != nil {
			return err
		}
		w.multi[key] = st
		w.all = append(w.all, st)
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}

// find returns the stored company with tax code tc (by is w.byTC) or id (by
// is w.byID), nil when there is none.
func (w *companyWriter) find(ctx context.Context, by *sql.Stmt, key any) (*stored, error) {
	var s stored
	err := by.QueryRowContext(ctx, key).Scan(&s.id, &s.taxCode, &s.hash, &s.createdAt, &s.updatedAt,
		&s.verified, &s.verifiedBy, &s.verifiedAt, &s.archived, &s.parentID,
		&s.termsHash, &s.contactsHash, &s.textHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// parent returns the id of the company a branch tax code belongs to.
func (w *companyWriter) parent(ctx context.Context, taxCode string) (sql.NullInt64, error) {
	var p sql.NullInt64
	pc := sihub.TaxParent(taxCode)
	if pc == "" {
		return p, nil
	}
	err := w.parentOf.QueryRowContext(ctx, pc).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	return p, err
}

// insert adds c, created now, setting its ID, ParentID and timestamps (and
// VerifiedAt for a company created verified).
func (w *companyWriter) insert(ctx context.Context, c *sihub.Company, now time.Time) error {
	c.CreatedAt, c.UpdatedAt = now, now
	if c.Verified && c.VerifiedAt == nil {
		c.VerifiedAt = &now
	}
	parent, err := w.parent(ctx, c.TaxCode)
	if err != nil {
		return err
	}
	d := w.db.derive(c)
	args, err := w.db.profileValues(c, d, parent, c.UpdatedAt)
	if err != nil {
		return err
	}
	var verifiedAt sql.NullTime
	if c.VerifiedAt != nil {
		verifiedAt = sql.NullTime{Time: c.VerifiedAt.UTC(), Valid: true}
	}
	args = append(args, c.Verified, c.VerifiedBy, verifiedAt, c.Archived, c.CreatedAt, w.version)
	if err := w.insertStmt.QueryRowContext(ctx, args...).Scan(&c.ID); err != nil {
		if w.db.d.isUniqueViolation(err) {
			return taxCodeTaken(c.TaxCode, 0)
		}
		return err
	}
	c.ParentID = parent.Int64
	if err := w.linkBranches(ctx, c); err != nil {
		return err
	}
	return w.children(ctx, c, d, nil)
}

// update rewrites the profile of the stored company old with c, setting
// c.ParentID; the caller has set c.ID and c.UpdatedAt.
func (w *companyWriter) update(ctx context.Context, c *sihub.Company, old *stored) error {
	parent, err := w.parent(ctx, c.TaxCode)
	if err != nil {
		return err
	}
	d := w.db.derive(c)
	args, err := w.db.profileValues(c, d, parent, c.UpdatedAt)
	if err != nil {
		return err
	}
	if _, err := w.updateStmt.ExecContext(ctx, append(args, w.version, c.ID)...); err != nil {
		if w.db.d.isUniqueViolation(err) {
			return taxCodeTaken(c.TaxCode, 0)
		}
		return err
	}
	c.ParentID = parent.Int64
	if c.TaxCode != old.taxCode {
		if _, err := w.unlink.ExecContext(ctx, w.version, c.ID, c.TaxCode); err != nil {
			return err
		}
		if err := w.linkBranches(ctx, c); err != nil {
			return err
		}
	}
	return w.children(ctx, c, d, old)
}

// linkBranches makes c the parent of the branches already in the directory
// when c has a ten-digit tax code.
func (w *companyWriter) linkBranches(ctx context.Context, c *sihub.Company) error {
	if len(c.TaxCode) != 10 {
		return nil
	}
	_, err := w.link.ExecContext(ctx, c.ID, w.version, c.TaxCode, c.TaxCode+"999")
	return err
}

// children writes the contacts, the terms and the search entry of c. For
// an update (old is set), each is replaced only when it changed.
func (w *companyWriter) children(ctx context.Context, c *sihub.Company, d *derivation, old *stored) error {
	w.changed = true
	if old == nil || old.contactsHash != d.contactsHash {
		if err := w.contacts(ctx, c, old != nil); err != nil {
			return err
		}
	}
	if old == nil || old.termsHash != d.termsHash {
		if err := w.terms(ctx, c, d, old != nil); err != nil {
			return err
		}
	}
	if old == nil || old.textHash != d.textHash {
		return w.searchEntry(ctx, c, d, old != nil)
	}
	return nil
}

// contacts writes the contacts of c, deleting the old ones first when
// replace is set.
func (w *companyWriter) contacts(ctx context.Context, c *sihub.Company, replace bool) error {
	if replace {
		if _, err := w.delContacts.ExecContext(ctx, c.ID); err != nil {
			return err
		}
	}
	args := make([]any, 0, 6*len(c.Contacts))
	for i, ct := range c.Contacts {
		args = append(args, c.ID, i, ct.Name, ct.Role, ct.Email, ct.Phone)
	}
	return w.insertRows(ctx, "contacts (company_id, position, name, role, email, phone)", 6, args)
}

// terms writes the company_terms rows of c, deleting the old ones first
// when replace is set.
func (w *companyWriter) terms(ctx context.Context, c *sihub.Company, d *derivation, replace bool) error {
	if replace {
		if _, err := w.delTerms.ExecContext(ctx, c.ID); err != nil {
			return err
		}
	}
	args := make([]any, 0, 3*len(d.terms))
	for _, t := range d.terms {
		args = append(args, c.ID, t.kind, t.code)
	}
	return w.insertRows(ctx, "company_terms (company_id, kind, code)", 3, args)
}

// searchEntry queues the search entry of c, which replaces an older one
// when replace is set.
func (w *companyWriter) searchEntry(ctx context.Context, c *sihub.Company, d *derivation, replace bool) error {
	w.changed = true
	if i, ok := w.pending[c.ID]; ok {
		// Not written yet: whether an older entry exists is what the
		// first write of the batch knew.
		w.text[i].text = d.text
		return nil
	}
	w.pending[c.ID] = len(w.text)
	w.text = append(w.text, textEntry{id: c.ID, text: d.text, replace: replace})
	if len(w.text) >= textBatch {
		return w.flush(ctx)
	}
	return nil
}

// flush writes the waiting search entries. A writer must be flushed before
// its transaction commits.
func (w *companyWriter) flush(ctx context.Context) error {
	if len(w.text) == 0 {
		return nil
	}
	if err := w.db.d.writeText(ctx, w.tx, w.text); err != nil {
		return err
	}
	w.text = w.text[:0]
	clear(w.pending)
	return nil
}

// writeCompanies runs fn with a company writer in a write transaction.
func (db *DB) writeCompanies(ctx context.Context, op string, fn func(w *companyWriter) error) error {
	return db.write(ctx, op, func(tx *sql.Tx) error {
		w, err := db.newWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		if err := fn(w); err != nil {
			return err
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		if w.changed {
			return bumpVersion(ctx, tx)
		}
		return nil
	})
}

// bumpVersion records, in the writing transaction, that companies changed;
// see index.go. The companies changed carry the new version (see
// companyWriter.version and bumpCompany).
func bumpVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE data_version SET version = version + 1 WHERE id = 1`)
	return err
}

// bumpCompany is bumpVersion for a transaction that changed company id
// outside a companyWriter: the company gets the new version first.
func (db *DB) bumpCompany(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE companies SET version = (SELECT version + 1 FROM data_version WHERE id = 1) WHERE id = ?`), id); err != nil {
		return err
	}
	return bumpVersion(ctx, tx)
}

// CreateCompany adds c to the directory and sets its ID, ParentID,
// CreatedAt and UpdatedAt. A company whose tax code is already in the
// directory is an ErrConflict.
func (db *DB) CreateCompany(ctx context.Context, c *sihub.Company) error {
	if err := prepare(c); err != nil {
		return err
	}
	x := *c
	err := db.writeCompanies(ctx, "create company", func(w *companyWriter) error {
		old, err := w.find(ctx, w.byTC, x.TaxCode)
		if err != nil {
			return err
		}
		if old != nil {
			return taxCodeTaken(x.TaxCode, old.id)
		}
		if err := w.insert(ctx, &x, db.now()); err != nil {
			return err
		}
		return w.logCompany(ctx, "company.create", nil, &x)
	})
	if err != nil {
		return err
	}
	*c = x
	return nil
}

// UpdateCompany rewrites the company c.ID: every profile field, the
// contacts and the recognized lists. It keeps the documents, CreatedAt, the
// verification and the archived flag, which have their own methods, and
// copies them into c with the new UpdatedAt and ParentID.
//
// When c.UpdatedAt is set it must be the stored one: an edit made on a
// profile someone else has changed since is an ErrPrecondition rather than
// a silent overwrite. Changing the tax code to one already in the directory
// is an ErrConflict.
func (db *DB) UpdateCompany(ctx context.Context, c *sihub.Company) error {
	if err := prepare(c); err != nil {
		return err
	}
	x := *c
	err := db.writeCompanies(ctx, "update company", func(w *companyWriter) error {
		old, err := w.find(ctx, w.byID, x.ID)
		if err != nil {
			return err
		}
		if old == nil {
			return notFound("company", x.ID)
		}
		if !x.UpdatedAt.IsZero() && !x.UpdatedAt.Equal(old.updatedAt) {
			return sihub.Errorf(sihub.ErrPrecondition,
				"Hồ sơ này đã được sửa sau khi bạn mở nó; hãy tải lại trang rồi sửa lại.",
				"This profile was changed after you opened it; reload the page and make your changes again.")
		}
		if x.TaxCode != old.taxCode {
			other, err := w.find(ctx, w.byTC, x.TaxCode)
			if err != nil {
				return err
			}
			if other != nil {
				return taxCodeTaken(x.TaxCode, other.id)
			}
		}
		prev, err := w.current(ctx, x.ID)
		if err != nil {
			return err
		}
		old.keep(&x)
		x.UpdatedAt = db.now()
		if err := w.update(ctx, &x, old); err != nil {
			return err
		}
		return w.logCompany(ctx, "company.update", prev, &x)
	})
	if err != nil {
		return err
	}
	*c = x
	return nil
}

// Company returns the company id with its contacts and documents.
func (db *DB) Company(ctx context.Context, id int64) (*sihub.Company, error) {
	return db.company(ctx, "c.id = ?", id)
}

// CompanyByTaxCode returns the company with the tax code, written in any of
// the usual ways ("0100112437-001"), with its contacts and documents.
func (db *DB) CompanyByTaxCode(ctx context.Context, taxCode string) (*sihub.Company, error) {
	tc := sihub.CompactTaxCode(taxCode)
	c, err := db.company(ctx, "c.tax_code = ?", queryValue(tc))
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return nil, sihub.Errorf(sihub.ErrNotFound, "Không tìm thấy doanh nghiệp có mã số thuế %s.",
			"No company has the tax code %s.", sihub.FormatTaxCode(tc))
	}
	return c, err
}

func (db *DB) company(ctx context.Context, cond string, key any) (*sihub.Company, error) {
	var c *sihub.Company
	err := db.read(ctx, "get company", func(tx *sql.Tx) error {
		var err error
		c, err = scanCompany(tx.QueryRowContext(ctx, db.q(db.selectCompanies()+"FROM companies c WHERE "+cond), key))
		if errors.Is(err, sql.ErrNoRows) {
			id, _ := key.(int64)
			return notFound("company", id)
		}
		if err != nil {
			return err
		}
		c.Documents, err = db.documents(ctx, tx, c.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// SetArchived archives or restores company id. Archived companies leave the
// directory (FindCompanies skips them unless asked) but keep their data.
func (db *DB) SetArchived(ctx context.Context, id int64, archived bool) error {
	action := "company.archive"
	if !archived {
		action = "company.unarchive"
	}
	return db.setFlags(ctx, "archive company", action, id, func(f *companyFlags) { f.Archived = archived },
		`UPDATE companies SET archived = ? WHERE id = ?`, archived, id)
}

// SetVerified records that staff member by has checked company id, or
// withdraws the verification. Neither counts as a profile edit: UpdatedAt
// stays.
func (db *DB) SetVerified(ctx context.Context, id int64, verified bool, by string) error {
	if !storable(by) {
		return unstorable("verified_by")
	}
	if !verified {
		return db.setFlags(ctx, "verify company", "company.unverify", id,
			func(f *companyFlags) { f.Verified, f.VerifiedBy, f.VerifiedAt = false, "", nil },
			`UPDATE companies SET verified = FALSE, verified_by = '', verified_at = NULL WHERE id = ?`, id)
	}
	now := db.now()
	return db.setFlags(ctx, "verify company", "company.verify", id,
		func(f *companyFlags) { f.Verified, f.VerifiedBy, f.VerifiedAt = true, by, &now },
		`UPDATE companies SET verified = TRUE, verified_by = ?, verified_at = ? WHERE id = ?`, by, now, id)
}

// companyFlags are the fields staff set apart from the profile, as the
// audit trail records them.
type companyFlags struct {
	Verified   bool       `json:"verified"`
	VerifiedBy string     `json:"verified_by,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	Archived   bool       `json:"archived"`
}

// setFlags runs a statement that changes the flags of company id as set
// does, and audits the change as action.
func (db *DB) setFlags(ctx context.Context, op, action string, id int64, set func(*companyFlags), query string, args ...any) error {
	return db.write(ctx, op, func(tx *sql.Tx) error {
		var (
			before     companyFlags
			verifiedAt sql.NullTime
		)
		err := tx.QueryRowContext(ctx, db.q(`SELECT verified, verified_by, verified_at, archived FROM companies WHERE id = ?`), id).
			Scan(&before.Verified, &before.VerifiedBy, &verifiedAt, &before.Archived)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("company", id)
		}
		if err != nil {
			return err
		}
		before.VerifiedAt = utcTime(verifiedAt)
		after := before
		set(&after)
		if _, err := tx.ExecContext(ctx, db.q(query), args...); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, action, "company", id, before, after); err != nil {
			return err
		}
		return db.bumpCompany(ctx, tx, id)
	})
}

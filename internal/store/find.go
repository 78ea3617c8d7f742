package store

import (
	"cmp"
	"context"
	"database/sql"
	"iter"
	"slices"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
)

// facetLimit is how many values of each facet FindCompanies returns.
const facetLimit = 50

// sizeBands are the employee ranges of sihub.SizeBand (max 0: no upper
// bound); a test keeps them in step.
type sizeBand struct {
	name     string
	min, max int
}

var sizeBands = [...]sizeBand{
	{sihub.SizeMicro, 1, 10},
	{sihub.SizeSmall, 11, 100},
	{sihub.SizeMedium, 101, 200},
	{sihub.SizeLarge, 201, 0},
}

// cond is one condition on companies c.
type cond struct {
	sql  string
	args []any
}

// filter is a CompanyFilter turned into SQL.
type filter struct {
	conds    []cond
	search   *textSearch
	text     string   // the full-text query in the dialect's language, "" for none
	taxCodes []string // compact
	sort     string   // the sort order, never ""
	order    string   // ORDER BY terms; for a ranked order, those after the score
	// ranked: the order is by relevance to the text, a score computed in
	// Go (search.go), so that SQL cannot give the order alone.
	ranked        bool
	limit, offset int
}

// where joins the conditions.
func (f *filter) where() (string, []any) {
	var (
		parts []string
		args  []any
	)
	for _, c := range f.conds {
		parts = append(parts, c.sql)
		args = append(args, c.args...)
	}
	if len(parts) == 0 {
		return "1 = 1", nil
	}
	return strings.Join(parts, "\n\tAND "), args
}

// buildFilter turns a CompanyFilter into SQL conditions: within a facet the
// values are alternatives, the facets all apply.
func (db *DB) buildFilter(cf sihub.CompanyFilter) (*filter, error) {
	f := &filter{search: parseText(cf.Terms, cf.Words)}
	if !f.search.empty() {
		f.text = db.d.textQuery(f.search)
	}
	add := func(sql string, args ...any) {
		f.conds = append(f.conds, cond{sql: sql, args: args})
	}
	if !cf.IncludeArchived {
		add("c.archived = FALSE")
	}
	if f.text != "" {
		add("c.id IN ("+db.d.textIDs+")", f.text)
	}
	termIn := func(ts []term) {
		var (
			ors  []string
			args []any
		)
		for _, t := range ts {
			ors, args = append(ors, "(kind = ? AND code = ?)"), append(args, t.kind, t.code)
		}
		if len(ors) > 0 {
			add("c.id IN (SELECT company_id FROM company_terms WHERE "+strings.Join(ors, " OR ")+")", args...)
		}
	}
	termsOf := func(kind string, codes []string) []term {
		var ts []term
		for _, c := range clean(codes) {
			ts = append(ts, term{kind, c})
		}
		return ts
	}
	columnIn := func(col string, vals []string) {
		if vals = clean(vals); len(vals) > 0 {
			in, args := inList(vals)
			add(col+" IN "+in, args...)
		}
	}
	termIn(termsOf(termProcess, cf.Processes))
	termIn(termsOf(termCertification, cf.Certifications))
	// A division or group code matches its subclasses: see terms.
	var sectors []term
	for _, s := range clean(cf.Sectors) {
		sectors = append(sectors, sectorTerm(s))
	}
	termIn(sectors)
	columnIn("c.province_code", cf.Provinces)
	columnIn("c.industrial_park", cf.Parks)
	for _, tc := range cf.TaxCodes {
		f.taxCodes = append(f.taxCodes, sihub.CompactTaxCode(tc))
	}
	f.taxCodes = clean(f.taxCodes)
	columnIn("c.tax_code", f.taxCodes)

	if bands := clean(cf.SizeBands); len(bands) > 0 {
		var (
			ors  []string
			args []any
		)
		for _, b := range bands {
			i := slices.IndexFunc(sizeBands[:], func(x sizeBand) bool { return x.name == b })
			if i < 0 {
				return nil, sihub.Errorf(sihub.ErrInvalid, "Quy mô %q không hợp lệ.", "Size band %q is not valid.", b)
			}
			if sb := sizeBands[i]; sb.max == 0 {
				ors, args = append(ors, "c.employees >= ?"), append(args, sb.min)
			} else {
				ors, args = append(ors, "c.employees BETWEEN ? AND ?"), append(args, sb.min, sb.max)
			}
		}
		add("("+strings.Join(ors, " OR ")+")", args...)
	}
	if cf.Verified != nil {
		add("c.verified = ?", *cf.Verified)
	}
	switch cf.Kind {
	case "":
	case sihub.Supplier, sihub.Buyer:
		add("c.kind IN (?, ?)", string(cf.Kind), string(sihub.Both))
	case sihub.Both:
		add("c.kind = ?", string(sihub.Both))
	default:
		return nil, sihub.Errorf(sihub.ErrInvalid, "Loại doanh nghiệp %q không hợp lệ.", "Company kind %q is not valid.", cf.Kind)
	}

	// Every order ends with the id, so that pages never overlap or skip.
	// dirIndex.order is the same in Go. Names sort by their bytes, as in
	// Go, whatever the database's collation.
	f.sort = cmp.Or(cf.Sort, sihub.SortRelevance)
	name := "c.sort_key" + db.d.collateC + ", c.id"
	switch cf.Sort {
	case "", sihub.SortRelevance:
		f.ranked = f.text != ""
		f.order = "c.verified DESC, c.completeness DESC, " + name
	case sihub.SortName:
		f.order = name
	case sihub.SortEmployees:
		f.order = "c.employees DESC, " + name
	case sihub.SortFounded:
		// Unknown years (0) last.
		f.order = "(c.founded = 0), c.founded, " + name
	case sihub.SortUpdated:
		f.order = "c.updated_at DESC, c.id DESC"
	default:
		return nil, sihub.Errorf(sihub.ErrInvalid, "Thứ tự sắp xếp %q không hợp lệ.", "Sort order %q is not valid.", cf.Sort)
	}

	f.limit = cf.Limit
	if f.limit <= 0 {
		f.limit = sihub.DefaultLimit
	}
	f.limit = min(f.limit, sihub.MaxLimit)
	f.offset = max(cf.Offset, 0)
	return f, nil
}

// clean trims the values, dropping empty ones and repeats.
func clean(vals []string) []string {
	var out []string
	for _, v := range vals {
		if v = queryValue(strings.TrimSpace(v)); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// queryValue makes a value looked up storable, replacing NUL characters
// and invalid UTF-8, which no stored value holds (see storable), so that
// it still matches nothing — rather than failing on PostgreSQL.
func queryValue(v string) string {
	if storable(v) {
		return v
	}
	return strings.ToValidUTF8(strings.ReplaceAll(v, "\x00", "\uFFFD"), "\uFFFD")
}

// inList returns "(?, ?, …)" and its arguments.
func inList(vals []string) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return "(?" + strings.Repeat(", ?", len(vals)-1) + ")", args
}

// matchIDs returns the ids of the filter's matches in order. Companies are
// read in two steps — the ids, then the companies in batches — so that a
// sort moves narrow rows.
func (db *DB) matchIDs(ctx context.Context, tx *sql.Tx, f *filter) ([]int64, error) {
	where, args := f.where()
	if !f.ranked {
		return queryIDs(ctx, tx, db.q("SELECT c.id FROM companies c\nWHERE "+where+"\nORDER BY "+f.order), args...)
	}
	// By relevance: SQL finds the matches in the order that breaks ties,
	// Go sorts them by score, stably.
	ids, err := queryIDs(ctx, tx, db.q("SELECT c.id FROM companies c\nWHERE "+where+"\nORDER BY "+f.order), args...)
	if err != nil {
		return nil, err
	}
	idx, err := db.dirIndex(ctx, tx)
	if err != nil {
		return nil, err
	}
	_, score, err := db.textMatches(ctx, tx, f, idx)
	if err != nil {
		return nil, err
	}
	scoreOf := func(id int64) int32 {
		if p, ok := idx.pos[id]; ok {
			return score[p]
		}
		return 0
	}
	slices.SortStableFunc(ids, func(a, b int64) int { return cmp.Compare(scoreOf(b), scoreOf(a)) })
	return ids, nil
}

// textMatches runs the full-text query of f: by row of idx, whether it
// matches and, when f is ranked, its relevance score (nil otherwise).
func (db *DB) textMatches(ctx context.Context, tx *sql.Tx, f *filter, idx *dirIndex) (match []bool, score []int32, err error) {
	match = make([]bool, len(idx.id))
	if !f.ranked {
		ids, err := queryIDs(ctx, tx, db.q(db.d.textIDs), f.text)
		for _, id := range ids {
			if p, ok := idx.pos[id]; ok {
				match[p] = true
			}
		}
		return match, nil, err
	}
	score = make([]int32, len(idx.id))
	sc := newScorer(f.search, idx)
	if db.d.scoreByProbes {
		err = db.probeScores(ctx, tx, f, sc, idx, match, score)
	} else {
		err = db.tokenScores(ctx, tx, f, sc, idx, match, score)
	}
	return match, score, err
}

// tokenScores scores the matches from their search texts, read with them.
func (db *DB) tokenScores(ctx context.Context, tx *sql.Tx, f *filter, sc *scorer, idx *dirIndex, match []bool, score []int32) error {
	rows, err := tx.QueryContext(ctx, db.q(db.d.textTokens), f.text)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   int64
			text sql.RawBytes
		)
		if err := rows.Scan(&id, &text); err != nil {
			return err
		}
		if p, ok := idx.pos[id]; ok {
			match[p], score[p] = true, sc.tokenScore(text, idx.strongOf(id))
		}
	}
	return rows.Err()
}

// probeScores scores the matches by asking the full-text index which of
// them hold each probe as a whole token: FTS5 then reads only its index,
// not the matches' texts (a lookup in its content table for each).
func (db *DB) probeScores(ctx context.Context, tx *sql.Tx, f *filter, sc *scorer, idx *dirIndex, match []bool, score []int32) error {
	ids, err := queryIDs(ctx, tx, db.q(db.d.textIDs), f.text)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if p, ok := idx.pos[id]; ok {
			match[p] = true
			score[p] = sc.strongBonus(idx.strongOf(id))
		}
	}
	// The probe is AND-ed with the query, so that the index returns only
	// matches, not every company holding a common word.
	q := &textSearch{groups: slices.Clip(f.search.groups), words: f.search.words}
	for tok, pr := range sc.probes {
		q.groups = append(q.groups[:len(f.search.groups)], [][]string{{tok}})
		ids, err := queryIDs(ctx, tx, db.q(db.d.textIDs), db.d.textQuery(q))
		if err != nil {
			return err
		}
		for _, id := range ids {
			if p, ok := idx.pos[id]; ok {
				score[p] += pr.weight
			}
		}
	}
	return nil
}

// companiesByID returns the companies with the ids, in the order given.
func (db *DB) companiesByID(ctx context.Context, tx *sql.Tx, ids []int64) ([]*sihub.Company, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, db.q(db.selectCompanies()+"FROM companies c WHERE c.id IN (?"+strings.Repeat(", ?", len(ids)-1)+")"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]*sihub.Company, len(ids))
	for rows.Next() {
		c, err := scanCompany(rows)
		if err != nil {
			return nil, err
		}
		byID[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cs := make([]*sihub.Company, 0, len(ids))
	for _, id := range ids {
		if c := byID[id]; c != nil {
			cs = append(cs, c)
		}
	}
	return cs, nil
}

// FindCompanies returns one page of the companies matching f, the number of
// matches and, when facets is set, the facet counts. It evaluates the filter
// on the in-memory directory index (see index.go). Items carry their
// contacts but not their documents (Company has those).
func (db *DB) FindCompanies(ctx context.Context, cf sihub.CompanyFilter, facets bool) (*sihub.CompanyPage, error) {
	f, err := db.buildFilter(cf)
	if err != nil {
		return nil, err
	}
	page := &sihub.CompanyPage{Items: []*sihub.Company{}}
	err = db.read(ctx, "find companies", func(tx *sql.Tx) error {
		idx, err := db.dirIndex(ctx, tx)
		if err != nil {
			return err
		}
		e := idx.prepare(cf)
		// The conditions the index cannot evaluate are resolved in SQL.
		if f.text != "" {
			if e.text, e.score, err = db.textMatches(ctx, tx, f, idx); err != nil {
				return err
			}
		}
		if len(f.taxCodes) > 0 {
			in, args := inList(f.taxCodes)
			ids, err := queryIDs(ctx, tx, db.q("SELECT id FROM companies WHERE tax_code IN "+in), args...)
			if err != nil {
				return err
			}
			e.taxCode = idx.rows(ids)
		}
		res := idx.find(e, f, facets)
		page.Total, page.Facets = res.total, res.facets
		items, err := db.companiesByID(ctx, tx, res.page)
		if items != nil {
			page.Items = items
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// queryIDs returns the ids a query selects.
func queryIDs(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// eachBatch is how many companies EachCompany reads at a time.
const eachBatch = 500

// EachCompany yields every company matching f in f.Sort order, ignoring
// Limit and Offset. It holds the ids of the matches (8 bytes each) and reads
// the companies in batches, so that an export of the whole directory needs
// little memory; all from one snapshot. The companies carry their contacts
// but not their documents. Breaking out of the loop ends the read.
func (db *DB) EachCompany(ctx context.Context, cf sihub.CompanyFilter) iter.Seq2[*sihub.Company, error] {
	return func(yield func(*sihub.Company, error) bool) {
		f, err := db.buildFilter(cf)
		if err != nil {
			yield(nil, err)
			return
		}
		stopped := false
		err = db.read(ctx, "list companies", func(tx *sql.Tx) error {
			ids, err := db.matchIDs(ctx, tx, f)
			if err != nil {
				return err
			}
			for len(ids) > 0 {
				n := min(len(ids), eachBatch)
				cs, err := db.companiesByID(ctx, tx, ids[:n])
				if err != nil {
					return err
				}
				ids = ids[n:]
				for _, c := range cs {
					if !yield(c, nil) {
						stopped = true
						return nil
					}
				}
			}
			return nil
		})
		if err != nil && !stopped {
			yield(nil, err)
		}
	}
}

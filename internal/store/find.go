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
	text bool // the full-text condition, which a ranked page applies in its FROM instead
	sql  string
	args []any
}

// filter is a CompanyFilter turned into SQL.
type filter struct {
	conds    []cond
	text     string   // the full-text query, "" for none
	taxCodes []string // compact
	sort     string   // the sort order, never ""
	order    string   // ORDER BY terms
	// ranked: the order is by full-text rank, so the matches are read from
	// the dialect's textFrom rather than from companies c.
	ranked        bool
	limit, offset int
}

// where joins the conditions, leaving out the full-text one when noText is
// set.
func (f *filter) where(noText bool) (string, []any) {
	var (
		parts []string
		args  []any
	)
	for _, c := range f.conds {
		if c.text && noText {
			continue
		}
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
	f := &filter{text: db.d.textQuery(cf.Terms, cf.Words)}
	add := func(sql string, args ...any) {
		f.conds = append(f.conds, cond{sql: sql, args: args})
	}
	if !cf.IncludeArchived {
		add("c.archived = FALSE")
	}
	if f.text != "" {
		f.conds = append(f.conds, cond{text: true, sql: "c.id IN (" + db.d.textIDs + ")", args: []any{f.text}})
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
	// dirIndex.order is the same in Go.
	f.sort = cmp.Or(cf.Sort, sihub.SortRelevance)
	switch cf.Sort {
	case "", sihub.SortRelevance:
		if f.text != "" {
			f.ranked = true
			f.order = db.d.textRank + ", c.verified DESC, c.sort_key, c.id"
		} else {
			f.order = "c.verified DESC, c.completeness DESC, c.sort_key, c.id"
		}
	case sihub.SortName:
		f.order = "c.sort_key, c.id"
	case sihub.SortEmployees:
		f.order = "c.employees DESC, c.sort_key, c.id"
	case sihub.SortFounded:
		// Unknown years (0) last.
		f.order = "(c.founded = 0), c.founded, c.sort_key, c.id"
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
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// inList returns "(?, ?, …)" and its arguments.
func inList(vals []string) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return "(?" + strings.Repeat(", ?", len(vals)-1) + ")", args
}

// matchIDs returns the query listing the ids of the filter's matches in
// order. Companies are read in two steps — the ids, then the companies in
// batches — so that a sort moves narrow rows.
func (db *DB) matchIDs(f *filter) (string, []any) {
	var (
		query string
		args  []any
	)
	if f.ranked {
		where, wargs := f.where(true)
		query = "SELECT c.id FROM " + db.d.textFrom + "\nWHERE " + db.d.textWhere + "\n\tAND " + where
		args = append([]any{f.text}, wargs...)
	} else {
		where, wargs := f.where(false)
		query = "SELECT c.id FROM companies c\nWHERE " + where
		args = wargs
	}
	return query + "\nORDER BY " + f.order, args
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
		if f.ranked {
			e.text, e.rank = make([]bool, len(idx.id)), make([]float64, len(idx.id))
			rows, err := tx.QueryContext(ctx, db.q(db.d.textRanked), f.text)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var (
					id   int64
					rank float64
				)
				if err := rows.Scan(&id, &rank); err != nil {
					return err
				}
				if p, ok := idx.pos[id]; ok {
					e.text[p], e.rank[p] = true, rank
				}
			}
			if err := rows.Err(); err != nil {
				return err
			}
		} else if f.text != "" {
			ids, err := queryIDs(ctx, tx, db.q(db.d.textIDs), f.text)
			if err != nil {
				return err
			}
			e.text = idx.rows(ids)
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
			query, args := db.matchIDs(f)
			ids, err := queryIDs(ctx, tx, db.q(query), args...)
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

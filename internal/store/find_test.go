package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
)

// directory creates six companies and returns their ids by number (1…6).
// Company 5 is archived.
func directory(t *testing.T, db *DB) map[int]int64 {
	t.Helper()
	ctx := context.Background()
	caps := func(ps ...string) []sihub.Capability {
		var cs []sihub.Capability
		for _, p := range ps {
			cs = append(cs, sihub.Capability{Process: p, Source: sihub.Declared})
		}
		return cs
	}
	certs := func(ss ...string) []sihub.Certification {
		var cs []sihub.Certification
		for _, s := range ss {
			cs = append(cs, sihub.Certification{Scheme: s, Source: sihub.Declared})
		}
		return cs
	}
	cs := []*sihub.Company{
		company(1, "Ánh Dương Plastics", func(c *sihub.Company) {
			c.ProvinceCode, c.IndustrialPark, c.Employees, c.Founded = "79", "KCN Tân Tạo", 50, 2010
			c.Capabilities, c.Certifications, c.Sectors = caps("injection_molding"), certs("iso9001"), []string{"22220"}
		}),
		company(2, "Bình Minh Mechanical", func(c *sihub.Company) {
			c.ProvinceCode, c.Employees, c.Founded = "79", 250, 1995
			c.Capabilities, c.Certifications, c.Sectors = caps("cnc_milling", "stamping"), certs("iatf16949", "iso9001"), []string{"25920"}
		}),
		company(3, "Cơ khí Đông Á", func(c *sihub.Company) {
			c.Kind, c.ProvinceCode, c.IndustrialPark, c.Employees = sihub.Both, "74", "KCN Sóng Thần", 150
			c.Capabilities, c.Sectors = caps("cnc_milling"), []string{"25110"}
		}),
		company(4, "Điện tử Sao Mai", func(c *sihub.Company) {
			c.Kind, c.ProvinceCode, c.Employees, c.Founded = sihub.Buyer, "75", 5, 2020
			c.Capabilities, c.Sectors = caps("pcb_assembly"), []string{"26100"}
		}),
		company(5, "an khang", func(c *sihub.Company) {
			c.ProvinceCode, c.IndustrialPark, c.Founded = "79", "KCN Tân Tạo", 2001
			c.Capabilities, c.Certifications, c.Sectors = caps("injection_molding", "stamping"), certs("iso14001"), []string{"22200"}
		}),
		company(6, "Zeta Molding", func(c *sihub.Company) {
			c.ProvinceCode, c.Employees, c.Founded = "74", 80, 2015
			c.Capabilities, c.Sectors = caps("injection_molding"), []string{"25930"}
			c.Description = "plastics plastics plastics"
		}),
	}
	ids := map[int]int64{}
	for i, c := range cs {
		mustCreate(t, db, c)
		ids[i+1] = c.ID
	}
	if err := db.SetVerified(ctx, ids[1], true, "staff"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetArchived(ctx, ids[5], true); err != nil {
		t.Fatal(err)
	}
	return ids
}

// numbers maps the companies of a page back to directory numbers.
func numbers(ids map[int]int64, cs []*sihub.Company) []int {
	out := []int{}
	for _, c := range cs {
		for n, id := range ids {
			if id == c.ID {
				out = append(out, n)
			}
		}
	}
	return out
}

func TestFindFilters(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		f    sihub.CompanyFilter
		want []int // in name order
	}{
		{"everything", sihub.CompanyFilter{}, []int{1, 2, 3, 4, 6}},
		{"archived too", sihub.CompanyFilter{IncludeArchived: true}, []int{5, 1, 2, 3, 4, 6}},
		{"process", sihub.CompanyFilter{Processes: []string{"injection_molding"}}, []int{1, 6}},
		{"processes any of", sihub.CompanyFilter{Processes: []string{"injection_molding", "stamping", " "}}, []int{1, 2, 6}},
		{"process and certification", sihub.CompanyFilter{Processes: []string{"cnc_milling"}, Certifications: []string{"iso9001"}}, []int{2}},
		{"certifications any of", sihub.CompanyFilter{Certifications: []string{"iatf16949", "iso9001"}}, []int{1, 2}},
		{"division", sihub.CompanyFilter{Sectors: []string{"25"}}, []int{2, 3, 6}},
		{"group", sihub.CompanyFilter{Sectors: []string{"259"}}, []int{2, 6}},
		{"subclass and division", sihub.CompanyFilter{Sectors: []string{"25110", "26"}}, []int{3, 4}},
		{"division of an archived company", sihub.CompanyFilter{Sectors: []string{"22"}}, []int{1}},
		{"province", sihub.CompanyFilter{Provinces: []string{"79"}}, []int{1, 2}},
		{"provinces", sihub.CompanyFilter{Provinces: []string{"79", "74"}}, []int{1, 2, 3, 6}},
		{"park", sihub.CompanyFilter{Parks: []string{"KCN Tân Tạo"}}, []int{1}},
		{"small", sihub.CompanyFilter{SizeBands: []string{sihub.SizeSmall}}, []int{1, 6}},
		{"micro or large", sihub.CompanyFilter{SizeBands: []string{sihub.SizeMicro, sihub.SizeLarge}}, []int{2, 4}},
		{"medium", sihub.CompanyFilter{SizeBands: []string{sihub.SizeMedium}}, []int{3}},
		{"verified", sihub.CompanyFilter{Verified: &yes}, []int{1}},
		{"not verified", sihub.CompanyFilter{Verified: &no}, []int{2, 3, 4, 6}},
		{"suppliers", sihub.CompanyFilter{Kind: sihub.Supplier}, []int{1, 2, 3, 6}},
		{"buyers", sihub.CompanyFilter{Kind: sihub.Buyer}, []int{3, 4}},
		{"both", sihub.CompanyFilter{Kind: sihub.Both}, []int{3}},
		{"tax codes", sihub.CompanyFilter{TaxCodes: []string{taxCode(2), taxCode(4)[:3] + "." + taxCode(4)[3:]}}, []int{2, 4}},
		{"term", sihub.CompanyFilter{Terms: [][]string{{"zpinjectionmolding"}}}, []int{1, 6}},
		{"term alternatives and", sihub.CompanyFilter{Terms: [][]string{{"zpinjectionmolding", "zpstamping"}, {"zciso9001"}}}, []int{1, 2}},
		{"term is not a prefix", sihub.CompanyFilter{Terms: [][]string{{"zpinjection"}}}, []int{}},
		{"word prefix", sihub.CompanyFilter{Words: []string{"mol"}}, []int{6}},
		{"folded word", sihub.CompanyFilter{Words: []string{"dong"}}, []int{3}},
		{"words all", sihub.CompanyFilter{Words: []string{"co", "khi"}}, []int{3}},
		{"words none", sihub.CompanyFilter{Words: []string{"co", "plastics"}}, []int{}},
		{"word and province", sihub.CompanyFilter{Words: []string{"plastics"}, Provinces: []string{"75"}}, []int{}},
		{"term and word", sihub.CompanyFilter{Terms: [][]string{{"zpinjectionmolding"}}, Words: []string{"zeta"}}, []int{6}},
		{"empty term group ignored", sihub.CompanyFilter{Terms: [][]string{{}}}, []int{1, 2, 3, 4, 6}},
	}
	forEachDialect(t, func(t *testing.T, db *DB) {
		ids := directory(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.f.Sort = sihub.SortName
				p, err := db.FindCompanies(context.Background(), tt.f, false)
				if err != nil {
					t.Fatal(err)
				}
				if got := numbers(ids, p.Items); !reflect.DeepEqual(got, tt.want) || p.Total != len(tt.want) {
					t.Errorf("got %v (total %d), want %v", got, p.Total, tt.want)
				}
				var each []*sihub.Company
				for c, err := range db.EachCompany(context.Background(), tt.f) {
					if err != nil {
						t.Fatal(err)
					}
					each = append(each, c)
				}
				if got := numbers(ids, each); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("EachCompany: got %v, want %v", got, tt.want)
				}
			})
		}
	})
}

func TestFindInvalid(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		for _, f := range []sihub.CompanyFilter{
			{Sort: "price"},
			{SizeBands: []string{"huge"}},
			{Kind: "seller"},
		} {
			_, err := db.FindCompanies(context.Background(), f, true)
			wantCode(t, err, sihub.ErrInvalid)
			for _, err := range db.EachCompany(context.Background(), f) {
				wantCode(t, err, sihub.ErrInvalid)
			}
		}
	})
}

func fv(pairs ...any) []sihub.FacetValue {
	out := []sihub.FacetValue{}
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, sihub.FacetValue{Value: pairs[i].(string), Count: pairs[i+1].(int)})
	}
	return out
}

func TestFacets(t *testing.T) {
	tests := []struct {
		name  string
		f     sihub.CompanyFilter
		total int
		want  sihub.Facets
	}{
		{"no filter", sihub.CompanyFilter{}, 5, sihub.Facets{
			Processes:      fv("cnc_milling", 2, "injection_molding", 2, "pcb_assembly", 1, "stamping", 1),
			Sectors:        fv("25", 3, "22", 1, "26", 1),
			Certifications: fv("iso9001", 2, "iatf16949", 1),
			Provinces:      fv("74", 2, "79", 2, "75", 1),
			Parks:          fv("KCN Sóng Thần", 1, "KCN Tân Tạo", 1),
			SizeBands:      fv("small", 2, "large", 1, "medium", 1, "micro", 1),
			Verified:       fv("false", 4, "true", 1),
		}},
		// Each facet counts over the other filters only.
		{"process and province", sihub.CompanyFilter{Processes: []string{"injection_molding"}, Provinces: []string{"79"}}, 1, sihub.Facets{
			Processes:      fv("cnc_milling", 1, "injection_molding", 1, "stamping", 1),
			Sectors:        fv("22", 1),
			Certifications: fv("iso9001", 1),
			Provinces:      fv("74", 1, "79", 1),
			Parks:          fv("KCN Tân Tạo", 1),
			SizeBands:      fv("small", 1),
			Verified:       fv("true", 1),
		}},
		{"text and verified", sihub.CompanyFilter{Words: []string{"m"}, Verified: new(bool)}, 3, sihub.Facets{
			Processes:      fv("cnc_milling", 1, "injection_molding", 1, "pcb_assembly", 1, "stamping", 1),
			Sectors:        fv("25", 2, "26", 1),
			Certifications: fv("iatf16949", 1, "iso9001", 1),
			Provinces:      fv("74", 1, "75", 1, "79", 1),
			Parks:          fv(),
			SizeBands:      fv("large", 1, "micro", 1, "small", 1),
			Verified:       fv("false", 3),
		}},
		{"nothing matches", sihub.CompanyFilter{Words: []string{"nothing"}}, 0, sihub.Facets{
			Processes: fv(), Sectors: fv(), Certifications: fv(), Provinces: fv(), Parks: fv(), SizeBands: fv(), Verified: fv(),
		}},
	}
	forEachDialect(t, func(t *testing.T, db *DB) {
		directory(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := db.FindCompanies(context.Background(), tt.f, true)
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != tt.total || len(p.Items) != tt.total {
					t.Errorf("total %d, %d items; want %d", p.Total, len(p.Items), tt.total)
				}
				if !reflect.DeepEqual(*p.Facets, tt.want) {
					t.Errorf("facets\n%+v\nwant\n%+v", *p.Facets, tt.want)
				}
			})
		}
	})
}

func TestFacetLimit(t *testing.T) {
	forEachDialect(t, testFacetLimit)
}

func testFacetLimit(t *testing.T, db *DB) {
	var cs []*sihub.Company
	for i := range 60 {
		cs = append(cs, company(i+1, "C"+strconv.Itoa(i), func(c *sihub.Company) {
			c.IndustrialPark = "KCN " + strconv.Itoa(100+i)
			if i < 3 {
				c.IndustrialPark = "KCN 999"
			}
		}))
	}
	if _, _, err := db.UpsertCompanies(context.Background(), seqOf(cs...)); err != nil {
		t.Fatal(err)
	}
	p, err := db.FindCompanies(context.Background(), sihub.CompanyFilter{}, true)
	if err != nil {
		t.Fatal(err)
	}
	parks := p.Facets.Parks
	if len(parks) != facetLimit || parks[0] != (sihub.FacetValue{Value: "KCN 999", Count: 3}) || parks[1].Value != "KCN 103" {
		t.Errorf("%d parks, first %v", len(parks), parks[:2])
	}
}

func TestSort(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		ids := directory(t, db)
		time.Sleep(2 * time.Millisecond)
		c3, _ := db.Company(ctx, ids[3])
		c3.Description = "sửa"
		if err := db.UpdateCompany(ctx, c3); err != nil {
			t.Fatal(err)
		}
		// Without a query: verified first, then fuller profiles, then name.
		var all []*sihub.Company
		for _, n := range []int{1, 2, 3, 4, 6} {
			c, _ := db.Company(ctx, ids[n])
			all = append(all, c)
		}
		slices.SortStableFunc(all, func(a, b *sihub.Company) int {
			if a.Verified != b.Verified {
				if a.Verified {
					return -1
				}
				return 1
			}
			return completeness(b) - completeness(a)
		})
		tests := []struct {
			sort string
			f    sihub.CompanyFilter
			want []int
		}{
			{sihub.SortName, sihub.CompanyFilter{}, []int{1, 2, 3, 4, 6}},
			{sihub.SortEmployees, sihub.CompanyFilter{}, []int{2, 3, 6, 1, 4}},
			{sihub.SortFounded, sihub.CompanyFilter{}, []int{2, 1, 6, 4, 3}},
			{sihub.SortUpdated, sihub.CompanyFilter{}, []int{3, 6, 4, 2, 1}},
			{sihub.SortRelevance, sihub.CompanyFilter{}, numbers(ids, all)},
			{"", sihub.CompanyFilter{}, numbers(ids, all)},
			// With a query, the score comes before verification: 2
			// holds both alternatives and cnc_milling, a declared
			// capability; 3 holds that one; 1 (verified) only iso9001.
			{sihub.SortRelevance, sihub.CompanyFilter{Terms: [][]string{{"zpcncmilling", "zciso9001"}}}, []int{2, 3, 1}},
			// Equal scores: verified first, then fuller profiles.
			{sihub.SortRelevance, sihub.CompanyFilter{Words: []string{"plastics"}}, []int{1, 6}},
			// A word that is a whole token scores more than a prefix.
			{sihub.SortRelevance, sihub.CompanyFilter{Words: []string{"an"}, IncludeArchived: true}, []int{5, 1}},
			{sihub.SortName, sihub.CompanyFilter{Words: []string{"plastics"}}, []int{1, 6}},
		}
		for _, tt := range tests {
			t.Run(tt.sort, func(t *testing.T) {
				tt.f.Sort = tt.sort
				p, err := db.FindCompanies(ctx, tt.f, false)
				if err != nil {
					t.Fatal(err)
				}
				if got := numbers(ids, p.Items); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
	})
}

func TestPagination(t *testing.T) {
	forEachDialect(t, testPagination)
}

func testPagination(t *testing.T, db *DB) {
	ctx := context.Background()
	// Many ties in every order: the id must break them.
	var cs []*sihub.Company
	for i := range 23 {
		cs = append(cs, company(i+1, "Cùng Tên "+strconv.Itoa(i%3), func(c *sihub.Company) {
			c.Employees, c.Founded = 10*(i%2), 2000*(i%2)
			c.Products = "bulong"
		}))
	}
	if _, _, err := db.UpsertCompanies(ctx, seqOf(cs...)); err != nil {
		t.Fatal(err)
	}
	for _, sort := range sihub.SortOrders {
		for _, words := range [][]string{nil, {"bulong"}} {
			t.Run(sort+strings.Join(words, ""), func(t *testing.T) {
				f := sihub.CompanyFilter{Sort: sort, Words: words}
				var want []int64
				for c, err := range db.EachCompany(ctx, f) {
					if err != nil {
						t.Fatal(err)
					}
					want = append(want, c.ID)
				}
				var got []int64
				for f.Offset = 0; f.Offset < 30; f.Offset += 5 {
					f.Limit = 5
					p, err := db.FindCompanies(ctx, f, f.Offset == 10)
					if err != nil {
						t.Fatal(err)
					}
					if p.Total != 23 {
						t.Fatalf("offset %d: total %d", f.Offset, p.Total)
					}
					for _, c := range p.Items {
						got = append(got, c.ID)
					}
				}
				if len(want) != 23 || !reflect.DeepEqual(got, want) {
					t.Errorf("pages %v\nwant  %v", got, want)
				}
			})
		}
	}
}

func TestLimits(t *testing.T) {
	forEachDialect(t, testLimits)
}

func testLimits(t *testing.T, db *DB) {
	ctx := context.Background()
	var cs []*sihub.Company
	for i := range sihub.MaxLimit + 5 {
		cs = append(cs, company(i+1, "C"+strconv.Itoa(i)))
	}
	if _, _, err := db.UpsertCompanies(ctx, seqOf(cs...)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		limit, offset, items int
	}{
		{0, 0, sihub.DefaultLimit},
		{-3, 0, sihub.DefaultLimit},
		{10_000, 0, sihub.MaxLimit},
		{10, sihub.MaxLimit, 5},
		{10, -1, 10},
		{10, 1_000_000, 0},
	}
	for _, tt := range tests {
		p, err := db.FindCompanies(ctx, sihub.CompanyFilter{Limit: tt.limit, Offset: tt.offset}, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != tt.items || p.Total != sihub.MaxLimit+5 {
			t.Errorf("limit %d offset %d: %d items, total %d", tt.limit, tt.offset, len(p.Items), p.Total)
		}
	}
	n := 0
	for _, err := range db.EachCompany(ctx, sihub.CompanyFilter{Limit: 3, Offset: 7}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != sihub.MaxLimit+5 {
		t.Errorf("EachCompany yielded %d, want all %d", n, sihub.MaxLimit+5)
	}
	// Breaking out early releases the read transaction: writes go on.
	for range db.EachCompany(ctx, sihub.CompanyFilter{}) {
		break
	}
	mustCreate(t, db, company(9999, "Sau"))
}

func TestFTSInjection(t *testing.T) {
	forEachDialect(t, testFTSInjection)
}

func testFTSInjection(t *testing.T, db *DB) {
	ids := directory(t, db)
	all := []int{1, 2, 3, 4, 6}
	// Only the letters and digits of the input count, each as a word that
	// must begin an indexed word.
	tests := []struct {
		input string
		want  []int
	}{
		{`" OR * NEAR(`, []int{}},
		{`tokens:plastics`, []int{}},
		{`plastics OR zeta`, []int{}},
		{`NOT zeta`, []int{}},
		{`NEAR(zeta plastics, 2)`, []int{}},
		{`'; DROP TABLE companies; --`, []int{}},
		{`{tokens}: zeta`, []int{}},
		{`AND`, []int{}},
		{`^zeta`, []int{6}},
		{`-zeta`, []int{6}},
		{`zeta"*`, []int{6}},
		{`*`, all},
		{`"`, all},
		{`""`, all},
		{`(`, all},
		{"\x00", all},
		// PostgreSQL's tsquery syntax.
		{`a:* & ! | ( ' \ " <->`, []int{1, 3}},
		{`zeta:*`, []int{6}},
		{`!zeta`, []int{6}},
		{`zeta | plastics`, []int{6}}, // both words, as any words
		{`zeta & !plastics`, []int{6}},
		{`'zeta'`, []int{6}},
		{`''zeta''`, []int{6}},
		{`\'zeta`, []int{6}},
		{`zeta <-> molding`, []int{6}},
		{`zeta <2> molding`, []int{}},
		{`zeta:A`, []int{}},
		{`:*`, all},
	}
	ctx := context.Background()
	for _, tt := range tests {
		p, err := db.FindCompanies(ctx, sihub.CompanyFilter{Words: []string{tt.input}, Sort: sihub.SortName}, true)
		if err != nil {
			t.Fatalf("%q: %v", tt.input, err)
		}
		if got := numbers(ids, p.Items); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("word %q: got %v, want %v", tt.input, got, tt.want)
		}
		// As a term it must match a whole token, alone or among
		// alternatives, and never break the query.
		for _, f := range []sihub.CompanyFilter{
			{Terms: [][]string{{tt.input}}},
			{Terms: [][]string{{tt.input, "zpinjectionmolding"}}, Words: []string{tt.input}},
		} {
			if _, err := db.FindCompanies(ctx, f, true); err != nil {
				t.Errorf("%+v: %v", f, err)
			}
		}
	}
}

func TestSizeBandsMatchSihub(t *testing.T) {
	for n := 1; n <= 1000; n++ {
		var got string
		for _, b := range sizeBands {
			if n >= b.min && (b.max == 0 || n <= b.max) {
				got = b.name
			}
		}
		if want := sihub.SizeBand(n); got != want {
			t.Fatalf("%d employees: store band %q, sihub.SizeBand %q", n, got, want)
		}
	}
}

// sqlCount counts the matches of cf with the filter's SQL conditions alone.
func sqlCount(t *testing.T, db *DB, cf sihub.CompanyFilter) int {
	t.Helper()
	f, err := db.buildFilter(cf)
	if err != nil {
		t.Fatal(err)
	}
	where, args := f.where()
	var n int
	if err := db.r.QueryRow(db.q("SELECT COUNT(*) FROM companies c WHERE "+where), args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The directory index (index.go) evaluates filters, facets and orders in
// Go; it must agree with the SQL conditions and orders EachCompany uses. A facet value's count is, by
// definition, the number of matches when the facet's own filter is replaced
// by that value alone.
func TestFacetIndexMatchesSQL(t *testing.T) {
	forEachDialect(t, testFacetIndexMatchesSQL)
}

func testFacetIndexMatchesSQL(t *testing.T, db *DB) {
	ctx := context.Background()
	const n = 400
	if _, _, err := db.UpsertCompanies(ctx, genSeq(n, "v1")); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if i%5 == 0 {
			if err := db.SetVerified(ctx, int64(i), true, "t"); err != nil {
				t.Fatal(err)
			}
		}
		if i%9 == 0 {
			if err := db.SetArchived(ctx, int64(i), true); err != nil {
				t.Fatal(err)
			}
		}
	}
	var divisions []string
	for _, s := range genSectors {
		divisions = append(divisions, s[:2], s[:3])
	}
	bands := []string{sihub.SizeMicro, sihub.SizeSmall, sihub.SizeMedium, sihub.SizeLarge}
	words := []string{"minh", "co", "khuon", "th", "bulong", "zz"}
	subset := func(i, k int, from []string) []string {
		if mix(i, k)%3 != 0 {
			return nil
		}
		var out []string
		for j := range 1 + mix(i, k+1)%3 {
			out = append(out, pick(i, k+2+j, from))
		}
		return out
	}
	for i := range 60 {
		cf := sihub.CompanyFilter{
			Processes:       subset(i, 10, genProcesses),
			Certifications:  subset(i, 20, genCerts),
			Sectors:         subset(i, 30, divisions),
			Provinces:       subset(i, 40, genProvinces),
			Parks:           subset(i, 50, genParks[3:]),
			SizeBands:       subset(i, 60, bands),
			Words:           subset(i, 70, words),
			IncludeArchived: mix(i, 80)%4 == 0,
			Kind:            []sihub.Kind{"", "", sihub.Supplier, sihub.Buyer, sihub.Both}[mix(i, 81)%5],
		}
		if mix(i, 82)%4 == 0 {
			v := mix(i, 83)%2 == 0
			cf.Verified = &v
		}
		if mix(i, 84)%10 == 0 {
			cf.TaxCodes = []string{taxCode(mix(i, 85) % n), taxCode(mix(i, 86) % n), taxCode(n + 5)}
		}
		cf.Sort = sihub.SortOrders[mix(i, 87)%len(sihub.SortOrders)]
		cf.Limit, cf.Offset = 7, mix(i, 88)%3*7
		p, err := db.FindCompanies(ctx, cf, true)
		if err != nil {
			t.Fatal(err)
		}
		if want := sqlCount(t, db, cf); p.Total != want {
			t.Errorf("filter %d %+v: total %d, SQL counts %d", i, cf, p.Total, want)
		}
		// The page is the same slice of the order SQL gives.
		var want []int64
		for c, err := range db.EachCompany(ctx, cf) {
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, c.ID)
		}
		want = want[min(cf.Offset, len(want)):min(cf.Offset+cf.Limit, len(want))]
		var got []int64
		for _, c := range p.Items {
			got = append(got, c.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("filter %d %+v: page %v, SQL order gives %v", i, cf, got, want)
		}
		check := func(name string, got []sihub.FacetValue, universe []string, with func(cf *sihub.CompanyFilter, v string)) {
			counts := map[string]int{}
			for _, fv := range got {
				counts[fv.Value] = fv.Count
			}
			for _, v := range universe {
				g := cf
				with(&g, v)
				if want := sqlCount(t, db, g); counts[v] != want {
					t.Errorf("filter %d %+v: %s %q counted %d, SQL %d", i, cf, name, v, counts[v], want)
				}
			}
		}
		var divs []string
		for _, s := range genSectors {
			divs = append(divs, s[:2])
		}
		check("process", p.Facets.Processes, genProcesses, func(g *sihub.CompanyFilter, v string) { g.Processes = []string{v} })
		check("certification", p.Facets.Certifications, genCerts, func(g *sihub.CompanyFilter, v string) { g.Certifications = []string{v} })
		check("division", p.Facets.Sectors, divs, func(g *sihub.CompanyFilter, v string) { g.Sectors = []string{v} })
		check("province", p.Facets.Provinces, genProvinces, func(g *sihub.CompanyFilter, v string) { g.Provinces = []string{v} })
		check("park", p.Facets.Parks, genParks[3:], func(g *sihub.CompanyFilter, v string) { g.Parks = []string{v} })
		check("size", p.Facets.SizeBands, bands, func(g *sihub.CompanyFilter, v string) { g.SizeBands = []string{v} })
		check("verified", p.Facets.Verified, []string{"true", "false"}, func(g *sihub.CompanyFilter, v string) {
			b := v == "true"
			g.Verified = &b
		})
	}
}

// Readers share the directory index while a writer keeps changing the data:
// every page must be consistent with its own total (run with -race).
func TestConcurrentFind(t *testing.T) {
	forEachDialect(t, testConcurrentFind)
}

func testConcurrentFind(t *testing.T, db *DB) {
	ctx := context.Background()
	if _, _, err := db.UpsertCompanies(ctx, genSeq(200, "v1")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := db.CreateCompany(ctx, company(5000+i, "Mới "+strconv.Itoa(i))); err != nil {
				errs <- err
				return
			}
		}
	}()
	var readers sync.WaitGroup
	for r := range 4 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for i := range 25 {
				f := sihub.CompanyFilter{Sort: sihub.SortOrders[(r+i)%len(sihub.SortOrders)], Limit: 500}
				p, err := db.FindCompanies(ctx, f, i%2 == 0)
				if err != nil {
					errs <- err
					return
				}
				if p.Total < 200 || len(p.Items) != min(p.Total, 500) {
					errs <- fmt.Errorf("total %d with %d items", p.Total, len(p.Items))
					return
				}
			}
		}()
	}
	readers.Wait()
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

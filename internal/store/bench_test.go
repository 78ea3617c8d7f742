package store

import (
	"context"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store/internal/testdb"
)

// A deterministic generator of plausible companies for the benchmarks.
var (
	genSyllables = []string{"An", "Bình", "Châu", "Dũng", "Đông", "Gia", "Hà", "Hưng", "Khang", "Lâm",
		"Minh", "Nam", "Phát", "Quang", "Sơn", "Tân", "Thành", "Trí", "Việt", "Xuân", "Phúc", "Long", "Hòa", "Thịnh"}
	genTrades = []string{"Cơ khí", "Nhựa", "Khuôn mẫu", "Điện tử", "Bao bì", "Cao su", "Đúc", "Kim loại", "Linh kiện", "Dệt may"}
	genWords  = []string{"linh kiện", "khuôn", "ốc vít", "bulong", "vỏ hộp", "bánh răng", "trục", "bạc đạn", "bao bì",
		"nhãn", "dây điện", "bo mạch", "lò xo", "tấm", "ống", "van", "gioăng", "chi tiết", "xe máy", "ô tô"}
	genProvinces  = []string{"79", "74", "75", "80", "01", "31", "48", "92"}
	genParks      = []string{"", "", "", "KCN Tân Tạo", "KCN Sóng Thần", "KCN VSIP", "KCN Amata", "KCX Tân Thuận", "KCN Hiệp Phước", "KCN Long Hậu", "KCN Nhơn Trạch"}
	genProcesses  = make([]string, 40)
	genCerts      = []string{"iso9001", "iso14001", "iatf16949", "iso45001", "iso13485", "as9100", "iso50001", "fssc22000"}
	genSectors    = []string{"22110", "22120", "22201", "22209", "24100", "24310", "25110", "25120", "25910", "25920", "25930", "25990", "26100", "26200", "27320", "27900", "28190", "29300", "30910", "32900"}
	genMaterials  = []string{"sus304", "ss400", "adc12", "pa66", "abs", "pp", "pc", "copper", "a6061", "s45c"}
	genEquipment  = []string{"injection_press", "cnc_machining_center", "press", "laser_cutter", "die_casting_machine"}
	genProcesses0 = []string{"injection_molding", "blow_molding", "extrusion", "cnc_milling", "cnc_turning", "stamping", "deep_drawing",
		"die_casting", "sand_casting", "forging", "welding", "laser_cutting", "powder_coating", "electroplating", "anodizing",
		"heat_treatment", "grinding", "edm", "sheet_metal", "pcb_assembly"}
)

func init() {
	for i := range genProcesses {
		genProcesses[i] = genProcesses0[i%len(genProcesses0)]
		if i >= len(genProcesses0) {
			genProcesses[i] += "_" + strconv.Itoa(i/len(genProcesses0))
		}
	}
}

// mix is a splitmix64 step: pseudo-random numbers that depend only on i
// and k.
func mix(i, k int) int {
	x := uint64(i)*0x9E3779B97F4A7C15 + uint64(k)*0xBF58476D1CE4E5B9
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return int(x >> 1)
}

func pick[T any](i, k int, from []T) T { return from[mix(i, k)%len(from)] }

// genCompany returns the i-th synthetic company; version changes its text.
// Every 50th company is a branch of the one before.
func genCompany(i int, version string) *sihub.Company {
	name := pick(i, 1, genTrades) + " " + pick(i, 2, genSyllables) + " " + pick(i, 3, genSyllables)
	c := &sihub.Company{
		Kind:           []sihub.Kind{sihub.Supplier, sihub.Supplier, sihub.Supplier, sihub.Buyer, sihub.Both}[mix(i, 4)%5],
		TaxCode:        taxCode(i),
		Name:           "Công ty TNHH " + name + " " + strconv.Itoa(i),
		NameEn:         name + " Co., Ltd",
		Address:        strconv.Itoa(mix(i, 5)%300) + " đường số " + strconv.Itoa(mix(i, 6)%40),
		ProvinceCode:   pick(i, 7, genProvinces),
		IndustrialPark: pick(i, 8, genParks),
		Employees:      []int{0, 5, 25, 60, 120, 180, 350, 1200}[mix(i, 9)%8] + mix(i, 10)%20,
		Founded:        []int{0, 1990, 2000, 2005, 2010, 2015, 2020}[mix(i, 11)%7] + mix(i, 12)%5,
		Products:       pick(i, 13, genWords) + ", " + pick(i, 14, genWords) + " " + version,
		Description:    "Chuyên sản xuất " + pick(i, 15, genWords) + " và " + pick(i, 16, genWords),
		Phone:          "028 3" + strconv.Itoa(1000000+mix(i, 17)%8999999),
		Sectors:        []string{pick(i, 18, genSectors)},
		Contacts:       []sihub.Contact{{Name: "Nguyễn " + pick(i, 19, genSyllables), Role: "Giám đốc"}},
	}
	if c.Founded < 1990 {
		c.Founded = 0
	}
	if i%50 == 49 {
		c.TaxCode = taxCode(i-1) + "001"
	}
	for k := range 1 + mix(i, 20)%4 {
		c.Capabilities = append(c.Capabilities, sihub.Capability{Process: pick(i, 30+k, genProcesses), Core: k == 0, Source: sihub.Declared})
	}
	for k := range mix(i, 21) % 3 {
		c.Certifications = append(c.Certifications, sihub.Certification{Scheme: pick(i, 40+k, genCerts), Source: sihub.Declared})
	}
	for k := range mix(i, 22) % 3 {
		c.Materials = append(c.Materials, sihub.Material{Code: pick(i, 50+k, genMaterials), Source: sihub.Inferred})
	}
	if mix(i, 23)%3 == 0 {
		c.Equipment = []sihub.Equipment{{Kind: pick(i, 60, genEquipment), Count: 1 + mix(i, 61)%20, Capacity: float64(50 + mix(i, 62)%500), Unit: "t", Source: sihub.Declared}}
	}
	var texts []string
	for _, x := range c.Capabilities {
		texts = append(texts, strings.ReplaceAll(x.Process, "_", " "))
	}
	c.CapabilitiesText = strings.Join(texts, ", ")
	return c
}

func genSeq(n int, version string) iter.Seq2[*sihub.Company, error] {
	return func(yield func(*sihub.Company, error) bool) {
		for i := range n {
			if !yield(genCompany(i, version), nil) {
				return
			}
		}
	}
}

const benchCompanies = 100_000

// BenchmarkUpsertCompanies imports 100k companies into a new database, then
// again unchanged, then again changed.
func BenchmarkUpsertCompanies(b *testing.B) {
	ctx := context.Background()
	for _, bc := range []struct {
		name    string
		prepare string // version imported before the timer starts, "" for none
		version string
	}{
		{"create", "", "v1"},
		{"unchanged", "v1", "v1"},
		{"changed", "v1", "v2"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				db := openTestDB(b)
				if bc.prepare != "" {
					if _, _, err := db.UpsertCompanies(ctx, genSeq(benchCompanies, bc.prepare)); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				created, updated, err := db.UpsertCompanies(ctx, genSeq(benchCompanies, bc.version))
				if err != nil {
					b.Fatal(err)
				}
				if created+updated != benchCompanies {
					b.Fatalf("%d created, %d updated", created, updated)
				}
			}
			b.ReportMetric(float64(benchCompanies*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkFindCompanies runs typical directory queries over 100k
// companies, on SQLite and, when SIHUB_TEST_POSTGRES is set, PostgreSQL.
func BenchmarkFindCompanies(b *testing.B) {
	for _, d := range testdb.Dialects(b) {
		b.Run(d, func(b *testing.B) { benchFind(b, benchDB(b, d)) })
	}
}

func benchFind(b *testing.B, db *DB) {
	ctx := context.Background()
	b.Run("index-build", func(b *testing.B) {
		// What the first query after a write pays: rebuilding the
		// in-memory directory index.
		for b.Loop() {
			db.cache.idx = nil
			if _, err := db.FindCompanies(ctx, sihub.CompanyFilter{}, true); err != nil {
				b.Fatal(err)
			}
		}
	})
	yes := true
	for _, bc := range []struct {
		name   string
		f      sihub.CompanyFilter
		facets bool
	}{
		{"directory+facets", sihub.CompanyFilter{}, true},
		{"directory-page50+facets", sihub.CompanyFilter{Offset: 50 * sihub.DefaultLimit}, true},
		{"directory-byname", sihub.CompanyFilter{Sort: sihub.SortName}, false},
		{"word+facets", sihub.CompanyFilter{Words: []string{"thinh"}}, true},
		{"two-words+facets", sihub.CompanyFilter{Words: []string{"khuon", "bulong"}}, true},
		{"term+facets", sihub.CompanyFilter{Terms: [][]string{{"zpinjectionmolding", "zpblowmolding"}}}, true},
		{"term+word+province+facets", sihub.CompanyFilter{Terms: [][]string{{"zpcncmilling"}}, Words: []string{"oc"}, Provinces: []string{"79"}}, true},
		{"process+cert+size+facets", sihub.CompanyFilter{Processes: []string{"stamping", "deep_drawing"}, Certifications: []string{"iatf16949"}, SizeBands: []string{sihub.SizeMedium, sihub.SizeLarge}}, true},
		{"sector+verified+facets", sihub.CompanyFilter{Sectors: []string{"25"}, Verified: &yes}, true},
		{"common-word-byemployees", sihub.CompanyFilter{Words: []string{"cong"}, Sort: sihub.SortEmployees}, false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			total := 0
			for b.Loop() {
				p, err := db.FindCompanies(ctx, bc.f, bc.facets)
				if err != nil {
					b.Fatal(err)
				}
				total = p.Total
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

// benchDB returns a database of benchCompanies synthetic companies, one in
// seven verified. Building it takes a while: when SIHUB_BENCH_DB names a
// file, the SQLite database is kept there and reused by later runs. The
// PostgreSQL one is a Copy of it.
func benchDB(b *testing.B, dialect string) *DB {
	ctx := context.Background()
	if dialect == "postgres" {
		db := openTest(b, dialect)
		start := time.Now()
		rep, err := Copy(ctx, benchDB(b, "sqlite"), db)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("copied in %v: %+v", time.Since(start).Round(time.Millisecond), rep.Tables)
		return db
	}
	path := os.Getenv("SIHUB_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	db := openDSN(b, path)
	st, err := db.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if st.Companies+st.Archived == benchCompanies {
		return db
	}
	if st.Companies+st.Archived != 0 {
		b.Fatalf("%s holds %d companies, not %d", path, st.Companies+st.Archived, benchCompanies)
	}
	if _, _, err := db.UpsertCompanies(ctx, genSeq(benchCompanies, "v1")); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < benchCompanies; i += 7 {
		if err := db.SetVerified(ctx, int64(i+1), true, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	return db
}

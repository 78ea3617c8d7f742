package match

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/taxonomy"
)

var testNow = time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)

// supplierOf builds a supplier the way the directory stores one: its
// capability columns recognized by Analyze; certificates are set apart
// because their expiry is what the tests vary.
func supplierOf(id int64, caps, mats, equip string, certs ...sihub.Certification) *sihub.Company {
	c := &sihub.Company{ID: id, Kind: sihub.Supplier, TaxCode: fmt.Sprintf("%010d", id), Name: fmt.Sprintf("Công ty %d", id),
		ProvinceCode: "79", CapabilitiesText: caps, MaterialsText: mats, EquipmentText: equip}
	Analyze(c)
	c.Certifications = certs
	return c
}

func cert(scheme, until string) sihub.Certification {
	return sihub.Certification{Scheme: scheme, ValidUntil: until, Source: sihub.Declared}
}

func preparedDemand(t testing.TB, d sihub.Demand) *sihub.Demand {
	t.Helper()
	d.BuyerTaxCode, d.Ref = "0100112437", "T-1"
	if _, err := PrepareDemand(&d); err != nil {
		t.Fatal(err)
	}
	return &d
}

func ids(r Result) (matches, near []int64) {
	for _, s := range r.Matches {
		matches = append(matches, s.Company.ID)
	}
	for _, n := range r.NearMisses {
		near = append(near, n.Company.ID)
	}
	return
}

func joinMsgs(ms []sihub.Msg, lang sihub.Lang) string {
	var b []string
	for _, m := range ms {
		b = append(b, m.In(lang))
	}
	return strings.Join(b, " | ")
}

func TestMatch(t *testing.T) {
	// An injection-molding demand: ABS, IATF 16949, presses of 450 t.
	d := preparedDemand(t, sihub.Demand{TitleEn: "Plastic gearbox cover",
		Description:   "Material ABS. Process: injection molding. Supplier must hold IATF 16949. Requires injection machines of at least 450 tons.",
		ProvinceInput: "TP. Hồ Chí Minh"})
	suppliers := []*sihub.Company{
		supplierOf(1, "ép phun nhựa", "ABS, PC", "máy ép nhựa 80-650 tấn", cert("iatf16949", "2027-03-31")),
		supplierOf(2, "ép phun nhựa", "PP", "máy ép nhựa 500 tấn", cert("iatf16949", "")),
		supplierOf(3, "ép phun nhựa", "ABS", "máy ép nhựa 280 tấn", cert("iatf16949", "2027-03-31")),
		supplierOf(4, "ép phun nhựa", "ABS", "máy ép nhựa 650 tấn"),
		supplierOf(5, "ép phun nhựa", "ABS", "máy ép nhựa 650 tấn", cert("iatf16949", "2025-01-31")),
		supplierOf(6, "dập kim loại", "ABS", "máy dập 650 tấn", cert("iatf16949", "2027-03-31")),
		supplierOf(7, "ép phun nhựa", "ABS", "máy ép nhựa 200 tấn"),
		supplierOf(8, "ép phun nhựa", "ABS", "máy ép nhựa 650 tấn", cert("iatf16949", "2027-03-31")),
		supplierOf(9, "ép phun nhựa", "ABS", "máy ép nhựa 650 tấn", cert("iatf16949", "2027-03-31")),
	}
	suppliers[7].Archived = true
	suppliers[8].Kind = sihub.Buyer
	ix := NewIndex(suppliers)
	r := ix.Match(d, testNow, 20)
	matches, near := ids(r)

	t.Run("qualified and near misses", func(t *testing.T) {
		if fmt.Sprint(matches) != "[1 2]" {
			t.Errorf("matches %v; want [1 2] (1 has worked ABS, 2 has not)", matches)
		}
		// 3: press too small; 4: no certificate; 5: expired; 7: both.
		if fmt.Sprint(near) != "[3 4 5 7]" {
			t.Errorf("near misses %v; want [3 4 5 7]", near)
		}
		if r.Qualified != 2 || r.NearMissCount != 4 {
			t.Errorf("counts %d, %d; want 2, 4", r.Qualified, r.NearMissCount)
		}
	})
	t.Run("a supplier is never both", func(t *testing.T) {
		seen := map[int64]bool{}
		for _, id := range append(matches, near...) {
			if seen[id] {
				t.Errorf("supplier %d listed twice", id)
			}
			seen[id] = true
		}
		for _, id := range []int64{6, 8, 9} {
			if seen[id] {
				t.Errorf("supplier %d (no process, archived or buyer) must never be listed", id)
			}
		}
	})
	t.Run("reasons", func(t *testing.T) {
		en, vi := joinMsgs(r.Matches[0].Reasons, sihub.EN), joinMsgs(r.Matches[0].Reasons, sihub.VI)
		for _, want := range []string{"Plastic injection molding ✓ from 'ép phun nhựa'", "IATF 16949 ✓ valid to 2027-03", "650 t ≥ 450 t ✓", "has worked ABS", "in the delivery province"} {
			if !strings.Contains(en, want) {
				t.Errorf("English reasons %q lack %q", en, want)
			}
		}
		for _, want := range []string{"✓ từ 'ép phun nhựa'", "IATF 16949 ✓ hiệu lực đến 2027-03", "đã làm Nhựa ABS", "cùng tỉnh giao hàng"} {
			if !strings.Contains(vi, want) {
				t.Errorf("Vietnamese reasons %q lack %q", vi, want)
			}
		}
		if en := joinMsgs(r.Matches[1].Reasons, sihub.EN); !strings.Contains(en, "IATF 16949 ✓ validity unverified") {
			t.Errorf("unknown expiry not flagged: %q", en)
		}
	})
	t.Run("gaps", func(t *testing.T) {
		want := map[int64][2]string{
			3: {"Injection molding machine 280 t < 450 t needed", "280 t < 450 t yêu cầu"},
			4: {"lacks IATF 16949", "chưa có IATF 16949"},
			5: {"IATF 16949 expired 2025-01-31", "IATF 16949 đã hết hạn 2025-01-31"},
			7: {"lacks IATF 16949", "200 t < 450 t yêu cầu"},
		}
		for _, n := range r.NearMisses {
			w := want[n.Company.ID]
			en, vi := joinMsgs(n.Gaps, sihub.EN), joinMsgs(n.Gaps, sihub.VI)
			if !strings.Contains(en, w[0]) || !strings.Contains(vi, w[1]) {
				t.Errorf("supplier %d gaps %q / %q; want %q / %q", n.Company.ID, en, vi, w[0], w[1])
			}
		}
		if len(r.NearMisses) > 0 && len(r.NearMisses[len(r.NearMisses)-1].Gaps) != 2 {
			t.Errorf("the near miss with two gaps should come last: %+v", r.NearMisses)
		}
	})
	t.Run("adding the missing certificate qualifies", func(t *testing.T) {
		c := *suppliers[3]
		c.Certifications = []sihub.Certification{cert("iatf16949", "2028-01-01")}
		ix.Put(&c)
		m, n := ids(ix.Match(d, testNow, 20))
		if !contains(m, 4) || contains(n, 4) {
			t.Errorf("after the certificate: matches %v near %v; want 4 among matches only", m, n)
		}
	})
	t.Run("a certificate expires", func(t *testing.T) {
		later := time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
		m, n := ids(ix.Match(d, later, 20))
		if contains(m, 1) || !contains(n, 1) {
			t.Errorf("after expiry: matches %v near %v; want 1 among near misses", m, n)
		}
		// The last day of validity still counts, in Vietnam's time.
		lastDay := time.Date(2027, 3, 31, 16, 0, 0, 0, time.UTC) // 23:00 in Vietnam
		if m, _ := ids(ix.Match(d, lastDay, 20)); !contains(m, 1) {
			t.Errorf("on its last day the certificate should still count: %v", m)
		}
	})
	t.Run("limit and remove", func(t *testing.T) {
		r := ix.Match(d, testNow, 1)
		if len(r.Matches) != 1 || len(r.NearMisses) != 1 || r.Qualified < 2 {
			t.Errorf("limit 1: %d matches, %d near, %d qualified", len(r.Matches), len(r.NearMisses), r.Qualified)
		}
		ix.Remove(1)
		if m, n := ids(ix.Match(d, testNow, 20)); contains(m, 1) || contains(n, 1) {
			t.Errorf("removed supplier still matched")
		}
		archived := *suppliers[1]
		archived.Archived = true
		ix.Put(&archived)
		if m, _ := ids(ix.Match(d, testNow, 20)); contains(m, 2) {
			t.Errorf("archiving must remove a supplier from the index")
		}
	})
}

func contains(s []int64, v int64) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestMatchProcessCoverage(t *testing.T) {
	tests := []struct {
		name      string
		demand    string
		caps      string
		qualified bool
		via       string // a reason naming the bundle sibling that covers the process
	}{
		{"a CNC turning demand is met by a CNC shop", "Process: CNC turning", "gia công CNC", true, ""},
		{"a sheet-metal bundle covers bending", "Process: CNC bending", "cắt laser", true, "✓ via Laser cutting from 'cắt laser'"},
		{"a generic plastics shop does not blow-mold", "Process: blow molding", "gia công nhựa", false, ""},
		{"every required process is needed", "Process: die casting, CNC machining", "đúc áp lực", false, ""},
		{"unaccented supplier text", "Process: injection molding", "ep phun nhua", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := preparedDemand(t, sihub.Demand{TitleEn: "Part", Description: tt.demand})
			r := NewIndex([]*sihub.Company{supplierOf(1, tt.caps, "", "")}).Match(d, testNow, 10)
			if got := len(r.Matches) == 1; got != tt.qualified {
				t.Errorf("qualified %v; want %v (demand processes %v, supplier %+v)", got, tt.qualified, d.Processes, r)
			}
			if len(r.NearMisses) != 0 {
				t.Errorf("near misses %+v; want none (no closable requirement)", r.NearMisses)
			}
			if tt.via != "" && (len(r.Matches) == 0 || !strings.Contains(joinMsgs(r.Matches[0].Reasons, sihub.EN), tt.via)) {
				t.Errorf("reasons %+v; want %q", r.Matches, tt.via)
			}
		})
	}
}

func TestMatchSoftSignals(t *testing.T) {
	d := preparedDemand(t, sihub.Demand{TitleEn: "Extruded plastic tube", Description: "Material PVC. Process: plastic extrusion.", ProvinceInput: "Hà Nội"})
	plain := supplierOf(1, "đùn nhựa", "PE", "")
	material := supplierOf(2, "đùn nhựa", "PVC", "")
	verified := supplierOf(3, "đùn nhựa", "PE", "")
	verified.Verified = true
	near := supplierOf(4, "đùn nhựa", "PE", "")
	near.ProvinceCode = d.DeliveryProvince
	words := supplierOf(5, "đùn nhựa", "PE", "")
	words.Products = "extruded tube, hose"
	r := NewIndex([]*sihub.Company{plain, material, verified, near, words}).Match(d, testNow, 10)
	m, _ := ids(r)
	if len(m) != 5 || m[0] != 2 || m[len(m)-1] != 1 {
		t.Errorf("ranking %v; want material experience (2) first and the supplier with no signal (1) last", m)
	}
	for _, s := range r.Matches {
		if s.Score < 0 || s.Score > 1 {
			t.Errorf("score %v out of [0, 1]", s.Score)
		}
	}
	if en := joinMsgs(r.Matches[len(m)-1].Reasons, sihub.EN); strings.Contains(en, "verified") {
		t.Errorf("unverified supplier reasons %q", en)
	}
}

func TestMatchNoProcess(t *testing.T) {
	d := &sihub.Demand{Certifications: []string{"iso9001"}}
	r := NewIndex([]*sihub.Company{supplierOf(1, "ép nhựa", "", "", cert("iso9001", ""))}).Match(d, testNow, 10)
	if len(r.Matches)+len(r.NearMisses) != 0 {
		t.Errorf("a demand without processes matched %+v", r)
	}
}

// TestIndexConcurrent runs readers against a writer; run with -race.
func TestIndexConcurrent(t *testing.T) {
	d := preparedDemand(t, sihub.Demand{TitleEn: "Cover", Description: "Process: injection molding."})
	ix := NewIndex(nil)
	var wg sync.WaitGroup
	for r := 0; r < 4; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				res := ix.Match(d, testNow, 5)
				for _, s := range res.Matches {
					if s.Company == nil {
						t.Error("nil company")
					}
				}
			}
		}()
	}
	for i := int64(1); i <= 200; i++ {
		ix.Put(supplierOf(i, "ép nhựa", "ABS", ""))
		if i%3 == 0 {
			ix.Remove(i - 1)
		}
	}
	wg.Wait()
	if n := ix.Len(); n != 200-66 {
		t.Errorf("index holds %d; want %d", n, 200-66)
	}
}

// generated builds n suppliers with random processes, materials,
// certificates and presses from the taxonomy.
func generated(n int) []*sihub.Company {
	rng := rand.New(rand.NewPCG(1, 2))
	procs, mats, certs := taxonomy.Processes(), taxonomy.Materials(), taxonomy.Certifications()
	out := make([]*sihub.Company, n)
	for i := range out {
		c := &sihub.Company{ID: int64(i + 1), Kind: sihub.Supplier, Name: fmt.Sprintf("Công ty %d", i), ProvinceCode: []string{"79", "75", "01"}[rng.IntN(3)],
			Employees: rng.IntN(500), Verified: rng.IntN(4) == 0}
		for k := 0; k < 1+rng.IntN(4); k++ {
			p := procs[rng.IntN(len(procs))]
			c.Capabilities = append(c.Capabilities, sihub.Capability{Process: p.Code, Core: k == 0, Source: sihub.Declared, Evidence: p.VI})
			if p.Equipment != "" {
				c.Equipment = append(c.Equipment, sihub.Equipment{Kind: p.Equipment, Capacity: float64(50 * (1 + rng.IntN(20))), Unit: "t"})
			}
		}
		for k := 0; k < rng.IntN(6); k++ {
			c.Materials = append(c.Materials, sihub.Material{Code: mats[rng.IntN(len(mats))].Code})
		}
		for k := 0; k < rng.IntN(3); k++ {
			c.Certifications = append(c.Certifications, sihub.Certification{Scheme: certs[rng.IntN(len(certs))].Code,
				ValidUntil: []string{"", "2025-06-30", "2028-12-31"}[rng.IntN(3)]})
		}
		c.Description = "Chuyên " + c.Capabilities[0].Evidence + " cho khách hàng FDI, sản phẩm vỏ nhựa, linh kiện"
		out[i] = c
	}
	return out
}

func BenchmarkIndexBuild(b *testing.B) {
	cs := generated(100_000)
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(cs)
	}
}

func BenchmarkMatch(b *testing.B) {
	cs := generated(100_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ix := NewIndex(cs)
	runtime.GC()
	runtime.ReadMemStats(&after)
	d := preparedDemand(b, sihub.Demand{TitleEn: "Plastic gearbox cover",
		Description: "Material PA66 GF30. Process: injection molding. Supplier must hold IATF 16949. Requires injection machines of at least 450 tons."})
	b.ReportAllocs()
	b.ResetTimer()
	var r Result
	for b.Loop() {
		r = ix.Match(d, testNow, 20)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "index-MiB")
	b.ReportMetric(float64(r.Qualified), "qualified")
	b.ReportMetric(float64(r.NearMissCount), "near-misses")
}

// BenchmarkMatchCatalogue matches a buyer's list of 400 parts, each asking
// for one or two random processes, a certificate and sometimes a press size,
// against 100k suppliers; it reports the slowest 1% of single demands, in
// wall time and in the CPU time of the matching thread.
func BenchmarkMatchCatalogue(b *testing.B) {
	ix := NewIndex(generated(100_000))
	rng := rand.New(rand.NewPCG(3, 4))
	procs, certs := taxonomy.Processes(), taxonomy.Certifications()
	demands := make([]*sihub.Demand, 400)
	for i := range demands {
		d := &sihub.Demand{Title: "Linh kiện", Processes: []string{procs[rng.IntN(len(procs))].Code},
			Certifications: []string{certs[rng.IntN(len(certs))].Code}}
		if rng.IntN(2) == 0 {
			d.Processes = append(d.Processes, procs[rng.IntN(len(procs))].Code)
		}
		if p, _ := taxonomy.ProcessByCode(d.Processes[0]); p.Equipment != "" && rng.IntN(2) == 0 {
			d.MinCapacity = &sihub.CapacityReq{Equipment: p.Equipment, Min: 300, Unit: "t"}
		}
		demands[i] = d
	}
	var times, cpu []time.Duration
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range demands {
			start, startCPU := time.Now(), threadCPU()
			ix.Match(d, testNow, 20)
			times, cpu = append(times, time.Since(start)), append(cpu, threadCPU()-startCPU)
		}
	}
	p := func(ts []time.Duration, q int) float64 {
		slices.Sort(ts)
		return float64(ts[len(ts)*q/100].Microseconds()) / 1000
	}
	b.ReportMetric(p(times, 50), "p50-ms/demand")
	b.ReportMetric(p(times, 99), "p99-ms/demand")
	b.ReportMetric(p(cpu, 99), "p99-cpu-ms/demand")
}

// BenchmarkAssessOpportunities assesses one supplier against a catalogue of
// 400 open demands, as its opportunities page does, at 100k suppliers.
func BenchmarkAssessOpportunities(b *testing.B) {
	cs := generated(100_000)
	ix := NewIndex(cs)
	demands := variedDemands(400, 31)
	b.ReportAllocs()
	found := 0
	for b.Loop() {
		found = 0
		for _, d := range demands {
			if _, ok := ix.Assess(d, cs[7].ID, testNow); ok {
				found++
			}
		}
	}
	b.ReportMetric(float64(found), "opportunities")
}

func TestProcSetFits(t *testing.T) {
	if n := len(taxonomy.Processes()); n > maxProcs {
		t.Fatalf("the taxonomy has %d processes; procSet holds %d: widen it", n, maxProcs)
	}
}

func TestMatSetFits(t *testing.T) {
	if n := len(taxonomy.Materials()); n > maxMats {
		t.Errorf("the taxonomy has %d materials; matSet holds %d: widen it", n, maxMats)
	}
	if n := len(famBit()); n > maxFams {
		t.Errorf("the taxonomy has %d material families; a supplier's family set holds %d: widen it", n, maxFams)
	}
}

// variedDemands returns n demands drawn from the taxonomy the way a buyer's
// list varies: one or two processes, zero to two certificates, materials,
// sometimes a delivery province and a minimum press.
func variedDemands(n int, seed uint64) []*sihub.Demand {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	procs, certs, mats := taxonomy.Processes(), taxonomy.Certifications(), taxonomy.Materials()
	titles := []string{"Linh kiện", "Vỏ nhựa", "Gear housing", "Bánh răng, trục", "Chuyên cho khách hàng FDI"}
	out := make([]*sihub.Demand, n)
	for i := range out {
		d := &sihub.Demand{Title: titles[rng.IntN(len(titles))], Processes: []string{procs[rng.IntN(len(procs))].Code}}
		if rng.IntN(2) == 0 {
			d.Processes = append(d.Processes, procs[rng.IntN(len(procs))].Code)
		}
		for k := 0; k < rng.IntN(3); k++ {
			d.Certifications = append(d.Certifications, certs[rng.IntN(len(certs))].Code)
		}
		for k := 0; k < rng.IntN(3); k++ {
			d.Materials = append(d.Materials, mats[rng.IntN(len(mats))].Code)
		}
		if rng.IntN(2) == 0 {
			d.DeliveryProvince = []string{"79", "75", "01", "48"}[rng.IntN(4)]
		}
		if p, _ := taxonomy.ProcessByCode(d.Processes[0]); p.Equipment != "" && rng.IntN(2) == 0 {
			d.MinCapacity = &sihub.CapacityReq{Equipment: p.Equipment, Min: float64(50 * rng.IntN(15)), Unit: "t"}
		}
		out[i] = d
	}
	return out
}

// meets is the hard-requirement rule written plainly, apart from the
// engine: whether c offers every required process and how many closable
// requirements (certificates valid at now, the minimum capacity) it fails.
func meets(c *sihub.Company, d *sihub.Demand, now time.Time) (processes bool, gaps int) {
	processes = true
	for _, w := range d.Processes {
		processes = processes && slices.ContainsFunc(c.Capabilities, func(cp sihub.Capability) bool {
			return taxonomy.ProcessCovers(cp.Process, w)
		})
	}
	for _, s := range d.Certifications {
		if !slices.ContainsFunc(c.Certifications, func(ce sihub.Certification) bool {
			t, err := time.Parse(time.DateOnly, ce.ValidUntil)
			return ce.Scheme == s && (err != nil || !sihub.DeadlineOf(t).Before(now))
		}) {
			gaps++
		}
	}
	if r := d.MinCapacity; r != nil && !slices.ContainsFunc(c.Equipment, func(eq sihub.Equipment) bool {
		return eq.Kind == r.Equipment && (eq.Unit == "" || eq.Unit == r.Unit) && eq.Capacity >= r.Min
	}) {
		gaps++
	}
	return processes, gaps
}

// TestMatchInvariants checks every listing of generated demands against
// the plain rule: a supplier is qualified exactly when it meets every hard
// requirement, a near miss exactly when it has the processes and fails one
// or two of the rest, never both; the lists are in rank order; a limit
// keeps the head of the unlimited lists.
func TestMatchInvariants(t *testing.T) {
	cs := generated(3000)
	ix := NewIndex(cs)
	for i, d := range variedDemands(60, 11) {
		now := []time.Time{testNow, testNow.AddDate(3, 0, 0)}[i%2]
		r := ix.Match(d, now, 0)
		listed := map[int64]string{}
		for _, s := range r.Matches {
			listed[s.Company.ID] = "qualified"
		}
		for _, n := range r.NearMisses {
			if listed[n.Company.ID] != "" {
				t.Fatalf("demand %d: supplier %d is both qualified and a near miss", i, n.Company.ID)
			}
			listed[n.Company.ID] = "near"
		}
		for _, c := range cs {
			procs, gaps := meets(c, d, now)
			want := ""
			switch {
			case procs && gaps == 0:
				want = "qualified"
			case procs && gaps <= MaxGaps:
				want = "near"
			}
			if listed[c.ID] != want {
				t.Fatalf("demand %d %+v at %s: supplier %d listed %q; want %q (processes %v, %d gaps)",
					i, *d, now.Format(time.DateOnly), c.ID, listed[c.ID], want, procs, gaps)
			}
		}
		if r.Qualified != len(r.Matches) || r.NearMissCount != len(r.NearMisses) {
			t.Errorf("demand %d: counts %d, %d for lists of %d, %d", i, r.Qualified, r.NearMissCount, len(r.Matches), len(r.NearMisses))
		}
		if !slices.IsSortedFunc(r.Matches, func(a, b Scored) int { return -cmpScore(a.Score, b.Score) }) {
			t.Errorf("demand %d: matches not best first", i)
		}
		if !slices.IsSortedFunc(r.NearMisses, func(a, b NearMiss) int {
			if c := len(a.Gaps) - len(b.Gaps); c != 0 {
				return c
			}
			return -cmpScore(a.Score, b.Score)
		}) {
			t.Errorf("demand %d: near misses not ordered by gaps, then score", i)
		}
		for _, limit := range []int{1, 7, 20} {
			l := ix.Match(d, now, limit)
			m, n := ids(l)
			am, an := ids(r)
			if !slices.Equal(m, am[:min(limit, len(am))]) || !slices.Equal(n, an[:min(limit, len(an))]) {
				t.Errorf("demand %d limit %d: %v / %v; want the head of %v / %v", i, limit, m, n, am, an)
			}
			if l.Qualified != r.Qualified || l.NearMissCount != r.NearMissCount {
				t.Errorf("demand %d limit %d: counts %d, %d; want %d, %d", i, limit, l.Qualified, l.NearMissCount, r.Qualified, r.NearMissCount)
			}
		}
	}
}

func cmpScore(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestAssess checks that a supplier's own view of a demand (its
// opportunities) says what the demand's ranking says of it.
func TestAssess(t *testing.T) {
	cs := generated(2000)
	buyer := supplierOf(900_001, "ép phun nhựa", "ABS", "")
	buyer.Kind = sihub.Buyer
	ix := NewIndex(append(cs, buyer))
	demands := append(variedDemands(40, 21), preparedDemand(t, sihub.Demand{TitleEn: "Plastic gearbox cover",
		Description: "Material ABS. Process: injection molding. Supplier must hold IATF 16949. Requires injection machines of at least 450 tons."}))
	for i, d := range demands {
		r := ix.Match(d, testNow, 0)
		qual, near := map[int64]Scored{}, map[int64]NearMiss{}
		for _, s := range r.Matches {
			qual[s.Company.ID] = s
		}
		for _, n := range r.NearMisses {
			near[n.Company.ID] = n
		}
		for _, c := range cs {
			a, ok := ix.Assess(d, c.ID, testNow)
			s, isQual := qual[c.ID]
			n, isNear := near[c.ID]
			switch {
			case ok != (isQual || isNear) || a.Qualified != isQual || a.Near != isNear:
				t.Fatalf("demand %d supplier %d: Assess %v %+v; Match qualified %v, near miss %v", i, c.ID, ok, a, isQual, isNear)
			case isQual && (a.Score != s.Score || !reflect.DeepEqual(a.Reasons, s.Reasons) || len(a.Gaps) != 0):
				t.Fatalf("demand %d supplier %d: Assess %+v; Match %+v", i, c.ID, a, s)
			case isNear && (a.Score != n.Score || !reflect.DeepEqual(a.Reasons, n.Reasons) || !reflect.DeepEqual(a.Gaps, n.Gaps)):
				t.Fatalf("demand %d supplier %d: Assess %+v; Match %+v", i, c.ID, a, n)
			}
		}
		for _, id := range []int64{buyer.ID, 12_345_678} {
			if a, ok := ix.Assess(d, id, testNow); ok {
				t.Errorf("demand %d: company %d (buyer or not indexed) assessed %+v", i, id, a)
			}
		}
	}
	if _, ok := ix.Assess(&sihub.Demand{Certifications: []string{"iso9001"}}, cs[0].ID, testNow); ok {
		t.Error("a demand without processes assessed a supplier")
	}
}

// TestAssessVerdicts follows one supplier as it closes its gaps.
func TestAssessVerdicts(t *testing.T) {
	d := preparedDemand(t, sihub.Demand{TitleEn: "Plastic gearbox cover",
		Description: "Material ABS. Process: injection molding. Supplier must hold IATF 16949. Requires injection machines of at least 450 tons."})
	c := supplierOf(1, "ép phun nhựa", "ABS", "máy ép nhựa 280 tấn")
	ix := NewIndex([]*sihub.Company{c, supplierOf(2, "dập kim loại", "", "")})
	if a, ok := ix.Assess(d, 2, testNow); ok {
		t.Errorf("a supplier without the process assessed %+v", a)
	}
	steps := []struct {
		name      string
		equip     string
		certs     []sihub.Certification
		qualified bool
		near      bool
		text      string // in the gaps of a near miss, the reasons of a match
	}{
		{"press too small and no certificate", "máy ép nhựa 280 tấn", nil, false, true, "lacks IATF 16949 | Injection molding machine 280 t < 450 t needed"},
		{"certificate expired", "máy ép nhựa 500 tấn", []sihub.Certification{cert("iatf16949", "2025-01-31")}, false, true, "IATF 16949 expired 2025-01-31"},
		{"valid certificate", "máy ép nhựa 500 tấn", []sihub.Certification{cert("iatf16949", "2027-03-31")}, true, false, "IATF 16949 ✓ valid to 2027-03"},
		{"no known expiry", "máy ép nhựa 500 tấn", []sihub.Certification{cert("iatf16949", "")}, true, false, "IATF 16949 ✓ validity unverified"},
	}
	for _, st := range steps {
		c := supplierOf(1, "ép phun nhựa", "ABS", st.equip, st.certs...)
		ix.Put(c)
		a, ok := ix.Assess(d, 1, testNow)
		msgs := a.Gaps
		if st.qualified {
			msgs = a.Reasons
		}
		if !ok || a.Qualified != st.qualified || a.Near != st.near || !strings.Contains(joinMsgs(msgs, sihub.EN), st.text) {
			t.Errorf("%s: %v %+v; want qualified %v, near %v, %q", st.name, ok, a, st.qualified, st.near, st.text)
		}
	}
}

func TestGeneration(t *testing.T) {
	ix := NewIndex(generated(10))
	if g := ix.Generation(); g != 0 {
		t.Fatalf("a new index is at generation %d; want 0", g)
	}
	buyer := supplierOf(100, "ép nhựa", "", "")
	buyer.Kind = sihub.Buyer
	steps := []func(){
		func() { ix.Put(supplierOf(50, "ép nhựa", "", "")) },
		func() { ix.Put(supplierOf(50, "đúc nhôm", "", "")) }, // a change
		func() { ix.Put(buyer) },                              // removes nothing, yet a write
		func() { ix.Remove(3) },
		func() { ix.Remove(3) }, // absent by now
	}
	for i, step := range steps {
		step()
		if g := ix.Generation(); g != uint64(i+1) {
			t.Errorf("after step %d the generation is %d; want %d", i+1, g, i+1)
		}
	}
}

// TestProviderKind checks that the set test scoring uses says of every
// supplier and process what provider, which writes the reasons, finds.
func TestProviderKind(t *testing.T) {
	ix := NewIndex(generated(2000))
	for _, p := range taxonomy.Processes() {
		cv := coveringProcesses(p.Code)
		for _, e := range ix.byID {
			cp, ok := provider(e, cv)
			core, exact := providerKind(e, cv)
			if ok != e.bits.meets(&cv.bits) || core != cp.Core || exact != (ok && cv.exact[cp.Process]) {
				t.Fatalf("process %s, supplier %d: provider %+v %v; providerKind core %v exact %v", p.Code, e.c.ID, cp, ok, core, exact)
			}
		}
	}
}

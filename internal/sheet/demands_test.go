package sheet

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

const demandHeader = "buyer_tax_code,buyer_name,ref,title,title_en,description,capabilities,material,certifications,annual_volume,unit,min_capacity,delivery_province,deadline\n"

// demandProblems lists where a report's problems are: "row 3, title".
func demandProblems(rep *Report) []string {
	var out []string
	for _, p := range rep.Problems {
		s := strings.TrimSpace(p.where(sihub.EN))
		out = append(out, s)
	}
	return out
}

func TestImportDemands(t *testing.T) {
	forEachStore(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		buyer := taxCode(t, "030000001")
		good := writeFile(t, "parts.csv", []byte(demandHeader+
			buyer+",Kotobuki Power Tools,P-1,\"Vỏ pin máy khoan, nhựa PC/ABS, máy ép ≥ 350 tấn\",Battery housing,,,,ISO 9001,\"120,000\",pcs,,Bình Dương,2027-03-31\n"+
			buyer+",Kotobuki Power Tools,P-2,,Gear shaft,,CNC turning,SCM420,,1500,pcs,,TP. Hồ Chí Minh,31/12/2026\n"))
		rep, err := ImportDemands(ctx, good, Options{}, db)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 2 || rep.Valid != 2 || rep.Created != 2 || !rep.Committed || rep.Errors() != 0 {
			t.Fatalf("good file: %+v", rep)
		}
		d, err := db.DemandByRef(ctx, buyer, "P-1")
		if err != nil {
			t.Fatal(err)
		}
		// The certifications column is filled, yet the process, material and
		// press are read from the title, one requirement at a time.
		if !slices.Contains(d.Processes, "injection_molding") || d.MinCapacity == nil || d.MinCapacity.Min != 350 ||
			len(d.Certifications) != 1 || d.IsInferred(sihub.ReqCertifications) || !d.IsInferred(sihub.ReqProcesses) ||
			d.AnnualVolume != 120000 || d.Deadline == nil || d.Deadline.Format("2006-01-02 15:04") != "2027-03-31 16:59" ||
			d.Status != sihub.DemandOpen || d.BuyerName != "Kotobuki Power Tools" || d.DeliveryProvince == "" {
			t.Errorf("P-1 as stored: %+v (capacity %+v)", d, d.MinCapacity)
		}
		c, err := db.CompanyByTaxCode(ctx, buyer)
		if err != nil || c.Kind != sihub.Buyer {
			t.Fatalf("buyer: %+v, %v", c, err)
		}

		// Re-importing updates by (buyer, ref).
		rep, err = ImportDemands(ctx, good, Options{}, db)
		if err != nil || rep.Created != 0 || rep.Updated != 2 {
			t.Fatalf("re-import: %+v, %v", rep, err)
		}

		// A file with bad rows is rejected whole: its good row is not
		// written either, and each problem is named in both languages.
		bad := writeFile(t, "bad.csv", []byte(demandHeader+
			buyer+",Kotobuki Power Tools,P-3,,Cover,,injection molding,ABS,,,pcs,,,\n"+
			buyer+",Kotobuki Power Tools,P-4,,,,,,,many,pcs,,,next week\n"+
			"0312,Someone,P-5,,Bracket,,stamping,,,,,,,\n"+
			buyer+",Kotobuki Power Tools,P-3,,Cover again,,injection molding,,,,,,,\n"))
		rep, err = ImportDemands(ctx, bad, Options{}, db)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Committed || rep.Valid != 1 || rep.Invalid != 3 {
			t.Fatalf("bad file: %+v", rep)
		}
		got := demandProblems(rep)
		for _, want := range []string{"row 3, title", "row 3, annual_volume", "row 3, deadline", "row 4, buyer_tax_code", "row 5, ref"} {
			if !slices.Contains(got, want) {
				t.Errorf("bad file: no problem %q in %q", want, got)
			}
		}
		for _, p := range rep.Problems {
			if p.Msg.VI == "" || p.Msg.EN == "" || p.Msg.VI == p.Msg.EN {
				t.Errorf("problem %q is not in both languages", p.line(sihub.EN))
			}
		}
		if _, err := db.DemandByRef(ctx, buyer, "P-3"); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("a rejected file wrote P-3: %v", err)
		}
		var out bytes.Buffer
		if err := rep.WriteText(&out, sihub.VI); err != nil {
			t.Fatal(err)
		}
		if s := out.String(); !strings.Contains(s, "Chưa ghi gì vì có dòng lỗi") || !strings.Contains(s, "dòng 3, annual_volume: Sản lượng năm \"many\"") {
			t.Errorf("Vietnamese report:\n%s", s)
		}

		// A dry run writes nothing; a file without the required columns is
		// refused whole.
		rep, err = ImportDemands(ctx, writeFile(t, "new.csv", []byte(demandHeader+buyer+",K,P-9,,Cover,,injection molding,,,,,,,\n")), Options{DryRun: true}, db)
		if err != nil || rep.Valid != 1 || rep.Committed {
			t.Fatalf("dry run: %+v, %v", rep, err)
		}
		if _, err := db.DemandByRef(ctx, buyer, "P-9"); sihub.ErrorCode(err) != sihub.ErrNotFound {
			t.Errorf("a dry run wrote P-9: %v", err)
		}
		_, err = ImportDemands(ctx, writeFile(t, "cols.csv", []byte("title,description\nCover,ABS\n")), Options{}, db)
		if sihub.ErrorCode(err) != sihub.ErrInvalid || !strings.Contains(sihub.ErrorMsg(err).EN, "buyer_tax_code, ref") {
			t.Errorf("missing columns: %v", err)
		}
		if ds, _ := db.Demands(ctx, store.DemandFilter{}); len(ds) != 2 {
			t.Errorf("%d demands stored, want 2", len(ds))
		}
	})
}

func TestParseAmount(t *testing.T) {
	for s, want := range map[string]float64{"120000": 120000, "120,000": 120000, "120.000": 120000, "1.5": 1.5, "1,5": 1.5,
		" 20 000 ": 20000, "1.250,5": 1250.5, "1,250.5": 1250.5, "1.000.000": 1e6, "2,35": 2.35, "-3": -3} {
		if got, ok := ParseAmount(s); !ok || got != want {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"many", "20k", "", "NaN", "Inf"} {
		if _, ok := ParseAmount(s); ok {
			t.Errorf("ParseAmount(%q) accepted", s)
		}
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

// validTaxCode returns a valid tax code whose serial is n or the next
// serial with a check digit.
func validTaxCode(t *testing.T, n int) string {
	t.Helper()
	for serial := n; serial < n+100; serial++ {
		first9 := fmt.Sprintf("03%07d", serial)
		if d := sihub.TaxCheckDigit(first9); d >= 0 {
			return first9 + string(rune('0'+d))
		}
	}
	t.Fatal("no tax code")
	return ""
}

// The benchmark's path through the CLI: import suppliers, import a buyer's
// list, and read the ranking as JSON lines.
func TestImportDemandsThenMatch(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	a, b, c, buyer := validTaxCode(t, 1000), validTaxCode(t, 2000), validTaxCode(t, 3000), validTaxCode(t, 4000)
	suppliers := "tax_code,name,province,capabilities,materials,certifications\n" +
		a + ",Nhựa Tân Tiến,Bình Dương,ép phun nhựa,PC/ABS,ISO 9001\n" +
		b + ",Nhựa Bình Minh,TP. Hồ Chí Minh,ép nhựa,ABS,\n" +
		c + ",Cơ khí Hòa Bình,TP. Hồ Chí Minh,phay CNC,SUS304,ISO 9001\n"
	demands := "buyer_tax_code,buyer_name,ref,title,title_en,description,capabilities,material,certifications,annual_volume,unit,min_capacity,delivery_province,deadline\n" +
		buyer + ",Kotobuki Power Tools,P-1,,Battery housing,,injection molding,PC/ABS,ISO 9001,50000,pcs,,Bình Dương,2027-03-31\n" +
		buyer + ",Kotobuki Power Tools,P-2,Giá đỡ động cơ,,Phay CNC thép SUS304,,,,,,,,\n"
	for name, data := range map[string]string{"s.csv": suppliers, "d.csv": demands} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, errOut, err := sihubCmd(t, "import", "companies", "--db", db, filepath.Join(dir, "s.csv")); err != nil {
		t.Fatalf("import companies: %v\n%s", err, errOut)
	}
	out, errOut, err := sihubCmd(t, "import", "demands", "--db", db, "--lang", "en", filepath.Join(dir, "d.csv"))
	if err != nil || !strings.Contains(out, "Wrote 2 demands: 2 new, 0 updated.") {
		t.Fatalf("import demands: %v\n%s%s", err, out, errOut)
	}

	out, errOut, err = sihubCmd(t, "match", "--db", db, "--all", "--json")
	if err != nil {
		t.Fatalf("match --all: %v\n%s", err, errOut)
	}
	type entry struct {
		TaxCode string      `json:"tax_code"`
		Name    string      `json:"name"`
		Score   float64     `json:"score"`
		Reasons []sihub.Msg `json:"reasons"`
		Gaps    []sihub.Msg `json:"gaps"`
	}
	type line struct {
		Demand struct {
			BuyerTaxCode string `json:"buyer_tax_code"`
			Ref          string `json:"ref"`
		} `json:"demand"`
		Matches    []entry `json:"matches"`
		NearMisses []entry `json:"near_misses"`
	}
	var lines []line
	for _, s := range strings.Split(strings.TrimSpace(out), "\n") {
		var l line
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			t.Fatalf("not a JSON line: %q: %v", s, err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 2 || lines[0].Demand.BuyerTaxCode != buyer || lines[0].Demand.Ref != "P-1" || lines[1].Demand.Ref != "P-2" {
		t.Fatalf("match --all printed %d lines: %s", len(lines), out)
	}
	p1 := lines[0]
	if len(p1.Matches) != 1 || p1.Matches[0].TaxCode != a || p1.Matches[0].Name != "Nhựa Tân Tiến" || p1.Matches[0].Score <= 0 ||
		len(p1.Matches[0].Reasons) == 0 || p1.Matches[0].Reasons[0].EN == "" || p1.Matches[0].Reasons[0].VI == "" {
		t.Errorf("P-1 matches: %+v", p1.Matches)
	}
	if len(p1.NearMisses) != 1 || p1.NearMisses[0].TaxCode != b || len(p1.NearMisses[0].Gaps) == 0 ||
		!strings.Contains(p1.NearMisses[0].Gaps[0].EN, "ISO 9001") {
		t.Errorf("P-1 near misses: %+v", p1.NearMisses)
	}
	// P-2's process is read from its Vietnamese title and description.
	if p2 := lines[1]; len(p2.Matches) != 1 || p2.Matches[0].TaxCode != c {
		t.Errorf("P-2 matches: %+v", p2.Matches)
	}

	out, _, err = sihubCmd(t, "match", "--db", db, "--ref", sihub.FormatTaxCode(buyer)+":P-1", "--limit", "1", "--json")
	if err != nil || strings.Count(out, "\n") != 1 || !strings.Contains(out, `"ref":"P-1"`) {
		t.Errorf("match --ref: %v\n%s", err, out)
	}
	out, _, err = sihubCmd(t, "match", "--db", db, "--ref", buyer+":P-1")
	if err != nil || !strings.Contains(out, "1 qualified, 1 near misses") || !strings.Contains(out, "lacks") {
		t.Errorf("match --ref as text: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"match", "--db", db, "--json"},
		{"match", "--db", db, "--all", "--ref", buyer + ":P-1"},
		{"match", "--db", db, "--ref", "P-1"},
		{"match", "--db", db, "--ref", buyer + ":P-9"},
		{"match", "--db", db, "--all", "--limit", "0"},
	} {
		if _, _, err := sihubCmd(t, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}

	// A rejected file changes nothing and says why.
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte(strings.SplitAfter(demands, "\n")[0]+buyer+",K,P-3,,,,,,,,,,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err = sihubCmd(t, "import", "demands", "--db", db, "--lang", "en", bad)
	if err == nil || !strings.Contains(out, "row 2, title") {
		t.Errorf("bad demands file: %v\n%s", err, out)
	}
	if out, _, _ := sihubCmd(t, "match", "--db", db, "--ref", buyer+":P-3", "--json"); out != "" {
		t.Errorf("a rejected file wrote P-3: %s", out)
	}
}

func TestImportDemandsHelp(t *testing.T) {
	for _, args := range [][]string{{"import", "demands", "--help"}, {"match", "--help"}} {
		out, _, _ := sihubCmd(t, args...)
		if !strings.Contains(out, "Usage: sihub") || !strings.Contains(out, "-db") {
			t.Errorf("%v printed no usage:\n%s", args, out)
		}
	}
	if _, _, err := sihubCmd(t, "import", "orders", "x.csv"); err == nil {
		t.Error("import of an unknown kind succeeded")
	}
}

package match

import (
	"slices"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

// certRows returns c's certifications as "scheme | number | issuer | valid until".
func certRows(c *sihub.Company) []string {
	var out []string
	for _, x := range c.Certifications {
		out = append(out, strings.Join([]string{x.Scheme, x.Number, x.Issuer, x.ValidUntil}, " | "))
	}
	return out
}

func TestCertDetails(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		// The forms supplier lists use.
		{"ISO 9001:2015 (Bureau Veritas, hiệu lực đến 2027-05-30)", []string{"iso9001 |  | Bureau Veritas | 2027-05-30"}},
		{"IATF 16949:2016 – số chứng chỉ 0412345, TÜV Rheinland, hết hạn 15/03/2027",
			[]string{"iatf16949 | 0412345 | TÜV Rheinland | 2027-03-15"}},
		{"ISO 14001 (SGS, cert. no. VN19/123456, valid until 31/12/2026)",
			[]string{"iso14001 | VN19/123456 | SGS | 2026-12-31"}},
		{"ISO 13485:2016, QUACERT, exp. 2028-01", []string{"iso13485 |  | QUACERT | 2028-01-31"}},
		{"ISO 9001 | QMS-2024-118 | Intertek | 2027-09-30", []string{"iso9001 | QMS-2024-118 | Intertek | 2027-09-30"}},
		{"ISO 9001:2015 | QMS-2024-118 | Công ty Chứng nhận ABC | 30/09/2027",
			[]string{"iso9001 | QMS-2024-118 | Công ty Chứng nhận ABC | 2027-09-30"}},
		{"ISO 9001 |  | TUV Sud Vietnam | ", []string{"iso9001 |  | TÜV SÜD | "}},
		{"ISO 9001 | 2015 | SGS | 2027", []string{"iso9001 |  | SGS | 2027-12-31"}},
		{"ISO 9001 | số: 0412345 | SGS | hết hạn 30/05/2027", []string{"iso9001 | 0412345 | SGS | 2027-05-30"}},
		{"ISO 9001 | 0412345 | SGS | từ 2024", []string{"iso9001 | 0412345 | SGS | "}},
		{"ISO 9001 | 0412345 | SGS | 2027-05-30 | ghi chú", []string{"iso9001 | 0412345 | SGS | 2027-05-30"}},
		{"ISO 45001 (hiệu lực tới tháng 6/2026)", []string{"iso45001 |  |  | 2026-06-30"}},
		{"ISO 9001 valid to June 2027", []string{"iso9001 |  |  | 2027-06-30"}},
		{"ISO 9001, valid till Jun 2027", []string{"iso9001 |  |  | 2027-06-30"}},
		{"ISO 9001, HSD: 30.04.2027", []string{"iso9001 |  |  | 2027-04-30"}},
		{"ISO 9001 (BV, đến 2027)", []string{"iso9001 |  | Bureau Veritas | 2027-12-31"}},
		{"ISO 9001 - hạn 30-05-2027", []string{"iso9001 |  |  | 2027-05-30"}},
		{"ISO 9001 có hiệu lực đến ngày 30 tháng 5 năm 2027", []string{"iso9001 |  |  | 2027-05-30"}},
		{"ISO 9001 het han ngay 15/3/2027, so chung chi VN-123", []string{"iso9001 | VN-123 |  | 2027-03-15"}},
		{"ISO 9001 expires on 30 June 2027", []string{"iso9001 |  |  | 2027-06-30"}},
		{"ISO 9001 (expiry date: June 30, 2027)", []string{"iso9001 |  |  | 2027-06-30"}},
		{"ISO 9001 hiệu lực từ 01/06/2024 đến 31/05/2027", []string{"iso9001 |  |  | 2027-05-31"}},
		{"ISO 9001, valid from 2024-06-01 to 2027-05-31", []string{"iso9001 |  |  | 2027-05-31"}},
		{"ISO 9001 hiệu lực 2024 - 2027", []string{"iso9001 |  |  | 2027-12-31"}},
		{"ISO 9001 đến năm 2027", []string{"iso9001 |  |  | 2027-12-31"}},
		{"ISO 9001 Cert. No. QMS/0123. Nhà máy đạt chuẩn.", []string{"iso9001 | QMS/0123 |  | "}},
		{"ISO 9001 #A-2291", []string{"iso9001 | A-2291 |  | "}},
		{"ISO 9001 (No: 0412345)", []string{"iso9001 | 0412345 |  | "}},
		{"ISO 9001 (Reg. No. 0412345)", []string{"iso9001 | 0412345 |  | "}},
		{"ISO 9001 (số GCN: HT-0412)", []string{"iso9001 | HT-0412 |  | "}},
		{"ISO 9001 (no 0412345, sold 2020)", []string{"iso9001 |  |  | "}},
		{"IATF 16949 (TÜV SÜD, Certificate No. 12 111 45678 TMS)", []string{"iatf16949 | 12 111 45678 | TÜV SÜD | "}},
		{"ISO 9001, số 0412345 2027-05-30", []string{"iso9001 | 0412345 |  | "}},
		{"ISO 9001 (BV, hieu luc den 30/05/2027)", []string{"iso9001 |  | Bureau Veritas | 2027-05-30"}},
		{"IATF 16949 - so chung chi 0412345, TUV Rheinland, HET HAN 15/03/2027",
			[]string{"iatf16949 | 0412345 | TÜV Rheinland | 2027-03-15"}},
		{"ISO 9001 (hê\u0301t ha\u0323n 15/03/2027)", []string{"iso9001 |  |  | 2027-03-15"}},
		{"ISO 9001 (SGS) hết hạn 2027, ISO 14001 (BV) hết hạn 2026",
			[]string{"iso9001 |  | SGS | 2027-12-31", "iso14001 |  | Bureau Veritas | 2026-12-31"}},
		{"ISO 9001 (BV) / ISO 14001 (SGS)", []string{"iso9001 |  | Bureau Veritas | ", "iso14001 |  | SGS | "}},
		{"Chứng nhận ISO 14001 của DNV GL", []string{"iso14001 |  | DNV | "}},
		{"Bureau Veritas ISO 9001", []string{"iso9001 |  | Bureau Veritas | "}},
		{"ISO 9001 (Lloyd's Register)", []string{"iso9001 |  | LRQA | "}},
		{"ISO 9001 (Trung tam Chung nhan Phu hop)", []string{"iso9001 |  | QUACERT | "}},

		// A body's name that is also a term is the body inside the details.
		{"ISO 9001 (UL, exp. 12/2027)", []string{"iso9001 |  | UL Solutions | 2027-12-31"}},
		{"ISO 9001 | 123-45 | UL | 2027-09-30", []string{"iso9001 | 123-45 | UL Solutions | 2027-09-30"}},
		{"ISO 9001 (ABS Quality Evaluations)", []string{"iso9001 |  | ABS Quality Evaluations | "}},
		{"ISO 9001, Vinacontrol CE", []string{"iso9001 |  | Vinacontrol | "}},
		{"ISO 9001, UL, CE", []string{"iso9001 |  |  | ", "ul |  |  | ", "ce |  |  | "}},

		// Details never go to the wrong certificate.
		{"ISO 9001 (BV, đến 2027-05-30); ISO 14001 (SGS)",
			[]string{"iso9001 |  | Bureau Veritas | 2027-05-30", "iso14001 |  | SGS | "}},
		{"ISO 9001 (BV, đến 2027-05-30) ISO 14001 (SGS)",
			[]string{"iso9001 |  | Bureau Veritas | 2027-05-30", "iso14001 |  | SGS | "}},
		{"ISO 9001 (BV), SGS ISO 14001, hết hạn 2026-12-31",
			[]string{"iso9001 |  | Bureau Veritas | ", "iso14001 |  | SGS | 2026-12-31"}},
		{"ISO 9001 BV ISO 14001", []string{"iso9001 |  | Bureau Veritas | ", "iso14001 |  |  | "}},
		{"ISO 9001, 14001 và 45001 (Intertek, hết hạn 2027)",
			[]string{"iso9001 |  |  | ", "iso14001 |  |  | ", "iso45001 |  | Intertek | 2027-12-31"}},
		{"ISO 9001 | Q-1 | SGS | 2027-01-31\nISO 14001 | E-22 | BSI | 2026-06-30",
			[]string{"iso9001 | Q-1 | SGS | 2027-01-31", "iso14001 | E-22 | BSI | 2026-06-30"}},
		{"(ISO 9001) do SGS cấp", []string{"iso9001 |  |  | "}},

		// Negatives: no details, the scheme's year, issue dates, no cue.
		{"ISO 9001; ISO 14001", []string{"iso9001 |  |  | ", "iso14001 |  |  | "}},
		{"ISO 9001:2015", []string{"iso9001 |  |  | "}},
		{"ISO 9001:2015, 14001:2015", []string{"iso9001 |  |  | ", "iso14001 |  |  | "}},
		{"ISO 9001 cấp ngày 01/06/2024", []string{"iso9001 |  |  | "}},
		{"ISO 9001 (SGS, issued 2024-06-01)", []string{"iso9001 |  | SGS | "}},
		{"ISO 9001 cấp ngày 01/06/2024, hết hạn 31/05/2027", []string{"iso9001 |  |  | 2027-05-31"}},
		{"ISO 9001 từ 2024", []string{"iso9001 |  |  | "}},
		{"ISO 9001 2027-05-30", []string{"iso9001 |  |  | "}},
		{"ISO 9001 số 2015", []string{"iso9001 |  |  | "}},
		{"ISO 9001 số 30/05/2027", []string{"iso9001 |  |  | "}},
		{"ISO 9001 (bv)", []string{"iso9001 |  |  | "}},
		{"ISO 9001 hết hạn 31/02/2027", []string{"iso9001 |  |  | "}},
		{"ISO 9001 hết hạn 31/02/2027, gia hạn đến 30/04/2027", []string{"iso9001 |  |  | 2027-04-30"}},
		{"ISO 9001 hiệu lực 3 năm", []string{"iso9001 |  |  | "}},
		{"ISO 9001, giao hàng đúng hạn 2024", []string{"iso9001 |  |  | "}},
		{"ISO 9001. Hết hạn 2027.", []string{"iso9001 |  |  | "}},
	} {
		co := &sihub.Company{CertificationsText: c.text}
		Analyze(co)
		if got := certRows(co); !slices.Equal(got, c.want) {
			t.Errorf("%q:\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}

func TestCertDetailsAcrossFields(t *testing.T) {
	c := &sihub.Company{
		CapabilitiesText:   "ép nhựa; ISO 9001 (BV), nhôm, hết hạn 2027",
		CertificationsText: "ISO 14001",
		Description:        "Đạt ISO 14001 do SGS cấp, hiệu lực đến 2026-12-31. Khách hàng chính: Nhật Bản, hết hạn 2030.",
	}
	Analyze(c)
	want := []string{"iso9001 |  | Bureau Veritas | ", "iso14001 |  | SGS | 2026-12-31"}
	if got := certRows(c); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if c.Certifications[1].Source != sihub.Declared {
		t.Errorf("ISO 14001 source %s, want declared", c.Certifications[1].Source)
	}
	// The details of a certificate come from one mention: the declared one,
	// or the one with the later expiry; details beat none.
	for _, c := range []struct {
		c    sihub.Company
		want string
	}{
		{sihub.Company{CertificationsText: "ISO 14001 (Intertek)", Description: "ISO 14001 (SGS, đến 2026)"},
			"iso14001 |  | Intertek | "},
		{sihub.Company{CertificationsText: "ISO 14001", Description: "ISO 14001 (SGS, đến 2026)"},
			"iso14001 |  | SGS | 2026-12-31"},
		{sihub.Company{CertificationsText: "ISO 9001:2008 (hết hiệu lực 2018), ISO 9001:2015 (BSI, hết hạn 2027)"},
			"iso9001 |  | BSI | 2027-12-31"},
		{sihub.Company{CertificationsText: "ISO 9001 (BSI, hết hạn 2027); ISO 9001:2008 (hết hiệu lực 2018)"},
			"iso9001 |  | BSI | 2027-12-31"},
		{sihub.Company{CertificationsText: "ISO 9001:2008 (hết hiệu lực 2018), ISO 9001:2015 (BSI)"},
			"iso9001 |  |  | 2018-12-31"},
	} {
		Analyze(&c.c)
		if got := certRows(&c.c); len(got) != 1 || got[0] != c.want {
			t.Errorf("%q / %q: got %q, want %q", c.c.CertificationsText, c.c.Description, got, c.want)
		}
	}
}

func TestCertDetailsProblems(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string // the items named by the problems
	}{
		// Details are not unrecognized items.
		{"ISO 9001:2015 (Bureau Veritas, hiệu lực đến 2027-05-30)", nil},
		{"IATF 16949:2016 – số chứng chỉ 0412345, TÜV Rheinland, hết hạn 15/03/2027", nil},
		{"ISO 9001 | QMS-2024-118 | Intertek | 2027-09-30", nil},
		{"ISO 14001 (SGS, cert. no. VN19/123456, valid until 31/12/2026)", nil},
		// An unknown issuer still is; an impossible date is reported once.
		{"ISO 9001, Công ty XYZ", []string{"Công ty XYZ"}},
		{"ISO 9001 (hết hạn 31/02/2027)", []string{"31/02/2027"}},
		{"ISO 9001 | 123 | SGS | 30/02/2027", []string{"30/02/2027"}},
		{"ISO 9001 | 123 | SGS | hết hạn 30/02/2027", []string{"“30/02/2027”"}},
	} {
		p := Analyze(&sihub.Company{CertificationsText: c.text})
		var got []string
		for _, x := range p {
			if x.Field != "certifications" || x.Msg.VI == "" || x.Msg.EN == "" {
				t.Errorf("%q: problem %+v", c.text, x)
			}
			got = append(got, x.Msg.EN)
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: problems %q, want %q", c.text, got, c.want)
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%q: problem %q, want it to name %q", c.text, got[i], w)
			}
		}
	}
	// Only declared columns are advised on.
	if p := Analyze(&sihub.Company{Description: "ISO 9001 hết hạn 31/02/2027"}); len(p) != 0 {
		t.Errorf("description: problems %+v", p)
	}
}

func TestParseValidUntil(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"2027-05-30", "2027-05-30", true},
		{"2027/5/3", "2027-05-03", true},
		{"30/05/2027", "2027-05-30", true},
		{"30-05-2027", "2027-05-30", true},
		{"30.05.2027.", "2027-05-30", true},
		{"05/2027", "2027-05-31", true},
		{"2/2028", "2028-02-29", true},
		{"2/2027", "2027-02-28", true},
		{"tháng 6/2026", "2026-06-30", true},
		{"Tháng 6 năm 2026", "2026-06-30", true},
		{"ngày 30 tháng 5 năm 2027", "", false},
		{"30 tháng 5 năm 2027", "2027-05-30", true},
		{"June 2027", "2027-06-30", true},
		{"Jun. 2027", "2027-06-30", true},
		{"30 Jun 2027", "2027-06-30", true},
		{"30-Jun-2027", "2027-06-30", true},
		{"June 30, 2027", "2027-06-30", true},
		{"2028-01", "2028-01-31", true},
		{"2027", "2027-12-31", true},
		{" 2027 ", "2027-12-31", true},
		{"31/02/2027", "", false},
		{"12/31/2027", "", false},
		{"2027-13", "", false},
		{"13/2027", "", false},
		{"Juno 2027", "", false},
		{"30/05/27", "", false},
		{"1800", "", false},
		{"2027-05-30 SGS", "", false},
		{"", "", false},
	} {
		got, ok := ParseValidUntil(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseValidUntil(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestValidNumber(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"0412345", true}, {"VN19/123456", true}, {"QMS-2024-118", true}, {"ĐN.0123", true},
		{"2015", false}, {"30/05/2027", false}, {"2027-05", false}, {"12", false}, {"ABCD", false},
		{"12 34", true}, {"12  34", false}, {" 123", false}, {"A_123", false}, {"123-45", true}, {"12/31/2027", false}, {"2027.05", false},
	} {
		if got := validNumber(c.in); got != c.ok {
			t.Errorf("validNumber(%q) = %v, want %v", c.in, got, c.ok)
		}
	}
}

// BenchmarkAnalyzeCertDetails reads a certification column full of details.
func BenchmarkAnalyzeCertDetails(b *testing.B) {
	c := &sihub.Company{
		CertificationsText: "ISO 9001:2015 (Bureau Veritas, hiệu lực đến 2027-05-30); " +
			"IATF 16949:2016 – số chứng chỉ 0412345, TÜV Rheinland, hết hạn 15/03/2027\n" +
			"ISO 14001 | VN19/123456 | SGS | 31/12/2026",
	}
	for b.Loop() {
		Analyze(c)
	}
}

package sihub

import (
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{" Nguyen.An@CongTy.VN ", "nguyen.an@congty.vn"},
		{"a@b.co", "a@b.co"},
		{"", ""},
		{"no-at-sign", ""},
		{"An <an@x.vn>", ""},
		{"an@localhost", ""},
		{strings.Repeat("a", 250) + "@x.vn", ""},
	} {
		got, err := NormalizeEmail(tt.in)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for _, tt := range []struct {
		pw, email string
		want      string // part of the field message in English; "" = accepted
	}{
		{"ngựa-vằn xanh lá", "an@x.vn", ""},
		{"short", "", "at least 10"},
		{"1234567890", "", "too common"},
		{"QWERTYUIOP", "", "too common"},
		{"aaaaaaaaaaaa", "", "too common"},
		{"abcabcabcabc", "", "too common"},
		{"nguyenvan.an", "nguyenvan.an@x.vn", "resemble"},
		{"nguyenvan.an@x.vn", "nguyenvan.an@x.vn", "resemble"},
		{"nguyenvan.an and a long phrase", "nguyenvan.an@x.vn", ""},
		{strings.Repeat("x", 300) + "yz", "", "longer than"},
	} {
		err := CheckPassword(tt.pw, tt.email)
		if tt.want == "" {
			if err != nil {
				t.Errorf("CheckPassword(%q) = %v", tt.pw, err)
			}
			continue
		}
		f := FieldsOf(err)
		if len(f) != 1 || f[0].Field != "password" || !strings.Contains(f[0].Msg.EN, tt.want) || f[0].Msg.VI == "" {
			t.Errorf("CheckPassword(%q) = %v, want a password field error with %q", tt.pw, err, tt.want)
		}
	}
}

func TestRoles(t *testing.T) {
	for _, r := range Roles {
		if !r.Valid() {
			t.Errorf("%s not valid", r)
		}
		orgs := 0
		for _, b := range []bool{r.OfCenter(), r.OfCompany(), r == RoleOfficial} {
			if b {
				orgs++
			}
		}
		if orgs != 1 {
			t.Errorf("%s belongs to %d kinds of organisation", r, orgs)
		}
	}
	if Role("root").Valid() {
		t.Error("unknown role valid")
	}
}

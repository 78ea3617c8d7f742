package sihub

import (
	"strings"
	"testing"
)

func TestCompanyValidate(t *testing.T) {
	valid := func() Company {
		return Company{TaxCode: "0100112437", Name: "Công ty TNHH Nhựa Thành Đạt", Email: "info@example.vn",
			Website: "example.vn", Phone: "028 3812 3456", Employees: 120, Founded: 2005}
	}
	tests := []struct {
		name   string
		edit   func(*Company)
		fields []string
	}{
		{"ok", func(*Company) {}, nil},
		{"no name", func(c *Company) { c.Name = "  " }, []string{"name"}},
		{"bad tax code", func(c *Company) { c.TaxCode = "0100112438" }, []string{"tax_code"}},
		{"bad email", func(c *Company) { c.Email = "info@" }, []string{"email"}},
		{"bad phone", func(c *Company) { c.Phone = "call us" }, []string{"phone"}},
		{"bad website", func(c *Company) { c.Website = "javascript:alert(1)" }, []string{"website"}},
		{"negative employees", func(c *Company) { c.Employees = -1 }, []string{"employees"}},
		{"future founding", func(c *Company) { c.Founded = 3000 }, []string{"founded"}},
		{"bad kind", func(c *Company) { c.Kind = "seller" }, []string{"kind"}},
		{"contact without name", func(c *Company) { c.Contacts = []Contact{{Email: "a@b.vn"}} }, []string{"contacts.0.name"}},
		{"long website", func(c *Company) { c.Website = "example.vn/" + strings.Repeat("a", 600) }, []string{"website"}},
		{"too many contacts", func(c *Company) {
			c.Contacts = make([]Contact, MaxContacts+1)
			for i := range c.Contacts {
				c.Contacts[i].Name = "A"
			}
		}, []string{"contacts"}},
		{"long contact name", func(c *Company) { c.Contacts = []Contact{{Name: strings.Repeat("x", 400)}} }, []string{"contacts.0.name"}},
		{"bad validity", func(c *Company) { c.Certifications = []Certification{{Scheme: "iso9001", ValidUntil: "31/12/2027"}} },
			[]string{"certifications.0.valid_until"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.edit(&c)
			err := c.Validate()
			got := FieldsOf(err)
			if len(got) != len(tt.fields) {
				t.Fatalf("problems %v; want fields %v", got, tt.fields)
			}
			for i, f := range tt.fields {
				if got[i].Field != f {
					t.Errorf("field %d = %q; want %q", i, got[i].Field, f)
				}
				if got[i].Msg.VI == "" || got[i].Msg.EN == "" {
					t.Errorf("message for %s is not bilingual: %+v", f, got[i].Msg)
				}
			}
			if err == nil && c.Website != "https://example.vn" {
				t.Errorf("website not normalised: %q", c.Website)
			}
		})
	}
}

func TestSizeBand(t *testing.T) {
	for n, want := range map[int]string{0: "", 1: SizeMicro, 10: SizeMicro, 11: SizeSmall, 100: SizeSmall, 101: SizeMedium, 200: SizeMedium, 201: SizeLarge} {
		if got := SizeBand(n); got != want {
			t.Errorf("SizeBand(%d) = %q; want %q", n, got, want)
		}
	}
}

package sihub

import (
	"strings"
	"testing"
	"time"
)

func TestDemandValidate(t *testing.T) {
	ok := func() Demand { return Demand{BuyerTaxCode: "0100112437", Ref: " D-1 ", Title: "Vỏ nhựa"} }
	tests := []struct {
		name   string
		edit   func(d *Demand)
		fields []string
	}{
		{"valid, status and visibility unnamed", func(d *Demand) {}, nil},
		{"English title alone is enough", func(d *Demand) { d.Title, d.TitleEn = "", "Plastic cover" }, nil},
		{"buyer by id", func(d *Demand) { d.BuyerTaxCode, d.BuyerID = "", 7 }, nil},
		{"no buyer", func(d *Demand) { d.BuyerTaxCode = "" }, []string{"buyer_tax_code"}},
		{"bad tax code", func(d *Demand) { d.BuyerTaxCode = "0100112438" }, []string{"buyer_tax_code"}},
		{"no ref, no title", func(d *Demand) { d.Ref, d.Title = "  ", "" }, []string{"ref", "title"}},
		{"ref too long", func(d *Demand) { d.Ref = strings.Repeat("x", 101) }, []string{"ref"}},
		{"bad status and visibility", func(d *Demand) { d.Status, d.Visibility = "won", "everyone" }, []string{"status", "visibility"}},
		{"negative volume", func(d *Demand) { d.AnnualVolume = -1 }, []string{"annual_volume"}},
		{"absurd volume and price", func(d *Demand) { d.AnnualVolume, d.TargetPrice, d.Currency = 1e16, 1e308, "USD" },
			[]string{"annual_volume", "target_price"}},
		{"price without currency", func(d *Demand) { d.TargetPrice = 5 }, []string{"currency"}},
		{"unknown currency", func(d *Demand) { d.TargetPrice, d.Currency = 5, "XYZ" }, []string{"currency"}},
		{"capacity without machine", func(d *Demand) { d.MinCapacity = &CapacityReq{Min: 450, Unit: "t"} }, []string{"min_capacity"}},
		{"capacity not positive", func(d *Demand) { d.MinCapacity = &CapacityReq{Equipment: "injection_press", Unit: "t"} }, []string{"min_capacity"}},
		{"too many processes", func(d *Demand) { d.Processes = make([]string, MaxDemandProcesses+1) }, []string{"processes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ok()
			tt.edit(&d)
			err := d.Validate()
			got := FieldsOf(err)
			if len(tt.fields) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				// Unnamed status and visibility stay unnamed: the store
				// decides (defaults for a new demand, the stored ones
				// for an update).
				if d.Status != "" || d.Visibility != "" {
					t.Errorf("status %q visibility %q; want both left unnamed", d.Status, d.Visibility)
				}
				if d.Ref != "D-1" {
					t.Errorf("ref %q not trimmed", d.Ref)
				}
				return
			}
			if ErrorCode(err) != ErrInvalid || len(got) != len(tt.fields) {
				t.Fatalf("got %v; want problems with %v", err, tt.fields)
			}
			for _, f := range tt.fields {
				m, ok := got.For(f)
				if !ok {
					t.Errorf("no problem with %s in %v", f, err)
				}
				if m.VI == "" || m.EN == "" || m.VI == m.EN {
					t.Errorf("%s: message not in both languages: %+v", f, m)
				}
			}
		})
	}
}

func TestDeadline(t *testing.T) {
	got, err := ParseDeadline("2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	// The end of 31 December in Vietnam (UTC+7) is 16:59:59.999999999 UTC.
	want := time.Date(2026, 12, 31, 16, 59, 59, 999999999, time.UTC)
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("deadline %v; want %v in UTC", got, want)
	}
	if _, err := ParseDeadline("31/12/2026"); ErrorCode(err) != ErrInvalid {
		t.Errorf("a date not written YYYY-MM-DD: %v", err)
	}
	d := Demand{Inferred: []string{ReqMaterials}}
	if !d.IsInferred(ReqMaterials) || d.IsInferred(ReqProcesses) {
		t.Error("IsInferred")
	}
}

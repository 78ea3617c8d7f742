package sheet

import (
	"context"
	"errors"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
)

// Column positions in DemandColumns.
const (
	dcBuyerTaxCode = iota
	dcBuyerName
	dcRef
	dcTitle
	dcTitleEn
	dcDescription
	dcCapabilities
	dcMaterial
	dcCertifications
	dcAnnualVolume
	dcUnit
	dcMinCapacity
	dcProvince
	dcDeadline
	dcStatus
	dcVisibility
	numDemandColumns
)

// DemandColumns are the columns of the demand import template, in order:
// one row per part of a buyer's list.
var DemandColumns = []Column{
	dcBuyerTaxCode: {Key: "buyer_tax_code", VI: "Mã số thuế bên mua", EN: "Buyer tax code", Required: true,
		NoteVI:  "Bắt buộc. Mã số thuế 10 hoặc 13 chữ số của doanh nghiệp mua hàng.",
		NoteEN:  "Required. The buying company's 10- or 13-digit tax code.",
		Aliases: []string{"MST bên mua", "Buyer tax ID", "Buyer TIN"}},
	dcBuyerName: {Key: "buyer_name", VI: "Tên bên mua", EN: "Buyer name",
		NoteVI:  "Tên doanh nghiệp mua hàng; cần khi doanh nghiệp chưa có trong danh bạ.",
		NoteEN:  "The buying company's name; needed when it is not yet in the directory.",
		Aliases: []string{"Bên mua", "Buyer"}},
	dcRef: {Key: "ref", VI: "Mã tham chiếu", EN: "Reference", Required: true,
		NoteVI:  "Bắt buộc. Mã linh kiện hoặc mã yêu cầu của bên mua, không trùng trong cùng bên mua; nhập lại cùng mã sẽ cập nhật.",
		NoteEN:  "Required. The buyer's part or request number, unique per buyer; importing it again updates the demand.",
		Aliases: []string{"Mã linh kiện", "Part number", "Part no", "Ref no"}},
	dcTitle: {Key: "title", VI: "Tên linh kiện", EN: "Title (Vietnamese)",
		NoteVI:  "Tên linh kiện bằng tiếng Việt (cần tên tiếng Việt hoặc tiếng Anh).",
		NoteEN:  "The part's name in Vietnamese (a Vietnamese or English title is needed).",
		Aliases: []string{"Tiêu đề", "Tên", "Title"}},
	dcTitleEn: {Key: "title_en", VI: "Tên tiếng Anh", EN: "Title (English)",
		NoteVI: "Tên linh kiện bằng tiếng Anh.", NoteEN: "The part's name in English.",
		Aliases: []string{"English title", "Part name"}},
	dcDescription: {Key: "description", VI: "Mô tả", EN: "Description",
		NoteVI:  "Mô tả, yêu cầu kỹ thuật; công nghệ, vật liệu, chứng nhận và năng lực máy không ghi ở cột riêng sẽ được đọc từ đây và từ tên.",
		NoteEN:  "Description and specifications; processes, materials, certifications and machine size missing from their columns are read from here and from the titles.",
		Aliases: []string{"Yêu cầu kỹ thuật", "Specification", "Specs"}},
	dcCapabilities: {Key: "capabilities", VI: "Công nghệ yêu cầu", EN: "Required processes",
		NoteVI:  "Các công nghệ nhà cung cấp phải có, ví dụ: ép nhựa, phay CNC.",
		NoteEN:  "The processes a supplier must have, e.g. injection molding, CNC milling.",
		Aliases: []string{"Công nghệ", "Processes", "Process", "Capability"}},
	dcMaterial: {Key: "material", VI: "Vật liệu", EN: "Material",
		NoteVI: "Vật liệu, ví dụ: PC/ABS, SUS304.", NoteEN: "The material, e.g. PC/ABS, SUS304.",
		Aliases: []string{"Materials", "Chất liệu"}},
	dcCertifications: {Key: "certifications", VI: "Chứng nhận yêu cầu", EN: "Required certifications",
		NoteVI:  "Các chứng nhận nhà cung cấp phải có còn hiệu lực, ví dụ: ISO 9001, IATF 16949.",
		NoteEN:  "The certifications a supplier must hold, valid, e.g. ISO 9001, IATF 16949.",
		Aliases: []string{"Chứng nhận", "Certification", "Certificates"}},
	dcAnnualVolume: {Key: "annual_volume", VI: "Sản lượng năm", EN: "Annual volume",
		NoteVI: "Số lượng mỗi năm, một con số, ví dụ 120000.", NoteEN: "The quantity per year, a number, e.g. 120000.",
		Aliases: []string{"Sản lượng", "Volume", "Annual quantity", "EAU"}},
	dcUnit: {Key: "unit", VI: "Đơn vị", EN: "Unit",
		NoteVI: "Đơn vị của sản lượng, ví dụ: cái, bộ, kg.", NoteEN: "The volume's unit, e.g. pcs, sets, kg.",
		Aliases: []string{"ĐVT", "Đơn vị tính", "UoM"}},
	dcMinCapacity: {Key: "min_capacity", VI: "Năng lực tối thiểu", EN: "Minimum capacity",
		NoteVI:  "Loại máy và cỡ tối thiểu, ví dụ: máy ép nhựa 450 tấn.",
		NoteEN:  "The machine kind and minimum size, e.g. injection press 450 t.",
		Aliases: []string{"Năng lực máy", "Capacity", "Min capacity"}},
	dcProvince: {Key: "delivery_province", VI: "Tỉnh giao hàng", EN: "Delivery province",
		NoteVI:  "Tỉnh hoặc thành phố giao hàng, tên mới hay cũ đều được.",
		NoteEN:  "The delivery province or city, new or former name.",
		Aliases: []string{"Nơi giao hàng", "Delivery", "Delivery location"}},
	dcDeadline: {Key: "deadline", VI: "Hạn chót", EN: "Deadline",
		NoteVI:  "Ngày, dạng YYYY-MM-DD hoặc DD/MM/YYYY; hết ngày đó theo giờ Việt Nam.",
		NoteEN:  "A date, YYYY-MM-DD or DD/MM/YYYY; the end of that day in Vietnam.",
		Aliases: []string{"Hạn", "Due date"}},
	dcStatus: {Key: "status", VI: "Trạng thái", EN: "Status",
		NoteVI: "draft, open, closed hoặc fulfilled; để trống là open.",
		NoteEN: "draft, open, closed or fulfilled; empty means open."},
	dcVisibility: {Key: "visibility", VI: "Phạm vi hiển thị", EN: "Visibility",
		NoteVI: "verified_suppliers (mặc định) hoặc center_only.",
		NoteEN: "verified_suppliers (the default) or center_only."},
}

// demandColumnOf maps the field names of demand validation to columns.
var demandColumnOf = map[string]string{"processes": "capabilities", "materials": "material"}

// demandSet is the demand template's columns.
var demandSet = newColumnSet(DemandColumns)

// DemandStore receives the demands of an import.
type DemandStore interface {
	// UpsertDemands creates or updates, by (buyer tax code, ref), every
	// demand of ds in one transaction, creating unknown buyers.
	// (*store.DB implements it.)
	UpsertDemands(ctx context.Context, ds []*sihub.Demand) (created, updated int, err error)
}

// ImportDemands reads the demands in a CSV or XLSX file — a buyer's part
// list — and, unless opt.DryRun, writes them to st in one transaction. Each
// row is validated and its requirements read by match.PrepareDemand, so a
// requirement left out of its column is inferred from the titles and
// description (the report warns of what it could not read). As with
// companies, a file with an invalid row writes nothing unless
// opt.SkipInvalid. A buyer's list is some hundreds of rows, so the demands
// are held in memory between validating and writing.
//
// The error is for a file that cannot be read at all and for store
// failures; the report is nil when the file could not be opened.
func ImportDemands(ctx context.Context, path string, opt Options, st DemandStore) (*Report, error) {
	name := opt.Name
	if name == "" {
		name = filepath.Base(path)
	}
	src, err := openSource(path)
	if err != nil {
		return nil, err
	}
	if st == nil && !opt.DryRun {
		return nil, errors.New("sheet: ImportDemands needs a store unless DryRun")
	}
	rep := &Report{File: name, Format: string(src.format), Encoding: src.encoding, DryRun: opt.DryRun, SkipInvalid: opt.SkipInvalid, demands: true}
	ds, err := readDemands(ctx, src, rep)
	if err != nil {
		return rep, err
	}
	if opt.DryRun || len(ds) == 0 || (rep.Invalid > 0 && !opt.SkipInvalid) {
		return rep, nil
	}
	created, updated, err := st.UpsertDemands(ctx, ds)
	if err != nil {
		return rep, err
	}
	rep.Created, rep.Updated, rep.Committed = created, updated, true
	return rep, nil
}

// readDemands validates the rows of src, listing problems in rep, and
// returns the valid rows' demands.
func readDemands(ctx context.Context, src *source, rep *Report) ([]*sihub.Demand, error) {
	it, err := src.open()
	if err != nil {
		return nil, err
	}
	defer it.close()
	l, _, probs, err := readHeader(it, demandSet)
	if err != nil {
		return nil, err
	}
	for _, p := range probs {
		rep.add(p)
	}
	ch := &checker{l: l, comma: src.comma} // for extraCells
	v := make([]string, numDemandColumns)
	seen := map[string]int{}
	var ds []*sihub.Demand
	for {
		cells, row, err := it.next()
		if err == io.EOF {
			break
		}
		var br *badRows
		switch {
		case errors.As(err, &br):
			n := br.last - br.first + 1
			rep.Rows += n
			rep.Invalid += n
			rep.add(Problem{Row: br.first, Msg: br.msg})
			continue
		case err != nil:
			return nil, err
		case blank(cells):
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rep.Rows++
		var probs []Problem
		extra := ch.extraCells(cells)
		var d *sihub.Demand
		if extra == nil || extra.Warning {
			l.values(cells, v)
			d, probs = demandFromRow(v)
			if d != nil && !hasError(probs) {
				key := d.BuyerTaxCode + "\x00" + d.Ref
				if first, dup := seen[key]; dup {
					probs = append(probs, Problem{Column: "ref", Msg: sihub.M("Mã tham chiếu %s của bên mua này trùng với dòng %d.",
						"Reference %s of this buyer repeats row %d.", d.Ref, first)})
				} else {
					seen[key] = row
				}
			}
		}
		if extra != nil {
			probs = append(probs, *extra)
		}
		for _, p := range probs {
			p.Row = row
			rep.add(p)
		}
		if hasError(probs) {
			rep.Invalid++
			continue
		}
		rep.Valid++
		ds = append(ds, d)
	}
	return ds, nil
}

func hasError(probs []Problem) bool {
	for _, p := range probs {
		if !p.Warning {
			return true
		}
	}
	return false
}

// demandFromRow reads and prepares the demand of one row's cells, in
// DemandColumns order.
func demandFromRow(v []string) (*sihub.Demand, []Problem) {
	d := &sihub.Demand{
		BuyerName: v[dcBuyerName], Ref: v[dcRef], Title: v[dcTitle], TitleEn: v[dcTitleEn], Description: v[dcDescription],
		ProcessesText: v[dcCapabilities], MaterialsText: v[dcMaterial], CertificationsText: v[dcCertifications],
		MinCapacityText: v[dcMinCapacity], Unit: v[dcUnit], ProvinceInput: v[dcProvince],
		Status:     sihub.DemandStatus(strings.ToLower(strings.TrimSpace(v[dcStatus]))),
		Visibility: sihub.DemandVisibility(strings.ToLower(strings.TrimSpace(v[dcVisibility]))),
	}
	var probs []Problem
	tc, p := taxCell(v[dcBuyerTaxCode])
	taxBad := false
	if p != nil {
		p.Column = "buyer_tax_code"
		taxBad = !p.Warning
		probs = append(probs, *p)
	}
	d.BuyerTaxCode = tc
	if s := v[dcAnnualVolume]; s != "" {
		if n, ok := ParseAmount(s); ok {
			d.AnnualVolume = n // Validate says when it is out of range
		} else {
			probs = append(probs, Problem{Column: "annual_volume", Msg: sihub.M(
				"Sản lượng năm %q không phải là một con số; hãy ghi một số, ví dụ 120000.",
				"Annual volume %q is not a number; write a single number, e.g. 120000.", s)})
		}
	}
	if s := v[dcDeadline]; s != "" {
		if t, ok := parseDate(s); ok {
			dl := sihub.DeadlineOf(t)
			d.Deadline = &dl
		} else {
			probs = append(probs, Problem{Column: "deadline", Msg: sihub.M(
				"Hạn chót %q phải là một ngày dạng YYYY-MM-DD hoặc DD/MM/YYYY.",
				"Deadline %q must be a date written YYYY-MM-DD or DD/MM/YYYY.", s)})
		}
	}
	warnings, err := match.PrepareDemand(d)
	for _, w := range warnings {
		probs = append(probs, Problem{Column: demandColumn(w.Field), Msg: w.Msg, Warning: true})
	}
	if err != nil {
		fields := sihub.FieldsOf(err)
		if len(fields) == 0 {
			probs = append(probs, Problem{Msg: sihub.ErrorMsg(err)})
		}
		for _, f := range fields {
			if f.Field == "buyer_tax_code" && taxBad {
				continue // already explained by taxCell
			}
			probs = append(probs, Problem{Column: demandColumn(f.Field), Msg: f.Msg})
		}
	}
	return d, probs
}

func demandColumn(field string) string {
	if c, ok := demandColumnOf[field]; ok {
		return c
	}
	return field
}

// ParseAmount reads a number as people type it in Vietnam and abroad:
// "120000", "120.000", "120,000" and "20 000" are 120000 (a single mark
// followed by three digits groups thousands), "2,35" and "2.35" are 2.35,
// and with both marks the last is the decimal one ("1.250,5", "1,250.5").
// Signs are kept: the caller decides what range is valid.
func ParseAmount(s string) (float64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "").Replace(strings.TrimSpace(s))
	dot, comma := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dot > 0 && comma > 0:
		dec, group := ".", ","
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") {
			dec, group = ",", "."
		}
		s = strings.Replace(strings.ReplaceAll(s, group, ""), dec, ".", 1)
	case dot+comma > 1:
		s = strings.NewReplacer(".", "", ",", "").Replace(s)
	case dot+comma == 1:
		if i := strings.IndexAny(s, ".,"); len(s)-i-1 == 3 {
			s = s[:i] + s[i+1:]
		} else {
			s = strings.Replace(s, ",", ".", 1)
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// parseDate reads a date written YYYY-MM-DD or DD/MM/YYYY, the forms a
// Vietnamese spreadsheet shows.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, "2/1/2006", "02/01/2006", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

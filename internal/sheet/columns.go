package sheet

import (
	"fmt"
	"strings"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
)

// Column positions in CompanyColumns; CompanyRow and companyFromRow index by
// them.
const (
	colTaxCode = iota
	colName
	colNameEn
	colProvince
	colAddress
	colPark
	colSectors
	colCapabilities
	colMaterials
	colCertifications
	colEquipment
	colEmployees
	colFounded
	colProducts
	colDescription
	colWebsite
	colEmail
	colPhone
	numCompanyColumns
)

// CompanyColumns are the columns of the company import template, in order.
var CompanyColumns = []Column{
	colTaxCode: {
		Key: "tax_code", VI: "Mã số thuế", EN: "Tax code", Required: true,
		NoteVI: "Bắt buộc. Mã số thuế 10 chữ số, hoặc 13 chữ số cho chi nhánh (viết 0100112437-001). Định dạng cột là Văn bản (Text) để Excel giữ số 0 ở đầu.",
		NoteEN: "Required. The 10-digit tax code, or 13 digits for a branch (written 0100112437-001). Format the column as Text so that Excel keeps the leading zero.",
		Aliases: []string{"MST", "Mã số DN", "Mã số doanh nghiệp", "Mã DN", "Mã số thuế/MSDN",
			"Tax ID", "Tax number", "TIN", "Enterprise code", "Business code"},
	},
	colName: {
		Key: "name", VI: "Tên doanh nghiệp", EN: "Company name", Required: true,
		NoteVI: "Bắt buộc. Tên doanh nghiệp bằng tiếng Việt, như trong đăng ký kinh doanh.",
		NoteEN: "Required. The company's legal name in Vietnamese, as registered.",
		Aliases: []string{"Tên công ty", "Tên DN", "Tên", "Doanh nghiệp", "Công ty", "Tên đơn vị", "Tên tiếng Việt",
			"Company", "Name", "Legal name"},
	},
	colNameEn: {
		Key: "name_en", VI: "Tên tiếng Anh", EN: "English name",
		NoteVI: "Tên tiếng Anh hoặc tên giao dịch quốc tế, nếu có.",
		NoteEN: "The English or international trading name, if any.",
		Aliases: []string{"Tên giao dịch", "Tên giao dịch quốc tế", "Tên nước ngoài", "Tên quốc tế",
			"Name (English)", "Name in English", "Name EN", "International name", "Trading name"},
	},
	colProvince: {
		Key: "province", VI: "Tỉnh/Thành phố", EN: "Province",
		NoteVI: "Tỉnh hoặc thành phố, tên mới (từ 1/7/2025) hay tên cũ đều được, ví dụ: TP. Hồ Chí Minh, Bình Dương.",
		NoteEN: "Province or city, the new name (from 1 July 2025) or the old one, e.g. Ho Chi Minh City, Binh Duong.",
		Aliases: []string{"Tỉnh thành", "Tỉnh", "Thành phố", "Tỉnh/TP", "TP",
			"City", "Province/City", "City/Province"},
	},
	colAddress: {
		Key: "address", VI: "Địa chỉ", EN: "Address",
		NoteVI:  "Địa chỉ trụ sở hoặc nhà máy: số nhà, đường, phường/xã.",
		NoteEN:  "Street address of the head office or factory: number, street, ward.",
		Aliases: []string{"Địa chỉ trụ sở", "Địa chỉ nhà máy", "Trụ sở", "Street address", "Head office"},
	},
	colPark: {
		Key: "industrial_park", VI: "Khu công nghiệp", EN: "Industrial park",
		NoteVI: "Khu công nghiệp hoặc khu chế xuất nơi đặt nhà máy, ví dụ: KCN VSIP I.",
		NoteEN: "The industrial park or export processing zone of the factory, e.g. VSIP I.",
		Aliases: []string{"KCN", "KCX", "KCN/KCX", "Khu chế xuất", "Cụm công nghiệp", "CCN", "Khu công nghệ cao",
			"Industrial zone", "Park", "Zone", "IP"},
	},
	colSectors: {
		Key: "sectors", VI: "Mã ngành VSIC", EN: "VSIC sectors",
		NoteVI:  "Mã ngành VSIC 2025 thuộc ngành C (chế biến, chế tạo), cách nhau bởi dấu chấm phẩy, ví dụ: 2592; 2220. Mã VSIC 2018 được tự chuyển sang 2025.",
		NoteEN:  "VSIC 2025 manufacturing codes (section C), separated by semicolons, e.g. 2592; 2220. VSIC 2018 codes are converted to 2025.",
		Aliases: []string{"Ngành", "Mã ngành", "VSIC", "Ngành VSIC", "Sectors", "Sector", "Sector codes", "VSIC codes", "Industry codes"},
	},
	colCapabilities: {
		Key: "capabilities", VI: "Năng lực gia công", EN: "Capabilities",
		NoteVI: "Các công đoạn sản xuất, gia công doanh nghiệp làm được, cách nhau bởi dấu chấm phẩy, ví dụ: ép nhựa; làm khuôn; phay CNC.",
		NoteEN: "The manufacturing processes the company offers, separated by semicolons, e.g. injection molding; mold making; CNC milling.",
		Aliases: []string{"Năng lực", "Năng lực sản xuất", "Công nghệ", "Công nghệ sản xuất", "Công đoạn", "Quy trình",
			"Dịch vụ gia công", "Gia công", "Capability", "Processes", "Process", "Manufacturing processes",
			"Manufacturing capabilities"},
	},
	colMaterials: {
		Key: "materials", VI: "Vật liệu", EN: "Materials",
		NoteVI:  "Vật liệu gia công được, ví dụ: SUS304, ADC12, PA66 GF30.",
		NoteEN:  "The materials the company works, e.g. SUS304, ADC12, PA66 GF30.",
		Aliases: []string{"Nguyên vật liệu", "Nguyên liệu", "Vật liệu gia công", "Material"},
	},
	colCertifications: {
		Key: "certifications", VI: "Chứng nhận", EN: "Certifications",
		NoteVI: "Các chứng nhận còn hiệu lực, ví dụ: ISO 9001:2015; IATF 16949.",
		NoteEN: "Certificates currently held, e.g. ISO 9001:2015; IATF 16949.",
		Aliases: []string{"Chứng chỉ", "Chứng nhận chất lượng", "Hệ thống quản lý chất lượng", "Tiêu chuẩn", "ISO",
			"Certification", "Certificates", "Quality certifications"},
	},
	colEquipment: {
		Key: "equipment", VI: "Máy móc thiết bị", EN: "Equipment",
		NoteVI:  "Máy móc chính kèm số lượng và công suất, ví dụ: 12 máy ép nhựa 80-450 tấn; 5 máy phay CNC 5 trục.",
		NoteEN:  "The main machines with their count and capacity, e.g. 12 injection presses 80-450 t; 5 five-axis CNC mills.",
		Aliases: []string{"Thiết bị", "Máy móc", "Danh sách máy", "Machines", "Machinery", "Machine list"},
	},
	colEmployees: {
		Key: "employees", VI: "Số lao động", EN: "Employees",
		NoteVI: "Số lao động, một con số, ví dụ: 120.",
		NoteEN: "The number of employees, a single number, e.g. 120.",
		Aliases: []string{"Lao động", "Số lượng lao động", "Số nhân viên", "Nhân viên", "Số công nhân", "Quy mô lao động",
			"Number of employees", "No. of employees", "Headcount", "Staff", "Workforce"},
	},
	colFounded: {
		Key: "founded", VI: "Năm thành lập", EN: "Founded",
		NoteVI: "Năm thành lập, 4 chữ số, ví dụ: 2005.",
		NoteEN: "The year the company was founded, 4 digits, e.g. 2005.",
		Aliases: []string{"Thành lập", "Ngày thành lập", "Năm TL", "Year founded", "Established", "Year established",
			"Founding year"},
	},
	colProducts: {
		Key: "products", VI: "Sản phẩm chính", EN: "Products",
		NoteVI:  "Các sản phẩm chính.",
		NoteEN:  "The main products.",
		Aliases: []string{"Sản phẩm", "Sản phẩm/dịch vụ", "Main products", "Products/services"},
	},
	colDescription: {
		Key: "description", VI: "Giới thiệu", EN: "Description",
		NoteVI:  "Giới thiệu ngắn về doanh nghiệp.",
		NoteEN:  "A short description of the company.",
		Aliases: []string{"Mô tả", "Giới thiệu chung", "Giới thiệu doanh nghiệp", "About", "Company profile", "Profile", "Overview"},
	},
	colWebsite: {
		Key: "website", VI: "Website", EN: "Website",
		NoteVI:  "Địa chỉ trang web, ví dụ: www.congty.vn.",
		NoteEN:  "The website, e.g. www.company.vn.",
		Aliases: []string{"Trang web", "Web", "Trang thông tin điện tử", "URL", "Homepage"},
	},
	colEmail: {
		Key: "email", VI: "Email", EN: "Email",
		NoteVI:  "Email liên hệ chung của doanh nghiệp.",
		NoteEN:  "The company's general contact email.",
		Aliases: []string{"Thư điện tử", "Mail", "E-mail address", "Email address"},
	},
	colPhone: {
		Key: "phone", VI: "Điện thoại", EN: "Phone",
		NoteVI:  "Số điện thoại, ví dụ: 028 3823 4567.",
		NoteEN:  "The phone number, e.g. +84 28 3823 4567.",
		Aliases: []string{"Số điện thoại", "SĐT", "ĐT", "Số ĐT", "Tel", "Telephone", "Phone number", "Hotline", "Mobile"},
	},
}

// columnSet is a template's columns with every spelling of their headers,
// so that one header reader serves each template (companies, demands).
type columnSet struct {
	cols  []Column
	index map[string]int // normalized header spelling → position in cols
}

func newColumnSet(cols []Column) *columnSet {
	m := make(map[string]int)
	for i, c := range cols {
		for _, s := range append([]string{c.Key, c.VI, c.EN}, c.Aliases...) {
			k := headerNorm(s)
			if j, ok := m[k]; ok && j != i {
				panic(fmt.Sprintf("sheet: header %q means both %s and %s", s, cols[j].Key, c.Key))
			}
			m[k] = i
		}
	}
	return &columnSet{cols: cols, index: m}
}

// companySet is the company template's columns.
var companySet = newColumnSet(CompanyColumns)

// headerNorm folds case and diacritics and keeps letters and digits only, so
// that "Mã số thuế", "MA SO THUE" and "ma_so_thue" are one spelling.
func headerNorm(s string) string {
	var b strings.Builder
	for _, r := range match.Fold(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > 0x7f {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// match returns the column position a header cell names, or -1.
func (cs *columnSet) match(h string) int {
	if i, ok := cs.index[headerNorm(h)]; ok {
		return i
	}
	// "Mã số thuế (10 số)", "Tên doanh nghiệp*": drop the remark.
	stripped := stripRemarks(h)
	if i, ok := cs.index[headerNorm(stripped)]; ok {
		return i
	}
	// "Mã số thuế / Tax code", a two-line "Tỉnh\nProvince": every part that
	// means something must mean the same column.
	found := -1
	for _, part := range strings.FieldsFunc(stripped, func(r rune) bool { return r == '/' || r == '|' || r == '\n' || r == '-' }) {
		i, ok := cs.index[headerNorm(part)]
		switch {
		case !ok:
		case found == -1:
			found = i
		case found != i:
			return -1
		}
	}
	return found
}

// stripRemarks removes bracketed text and required-field stars from a header.
func stripRemarks(h string) string {
	var b strings.Builder
	depth := 0
	for _, r := range h {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case '*':
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// layout says where each template column is in a file.
type layout struct {
	pos   []int // per template column, its file column index, -1 when absent
	width int   // the header's columns, up to its last non-empty cell
}

// mapHeader reads the header row. It reports unknown and repeated columns
// as warnings and fails when a required column is missing.
func (cs *columnSet) mapHeader(cells []string) (layout, []Problem, error) {
	l := layout{pos: make([]int, len(cs.cols))}
	for i := range l.pos {
		l.pos[i] = -1
	}
	var problems []Problem
	var unknown, found []string
	for j, h := range cells {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		l.width = j + 1
		found = append(found, h)
		i := cs.match(h)
		switch {
		case i < 0:
			unknown = append(unknown, h)
		case l.pos[i] >= 0:
			problems = append(problems, Problem{Row: 1, Column: cs.cols[i].Key, Warning: true,
				Msg: sihub.M("Cột %q cũng là cột %s; chỉ dùng cột %s.",
					"Column %q is also the %s column; only column %s is used.",
					h, cs.cols[i].Key, columnLetter(l.pos[i]))})
		default:
			l.pos[i] = j
		}
	}
	if len(unknown) > 0 {
		list := quoteList(unknown)
		problems = append(problems, Problem{Row: 1, Warning: true,
			Msg: sihub.M("Bỏ qua các cột không thuộc mẫu: %s.",
				plural(len(unknown), "Ignored a column that is not in the template: %s.", "Ignored columns that are not in the template: %s."), list)})
	}
	var missing []string
	for i, c := range cs.cols {
		if c.Required && l.pos[i] < 0 {
			missing = append(missing, c.Key)
		}
	}
	if len(missing) > 0 {
		var expected []string
		for _, c := range cs.cols {
			expected = append(expected, c.Key)
		}
		got, gotEN := "(không có)", "(none)"
		if len(found) > 0 {
			got = quoteList(found)
			gotEN = got
		}
		want := strings.Join(missing, ", ")
		all := strings.Join(expected, ", ")
		e := &sihub.Error{Code: sihub.ErrInvalid, Msg: sihub.Msg{
			VI: fmt.Sprintf("Tệp thiếu cột bắt buộc: %s. Dòng đầu tiên phải là dòng tiêu đề cột. Các cột tìm thấy: %s. Các cột của mẫu: %s.", want, got, all),
			EN: fmt.Sprintf("The file lacks the required column(s): %s. The first row must hold the column headers. Columns found: %s. Template columns: %s.", want, gotEN, all),
		}}
		return l, problems, e
	}
	return l, problems, nil
}

func quoteList(l []string) string {
	const max = 30
	var b strings.Builder
	for i, s := range l {
		if i == max {
			fmt.Fprintf(&b, ", … (+%d)", len(l)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if r := []rune(s); len(r) > 60 {
			s = string(r[:60]) + "…"
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}

// columnLetter returns the spreadsheet letter of a 0-based column index.
func columnLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

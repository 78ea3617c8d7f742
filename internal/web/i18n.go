package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/language"

	"github.com/sihub-org/sihub/internal/sihub"
)

// The language of a request: ?lang= first (links shared in one language
// stay in it), then the lang cookie the switch sets, then Accept-Language,
// and Vietnamese when none says otherwise.

const langCookie = "lang"

var langMatcher = language.NewMatcher([]language.Tag{language.Vietnamese, language.English})

func langOf(r *http.Request) sihub.Lang {
	if l, ok := exactLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := exactLang(c.Value); ok {
			return l
		}
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		tags, _, err := language.ParseAcceptLanguage(al)
		if err == nil && len(tags) > 0 {
			_, i, conf := langMatcher.Match(tags...)
			if conf != language.No && i == 1 {
				return sihub.EN
			}
		}
	}
	return sihub.VI
}

func exactLang(s string) (sihub.Lang, bool) {
	switch s {
	case "vi":
		return sihub.VI, true
	case "en":
		return sihub.EN, true
	}
	return "", false
}

// safeNext returns next if it is a path on this site and "/" otherwise, so
// that the language switch cannot be used to send people elsewhere.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// langSwitchURL is the link that switches to lang and comes back to the
// current page, without a lang= parameter that would override the choice.
func langSwitchURL(lang sihub.Lang, r *http.Request) string {
	u := *r.URL
	q := u.Query()
	if q.Has("lang") {
		q.Del("lang")
		u.RawQuery = q.Encode()
	}
	next := u.Path
	if u.RawQuery != "" {
		next += "?" + u.RawQuery
	}
	if r.Method != http.MethodGet {
		next = "" // a failed POST has no page to come back to
	}
	v := url.Values{}
	if next != "" && next != "/" {
		v.Set("next", next)
	}
	if len(v) == 0 {
		return "/lang/" + string(lang)
	}
	return "/lang/" + string(lang) + "?" + v.Encode()
}

// tr looks key up in the catalogue. An unknown key renders as ??key?? so
// that the test rendering every page in both languages catches it.
func tr(lang sihub.Lang, key string, args ...any) string {
	m, ok := catalogue[key]
	if !ok {
		return "??" + key + "??"
	}
	s := m.In(lang)
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	return s
}

func hasKey(key string) bool { _, ok := catalogue[key]; return ok }

// text is a catalogue entry: a pair of format strings for tr, kept apart
// from sihub.M so that vet does not read them as calls with missing
// arguments.
func text(vi, en string) sihub.Msg { return sihub.Msg{VI: vi, EN: en} }

// catalogue holds every user-interface string of the web pages, gathered
// from one table per area (directory here, accounts and administration in
// their own files). Messages about data (validation, import problems) are
// sihub.Msg values made where they arise; the tables hold only the pages'
// own words.
var catalogue = mergeTexts(directoryTexts, accountTexts, adminTexts, demandTexts, drawingTexts, opportunityTexts, rfqTexts, quoteTexts, rfqFileTexts, notificationTexts)

// mergeTexts joins the tables; a key defined twice is a programming error.
func mergeTexts(tables ...map[string]sihub.Msg) map[string]sihub.Msg {
	out := map[string]sihub.Msg{}
	for _, t := range tables {
		for k, v := range t {
			if _, dup := out[k]; dup {
				panic("i18n: key defined twice: " + k)
			}
			out[k] = v
		}
	}
	return out
}

var directoryTexts = map[string]sihub.Msg{
	// Site and navigation
	"site.org":            text("Trung tâm Phát triển Công nghiệp hỗ trợ TP.HCM", "HCMC Supporting Industry Development Center"),
	"site.tagline":        text("Danh bạ nhà cung cấp công nghiệp hỗ trợ TP. Hồ Chí Minh, tìm theo năng lực sản xuất.", "Ho Chi Minh City's supporting-industry supplier directory, searchable by manufacturing capability."),
	"site.footer":         text("SIHub — danh bạ công nghiệp hỗ trợ TP. Hồ Chí Minh. Phần mềm mã nguồn mở (Apache-2.0).", "SIHub — Ho Chi Minh City supporting-industry directory. Open-source software (Apache-2.0)."),
	"nav.skip":            text("Chuyển đến nội dung", "Skip to content"),
	"nav.label":           text("Điều hướng chính", "Main navigation"),
	"nav.directory":       text("Danh bạ doanh nghiệp", "Company directory"),
	"nav.import":          text("Nhập dữ liệu", "Import"),
	"nav.api":             text("API cho lập trình viên", "API for developers"),
	"nav.language":        text("Ngôn ngữ", "Language"),
	"nav.breadcrumb":      text("Đường dẫn", "Breadcrumb"),
	"error.title":         text("Lỗi", "Error"),
	"error.home":          text("Về trang chủ", "Go to the home page"),
	"error.hint.notfound": text("Trang hoặc doanh nghiệp này không tồn tại, hoặc đã bị xóa.", "This page or company does not exist, or has been removed."),

	// Actions
	"action.add":       text("Thêm doanh nghiệp", "Add company"),
	"action.import":    text("Nhập từ Excel/CSV", "Import from Excel/CSV"),
	"action.edit":      text("Sửa", "Edit"),
	"action.save":      text("Lưu", "Save"),
	"action.cancel":    text("Hủy", "Cancel"),
	"action.delete":    text("Xóa", "Delete"),
	"action.upload":    text("Tải lên", "Upload"),
	"action.verify":    text("Xác minh", "Mark verified"),
	"action.unverify":  text("Bỏ xác minh", "Remove verification"),
	"action.archive":   text("Lưu trữ", "Archive"),
	"action.unarchive": text("Khôi phục", "Restore"),

	// Flash messages after a redirect
	"flash.created":    text("Đã thêm doanh nghiệp.", "The company was added."),
	"flash.saved":      text("Đã lưu thay đổi. Năng lực được nhận diện lại từ nội dung mới.", "Changes saved. Capabilities were recognized again from the new text."),
	"flash.verified":   text("Đã đánh dấu là đã xác minh.", "Marked as verified."),
	"flash.unverified": text("Đã bỏ xác minh.", "Verification removed."),
	"flash.archived":   text("Đã lưu trữ doanh nghiệp; hồ sơ không còn hiện trong danh bạ.", "The company was archived; it no longer appears in the directory."),
	"flash.unarchived": text("Đã khôi phục doanh nghiệp.", "The company was restored."),
	"flash.uploaded":   text("Đã tải tài liệu lên.", "The document was uploaded."),
	"flash.deleted":    text("Đã xóa tài liệu.", "The document was deleted."),

	// Home
	"home.title":            text("Trang chủ", "Home"),
	"home.heading":          text("Tìm nhà cung cấp công nghiệp hỗ trợ tại TP. Hồ Chí Minh", "Find supporting-industry suppliers in Ho Chi Minh City"),
	"home.lead1":            text("SIHub là danh bạ doanh nghiệp công nghiệp hỗ trợ do Trung tâm quản lý, mô tả năng lực sản xuất, vật liệu, chứng nhận và máy móc.", "SIHub is the center's directory of supporting-industry companies, describing their processes, materials, certifications and machines."),
	"home.lead2":            text("Tìm bằng tiếng Việt (có dấu hoặc không dấu) hoặc tiếng Anh: “ép nhựa”, “ep nhua”, “injection molding” đều cho cùng kết quả.", "Search in Vietnamese (with or without diacritics) or English: “ép nhựa”, “ep nhua” and “injection molding” find the same suppliers."),
	"home.stats":            text("Số liệu danh bạ", "Directory figures"),
	"home.stat.companies":   text("doanh nghiệp", "companies"),
	"home.stat.suppliers":   text("nhà cung cấp", "suppliers"),
	"home.stat.verified":    text("đã xác minh", "verified"),
	"home.topprocesses":     text("Năng lực phổ biến", "Top processes"),
	"home.empty":            text("Danh bạ chưa có doanh nghiệp nào.", "The directory has no companies yet."),
	"search.label":          text("Tìm kiếm", "Search"),
	"search.placeholder":    text("Ví dụ: ép nhựa ABS, dập kim loại, IATF 16949…", "E.g. injection molding ABS, metal stamping, IATF 16949…"),
	"search.button":         text("Tìm", "Search"),
	"search.hint":           text("Không phân biệt hoa thường và dấu; hiểu từ đồng nghĩa Việt–Anh.", "Ignores case and diacritics; understands Vietnamese–English synonyms."),
	"dir.title":             text("Danh bạ", "Directory"),
	"dir.heading":           text("Danh bạ doanh nghiệp", "Company directory"),
	"dir.export.csv":        text("Xuất CSV", "Export CSV"),
	"dir.export.xlsx":       text("Xuất XLSX", "Export XLSX"),
	"dir.sort":              text("Sắp xếp", "Sort"),
	"dir.perpage":           text("Số kết quả mỗi trang", "Results per page"),
	"dir.perpage.n":         text("%d / trang", "%d per page"),
	"dir.understood":        text("Hiểu là:", "Understood as:"),
	"dir.filters":           text("Đang lọc:", "Filters:"),
	"dir.removefilter":      text("Bỏ bộ lọc này", "Remove this filter"),
	"dir.clearall":          text("Xóa tất cả", "Clear all"),
	"dir.facets":            text("Bộ lọc", "Filters"),
	"dir.showing":           text("Hiển thị %s–%s trong %s doanh nghiệp", "Showing %s–%s of %s companies"),
	"dir.none":              text("Không tìm thấy doanh nghiệp phù hợp. Hãy thử bỏ bớt bộ lọc hoặc dùng từ khác.", "No companies match. Try removing a filter or other words."),
	"dir.pastend":           text("Trang này không có kết quả; bộ lọc hiện tại có %s doanh nghiệp.", "There are no results on this page; the current filters match %s companies."),
	"dir.firstpage":         text("Về trang đầu", "Go to the first page"),
	"dir.problems":          text("Một số bộ lọc không hợp lệ nên đã được bỏ qua:", "Some filters were not understood and were ignored:"),
	"dir.archived.show":     text("Hiện cả hồ sơ đã lưu trữ", "Show archived"),
	"dir.pages":             text("Trang kết quả", "Result pages"),
	"dir.prev":              text("Trước", "Previous"),
	"dir.next":              text("Sau", "Next"),
	"sort.relevance":        text("Phù hợp nhất", "Relevance"),
	"sort.name":             text("Tên (A–Z)", "Name (A–Z)"),
	"sort.employees":        text("Số lao động", "Employees"),
	"sort.founded":          text("Năm thành lập", "Year founded"),
	"sort.updated":          text("Mới cập nhật", "Recently updated"),
	"facet.process":         text("Năng lực sản xuất", "Process"),
	"facet.sector":          text("Ngành (VSIC)", "Sector (VSIC)"),
	"facet.cert":            text("Chứng nhận", "Certification"),
	"facet.province":        text("Tỉnh/thành phố", "Province"),
	"facet.park":            text("Khu công nghiệp", "Industrial park"),
	"facet.size":            text("Quy mô", "Size"),
	"facet.verified":        text("Xác minh", "Verification"),
	"verified.true":         text("Đã xác minh", "Verified"),
	"verified.false":        text("Chưa xác minh", "Not verified"),
	"size.micro":            text("Siêu nhỏ (≤10 lao động)", "Micro (≤10 employees)"),
	"size.small":            text("Nhỏ (≤100 lao động)", "Small (≤100 employees)"),
	"size.medium":           text("Vừa (≤200 lao động)", "Medium (≤200 employees)"),
	"size.micro.short":      text("Siêu nhỏ", "Micro"),
	"size.small.short":      text("Nhỏ", "Small"),
	"size.medium.short":     text("Vừa", "Medium"),
	"size.large.short":      text("Lớn", "Large"),
	"size.large":            text("Lớn (>200 lao động)", "Large (>200 employees)"),
	"kind.supplier":         text("Nhà cung cấp", "Supplier"),
	"kind.buyer":            text("Bên mua", "Buyer"),
	"kind.both":             text("Nhà cung cấp và bên mua", "Supplier and buyer"),
	"doc.kind.brochure":     text("Hồ sơ năng lực", "Brochure"),
	"doc.kind.photo":        text("Hình ảnh", "Photo"),
	"doc.kind.machine_list": text("Danh sách máy móc", "Machine list"),
	"doc.kind.certificate":  text("Giấy chứng nhận", "Certificate"),
	"doc.kind.other":        text("Khác", "Other"),

	// Profile
	"company.verified":         text("Đã xác minh", "Verified"),
	"company.verified.short":   text("Đã xác minh", "Verified"),
	"company.unverified":       text("Chưa xác minh", "Not verified"),
	"company.notverified.long": text("Thông tin do doanh nghiệp tự khai, Trung tâm chưa xác minh.", "The company's own statement; the center has not verified it yet."),
	"company.verifiedby":       text("Xác minh bởi %s", "Verified by %s"),
	"company.archived.short":   text("Đã lưu trữ", "Archived"),
	"company.archived.banner":  text("Hồ sơ này đã được lưu trữ và không hiện trong danh bạ.", "This profile is archived and does not appear in the directory."),
	"company.description":      text("Giới thiệu", "About"),
	"company.capabilities":     text("Năng lực sản xuất", "Manufacturing capabilities"),
	"company.materials":        text("Vật liệu", "Materials"),
	"company.certifications":   text("Chứng nhận", "Certifications"),
	"company.equipment":        text("Máy móc, thiết bị", "Equipment"),
	"company.recognized":       text("SIHub nhận diện", "Recognized by SIHub"),
	"company.aswritten":        text("Doanh nghiệp ghi", "As written by the company"),
	"company.none.recognized":  text("Chưa nhận diện được mục nào.", "Nothing recognized yet."),
	"company.core":             text("Năng lực chính", "Core"),
	"company.supplementary":    text("Năng lực bổ sung", "Supplementary"),
	"company.inferred":         text("Suy ra từ mô tả", "Inferred from text"),
	"company.inferred.from":    text("(suy ra từ “%s”)", "(inferred from “%s”)"),
	"company.evidence":         text("Căn cứ: “%s”", "Evidence: “%s”"),
	"company.business":         text("Sản phẩm và thị trường", "Products and markets"),
	"company.products":         text("Sản phẩm", "Products"),
	"company.customers":        text("Khách hàng chính", "Main customers"),
	"company.markets":          text("Thị trường xuất khẩu", "Export markets"),
	"company.documents":        text("Tài liệu", "Documents"),
	"company.nodocuments":      text("Chưa có tài liệu.", "No documents yet."),
	"company.facts":            text("Thông tin doanh nghiệp", "Company facts"),
	"company.taxcode":          text("Mã số thuế", "Tax code"),
	"company.parent":           text("Công ty mẹ", "Parent company"),
	"company.parent.notlisted": text("(chưa có trong danh bạ)", "(not in the directory)"),
	"company.address":          text("Địa chỉ", "Address"),
	"company.province":         text("Tỉnh/thành phố", "Province"),
	"company.formerly":         text("(trước đây: %s)", "(formerly %s)"),
	"company.ward":             text("Phường/xã", "Ward/commune"),
	"company.park":             text("Khu công nghiệp", "Industrial park"),
	"company.sectors":          text("Ngành VSIC", "VSIC sectors"),
	"company.employees":        text("Số lao động", "Employees"),
	"company.employees.n":      text("%s lao động", "%s employees"),
	"company.founded":          text("Năm thành lập", "Founded"),
	"company.website":          text("Website", "Website"),
	"company.email":            text("Email", "Email"),
	"company.phone":            text("Điện thoại", "Phone"),
	"company.contacts":         text("Người liên hệ", "Contacts"),
	"company.verification":     text("Xác minh", "Verification"),
	"company.created":          text("Tạo lúc %s", "Created %s"),
	"company.updated":          text("Cập nhật lúc %s", "Updated %s"),
	"cert.scheme":              text("Chứng nhận", "Scheme"),
	"cert.number":              text("Số", "Number"),
	"cert.issuer":              text("Tổ chức cấp", "Issuer"),
	"cert.validity":            text("Hiệu lực", "Validity"),
	"cert.validuntil":          text("Hiệu lực đến %s", "Valid until %s"),
	"cert.expired":             text("Hết hạn %s", "Expired %s"),
	"cert.unverified":          text("Chưa xác minh hiệu lực", "Validity unverified"),
	"equip.kind":               text("Loại máy", "Machine"),
	"equip.count":              text("Số lượng", "Count"),
	"equip.capacity":           text("Công suất", "Capacity"),
	"doc.kind":                 text("Loại tài liệu", "Kind"),
	"doc.file":                 text("Tệp", "File"),
	"doc.limits":               text("PDF, ảnh (JPEG, PNG, WebP, GIF), Excel (.xlsx) hoặc Word (.docx); tối đa 20 MiB.", "PDF, images (JPEG, PNG, WebP, GIF), Excel (.xlsx) or Word (.docx); at most 20 MiB."),

	// Form
	"form.new":                  text("Thêm mới", "New"),
	"form.edit":                 text("Sửa", "Edit"),
	"form.new.heading":          text("Thêm doanh nghiệp", "Add a company"),
	"form.edit.heading":         text("Sửa hồ sơ: %s", "Edit profile: %s"),
	"form.identity":             text("Định danh", "Identity"),
	"form.location":             text("Địa điểm", "Location"),
	"form.sectors":              text("Ngành VSIC 2025", "VSIC 2025 sectors"),
	"form.sectors.hint":         text("Mã ngành cấp 4 hoặc 5 thuộc ngành C (chế biến, chế tạo), ví dụ 2220. Mã VSIC 2018 được tự chuyển đổi.", "4- or 5-digit codes from section C (manufacturing), e.g. 2220. VSIC 2018 codes are converted."),
	"form.capabilities":         text("Năng lực", "Capabilities"),
	"form.capabilities.hint":    text("Ghi tự do như trong hồ sơ năng lực; SIHub nhận diện lại năng lực, vật liệu, chứng nhận và máy móc mỗi khi lưu.", "Write freely, as in a brochure; SIHub recognizes processes, materials, certifications and machines again on every save."),
	"form.business":             text("Hoạt động kinh doanh", "Business"),
	"form.contact":              text("Liên hệ", "Contact"),
	"form.contacts":             text("Người liên hệ", "Contact people"),
	"form.stale":                text("Hồ sơ đã được người khác sửa sau khi bạn mở biểu mẫu. Hãy mở hồ sơ ở thẻ khác để so sánh; bấm Lưu lần nữa sẽ ghi đè thay đổi của họ.", "Someone else changed this profile after you opened the form. Open the profile in another tab to compare; saving again overwrites their changes."),
	"form.notanumber":           text("Phải là một số nguyên.", "Must be a whole number."),
	"field.name":                text("Tên doanh nghiệp (tiếng Việt)", "Company name (Vietnamese)"),
	"field.name_en":             text("Tên tiếng Anh", "English name"),
	"field.tax_code":            text("Mã số thuế", "Tax code"),
	"field.tax_code.hint":       text("10 chữ số, hoặc 13 chữ số cho chi nhánh (0100112437-001).", "10 digits, or 13 for a branch (0100112437-001)."),
	"field.kind":                text("Loại", "Kind"),
	"field.address":             text("Địa chỉ", "Address"),
	"field.province_input":      text("Tỉnh/thành phố", "Province"),
	"field.province_input.hint": text("Tên cũ trước 2025 cũng được, ví dụ Bình Dương.", "Pre-2025 names are accepted, e.g. Bình Dương."),
	"field.industrial_park":     text("Khu công nghiệp", "Industrial park"),
	"field.sectors":             text("Mã ngành", "Sector code"),
	"field.capabilities_text":   text("Năng lực sản xuất", "Manufacturing processes"),
	"field.materials_text":      text("Vật liệu", "Materials"),
	"field.certifications_text": text("Chứng nhận (số, tổ chức cấp, hiệu lực)", "Certifications (number, issuer, validity)"),
	"field.equipment_text":      text("Máy móc, thiết bị (số lượng, công suất)", "Equipment (count, capacity)"),
	"field.employees":           text("Số lao động", "Employees"),
	"field.founded":             text("Năm thành lập", "Year founded"),
	"field.products":            text("Sản phẩm", "Products"),
	"field.main_customers":      text("Khách hàng chính", "Main customers"),
	"field.export_markets":      text("Thị trường xuất khẩu", "Export markets"),
	"field.description":         text("Giới thiệu", "Description"),
	"field.website":             text("Website", "Website"),
	"field.email":               text("Email", "Email"),
	"field.phone":               text("Điện thoại", "Phone"),
	"contact.name":              text("Họ tên", "Name"),
	"contact.role":              text("Chức vụ", "Role"),
	"contact.email":             text("Email", "Email"),
	"contact.phone":             text("Điện thoại", "Phone"),

	// Import
	"import.title":            text("Nhập dữ liệu", "Import"),
	"import.heading":          text("Nhập danh sách doanh nghiệp", "Import companies"),
	"import.upload":           text("Tải tệp lên", "Upload a file"),
	"import.intro":            text("Tải lên tệp Excel (.xlsx) hoặc CSV theo mẫu. Doanh nghiệp được nhận theo mã số thuế: mã đã có thì cập nhật, mã mới thì thêm.", "Upload an Excel (.xlsx) or CSV file in the template's layout. Companies are matched by tax code: known codes are updated, new ones added."),
	"import.file":             text("Tệp dữ liệu", "Data file"),
	"import.file.hint":        text("Tối đa 200 MiB. CSV có thể ở dạng UTF-8, UTF-16 hoặc Windows-1258.", "At most 200 MiB. CSV may be UTF-8, UTF-16 or Windows-1258."),
	"import.dryrun":           text("Chạy thử (chỉ kiểm tra, không lưu)", "Dry run (check only, save nothing)"),
	"import.dryrun.hint":      text("Nên chạy thử trước để xem báo cáo lỗi.", "Run a dry run first to see the problem report."),
	"import.skipinvalid":      text("Bỏ qua dòng lỗi", "Skip invalid rows"),
	"import.skipinvalid.hint": text("Nếu không chọn, chỉ cần một dòng lỗi là cả tệp không được lưu.", "Unless ticked, a single invalid row keeps the whole file from being saved."),
	"import.start":            text("Bắt đầu nhập", "Start import"),
	"import.templates":        text("Tệp mẫu", "Templates"),
	"import.templates.intro":  text("Tải mẫu, điền mỗi doanh nghiệp một dòng rồi tải lên.", "Download a template, fill in one company per row and upload it."),
	"import.template.xlsx":    text("Mẫu Excel (.xlsx)", "Excel template (.xlsx)"),
	"import.template.csv":     text("Mẫu CSV", "CSV template"),
	"import.templates.tips":   text("Định dạng cột mã số thuế là Văn bản (Text) để Excel không làm mất số 0 ở đầu.", "Format the tax-code column as Text so that Excel keeps leading zeros."),
	"import.nofile":           text("Hãy chọn một tệp để nhập.", "Choose a file to import."),
	"job.title":               text("Kết quả nhập", "Import result"),
	"job.heading":             text("Nhập tệp %s", "Import of %s"),
	"job.running":             text("Đang xử lý (%s): %s dòng…", "Working (%s): %s rows…"),
	"job.refresh":             text("Trang tự làm mới mỗi giây.", "This page refreshes every second."),
	"job.again":               text("Thử lại", "Try again"),
	"job.committed":           text("Đã lưu: %s doanh nghiệp mới, %s doanh nghiệp được cập nhật.", "Saved: %s new companies, %s updated."),
	"job.wouldcreate":         text("Sẽ thêm mới", "Would create"),
	"job.wouldupdate":         text("Sẽ cập nhật", "Would update"),
	"job.dryrun":              text("Chạy thử: chưa lưu gì. Nếu báo cáo ổn, hãy nhập lại và bỏ chọn “Chạy thử”.", "Dry run: nothing was saved. If the report looks right, import again without “Dry run”."),
	"job.rejected":            text("Tệp có dòng lỗi nên không có gì được lưu. Sửa các dòng dưới đây, hoặc chọn “Bỏ qua dòng lỗi”.", "The file has invalid rows, so nothing was saved. Fix the rows below, or tick “Skip invalid rows”."),
	"job.empty":               text("Tệp không có dòng dữ liệu nào.", "The file has no data rows."),
	"job.nothingsaved":        text("Không có gì được lưu.", "Nothing was saved."),
	"job.phase.validate":      text("kiểm tra", "checking"),
	"job.phase.write":         text("ghi dữ liệu", "saving"),
	"job.format":              text("Định dạng", "Format"),
	"job.encoding":            text("Bảng mã", "Encoding"),
	"job.rows":                text("Số dòng", "Rows"),
	"job.valid":               text("Hợp lệ", "Valid"),
	"job.invalid":             text("Lỗi", "Invalid"),
	"job.created":             text("Thêm mới", "Created"),
	"job.updated":             text("Cập nhật", "Updated"),
	"job.reportcsv":           text("Tải báo cáo CSV", "Download report CSV"),
	"job.another":             text("Nhập tệp khác", "Import another file"),
	"job.viewdirectory":       text("Xem trong danh bạ", "View in the directory"),
	"job.problems":            text("Vấn đề (%s)", "Problems (%s)"),
	"job.row":                 text("Dòng", "Row"),
	"job.column":              text("Cột", "Column"),
	"job.message":             text("Mô tả", "Message"),
	"job.truncated":           text("Còn %s vấn đề nữa trong báo cáo CSV.", "%s more problems are in the CSV report."),
	"job.phase.queued":        text("đang chờ", "queued"),
}

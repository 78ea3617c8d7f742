package sheet

import (
	"archive/zip"
	"errors"
	"io"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/xuri/excelize/v2"
)

// Limits on what a workbook may unpack to. A real 100,000-row company list
// unpacks to well under 200 MB; a zip bomb claims gigabytes from a few
// kilobytes. Variables so that tests can use small ones.
var (
	maxUnzipped    int64 = 512 << 20 // all parts together
	maxXMLInMemory int64 = 16 << 20  // larger sheets are unpacked to a temp file by excelize
	maxRatio       int64 = 200       // uncompressed/compressed, for parts over maxXMLInMemory
)

// Sheet names of the template, tried before the first sheet.
var dataSheetNames = []string{"doanhnghiep", "companies", "company", "nhacungcap", "suppliers"}

type xlsxFile struct {
	path  string
	sheet string
	conv  legacy
}

func errTooBig() error {
	return sihub.Errorf(sihub.ErrTooLarge,
		"Sổ tính này khi giải nén lớn hơn %d MB hoặc nén bất thường (có thể là \"bom zip\"), SIHub không mở. Hãy chỉ giữ trang danh sách doanh nghiệp, hoặc lưu thành CSV UTF-8.",
		"This workbook unpacks to more than %d MB or is compressed abnormally (it may be a \"zip bomb\"); SIHub will not open it. Keep only the company sheet, or save it as CSV UTF-8.",
		maxUnzipped>>20)
}

// inspectZip checks that a zip archive is an XLSX workbook of reasonable
// size before excelize unpacks anything, and names the other zip-based
// formats people upload.
func inspectZip(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return sihub.Errorf(sihub.ErrInvalid,
			"Tệp có vẻ là sổ tính Excel (.xlsx) nhưng bị hỏng hoặc chưa tải lên hết.",
			"The file looks like an Excel workbook (.xlsx) but is damaged or incompletely uploaded.")
	}
	defer zr.Close()
	names := map[string]*zip.File{}
	var total uint64
	for _, f := range zr.File {
		names[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
		total += f.UncompressedSize64
		if total > uint64(maxUnzipped) {
			return errTooBig()
		}
		if int64(f.UncompressedSize64) > maxXMLInMemory &&
			f.UncompressedSize64 > uint64(maxRatio)*max(f.CompressedSize64, 1) {
			return errTooBig()
		}
	}
	switch {
	case names["xl/workbook.xml"] != nil:
		return nil
	case names["xl/workbook.bin"] != nil:
		return unsupported("một sổ tính nhị phân Excel (.xlsb)", "an Excel Binary Workbook (.xlsb)")
	case names["word/document.xml"] != nil:
		return unsupported("một văn bản Word (.docx)", "a Word document (.docx)")
	case names["ppt/presentation.xml"] != nil:
		return unsupported("một bản trình chiếu PowerPoint (.pptx)", "a PowerPoint presentation (.pptx)")
	case names["mimetype"] != nil:
		kind := "OpenDocument"
		if rc, err := names["mimetype"].Open(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, 100))
			rc.Close()
			switch {
			case strings.Contains(string(b), "spreadsheet"):
				return unsupported("một bảng tính OpenDocument (.ods, LibreOffice Calc)", "an OpenDocument spreadsheet (.ods, LibreOffice Calc)")
			case strings.Contains(string(b), "text"):
				kind = "OpenDocument Text (.odt)"
			}
		}
		return unsupported("một tài liệu "+kind, "an "+kind+" document")
	}
	return unsupported("một tệp nén ZIP", "a ZIP archive")
}

func (x *xlsxFile) open() (*excelize.File, error) {
	f, err := excelize.OpenFile(x.path, excelize.Options{
		UnzipSizeLimit:    maxUnzipped,
		UnzipXMLSizeLimit: maxXMLInMemory,
		// Built-in date format 14 follows the reader's locale in Excel;
		// show it the Vietnamese way.
		ShortDatePattern: "dd/mm/yyyy",
	})
	if err != nil {
		if f != nil {
			f.Close()
		}
		if strings.Contains(err.Error(), "unzip size") {
			return nil, errTooBig()
		}
		e := sihub.Errorf(sihub.ErrInvalid,
			"Không đọc được sổ tính Excel: tệp bị hỏng, có mật khẩu hoặc không đúng định dạng .xlsx.",
			"The Excel workbook could not be read: it is damaged, password-protected or not really .xlsx.")
		e.Err = err
		return nil, e
	}
	return f, nil
}

// openXLSX checks a workbook, picks its company sheet and detects legacy
// font encodings in its cells.
func openXLSX(path string) (*xlsxFile, error) {
	if err := inspectZip(path); err != nil {
		return nil, err
	}
	x := &xlsxFile{path: path}
	f, err := x.open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	list := f.GetSheetList()
	if len(list) == 0 {
		return nil, sihub.Errorf(sihub.ErrInvalid, "Sổ tính không có trang nào.", "The workbook has no sheets.")
	}
	x.sheet = list[0]
pick:
	for _, want := range dataSheetNames {
		for _, s := range list {
			if headerNorm(s) == want {
				x.sheet = s
				break pick
			}
		}
	}
	// Score a sample of the cells for TCVN3/VNI text typed in legacy fonts.
	it, err := x.rowsOf(f, legacyNone)
	if err != nil {
		return nil, err
	}
	var orig, tcvn, vni vietScore
	for size, n := 0, 0; size < sampleSize && n < 5000; n++ {
		cells, _, err := it.next()
		if err != nil {
			break
		}
		for _, c := range cells {
			if hasHighByte([]byte(c)) {
				orig.add(c)
				tcvn.add(fromTCVN3(c))
				vni.add(fromVNI(c))
				size += len(c)
			}
		}
	}
	it.rows.Close()
	x.conv = pickLegacy(orig, tcvn, vni)
	return x, nil
}

func (x *xlsxFile) encoding() string {
	if x.conv != legacyNone {
		return x.conv.encoding()
	}
	return EncXLSX
}

// xlsxRows streams the rows of one sheet.
type xlsxRows struct {
	f    *excelize.File
	rows *excelize.Rows
	n    int
	conv legacy
}

func (x *xlsxFile) rows() (rowIter, error) {
	f, err := x.open()
	if err != nil {
		return nil, err
	}
	it, err := x.rowsOf(f, x.conv)
	if err != nil {
		f.Close()
		return nil, err
	}
	return it, nil
}

func (x *xlsxFile) rowsOf(f *excelize.File, conv legacy) (*xlsxRows, error) {
	rows, err := f.Rows(x.sheet)
	if err != nil {
		e := sihub.Errorf(sihub.ErrInvalid, "Không đọc được trang %q của sổ tính.", "Sheet %q of the workbook could not be read.", x.sheet)
		e.Err = err
		return nil, e
	}
	return &xlsxRows{f: f, rows: rows, conv: conv}, nil
}

func (it *xlsxRows) next() ([]string, int, error) {
	if !it.rows.Next() {
		if err := it.rows.Error(); err != nil {
			if errors.Is(err, excelize.ErrMaxRows) {
				return nil, it.n + 1, sihub.Errorf(sihub.ErrInvalid, "Trang tính có quá nhiều dòng.", "The sheet has too many rows.")
			}
			return nil, it.n + 1, sihub.Errorf(sihub.ErrInvalid, "Không đọc được dòng %d của sổ tính.",
				"Row %d of the workbook could not be read.", it.n+1)
		}
		return nil, 0, io.EOF
	}
	it.n++
	cells, err := it.rows.Columns()
	if err != nil {
		e := sihub.Errorf(sihub.ErrInvalid, "Không đọc được dòng %d của sổ tính.", "Row %d of the workbook could not be read.", it.n)
		e.Err = err
		return nil, it.n, e
	}
	for i, s := range cells {
		cells[i] = cleanCell(s, it.conv, false)
	}
	return cells, it.n, nil
}

func (it *xlsxRows) close() error {
	err := it.rows.Close()
	if cerr := it.f.Close(); err == nil {
		err = cerr
	}
	return err
}

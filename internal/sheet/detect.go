package sheet

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/sihub-org/sihub/internal/sihub"
)

// File types are told by their first bytes, never by the name: a ".xls" from
// an accounting program is often HTML, and a ".csv" may be anything.

const headSize = 64 << 10

// readHead returns the first bytes of a file and its size.
func readHead(path string) ([]byte, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, sihub.Errorf(sihub.ErrInvalid, "Không mở được tệp.", "The file could not be opened.")
	}
	defer f.Close()
	head := make([]byte, headSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, 0, sihub.Errorf(sihub.ErrInvalid, "Không đọc được tệp.", "The file could not be read.")
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, sihub.Errorf(sihub.ErrInvalid, "Không đọc được tệp.", "The file could not be read.")
	}
	return head[:n], fi.Size(), nil
}

// unsupported builds the error for a file SIHub does not read, naming what it
// seems to be and what to do instead.
func unsupported(whatVI, whatEN string) error {
	return &sihub.Error{Code: sihub.ErrUnsupported, Msg: sihub.Msg{
		VI: fmt.Sprintf("Tệp này có vẻ là %s, SIHub không đọc được. Hãy mở tệp bằng Excel và lưu lại dưới dạng Excel Workbook (.xlsx) hoặc CSV UTF-8 (Comma delimited) (.csv).", whatVI),
		EN: fmt.Sprintf("This file seems to be %s, which SIHub cannot read. Open it in Excel and save it as Excel Workbook (.xlsx) or CSV UTF-8 (Comma delimited) (.csv).", whatEN),
	}}
}

// sniffType says whether head starts a zip archive (to be examined as a
// workbook) and rejects the binary and markup formats people upload by
// mistake. Anything else is taken for text and judged by the CSV reader.
func sniffType(head []byte) (zip bool, err error) {
	has := func(p string) bool { return bytes.HasPrefix(head, []byte(p)) }
	switch {
	case len(head) == 0:
		return false, sihub.Errorf(sihub.ErrInvalid, "Tệp rỗng.", "The file is empty.")
	case has("PK\x03\x04"):
		return true, nil
	case has("PK\x05\x06") || has("PK\x07\x08"):
		return false, unsupported("một tệp nén ZIP rỗng hoặc bị chia nhỏ", "an empty or split ZIP archive")
	case has("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"):
		return false, unsupported("một sổ tính Excel 97–2003 (.xls) hoặc một sổ tính có đặt mật khẩu",
			"an Excel 97–2003 workbook (.xls) or a password-protected workbook")
	case len(head) >= 4 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04 || head[1] == 0x08) && head[3] == 0x00:
		return false, unsupported("một bảng tính Excel đời cũ (BIFF, .xls)", "an old Excel worksheet (BIFF, .xls)")
	case has("%PDF"):
		return false, unsupported("một tài liệu PDF", "a PDF document")
	case has("\x89PNG"), has("\xFF\xD8\xFF"), has("GIF8"):
		return false, unsupported("một hình ảnh", "an image")
	case has("{\\rtf"):
		return false, unsupported("một văn bản RTF", "an RTF document")
	case has("\x1F\x8B"), has("Rar!"), has("7z\xBC\xAF\x27\x1C"):
		return false, unsupported("một tệp nén", "a compressed archive")
	case has("\xFF\xFE\x00\x00"):
		return false, unsupported("một tệp văn bản UTF-32", "a UTF-32 text file")
	}
	// Markup, after an optional BOM and blank space.
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(t) > 512 {
		t = t[:512]
	}
	lt := bytes.ToLower(t)
	switch {
	case bytes.HasPrefix(lt, []byte("<?xml")) && bytes.Contains(bytes.ToLower(head), []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return false, unsupported("một bảng tính XML Spreadsheet 2003", "an XML Spreadsheet 2003 workbook")
	case bytes.HasPrefix(lt, []byte("<!doctype html")), bytes.HasPrefix(lt, []byte("<html")),
		bytes.HasPrefix(lt, []byte("<table")), bytes.HasPrefix(lt, []byte("<meta")):
		return false, unsupported("một trang HTML (nhiều phần mềm xuất tệp \".xls\" thực chất là HTML)",
			"an HTML page (many programs export \".xls\" files that are really HTML)")
	case bytes.HasPrefix(lt, []byte("<?xml")):
		return false, unsupported("một tệp XML", "an XML file")
	}
	return false, nil
}

// looksBinary reports whether text (already decoded) holds bytes no text
// file has: NULs, or many control characters.
func looksBinary(b []byte) bool {
	ctl := 0
	for _, c := range b {
		switch {
		case c == 0:
			return true
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1A:
			ctl++
		}
	}
	return ctl > 8 && ctl*100 > len(b)
}

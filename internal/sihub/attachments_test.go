package sihub

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// zipOf builds a ZIP archive holding the named (empty-bodied) entries.
func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		body := "<x/>"
		if n == "[Content_Types].xml" && strings.Contains(strings.Join(names, " "), "macro") {
			body = `<Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>`
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniffType(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), TypePDF},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), TypePNG},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), TypeJPEG},
		{"gif87", []byte("GIF87a\x01\x00"), TypeGIF},
		{"gif89", []byte("GIF89a\x01\x00"), TypeGIF},
		{"webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), TypeWebP},
		{"riff wave is not webp", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), "audio/wave"},
		{"xlsx", zipOf(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), TypeXLSX},
		{"docx", zipOf(t, "[Content_Types].xml", "word/document.xml"), TypeDOCX},
		{"xlsm by vba project", zipOf(t, "[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin"), typeMacro},
		{"xlsm by content type", zipOf(t, "[Content_Types].xml", "xl/workbook.xml", "macro"), typeMacro},
		{"plain zip", zipOf(t, "a.txt"), TypeZIP},
		{"zip with xl folder but no content types", zipOf(t, "xl/workbook.xml"), TypeZIP},
		{"broken zip", []byte("PK\x03\x04garbage"), TypeZIP},
		{"dxf", []byte("  0\r\nSECTION\r\n  2\r\nHEADER\r\n"), TypeDXF},
		{"dxf lf", []byte("0\nSECTION\n2\nENTITIES\n"), TypeDXF},
		{"dxf after comment", []byte("999\r\nmade by CAD\r\n  0\r\nSECTION\r\n"), TypeDXF},
		{"dxf with bom", []byte("\ufeff0\nSECTION\n"), TypeDXF},
		{"binary dxf", []byte("AutoCAD Binary DXF\r\n\x1a\x00rest"), TypeDXF},
		{"not dxf", []byte("0\nSECTIONS\n"), "text/plain"},
		{"step", []byte("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION"), TypeSTEP},
		{"step after blank line", []byte("\r\nISO-10303-21;\n"), TypeSTEP},
		{"exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "application/octet-stream"},
		{"html", []byte("<html><script>alert(1)</script>"), "text/html"},
		{"text", []byte("báo giá"), "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SniffType(tt.data); got != tt.want {
				t.Errorf("SniffType = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckAttachment(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	xlsx := zipOf(t, "[Content_Types].xml", "xl/workbook.xml")
	xlsm := zipOf(t, "[Content_Types].xml", "xl/workbook.xml", "xl/vbaProject.bin")
	dxf := []byte("  0\r\nSECTION\r\n")
	step := []byte("ISO-10303-21;\n")
	drawings := []string{TypeDXF, TypeSTEP, TypePDF}
	long := strings.Repeat("Hồ sơ năng lực công ty ", 12) + ".pdf"

	tests := []struct {
		name, file, declared string
		data                 []byte
		allowed              []string
		wantName, wantType   string
		code                 Code
	}{
		{"pdf", "Hồ sơ năng lực.pdf", "application/pdf", pdf, nil, "Hồ sơ năng lực.pdf", TypePDF, ""},
		{"generic declared type", "brochure.pdf", "application/octet-stream", pdf, nil, "brochure.pdf", TypePDF, ""},
		{"no declared type", "brochure.pdf", "", pdf, nil, "brochure.pdf", TypePDF, ""},
		{"declared type with parameters", "b.pdf", "Application/PDF; charset=binary", pdf, nil, "b.pdf", TypePDF, ""},
		{"declared alias", "anh.JPG", "image/jpg", jpeg, nil, "anh.JPG", TypeJPEG, ""},
		{"jpeg extension variant", "anh.jpeg", "image/jpeg", jpeg, DocumentTypes, "anh.jpeg", TypeJPEG, ""},
		{"xlsx declared as zip", "may moc.xlsx", "application/zip", xlsx, nil, "may moc.xlsx", TypeXLSX, ""},
		{"xlsx declared as old excel", "may moc.xlsx", "application/vnd.ms-excel", xlsx, nil, "may moc.xlsx", TypeXLSX, ""},
		{"pdf declared as excel", "a.pdf", "application/vnd.ms-excel", pdf, nil, "", "", ErrInvalid},
		{"missing extension added", "bao gia", "", pdf, nil, "bao gia.pdf", TypePDF, ""},
		{"directories stripped", "../../etc/passwd.pdf", "", pdf, nil, "passwd.pdf", TypePDF, ""},
		{"windows path stripped", `C:\Users\lan\Desktop\ảnh xưởng.png`, "image/png", png, nil, "ảnh xưởng.png", TypePNG, ""},
		{"drawing dxf", "ban-ve.dxf", "", dxf, drawings, "ban-ve.dxf", TypeDXF, ""},
		{"drawing dxf declared", "ban-ve.DXF", "image/vnd.dxf", dxf, drawings, "ban-ve.DXF", TypeDXF, ""},
		{"drawing step", "chi-tiet.stp", "application/step", step, drawings, "chi-tiet.stp", TypeSTEP, ""},
		{"long name capped", long, "", pdf, nil, "", TypePDF, ""},

		{"empty", "a.pdf", "application/pdf", nil, nil, "", "", ErrInvalid},
		{"too large", "a.pdf", "application/pdf", append(pdf, make([]byte, MaxAttachmentBytes)...), nil, "", "", ErrTooLarge},
		{"declared type disagrees", "a.pdf", "image/png", pdf, nil, "", "", ErrInvalid},
		{"extension disagrees", "a.png", "", pdf, nil, "", "", ErrInvalid},
		{"unknown extension", "a.exe", "", pdf, nil, "", "", ErrInvalid},
		{"executable named pdf", "a.pdf", "application/pdf", []byte("MZ\x90\x00\x03\x00"), nil, "", "", ErrUnsupported},
		{"html named pdf", "a.pdf", "application/pdf", []byte("<html><script>x</script>"), nil, "", "", ErrUnsupported},
		{"macro workbook", "a.xlsx", TypeXLSX, xlsm, nil, "", "", ErrUnsupported},
		{"macro workbook as xlsm", "a.xlsm", "", xlsm, nil, "", "", ErrUnsupported},
		{"zip not a document", "a.zip", "application/zip", zipOf(t, "a.txt"), nil, "", "", ErrUnsupported},
		{"dxf not a document", "a.dxf", "", dxf, DocumentTypes, "", "", ErrUnsupported},
		{"pdf not a drawing", "a.pdf", "", pdf, []string{TypeDXF}, "", "", ErrUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, ct, err := CheckAttachment(tt.file, tt.declared, tt.data, tt.allowed)
			if got := ErrorCode(err); got != tt.code {
				t.Fatalf("error %v, want code %q", err, tt.code)
			}
			if err != nil {
				m := ErrorMsg(err)
				if m.VI == "" || m.EN == "" || m.VI == m.EN {
					t.Errorf("message not bilingual: %+v", m)
				}
				return
			}
			if ct != tt.wantType {
				t.Errorf("type %q, want %q", ct, tt.wantType)
			}
			if tt.wantName != "" && name != tt.wantName {
				t.Errorf("name %q, want %q", name, tt.wantName)
			}
			if len(name) > maxNameBytes || !utf8.ValidString(name) || !strings.HasSuffix(name, ".pdf") && ct == TypePDF {
				t.Errorf("name %q: %d bytes", name, len(name))
			}
		})
	}
}

func TestSafeFileName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Báo giá ép nhựa.xlsx", "Báo giá ép nhựa.xlsx"},
		{"a/b/c.pdf", "c.pdf"},
		{`..\..\x.pdf`, "x.pdf"},
		{"../", "tai-lieu"},
		{"", "tai-lieu"},
		{"...", "tai-lieu"},
		{" . ", "tai-lieu"},
		{".pdf", "pdf"},
		{".htaccess", "htaccess"},
		{"bad\x00na\nme\r.pdf", "badna me.pdf"},
		{"tab\tsep.pdf", "tab sep.pdf"},
		{`"quoted" 'name'.pdf`, "quoted name.pdf"},
		{"a:b*c?<d>|e;f.pdf", "abcdef.pdf"},
		{"  many   spaces  .pdf  ", "many spaces.pdf"},
		{"hoa-don\u202Efdp.exe", "hoa-donfdp.exe"},     // right-to-left override hides the real extension
		{"zero\u200bwidth.pdf", "zerowidth.pdf"},       // invisible formatting characters
		{"invalid\xff\xfeutf8.pdf", "invalidutf8.pdf"}, // bytes that are not UTF-8
		{"đơn giá.pdf.", "đơn giá.pdf"},
		{"ô.pdf", "ô.pdf"}, // decomposed: the combining mark stays
		{"x." + strings.Repeat("e", 30), "x." + strings.Repeat("e", 30)},
	}
	for _, tt := range tests {
		if got := SafeFileName(tt.in); got != tt.want {
			t.Errorf("SafeFileName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Caps keep the extension and whole characters.
	for _, in := range []string{
		strings.Repeat("ệ", 100) + ".docx",
		strings.Repeat("a", 200) + ".pdf",
		strings.Repeat("o\u0302\u0301", 60) + ".pdf", // ố decomposed: a letter and two marks
		strings.Repeat("x", 300),
		strings.Repeat("y", 200) + "." + strings.Repeat("z", 40), // an "extension" too long to be one
	} {
		got := SafeFileName(in)
		ext := ""
		if i := strings.LastIndexByte(in, '.'); i >= 0 && len(in)-i <= 16 {
			ext = in[i:]
		}
		switch {
		case len(got) > maxNameBytes || len(got) < maxNameBytes-8:
			t.Errorf("SafeFileName(%.20q…) is %d bytes", in, len(got))
		case !utf8.ValidString(got):
			t.Errorf("SafeFileName(%.20q…) = %q is not UTF-8", in, got)
		case !strings.HasSuffix(got, ext):
			t.Errorf("SafeFileName(%.20q…) = %q lost %q", in, got, ext)
		}
		// The cut falls before a letter, never between a letter and its
		// combining marks.
		stem := strings.TrimSuffix(got, ext)
		if !strings.HasPrefix(in, stem) {
			t.Fatalf("SafeFileName(%.20q…) = %q is not a prefix", in, got)
		}
		if r, _ := utf8.DecodeRuneInString(in[len(stem):]); unicode.Is(unicode.Mn, r) {
			t.Errorf("SafeFileName(%.20q…) = %q separates a letter from its mark", in, got)
		}
	}
}

package sihub

import (
	"archive/zip"
	"bytes"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxAttachmentBytes is the largest file SIHub accepts.
const MaxAttachmentBytes = 20 << 20

// Content types of the files SIHub recognizes.
const (
	TypePDF   = "application/pdf"
	TypePNG   = "image/png"
	TypeJPEG  = "image/jpeg"
	TypeGIF   = "image/gif"
	TypeWebP  = "image/webp"
	TypeXLSX  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeDOCX  = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeDXF   = "image/vnd.dxf"
	TypeSTEP  = "model/step"
	TypeZIP   = "application/zip"
	typeMacro = "application/vnd.ms-office.macroEnabled" // an Office file carrying macros: never accepted
)

// DocumentTypes are the files a company may attach.
var DocumentTypes = []string{TypePDF, TypePNG, TypeJPEG, TypeWebP, TypeGIF, TypeXLSX, TypeDOCX}

// fileTypes describes the recognized types: a label for messages, the
// extensions a file of the type may have (the first is added to a name that
// has none) and other names browsers and mail programs give the type.
var fileTypes = map[string]struct {
	label   string
	exts    []string
	aliases []string
}{
	TypePDF:  {"PDF", []string{".pdf"}, []string{"application/x-pdf", "application/acrobat"}},
	TypePNG:  {"PNG", []string{".png"}, []string{"image/x-png"}},
	TypeJPEG: {"JPEG", []string{".jpg", ".jpeg", ".jpe", ".jfif"}, []string{"image/jpg", "image/pjpeg"}},
	TypeGIF:  {"GIF", []string{".gif"}, nil},
	TypeWebP: {"WebP", []string{".webp"}, []string{"image/x-webp"}},
	// Some browsers declare Office files as plain ZIP archives, or by the
	// type of the older binary format.
	TypeXLSX:  {"Excel (.xlsx)", []string{".xlsx"}, []string{TypeZIP, "application/x-zip-compressed", "application/vnd.ms-excel"}},
	TypeDOCX:  {"Word (.docx)", []string{".docx"}, []string{TypeZIP, "application/x-zip-compressed", "application/msword"}},
	TypeDXF:   {"DXF", []string{".dxf"}, []string{"application/dxf", "application/x-dxf", "image/x-dxf", "image/dxf"}},
	TypeSTEP:  {"STEP", []string{".step", ".stp"}, []string{"application/step", "application/x-step", "model/x-step", "application/stp"}},
	TypeZIP:   {"ZIP", []string{".zip"}, []string{"application/x-zip-compressed", "application/x-zip"}},
	typeMacro: {"Office macro", []string{".xlsm", ".docm", ".xltm", ".dotm"}, nil},
}

// typeLabel names a content type for people.
func typeLabel(t string) string {
	if ft, ok := fileTypes[t]; ok {
		return ft.label
	}
	return t
}

// CheckAttachment checks an uploaded file before it is stored: its size,
// its content sniffed from the bytes — which must be one of allowed
// (DocumentTypes when allowed is empty) and agree with the declared type
// and the file name's extension — and returns a name safe to offer for
// download and the sniffed content type.
//
// A generic declared type (empty, application/octet-stream) is accepted, as
// browsers send it for types they do not know.
func CheckAttachment(name, declaredType string, data []byte, allowed []string) (safeName, contentType string, err error) {
	switch {
	case len(data) == 0:
		return "", "", Errorf(ErrInvalid, "Tệp %q rỗng.", "The file %q is empty.", name)
	case len(data) > MaxAttachmentBytes:
		return "", "", Errorf(ErrTooLarge, "Tệp %q lớn hơn %d MB.", "The file %q is larger than %d MB.", name, MaxAttachmentBytes>>20)
	}
	if len(allowed) == 0 {
		allowed = DocumentTypes
	}
	ct := SniffType(data)
	if !slices.Contains(allowed, ct) {
		labels := make([]string, len(allowed))
		for i, a := range allowed {
			labels[i] = typeLabel(a)
		}
		return "", "", Errorf(ErrUnsupported, "Tệp %q là %s, loại tệp không được nhận; hãy gửi: %s.",
			"The file %q is %s, which is not accepted; please send: %s.", name, describe(ct), strings.Join(labels, ", "))
	}
	if d := declared(declaredType); d != "" && d != ct && !slices.Contains(fileTypes[ct].aliases, d) {
		return "", "", Errorf(ErrInvalid, "Tệp %q được gửi với loại %s nhưng nội dung là %s.",
			"The file %q was sent as %s but its content is %s.", name, d, typeLabel(ct))
	}
	safe := SafeFileName(name)
	ext := strings.ToLower(path.Ext(safe))
	if exts := fileTypes[ct].exts; len(exts) > 0 {
		switch {
		case ext == "":
			safe = capName(safe+exts[0], exts[0])
		case !slices.Contains(exts, ext):
			return "", "", Errorf(ErrInvalid, "Tệp %q có đuôi %s nhưng nội dung là %s.",
				"The file %q has the extension %s but its content is %s.", name, ext, typeLabel(ct))
		}
	}
	return safe, ct, nil
}

// describe names a sniffed type in an error message.
func describe(ct string) string {
	if ct == "application/octet-stream" {
		return "binary/nhị phân"
	}
	return typeLabel(ct)
}

// declared returns the media type of a Content-Type header, lower-case and
// without parameters; "" for a generic one.
func declared(t string) string {
	mt, _, err := mime.ParseMediaType(t)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(t))
	}
	if mt == "application/octet-stream" || mt == "binary/octet-stream" || mt == "application/unknown" {
		return ""
	}
	return mt
}

// SniffType returns the content type of data from its first bytes, with
// checks for the types http.DetectContentType does not tell apart (Office
// files are ZIP archives) or does not know (DXF, STEP).
func SniffType(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return TypeJPEG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return TypeGIF
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return TypeWebP
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return sniffZip(data)
	case bytes.HasPrefix(data, []byte("AutoCAD Binary DXF\r\n\x1a\x00")), isTextDXF(data):
		return TypeDXF
	case bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n"), []byte("ISO-10303-21;")):
		return TypeSTEP
	}
	mt, _, err := mime.ParseMediaType(http.DetectContentType(data))
	if err != nil {
		return "application/octet-stream"
	}
	return mt
}

// sniffZip tells Office Open XML files from other ZIP archives by their
// entries. Macro-enabled workbooks and documents get a type of their own so
// that they are never taken for plain ones.
func sniffZip(data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return TypeZIP
	}
	has := map[string]bool{}
	var contentTypes *zip.File
	for _, f := range zr.File {
		has[f.Name] = true
		if f.Name == "[Content_Types].xml" {
			contentTypes = f
		}
	}
	if contentTypes == nil {
		return TypeZIP
	}
	if has["xl/vbaProject.bin"] || has["word/vbaProject.bin"] {
		return typeMacro
	}
	if rc, err := contentTypes.Open(); err == nil {
		b, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if bytes.Contains(bytes.ToLower(b), []byte("macroenabled")) {
			return typeMacro
		}
	}
	switch {
	case has["xl/workbook.xml"]:
		return TypeXLSX
	case has["word/document.xml"]:
		return TypeDOCX
	}
	return TypeZIP
}

// isTextDXF recognizes an ASCII DXF file: group code 0 and SECTION on the
// next line ("  0\r\nSECTION"), possibly after 999 comment groups.
func isTextDXF(data []byte) bool {
	s := string(data[:min(len(data), 4096)])
	s = strings.TrimPrefix(s, "\ufeff")
	for range 16 {
		code, rest, ok := strings.Cut(s, "\n")
		if !ok {
			return false
		}
		value, rest, _ := strings.Cut(rest, "\n")
		code = strings.TrimSpace(code)
		value = strings.TrimSpace(value)
		switch code {
		case "999":
			s = rest
			continue
		case "0":
			return value == "SECTION"
		}
		return false
	}
	return false
}

// maxNameBytes caps a safe file name.
const maxNameBytes = 120

// SafeFileName makes an uploaded file's name safe to store and to offer in
// a Content-Disposition header: it drops the directories, control and
// invisible formatting characters (bidirectional overrides could disguise
// an extension), quotes, path separators and characters Windows forbids,
// keeps letters of every script (Vietnamese included), and caps the result
// at 120 bytes keeping the extension. It never returns "".
func SafeFileName(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = strings.ReplaceAll(name, `\`, "/")
	name = name[strings.LastIndexByte(name, '/')+1:]
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r): // tabs and line breaks too
			space = true
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), strings.ContainsRune("\"'`<>:|?*;", r):
			continue
		case !unicode.IsPrint(r) && !unicode.Is(unicode.Mn, r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	s := strings.Trim(b.String(), ". ")
	ext := path.Ext(s)
	if len(ext) > 16 {
		ext = ""
	}
	stem := strings.TrimRight(strings.TrimSuffix(s, ext), ". ")
	if stem == "" {
		stem = "tai-lieu"
	}
	return capName(stem+ext, ext)
}

// capName shortens name to maxNameBytes, cutting the part before ext on a
// character boundary.
func capName(name, ext string) string {
	if len(name) <= maxNameBytes {
		return name
	}
	stem := strings.TrimSuffix(name, ext)
	n := maxNameBytes - len(ext)
	for n > 0 && !utf8.RuneStart(stem[n]) {
		n--
	}
	// A combining mark cut from its letter would dangle: cut before the
	// letter too.
	for n > 0 {
		r, _ := utf8.DecodeRuneInString(stem[n:])
		if !unicode.Is(unicode.Mn, r) {
			break
		}
		n--
		for n > 0 && !utf8.RuneStart(stem[n]) {
			n--
		}
	}
	stem = strings.TrimRight(stem[:n], ". ")
	if stem == "" {
		stem = "tai-lieu"
	}
	return stem + ext
}

package sheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/sihub-org/sihub/internal/sihub"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textEnc is how the bytes of a text file become UTF-8.
type textEnc int

const (
	encUTF8 textEnc = iota
	encUTF16LE
	encUTF16BE
	encWin1258
	encWin1252 // bytes of a legacy font encoding, converted per cell afterwards
)

// csvFile is a CSV file whose encoding and delimiter have been detected.
type csvFile struct {
	path     string
	skip     int // BOM bytes
	enc      textEnc
	conv     legacy
	comma    rune
	crOnly   bool   // old Mac line ends: CR alone
	encoding string // for the report
}

// sampleSize bounds the text scored to detect a legacy encoding.
const sampleSize = 512 << 10

// openCSV detects the encoding and delimiter of a text file.
func openCSV(path string, head []byte) (*csvFile, error) {
	f := &csvFile{path: path, encoding: EncUTF8}
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		f.skip, f.encoding = 3, EncUTF8BOM
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		f.skip, f.enc, f.encoding = 2, encUTF16LE, EncUTF16LE
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		f.skip, f.enc, f.encoding = 2, encUTF16BE, EncUTF16BE
	default:
		if e, ok := utf16NoBOM(head); ok {
			f.enc = e
			f.encoding = map[textEnc]string{encUTF16LE: EncUTF16LE, encUTF16BE: EncUTF16BE}[e]
		}
	}
	if f.enc == encUTF8 && looksBinary(head[f.skip:]) {
		return nil, unsupported("dữ liệu nhị phân, không phải bảng tính hay văn bản", "binary data, not a spreadsheet or text")
	}
	if err := f.detectEncoding(); err != nil {
		return nil, err
	}
	if err := f.detectComma(); err != nil {
		return nil, err
	}
	return f, nil
}

// utf16NoBOM recognizes UTF-16 written without a byte order mark by the zero
// high bytes of its ASCII characters.
func utf16NoBOM(head []byte) (textEnc, bool) {
	n := len(head) &^ 1
	if n < 16 {
		return 0, false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd*10 >= half*7 && even*10 < half:
		return encUTF16LE, true
	case even*10 >= half*7 && odd*10 < half:
		return encUTF16BE, true
	}
	return 0, false
}

// decoded returns the file's text as UTF-8 (before any legacy conversion).
func (f *csvFile) decoded() (io.Reader, io.Closer, error) {
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, nil, sihub.Errorf(sihub.ErrInvalid, "Không mở được tệp.", "The file could not be opened.")
	}
	if _, err := fh.Seek(int64(f.skip), io.SeekStart); err != nil {
		fh.Close()
		return nil, nil, sihub.Errorf(sihub.ErrInvalid, "Không đọc được tệp.", "The file could not be read.")
	}
	var r io.Reader = bufio.NewReaderSize(fh, 64<<10)
	switch f.enc {
	case encUTF16LE:
		r = transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder())
	case encUTF16BE:
		r = transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder())
	case encWin1258:
		r = charmap.Windows1258.NewDecoder().Reader(r)
	case encWin1252:
		r = charmap.Windows1252.NewDecoder().Reader(r)
	}
	if f.crOnly {
		r = crToLF{r}
	}
	return r, fh, nil
}

// detectEncoding reads the whole file once: text that is not valid UTF-8 is
// in a legacy single-byte encoding (Windows-1258, TCVN3 or VNI), and valid
// UTF-8 may still hold TCVN3 or VNI text that went through Excel. A sample of
// the lines with non-ASCII characters is scored under each reading.
func (f *csvFile) detectEncoding() error {
	r, c, err := f.decoded()
	if err != nil {
		return err
	}
	defer c.Close()
	br := bufio.NewReaderSize(r, 64<<10)
	valid, sawCR := true, false
	line, badLine := 1, 0
	var carry []byte // an incomplete UTF-8 sequence split by a long line
	var sample [][]byte
	sampled := 0
	for {
		text, err := br.ReadSlice('\n')
		if len(text) > 0 {
			if valid {
				chunk := text
				if len(carry) > 0 {
					chunk = append(carry, text...)
					carry = nil
				}
				if err == bufio.ErrBufferFull {
					// Keep a rune split at the buffer's end for the next piece.
					cut := len(chunk)
					for k := 1; k <= 3 && k <= len(chunk); k++ {
						if utf8.RuneStart(chunk[len(chunk)-k]) {
							if !utf8.FullRune(chunk[len(chunk)-k:]) {
								cut = len(chunk) - k
							}
							break
						}
					}
					carry = append([]byte(nil), chunk[cut:]...)
					chunk = chunk[:cut]
				}
				if !utf8.Valid(chunk) {
					valid, badLine = false, line
				}
			}
			if !sawCR && bytes.IndexByte(text, '\r') >= 0 {
				sawCR = true
			}
			if sampled < sampleSize && hasHighByte(text) {
				sample = append(sample, append([]byte(nil), text...))
				sampled += len(text)
			}
			if text[len(text)-1] == '\n' {
				line++
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil && err != bufio.ErrBufferFull {
			return sihub.Errorf(sihub.ErrInvalid, "Không đọc được tệp.", "The file could not be read.")
		}
	}
	if len(carry) > 0 {
		valid, badLine = false, line
	}
	f.crOnly = line == 1 && sawCR
	if f.enc != encUTF8 || valid {
		// Unicode text: it is what it says unless it reads far better as
		// TCVN3 or VNI shown through Windows-1252.
		var orig, tcvn, vni vietScore
		for _, l := range sample {
			s := string(l)
			orig.add(s)
			tcvn.add(fromTCVN3(s))
			vni.add(fromVNI(s))
		}
		f.conv = pickLegacy(orig, tcvn, vni)
		if f.conv != legacyNone {
			f.encoding = f.conv.encoding()
		}
		return nil
	}
	// Not UTF-8: Windows-1258 (what Excel writes as "CSV" on a Vietnamese
	// Windows), or legacy font bytes.
	var cp, tcvn, vni vietScore
	d1258, d1252 := charmap.Windows1258.NewDecoder(), charmap.Windows1252.NewDecoder()
	for _, l := range sample {
		s1258, _ := d1258.Bytes(l)
		cp.add(string(s1258))
		s1252, _ := d1252.Bytes(l)
		tcvn.add(fromTCVN3(string(s1252)))
		vni.add(fromVNI(string(s1252)))
	}
	best, enc := cp, encWin1258
	f.encoding = EncWindows1258
	if tcvn.net() > best.net() {
		best, enc, f.conv, f.encoding = tcvn, encWin1252, legacyTCVN3, EncTCVN3
	}
	if vni.net() > best.net() {
		best, enc, f.conv, f.encoding = vni, encWin1252, legacyVNI, EncVNI
	}
	f.enc = enc
	if best.words() >= 3 && best.valid*2 < best.words() {
		return sihub.Errorf(sihub.ErrUnsupported,
			"Không nhận ra bảng mã của tệp: tệp không phải UTF-8 hợp lệ (lỗi đầu tiên ở dòng %d), cũng không phải Windows-1258, TCVN3 hay VNI. Hãy mở tệp bằng Excel và lưu dưới dạng CSV UTF-8 (Comma delimited) hoặc Excel Workbook (.xlsx).",
			"The file's character encoding was not recognized: it is not valid UTF-8 (first error on line %d), nor Windows-1258, TCVN3 or VNI. Open it in Excel and save it as CSV UTF-8 (Comma delimited) or Excel Workbook (.xlsx).",
			badLine)
	}
	return nil
}

// pickLegacy decides whether Unicode text is really TCVN3 or VNI: only when
// a reading makes clearly more words Vietnamese, so that a German name or a
// "®" in a real Unicode file changes nothing.
func pickLegacy(orig, tcvn, vni vietScore) legacy {
	n := orig.words()
	margin := max(2, n/5)
	best, pick := orig.net()+margin, legacyNone
	for _, c := range []struct {
		s vietScore
		l legacy
	}{{tcvn, legacyTCVN3}, {vni, legacyVNI}} {
		if c.s.net() >= best && c.s.valid*10 >= c.s.words()*6 {
			best, pick = c.s.net()+1, c.l
		}
	}
	return pick
}

func hasHighByte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// detectComma picks the delimiter that occurs most often, outside quotes, in
// the first line: Excel writes ";" where the decimal separator is a comma,
// and tabs in "Unicode text".
func (f *csvFile) detectComma() error {
	r, c, err := f.decoded()
	if err != nil {
		return err
	}
	defer c.Close()
	br := bufio.NewReader(io.LimitReader(r, 1<<20))
	counts := map[rune]int{}
	inQuote := false
	for {
		ch, _, err := br.ReadRune()
		if err != nil {
			break
		}
		if ch == '"' {
			inQuote = !inQuote
			continue
		}
		if inQuote {
			continue
		}
		if ch == '\n' || ch == '\r' {
			if len(counts) > 0 {
				break
			}
			continue // leading blank lines
		}
		switch ch {
		case ',', ';', '\t':
			counts[ch]++
		default:
			if len(counts) == 0 {
				counts[0] = 0 // the first line has started
			}
		}
	}
	f.comma = ','
	best := 0
	for _, ch := range []rune{',', ';', '\t'} {
		if counts[ch] > best {
			f.comma, best = ch, counts[ch]
		}
	}
	return nil
}

// crToLF turns the CR line ends of "CSV (Macintosh)" files into LF.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// maxRecord bounds one CSV record, so that an unclosed quote cannot make the
// reader hold the rest of a large file in memory.
const maxRecord = 8 << 20

var errRecordTooLarge = errors.New("record too large")

// recordLimiter fails a read once more than maxRecord bytes have been read
// since the last record ended.
type recordLimiter struct {
	r io.Reader
	n int
}

func (l *recordLimiter) Read(p []byte) (int, error) {
	if l.n > maxRecord {
		return 0, errRecordTooLarge
	}
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}

// bareQuote stands in for a quote inside a cell that does not start with
// one, such as `5" pipe`: Vietnamese lists write inches that way, and the
// strict CSV reader would reject it. U+FDD0 is a noncharacter, so no text
// means it; quoteGuard replaces any in the file with U+FFFD.
const bareQuote = "\uFDD0"

var bareQuoteBytes, replacementBytes = []byte(bareQuote), []byte("\uFFFD")

// States of quoteGuard, following encoding/csv's reading of quotes.
const (
	qFieldStart = iota // at the start of a cell
	qUnquoted          // in a cell that did not start with a quote
	qQuoted            // in a quoted cell
	qQuoteSeen         // just after a quote in a quoted cell: it closes the cell or starts a ""
	qBroken            // the reader reports a misplaced quote and skips to the end of the line
)

// quoteGuard lets the reader be strict about quoted cells — so that a quote
// never closed is reported instead of silently swallowing the rows after it
// — while still accepting a quote inside an unquoted cell: it tracks the
// quoting state exactly as encoding/csv does and turns such a quote into
// bareQuote, which csvRows.next turns back.
type quoteGuard struct {
	comma byte
	state int
}

func (g *quoteGuard) Reset() { g.state = qFieldStart }

func (g *quoteGuard) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		out, n := src[nSrc:nSrc+1], 1
		switch {
		case c == '"' && g.state == qUnquoted:
			out = bareQuoteBytes
		case c == bareQuote[0]:
			if len(src)-nSrc < len(bareQuote) && !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if bytes.HasPrefix(src[nSrc:], bareQuoteBytes) {
				out, n = replacementBytes, len(bareQuote)
			}
		}
		if len(dst)-nDst < len(out) {
			return nDst, nSrc, transform.ErrShortDst
		}
		g.step(c)
		nDst += copy(dst[nDst:], out)
		nSrc += n
	}
	return nDst, nSrc, nil
}

// step moves the state past byte c, as encoding/csv would (without
// LazyQuotes and TrimLeadingSpace).
func (g *quoteGuard) step(c byte) {
	end := c == g.comma || c == '\n'
	switch g.state {
	case qFieldStart:
		switch {
		case c == '"':
			g.state = qQuoted
		case !end:
			g.state = qUnquoted
		}
	case qUnquoted:
		if end {
			g.state = qFieldStart
		}
	case qQuoted:
		if c == '"' {
			g.state = qQuoteSeen
		}
	case qQuoteSeen:
		switch {
		case c == '"':
			g.state = qQuoted // a doubled quote
		case end:
			g.state = qFieldStart
		default:
			// Also a CR: before an LF it ends the line as qBroken does.
			g.state = qBroken
		}
	case qBroken:
		if c == '\n' {
			g.state = qFieldStart
		}
	}
}

// badRows is a stretch of rows the CSV reader could not split into cells
// because of a misplaced quote. The reader goes on after it.
type badRows struct {
	first, last int
	msg         sihub.Msg
}

func (e *badRows) Error() string { return e.msg.EN }

// quoteProblem explains a misplaced quote that spoiled rows first to last.
func quoteProblem(first, last int) *badRows {
	if first == last {
		return &badRows{first, last, sihub.M(
			"Dấu ngoặc kép (\") đặt sai chỗ nên không đọc được dòng này: ô bắt đầu bằng dấu ngoặc kép phải kết thúc bằng dấu ngoặc kép ngay trước dấu phân cách, và dấu ngoặc kép bên trong ô đó phải viết đôi (\"\").",
			"A quote (\") is out of place, so this row could not be read: a cell that starts with a quote must end with one just before the separator, and a quote inside such a cell must be doubled (\"\").")}
	}
	return &badRows{first, last, sihub.M(
		"Dấu ngoặc kép (\") mở ở dòng %d không được đóng đúng chỗ nên các dòng %d–%d bị đọc thành một ô và không nhập được. Ô bắt đầu bằng dấu ngoặc kép phải kết thúc bằng dấu ngoặc kép, và dấu ngoặc kép bên trong ô đó phải viết đôi (\"\").",
		"The quote (\") opened in row %d is not closed where it should be, so rows %d–%d were read as one cell and could not be imported. A cell that starts with a quote must end with one, and a quote inside such a cell must be doubled (\"\").",
		first, first, last)}
}

// csvRows iterates over the records of a CSV file.
type csvRows struct {
	f       *csvFile
	closer  io.Closer
	lim     *recordLimiter
	r       *csv.Reader
	row     int // spreadsheet row of the last record
	endLine int // the line the last record ended on
}

func (f *csvFile) rows() (rowIter, error) {
	r, c, err := f.decoded()
	if err != nil {
		return nil, err
	}
	lim := &recordLimiter{r: transform.NewReader(r, &quoteGuard{comma: byte(f.comma)})}
	cr := csv.NewReader(lim)
	cr.Comma = f.comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &csvRows{f: f, closer: c, lim: lim, r: cr}, nil
}

func (it *csvRows) next() ([]string, int, error) {
	rec, err := it.r.Read()
	if err != nil {
		if errors.Is(err, errRecordTooLarge) {
			return nil, it.row + 1, sihub.Errorf(sihub.ErrInvalid,
				"Dòng %d dài quá 8 MB; có thể tệp thiếu một dấu ngoặc kép đóng.",
				"Row %d is longer than 8 MB; the file may lack a closing quote.", it.row+1)
		}
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// The reader has skipped the rest of the line it stopped on; the
			// lines from the record's start to there were most likely rows.
			it.lim.n = 0
			first := it.row + 1 + max(0, pe.StartLine-it.endLine-1)
			last := first + max(0, pe.Line-pe.StartLine)
			it.row, it.endLine = last, max(pe.Line, pe.StartLine)
			return nil, first, quoteProblem(first, last)
		}
		return nil, it.row + 1, sihub.Errorf(sihub.ErrInvalid, "Không đọc được dòng %d của tệp CSV.",
			"Row %d of the CSV file could not be read.", it.row+1)
	}
	it.lim.n = 0
	// encoding/csv skips empty lines; count them so that row numbers are
	// the ones Excel shows.
	start, _ := it.r.FieldPos(0)
	it.row += 1 + max(0, start-it.endLine-1)
	last := len(rec) - 1
	end, _ := it.r.FieldPos(last)
	it.endLine = end + strings.Count(rec[last], "\n")
	for i, s := range rec {
		if strings.Contains(s, bareQuote) {
			s = strings.ReplaceAll(s, bareQuote, `"`)
		}
		rec[i] = cleanCell(s, it.f.conv, true)
	}
	return rec, it.row, nil
}

func (it *csvRows) close() error { return it.closer.Close() }

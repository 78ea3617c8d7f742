package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/sihub-org/sihub/internal/sihub"
	"golang.org/x/text/transform"
)

// A quote that is never closed, or closed in the wrong place, is a problem
// on the rows it spoiled; reading goes on after them. A quote inside a cell
// that does not start with one is text.
func TestImportQuotes(t *testing.T) {
	a, b, c, d := taxCode(t, "031234567"), taxCode(t, "031234568"), taxCode(t, "031234569"), taxCode(t, "031234570")
	header := "tax_code,name,description,email\r\n"
	tests := []struct {
		name              string
		text              string
		rows, valid       int
		problems          []string // "row: text in the English message"
		names             map[string]string
		nameNotContaining string
	}{
		{
			name: "never closed",
			text: header +
				a + `,Công ty A,"he said 5"" pipe,` + "\r\n" + // row 2: the quote is never closed
				b + ",Công ty B,,\r\n" +
				c + ",Công ty C,,\r\n",
			rows: 3, valid: 0,
			problems: []string{"2: The quote (\") opened in row 2 is not closed where it should be, so rows 2–4 were read as one cell"},
		},
		{
			name: "closed by a later row's quote",
			text: header +
				a + `,"Công ty A,mô tả,` + "\r\n" + // row 2
				b + `,"Công ty B",,` + "\r\n" + // row 3: its quote ends the reading
				c + ",Công ty C,,sai-email\r\n" + // row 4: read again, numbered right
				d + ",Công ty D,,\r\n",
			rows: 4, valid: 1,
			problems: []string{"2: rows 2–3 were read as one cell", "4: not valid"},
			names:    map[string]string{d: "Công ty D"},
		},
		{
			name: "quote inside a quoted cell not doubled",
			text: header +
				a + `,"Công ty "ABC"",,` + "\r\n" +
				b + ",Công ty B,,\r\n",
			rows: 2, valid: 1,
			problems: []string{"2: A quote (\") is out of place, so this row could not be read"},
			names:    map[string]string{b: "Công ty B"},
		},
		{
			name: "quotes inside unquoted cells are text",
			text: header +
				a + `,Ống thép 5" pipe,"ống ""phi"" 21, 27",` + "\r\n" +
				b + `,Công ty "Hòa Bình",ống 2",` + "\r\n" +
				c + `,"Công ty ""Sao Mai""",,` + "\r\n",
			rows: 3, valid: 3,
			names: map[string]string{a: `Ống thép 5" pipe`, b: `Công ty "Hòa Bình"`, c: `Công ty "Sao Mai"`},
		},
		{
			name: "semicolons and a noncharacter",
			text: strings.ReplaceAll(header, ",", ";") +
				a + ";Công ty A 3\" \uFDD0;;\r\n",
			rows: 1, valid: 1,
			names: map[string]string{a: "Công ty A 3\" \uFFFD"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newMemStore()
			rep, err := importCSV(t, tt.text, Options{SkipInvalid: true}, st)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rows != tt.rows || rep.Valid != tt.valid || rep.Invalid != tt.rows-tt.valid {
				t.Errorf("rows %d valid %d invalid %d, want %d %d %d", rep.Rows, rep.Valid, rep.Invalid, tt.rows, tt.valid, tt.rows-tt.valid)
			}
			if len(rep.Problems) != len(tt.problems) {
				t.Errorf("problems:\n%s", strings.Join(problemsOf(rep), "\n"))
			}
			for _, p := range tt.problems {
				row, text, _ := strings.Cut(p, ": ")
				found := false
				for _, q := range rep.Problems {
					if strings.Contains(q.Msg.EN, text) && q.Msg.VI != "" && q.Msg.VI != q.Msg.EN && strings.HasPrefix(p, itoa(q.Row)+":") {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem %q on row %s in\n%s", text, row, strings.Join(problemsOf(rep), "\n"))
				}
			}
			if len(st.data) != tt.valid {
				t.Errorf("%d companies written, want %d", len(st.data), tt.valid)
			}
			for code, name := range tt.names {
				if c := st.data[code]; c == nil || c.Name != name {
					t.Errorf("company %s = %+v, want name %q", code, c, name)
				}
			}
		})
	}
}

func itoa(n int) string { return rowList([]int{n}) }

// A broken quote in the header row leaves nothing to read rows against: the
// file is rejected, naming the row.
func TestImportQuoteInHeader(t *testing.T) {
	_, err := importCSV(t, "tax_code,\"name\r\n"+taxCode(t, "031234567")+",Công ty A\r\n", Options{}, newMemStore())
	if sihub.ErrorCode(err) != sihub.ErrInvalid {
		t.Fatalf("err %v", err)
	}
	if m := sihub.ErrorMsg(err); !strings.HasPrefix(m.EN, "Row 1: The quote (\") opened in row 1") || !strings.HasPrefix(m.VI, "Dòng 1: ") {
		t.Errorf("message %+v", m)
	}
}

// quoteGuard must read quotes exactly as encoding/csv does, so that the
// strict reader over its output never meets a bare quote, reads every
// well-formed record as the lenient reader would, and after an error goes on
// from the next line as if the file started there.
func TestQuoteGuardFollowsCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	alphabet := []string{"a", "é", ",", ";", `"`, `"`, `""`, "\n", "\r\n", "\r", " ", "\uFDD0"}
	for range 10000 {
		var b strings.Builder
		for range rng.IntN(14) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		in := b.String()
		for _, comma := range []rune{',', ';'} {
			checkGuard(t, in, comma)
		}
	}
}

func guarded(in string, comma rune) *csv.Reader {
	r := csv.NewReader(transform.NewReader(strings.NewReader(in), &quoteGuard{comma: byte(comma)}))
	r.Comma = comma
	r.FieldsPerRecord = -1
	return r
}

func checkGuard(t *testing.T, in string, comma rune) {
	t.Helper()
	strict := guarded(in, comma)
	lazy := csv.NewReader(strings.NewReader(in))
	lazy.Comma, lazy.FieldsPerRecord, lazy.LazyQuotes = comma, -1, true
	for {
		got, err := strict.Read()
		if err == io.EOF {
			if _, err := lazy.Read(); err != io.EOF {
				t.Fatalf("%q: strict reader ended before the lenient one", in)
			}
			return
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if pe.Err != csv.ErrQuote {
				t.Fatalf("%q: %v", in, err)
			}
			// The rest must read as a file starting on the next line.
			rest := in
			for range pe.Line {
				i := strings.IndexByte(rest, '\n')
				if i < 0 {
					rest = ""
					break
				}
				rest = rest[i+1:]
			}
			want := readAll(guarded(rest, comma))
			if have := readAll(strict); have != want {
				t.Fatalf("%q: after the error at line %d read %s, want %s", in, pe.Line, have, want)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		want, err := lazy.Read()
		if err != nil {
			t.Fatalf("%q: lenient reader: %v", in, err)
		}
		for i := range got {
			got[i] = strings.ReplaceAll(got[i], bareQuote, `"`)
		}
		for i := range want {
			want[i] = strings.ReplaceAll(want[i], "\uFDD0", "\uFFFD")
		}
		if strings.Join(got, "|") != strings.Join(want, "|") || len(got) != len(want) {
			t.Fatalf("%q: read %q, lenient reader %q", in, got, want)
		}
	}
}

// The guard's output does not depend on how its input is cut into reads,
// nor on how much room its output has: a rune split between two reads or a
// quote that grows to three bytes at the end of the buffer.
func TestQuoteGuardBuffers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	alphabet := []string{"ab", "Ống ", ",", `"`, `""`, "\n", "\r\n", "\uFDD0", "\uFDD1", "\uFFFD"}
	var b strings.Builder
	for b.Len() < 200<<10 {
		b.WriteString(alphabet[rng.IntN(len(alphabet))])
	}
	in := b.String()
	read := func(r io.Reader) string {
		out, err := io.ReadAll(transform.NewReader(r, &quoteGuard{comma: ','}))
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	whole := read(strings.NewReader(in))
	if bytewise := read(iotest.OneByteReader(strings.NewReader(in))); bytewise != whole {
		t.Fatal("output depends on the reads")
	}
	if back := strings.ReplaceAll(whole, bareQuote, `"`); back != strings.ReplaceAll(in, "\uFDD0", "\uFFFD") {
		t.Fatal("output is not the input with bare quotes marked")
	}
	if !strings.Contains(whole, bareQuote) || !strings.Contains(whole, "\uFDD1") {
		t.Fatal("the input exercised nothing")
	}
}

// readAll renders every record and error of r.
func readAll(r *csv.Reader) string {
	var b bytes.Buffer
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			b.WriteString("error;")
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err == csv.ErrBareQuote {
				b.WriteString("BARE;")
			}
			continue
		}
		b.WriteString(strings.Join(rec, "|") + ";")
	}
}

// A CSV row with more cells than the header is shifted and not read; a
// workbook's cells cannot shift, so one right of the header is only noted.
func TestImportExtraCells(t *testing.T) {
	a, b, c := taxCode(t, "031234567"), taxCode(t, "031234568"), taxCode(t, "031234569")
	text := "tax_code,name,province,,\r\n" + // empty header cells do not count
		a + ",Công ty A, Bình Dương,,,,\r\n" + // trailing empty cells are fine
		b + ",Công ty B, TNHH,Bình Dương\r\n" + // a comma in the name
		c + ",Công ty C,,,,x\r\n"
	rep, err := importCSV(t, text, Options{SkipInvalid: true}, newMemStore())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Valid != 1 || rep.Invalid != 2 || len(rep.Problems) != 2 ||
		!hasProblem(rep, 3, "", "This row has 4 cells but the header has 3 columns") ||
		!hasProblem(rep, 4, "", "This row has 6 cells but the header has 3 columns") ||
		!strings.Contains(rep.Problems[0].Msg.EN, "holds a comma (,) without being quoted") {
		t.Errorf("report %+v:\n%s", rep, strings.Join(problemsOf(rep), "\n"))
	}
	if !strings.Contains(rep.Problems[0].Msg.VI, "Dòng này có 4 ô nhưng dòng tiêu đề có 3 cột") {
		t.Errorf("vi: %s", rep.Problems[0].Msg.VI)
	}

	rep, err = importCSV(t, strings.ReplaceAll(text, ",", ";"), Options{}, newMemStore())
	if err != nil || rep.Invalid != 2 || !strings.Contains(rep.Problems[0].Msg.EN, "semicolon (;)") {
		t.Errorf("semicolons: %+v, %v", rep, err)
	}

	x := xlsxBytes(t, "Sheet1", [][]any{
		{"tax_code", "name"},
		{a, "Công ty A", "", "ghi chú", "x"},
		{b, "Công ty B", "ghi chú"},
	})
	st := newMemStore()
	rep, err = ImportCompanies(t.Context(), writeFile(t, "x.xlsx", x), Options{}, st)
	if err != nil || rep.Valid != 2 || len(st.data) != 2 ||
		!hasProblem(rep, 2, "", "The cells in columns D, E have no header and were ignored.") ||
		!hasProblem(rep, 3, "", "The cell in column C has no header and was ignored.") {
		t.Errorf("xlsx: %+v, %v:\n%s", rep, err, strings.Join(problemsOf(rep), "\n"))
	}
}

package sheet

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sihub-org/sihub/internal/sihub"
)

// checkerStore is a memStore that can tell which tax codes it holds, as a
// TaxCodeChecker, recording the size of each question.
type checkerStore struct {
	*memStore
	batches []int
	err     error
}

func (s *checkerStore) ExistingTaxCodes(ctx context.Context, codes []string) (map[string]bool, error) {
	s.batches = append(s.batches, len(codes))
	if s.err != nil {
		return nil, s.err
	}
	have := map[string]bool{}
	for _, c := range codes {
		if _, ok := s.data[c]; ok {
			have[c] = true
		}
	}
	return have, nil
}

func summaryOf(r *Report, lang sihub.Lang) string {
	var lines []string
	for _, m := range r.summary() {
		lines = append(lines, m.In(lang))
	}
	return strings.Join(lines, "\n")
}

func TestReportSummary(t *testing.T) {
	file := Report{File: "a.csv", Format: "csv", Encoding: EncUTF8}
	with := func(f func(r *Report)) *Report {
		r := file
		f(&r)
		return &r
	}
	tests := []struct {
		name   string
		rep    *Report
		en, vi string
	}{
		{"one company written", with(func(r *Report) { r.Rows, r.Valid, r.Created, r.Committed = 1, 1, 1, true }),
			"File a.csv (csv, UTF-8): 1 data row, 1 valid, 0 with errors.\nWrote 1 company: 1 new, 0 updated.",
			"Tệp a.csv (csv, UTF-8): 1 dòng dữ liệu, 1 hợp lệ, 0 có lỗi.\nĐã ghi 1 doanh nghiệp: thêm mới 1, cập nhật 0."},
		{"companies written, one row skipped", with(func(r *Report) {
			r.Rows, r.Valid, r.Invalid, r.Created, r.Updated, r.Committed, r.SkipInvalid = 4, 3, 1, 2, 1, true, true
		}),
			"File a.csv (csv, UTF-8): 4 data rows, 3 valid, 1 with errors.\nWrote 3 companies: 2 new, 1 updated.\nSkipped 1 row with errors.",
			"Tệp a.csv (csv, UTF-8): 4 dòng dữ liệu, 3 hợp lệ, 1 có lỗi.\nĐã ghi 3 doanh nghiệp: thêm mới 2, cập nhật 1.\nĐã bỏ qua 1 dòng có lỗi."},
		{"dry run with prediction", with(func(r *Report) { r.Rows, r.Valid, r.DryRun, r.WouldCreate, r.WouldUpdate = 3, 3, true, 1, 2 }),
			"File a.csv (csv, UTF-8): 3 data rows, 3 valid, 0 with errors.\nDry run: nothing was written.\nA real import would create 1 company and update 2.",
			"Tệp a.csv (csv, UTF-8): 3 dòng dữ liệu, 3 hợp lệ, 0 có lỗi.\nChạy thử: chưa ghi gì.\nNhập thật sẽ thêm mới 1 doanh nghiệp và cập nhật 2 doanh nghiệp."},
		{"dry run without prediction, rows skipped", with(func(r *Report) { r.Rows, r.Valid, r.Invalid, r.DryRun, r.SkipInvalid = 5, 3, 2, true, true }),
			"File a.csv (csv, UTF-8): 5 data rows, 3 valid, 2 with errors.\nDry run: nothing was written.\nA real import would write 3 companies.\nIt would skip 2 rows with errors.",
			"Tệp a.csv (csv, UTF-8): 5 dòng dữ liệu, 3 hợp lệ, 2 có lỗi.\nChạy thử: chưa ghi gì.\nNhập thật sẽ ghi 3 doanh nghiệp.\nSẽ bỏ qua 2 dòng có lỗi."},
		{"dry run with errors", with(func(r *Report) { r.Rows, r.Valid, r.Invalid, r.DryRun, r.WouldCreate = 2, 1, 1, true, 1 }),
			"File a.csv (csv, UTF-8): 2 data rows, 1 valid, 1 with errors.\nDry run: nothing was written.\nAs some rows have errors, a real import would write nothing. Fix the rows below, or choose to skip the rows with errors to create 1 company.",
			"Tệp a.csv (csv, UTF-8): 2 dòng dữ liệu, 1 hợp lệ, 1 có lỗi.\nChạy thử: chưa ghi gì.\nVì có dòng lỗi, nhập thật sẽ không ghi gì. Sửa các dòng dưới đây, hoặc chọn bỏ qua các dòng lỗi để thêm mới 1 doanh nghiệp."},
		{"dry run, updates only", with(func(r *Report) { r.Rows, r.Valid, r.DryRun, r.WouldUpdate = 2, 2, true, 2 }),
			"File a.csv (csv, UTF-8): 2 data rows, 2 valid, 0 with errors.\nDry run: nothing was written.\nA real import would update 2 companies.",
			"Tệp a.csv (csv, UTF-8): 2 dòng dữ liệu, 2 hợp lệ, 0 có lỗi.\nChạy thử: chưa ghi gì.\nNhập thật sẽ cập nhật 2 doanh nghiệp."},
		{"dry run, nothing valid", with(func(r *Report) { r.Rows, r.Invalid, r.DryRun = 1, 1, true }),
			"File a.csv (csv, UTF-8): 1 data row, 0 valid, 1 with errors.\nDry run: nothing was written.\nThere are no valid rows to write.",
			"Tệp a.csv (csv, UTF-8): 1 dòng dữ liệu, 0 hợp lệ, 1 có lỗi.\nChạy thử: chưa ghi gì.\nKhông có dòng hợp lệ nào để ghi."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summaryOf(tt.rep, sihub.EN); got != tt.en {
				t.Errorf("en:\n%s\nwant\n%s", got, tt.en)
			}
			if got := summaryOf(tt.rep, sihub.VI); got != tt.vi {
				t.Errorf("vi:\n%s\nwant\n%s", got, tt.vi)
			}
		})
	}
	one := with(func(r *Report) { r.Omitted = 1 })
	if got := one.omitted(); got.EN != "… and 1 more problem not listed." || got.VI != "… và 1 vấn đề khác không liệt kê." {
		t.Errorf("omitted: %+v", got)
	}
}

// A dry run asks a store that can tell which tax codes it holds, and says
// what a real import would create and update, without writing.
func TestImportDryRunPrediction(t *testing.T) {
	rows := fixtureRows(t)
	text := csvText(t, ',', rows)
	st := &checkerStore{memStore: newMemStore()}
	existing := sihub.CompactTaxCode(rows[2][0])
	st.data[existing] = &sihub.Company{TaxCode: existing, Name: "đã có"}
	rep, err := importCSV(t, text, Options{DryRun: true}, st)
	if err != nil {
		t.Fatal(err)
	}
	if rep.WouldCreate != 2 || rep.WouldUpdate != 1 || rep.Created != 0 || rep.Updated != 0 || rep.Committed {
		t.Errorf("report %+v", rep)
	}
	if st.calls != 0 || len(st.data) != 1 || st.data[existing].Name != "đã có" {
		t.Errorf("store written: %d calls", st.calls)
	}
	if got := summaryOf(rep, sihub.EN); !strings.Contains(got, "A real import would create 2 companies and update 1.") {
		t.Errorf("summary:\n%s", got)
	}

	// Only the valid rows are asked about; a store that cannot tell leaves
	// the counts empty; a store failure is returned with the report.
	st.batches = nil
	rep, err = importCSV(t, csvText(t, ',', withBadCheckDigit(rows, 1)), Options{DryRun: true}, st)
	if err != nil || !slices.Equal(st.batches, []int{2}) || rep.WouldCreate != 1 || rep.WouldUpdate != 1 {
		t.Errorf("invalid row: %+v, %v, batches %v", rep, err, st.batches)
	}
	rep, err = importCSV(t, text, Options{DryRun: true}, st.memStore)
	if err != nil || rep.WouldCreate+rep.WouldUpdate != 0 || !strings.Contains(summaryOf(rep, sihub.EN), "A real import would write 3 companies.") {
		t.Errorf("plain store: %+v, %v", rep, err)
	}
	st.err = errors.New("connection lost")
	if rep, err := importCSV(t, text, Options{DryRun: true}, st); !errors.Is(err, st.err) || rep == nil || rep.Valid != 3 {
		t.Errorf("store failure: %+v, %v", rep, err)
	}
}

// Large files are asked about in bounded batches, each code once.
func TestPredictBatches(t *testing.T) {
	st := &checkerStore{memStore: newMemStore()}
	var codes []string
	for i := range 2500 {
		c := strings.Repeat("0", 6) + itoa(1000+i)
		codes = append(codes, c)
		if i%10 == 0 {
			st.data[c] = &sihub.Company{TaxCode: c}
		}
	}
	rep := &Report{}
	if err := predict(context.Background(), st, codes, rep); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.batches, []int{1000, 1000, 500}) || rep.WouldUpdate != 250 || rep.WouldCreate != 2250 {
		t.Errorf("batches %v, report %+v", st.batches, rep)
	}
}

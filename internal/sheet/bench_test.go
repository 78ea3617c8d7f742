package sheet

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/store/storetest"
)

// writeBenchCSV writes a company list of n rows in the template's columns,
// with text like the benchmark's suppliers.
func writeBenchCSV(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "big.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	bw.WriteString(utf8BOM)
	w := csv.NewWriter(bw)
	w.UseCRLF = true
	w.Write(keys())
	provinces := []string{"TP. Hồ Chí Minh", "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Long An"}
	caps := []string{"ép nhựa; làm khuôn", "đúc áp lực; gia công cơ khí chính xác", "dập kim loại; hàn", "sơn tĩnh điện; mạ kẽm", "tiện CNC; phay CNC"}
	k := 0
	for i := range n {
		var code string
		for code == "" {
			k++
			first9 := fmt.Sprintf("31%07d", k)
			if d := sihub.TaxCheckDigit(first9); d >= 0 {
				code = first9 + fmt.Sprint(d)
			}
		}
		w.Write([]string{code, fmt.Sprintf("Công ty TNHH Cơ khí Chính xác Số %d", i), "", provinces[i%len(provinces)], "Lô A1, đường số 3",
			"KCN Tân Tạo", "2592", caps[i%len(caps)], "SUS304, ADC12", "ISO 9001:2015", "8 máy tiện CNC", fmt.Sprint(20 + i%500),
			fmt.Sprint(1990 + i%30), "trục, bạc", "Chuyên gia công chi tiết chính xác cho ngành điện tử và ô tô.",
			"", "", "028 3750 1234"})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		b.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkImportCompanies measures the validating pass (detection, parsing,
// match.Prepare, duplicate check) over a 100,000-row CSV.
func BenchmarkImportCompanies(b *testing.B) {
	const rows = 100_000
	path := writeBenchCSV(b, rows)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rep, err := ImportCompanies(context.Background(), path, Options{DryRun: true}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Rows != rows || rep.Invalid != 0 {
			b.Fatalf("rows %d invalid %d: %v", rep.Rows, rep.Invalid, rep.Problems[:min(3, len(rep.Problems))])
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImportCompaniesStore measures a whole import of 100,000 rows into
// a fresh database of each dialect (see storetest) — both passes and the
// write transaction — the peak heap while it runs, which must not grow with
// the file, and the time from the end of validation to the end of the
// import: the write transaction, which must not include parsing or
// recognition.
func BenchmarkImportCompaniesStore(b *testing.B) {
	const rows = 100_000
	path := writeBenchCSV(b, rows)
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) { benchImportStore(b, d, path, rows) })
	}
}

func benchImportStore(b *testing.B, dialect, path string, rows int) {
	var peak uint64
	var write time.Duration
	var validated time.Time
	opt := Options{Progress: func(phase string, n int) {
		if phase == "validate" && n == rows {
			validated = time.Now()
		}
	}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		db, err := store.Open(context.Background(), storetest.DSN(b, dialect),
			store.Options{Index: match.IndexTokens, SortKey: match.Fold, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := samplePeakHeap(&peak)
		b.StartTimer()
		rep, err := ImportCompanies(context.Background(), path, opt, db)
		b.StopTimer()
		write += time.Since(validated)
		stop()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Created != rows {
			b.Fatalf("created %d of %d", rep.Created, rows)
		}
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(write.Seconds()/float64(b.N), "write-s/op")
}

// samplePeakHeap records the largest live heap seen every 10 ms until the
// returned function is called.
func samplePeakHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapAlloc)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

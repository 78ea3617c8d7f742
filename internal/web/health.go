package web

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func (s *server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(ctx); err != nil {
		s.log.Error("healthz", "error", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "database unavailable\n")
		return nil
	}
	io.WriteString(w, "ok\n")
	return nil
}

// metrics counts requests by route pattern and status class, and their
// durations, for /metrics. The Prometheus text format is simple enough to
// write by hand, which saves a dependency.
type metrics struct {
	start time.Time
	mu    sync.Mutex
	reqs  map[[2]string]uint64 // {route, "2xx"} → count
	hist  map[string]*histogram
}

// durationBuckets are the histogram's upper bounds in seconds.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{start: time.Now(), reqs: map[[2]string]uint64{}, hist: map[string]*histogram{}}
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	class := strconv.Itoa(status/100) + "xx"
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reqs[[2]string{route, class}]++
	h := m.hist[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(durationBuckets)+1)}
		m.hist[route] = h
	}
	sec := d.Seconds()
	i, _ := slices.BinarySearch(durationBuckets, sec)
	h.counts[i]++
	h.sum += sec
	h.n++
}

func (s *server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	stats, err := s.db.Stats(r.Context())
	if err != nil {
		return err
	}
	var b strings.Builder
	metric := func(name, typ, help string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	}
	metric("sihub_build_info", "gauge", "SIHub version and Go version; always 1.")
	fmt.Fprintf(&b, "sihub_build_info{version=%s,goversion=%s} 1\n", quote(s.version), quote(runtime.Version()))
	metric("sihub_start_time_seconds", "gauge", "When the server started, in Unix seconds.")
	fmt.Fprintf(&b, "sihub_start_time_seconds %d\n", s.metrics.start.Unix())

	metric("sihub_companies", "gauge", "Companies in the directory by state.")
	for _, kv := range []struct {
		state string
		n     int
	}{{"listed", stats.Companies}, {"supplier", stats.Suppliers}, {"buyer", stats.Buyers}, {"verified", stats.Verified}, {"archived", stats.Archived}} {
		fmt.Fprintf(&b, "sihub_companies{state=%q} %d\n", kv.state, kv.n)
	}
	metric("sihub_documents", "gauge", "Documents attached to companies.")
	fmt.Fprintf(&b, "sihub_documents %d\n", stats.Documents)
	metric("sihub_attachment_bytes", "gauge", "Total size of the distinct stored files.")
	fmt.Fprintf(&b, "sihub_attachment_bytes %d\n", stats.AttachmentBytes)

	m := s.metrics
	m.mu.Lock()
	keys := make([][2]string, 0, len(m.reqs))
	for k := range m.reqs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int { return strings.Compare(a[0]+" "+a[1], b[0]+" "+b[1]) })
	metric("sihub_http_requests_total", "counter", "HTTP requests by route pattern and status class.")
	for _, k := range keys {
		fmt.Fprintf(&b, "sihub_http_requests_total{route=%s,code=%q} %d\n", quote(k[0]), k[1], m.reqs[k])
	}
	routes := make([]string, 0, len(m.hist))
	for r := range m.hist {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	metric("sihub_http_request_duration_seconds", "histogram", "HTTP request duration by route pattern.")
	for _, route := range routes {
		h := m.hist[route]
		var cum uint64
		for i, le := range durationBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "sihub_http_request_duration_seconds_bucket{route=%s,le=%q} %d\n", quote(route), formatFloat(le), cum)
		}
		cum += h.counts[len(durationBuckets)]
		fmt.Fprintf(&b, "sihub_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", quote(route), cum)
		fmt.Fprintf(&b, "sihub_http_request_duration_seconds_sum{route=%s} %s\n", quote(route), formatFloat(h.sum))
		fmt.Fprintf(&b, "sihub_http_request_duration_seconds_count{route=%s} %d\n", quote(route), h.n)
	}
	m.mu.Unlock()

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	metric("go_goroutines", "gauge", "Number of goroutines.")
	fmt.Fprintf(&b, "go_goroutines %d\n", runtime.NumGoroutine())
	metric("go_memstats_heap_alloc_bytes", "gauge", "Heap bytes allocated and in use.")
	fmt.Fprintf(&b, "go_memstats_heap_alloc_bytes %d\n", ms.HeapAlloc)
	metric("go_memstats_sys_bytes", "gauge", "Bytes obtained from the operating system.")
	fmt.Fprintf(&b, "go_memstats_sys_bytes %d\n", ms.Sys)
	metric("go_gc_cycles_total", "counter", "Completed garbage-collection cycles.")
	fmt.Fprintf(&b, "go_gc_cycles_total %d\n", ms.NumGC)
	metric("go_gc_pause_seconds_total", "counter", "Total stop-the-world pause time.")
	fmt.Fprintf(&b, "go_gc_pause_seconds_total %s\n", formatFloat(float64(ms.PauseTotalNs)/1e9))

	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, b.String())
	return nil
}

// quote writes a Prometheus label value: backslash, double quote and
// newline escaped.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func formatFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

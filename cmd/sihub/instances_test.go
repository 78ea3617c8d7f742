package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/store/storetest"
)

// Two `sihub serve` processes on one PostgreSQL database serve the same
// data: what is written through one is read through the other at once.
func TestTwoInstancesOnePostgres(t *testing.T) {
	if !slices.Contains(storetest.Dialects(t), "postgres") {
		return
	}
	dsn := storetest.DSN(t, "postgres")
	// Writes need a member of the center's staff: an API token of one.
	if _, stderr, err := sihubIn(t, testPassword, "users", "add", "--db", dsn, "--email", "staff@center.example.vn", "--role", "center_staff"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	token, stderr, err := sihubCmd(t, "tokens", "add", "--db", dsn, "--email", "staff@center.example.vn", "--name", "test", "--scope", "write")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	a := startServer(t, "--db", dsn)
	b := startServer(t, "--db", dsn)

	post := func(url, body string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(token))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	get := func(url string, v any) int {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if v != nil && resp.StatusCode == 200 {
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode
	}

	resp := post(a+"/api/v1/companies",
		`{"tax_code":"0100112437","name":"Công ty TNHH Ví Dụ","capabilities_text":"ép nhựa; làm khuôn","province_input":"Bình Dương"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create through A: %s", resp.Status)
	}
	var c struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		UpdatedAt string `json:"updated_at"`
	}
	if code := get(b+"/api/v1/companies/by-tax-code/0100112437", &c); code != 200 || c.Name != "Công ty TNHH Ví Dụ" {
		t.Fatalf("B does not see A's company: %d %+v", code, c)
	}

	// A change through B shows in A's directory search (and its facets)
	// straight away.
	resp = post(b+"/api/v1/companies/"+strconv.FormatInt(c.ID, 10)+"/verify", "")
	if resp.StatusCode != 200 {
		t.Fatalf("verify through B: %s", resp.Status)
	}
	var page struct {
		Total int `json:"total"`
	}
	if code := get(a+"/api/v1/companies?q=ep+nhua&verified=true", &page); code != 200 || page.Total != 1 {
		t.Errorf("A's directory does not see B's verification: %d, total %d", code, page.Total)
	}
}

// Each instance keeps its own matching index; a supplier written through
// one is matched by the other within two seconds, and so is its removal.
func TestTwoInstancesMatchAlike(t *testing.T) {
	if !slices.Contains(storetest.Dialects(t), "postgres") {
		return
	}
	dsn := storetest.DSN(t, "postgres")
	if _, stderr, err := sihubIn(t, testPassword, "users", "add", "--db", dsn, "--email", "staff@center.example.vn", "--role", "center_staff"); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	token, stderr, err := sihubCmd(t, "tokens", "add", "--db", dsn, "--email", "staff@center.example.vn", "--name", "test", "--scope", "write")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	token = strings.TrimSpace(token)
	a := startServer(t, "--db", dsn)
	b := startServer(t, "--db", dsn)

	call := func(method, url, body string, v any) int {
		t.Helper()
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if v != nil && resp.StatusCode/100 == 2 {
			if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode
	}
	var supplier, demand struct {
		ID int64 `json:"id"`
	}
	if code := call("POST", a+"/api/v1/companies", `{"tax_code":"0100112437","name":"Power Tools Vietnam Co., Ltd.","kind":"buyer"}`, nil); code != 201 {
		t.Fatalf("create buyer through A: %d", code)
	}
	if code := call("POST", a+"/api/v1/demands",
		`{"buyer_tax_code":"0100112437","ref":"PT-001","title_en":"Battery housing for cordless drill, PC/ABS, injection press ≥ 350 t"}`, &demand); code != 201 {
		t.Fatalf("create demand through A: %d", code)
	}
	matches := func(base string) []string {
		t.Helper()
		var res struct {
			Matches []struct {
				TaxCode string `json:"tax_code"`
			} `json:"matches"`
		}
		if code := call("GET", base+"/api/v1/demands/"+strconv.FormatInt(demand.ID, 10)+"/matches", "", &res); code != 200 {
			t.Fatalf("matches: %d", code)
		}
		var out []string
		for _, m := range res.Matches {
			out = append(out, m.TaxCode)
		}
		return out
	}
	// within polls B until its matches are want, for two seconds at most.
	within := func(want []string) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for {
			got := matches(b)
			if slices.Equal(got, want) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("B's matches after 2 s: %v, want %v", got, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	within(nil)
	if code := call("POST", a+"/api/v1/companies",
		`{"tax_code":"0312345673","name":"Công ty TNHH Nhựa Ví Dụ","kind":"supplier","capabilities_text":"ép nhựa PC/ABS, máy ép 80-450 tấn","province_input":"Bình Dương"}`,
		&supplier); code != 201 {
		t.Fatalf("create supplier through A: %d", code)
	}
	within([]string{"0312345673"})
	if code := call("POST", a+"/api/v1/companies/"+strconv.FormatInt(supplier.ID, 10)+"/archive", "", nil); code != 200 {
		t.Fatalf("archive through A: %d", code)
	}
	within(nil)
}

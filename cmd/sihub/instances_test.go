package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

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

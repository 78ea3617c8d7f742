package sihub

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func testChain(n int) []*AuditRecord {
	var out []*AuditRecord
	prev := ""
	for i := 1; i <= n; i++ {
		a := &AuditRecord{Seq: int64(i), At: time.Date(2026, 1, 2, 3, 4, 5, i*1000, time.UTC), ActorID: 7, Actor: "an@x.vn",
			IP: "203.0.113.5", Action: "company.update", ObjectType: "company", ObjectID: 42,
			Before: json.RawMessage(`{"name":"A"}`), After: json.RawMessage(`{"name":"B"}`), Prev: prev}
		a.Digest = a.ContentDigest()
		a.Hash = ChainHash(a.Prev, a.Seq, a.Digest)
		prev = a.Hash
		out = append(out, a)
	}
	return out
}

func check(chain []*AuditRecord, head *AuditHead) []string {
	c := NewAuditChecker(head)
	for _, a := range chain {
		c.Add(a)
	}
	c.Finish()
	return c.Problems
}

func TestAuditChain(t *testing.T) {
	full := testChain(5)
	head := &AuditHead{Seq: 5, Hash: full[4].Hash}
	older := &AuditHead{Seq: 3, Hash: full[2].Hash}
	tests := []struct {
		name   string
		mutate func([]*AuditRecord) []*AuditRecord
		head   *AuditHead
		want   string // part of the first problem; "" = holds
	}{
		{"intact", nil, head, ""},
		{"intact against an older head", nil, older, ""},
		{"edited content", func(c []*AuditRecord) []*AuditRecord { c[1].After = json.RawMessage(`{"name":"C"}`); return c }, head, "content was changed"},
		{"edited actor", func(c []*AuditRecord) []*AuditRecord { c[2].Actor = "x@y.vn"; return c }, nil, "content was changed"},
		{"redacted keeps the chain", func(c []*AuditRecord) []*AuditRecord {
			c[1].Actor, c[1].Redacted = "[erased]", true
			return c
		}, head, ""},
		{"redaction flag does not hide a changed digest", func(c []*AuditRecord) []*AuditRecord {
			c[1].Redacted, c[1].Digest = true, strings.Repeat("0", 64)
			return c
		}, head, "hash does not match"},
		{"deleted middle", func(c []*AuditRecord) []*AuditRecord { return append(c[:2], c[3:]...) }, head, "missing"},
		{"truncated newest", func(c []*AuditRecord) []*AuditRecord { return c[:3] }, head, "newest records were removed"},
		{"truncated without a head goes unseen", func(c []*AuditRecord) []*AuditRecord { return c[:3] }, nil, ""},
		{"rewritten tail", func(c []*AuditRecord) []*AuditRecord {
			c[4].After = json.RawMessage(`{"name":"Z"}`)
			c[4].Digest = c[4].ContentDigest()
			c[4].Hash = ChainHash(c[4].Prev, c[4].Seq, c[4].Digest)
			return c
		}, head, "published hash"},
	}
	for _, tt := range tests {
		chain := testChain(5)
		if tt.mutate != nil {
			chain = tt.mutate(chain)
		}
		p := check(chain, tt.head)
		switch {
		case tt.want == "" && len(p) > 0:
			t.Errorf("%s: problems %v", tt.name, p)
		case tt.want != "" && (len(p) == 0 || !strings.Contains(strings.Join(p, "|"), tt.want)):
			t.Errorf("%s: problems %v, want %q", tt.name, p, tt.want)
		}
	}
}

func TestAuditHeadParse(t *testing.T) {
	h := AuditHead{Seq: 12, Hash: strings.Repeat("ab", 32)}
	got, err := ParseAuditHead(" " + strings.ToUpper(h.String()) + "\n")
	if err != nil || got != h {
		t.Fatalf("ParseAuditHead = %v, %v", got, err)
	}
	if got, err := ParseAuditHead(AuditHead{}.String()); err != nil || got != (AuditHead{}) {
		t.Errorf("empty head: %v, %v", got, err)
	}
	for _, bad := range []string{"", "12", "12:", "0:" + h.Hash[:10], "x:" + h.Hash, "12:abc", "-1:" + h.Hash, "12:" + strings.Repeat("zz", 32)} {
		if _, err := ParseAuditHead(bad); err == nil {
			t.Errorf("ParseAuditHead(%q) accepted", bad)
		}
	}
}

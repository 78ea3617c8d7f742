package sihub

import (
	"encoding/hex"
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
		a.Seal()
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
			c[1].Redact(func(leaf, _ string) bool { return leaf == "actor" || leaf == "ip" })
			c[2].Redact(func(_, v string) bool { return strings.Contains(v, "B") })
			return c
		}, head, ""},
		{"a redacted record's other leaves are still checked", func(c []*AuditRecord) []*AuditRecord {
			c[1].Redact(func(leaf, _ string) bool { return leaf == "actor" })
			c[1].ObjectID = 43
			return c
		}, head, "content was changed"},
		{"forged content under a redaction mark", func(c []*AuditRecord) []*AuditRecord {
			c[1].Redact(func(leaf, _ string) bool { return leaf == "after.name" })
			c[1].After = json.RawMessage(`{"name":"forged"}`)
			return c
		}, head, "marked erased but holds content"},
		{"only personal leaves may be erased", func(c []*AuditRecord) []*AuditRecord {
			sum, _ := leafSum(nil, "action", []byte("company.update"))
			c[1].Redactions = map[string]string{"action": hex.EncodeToString(sum[:])}
			c[1].Action = erasedValue("action")
			return c
		}, head, "cannot be erased"},
		{"a redaction of nothing", func(c []*AuditRecord) []*AuditRecord {
			c[1].Redactions = map[string]string{"after.price": strings.Repeat("0", 64)}
			return c
		}, head, "not in the record"},
		{"deleted middle", func(c []*AuditRecord) []*AuditRecord { return append(c[:2], c[3:]...) }, head, "missing"},
		{"truncated newest", func(c []*AuditRecord) []*AuditRecord { return c[:3] }, head, "newest records were removed"},
		{"truncated without a head goes unseen", func(c []*AuditRecord) []*AuditRecord { return c[:3] }, nil, ""},
		{"rewritten tail", func(c []*AuditRecord) []*AuditRecord {
			c[4].After = json.RawMessage(`{"name":"Z"}`)
			c[4].Seal()
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

func TestAuditRedact(t *testing.T) {
	a := &AuditRecord{Seq: 1, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), ActorID: 7, Actor: "an@x.vn", IP: "203.0.113.5",
		Action: "user.update", ObjectType: "user", ObjectID: 7,
		Before: json.RawMessage(`{"email":"an@x.vn","name":"Nguyễn An"}`), After: json.RawMessage(`{"email":"an2@x.vn","name":"An"}`)}
	a.Seal()
	digest := a.Digest
	if !a.Redact(func(_, v string) bool { return strings.Contains(v, "an@x.vn") || strings.Contains(v, "Nguyễn An") }) {
		t.Fatal("nothing redacted")
	}
	if a.Actor != ErasedMark || string(a.Before) != `{"email":"[đã xoá / erased]","name":"[đã xoá / erased]"}` ||
		string(a.After) != `{"email":"an2@x.vn","name":"An"}` || a.IP != "203.0.113.5" {
		t.Errorf("redacted: %+v before %s after %s", a, a.Before, a.After)
	}
	if got, wrong := a.ContentDigest(); got != digest || len(wrong) > 0 {
		t.Errorf("digest after redaction %s %v, want %s", got, wrong, digest)
	}
	if a.Redact(func(_, v string) bool { return strings.Contains(v, "an@x.vn") }) {
		t.Error("redacting again changed something")
	}
}

// One person's entry in a list is erased, and the others stay.
func TestAuditRedactListElement(t *testing.T) {
	a := &AuditRecord{Seq: 1, At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Action: "company.update", ObjectType: "company", ObjectID: 3,
		After: json.RawMessage(`{"contacts":[{"name":"Hoàng Thị Mai"},{"name":"Lê Văn Tám"}],"name":"Đông Á"}`)}
	a.Seal()
	a.Redact(func(_, v string) bool { return strings.Contains(v, "Mai") })
	if string(a.After) != `{"contacts":["[đã xoá / erased]",{"name":"Lê Văn Tám"}],"name":"Đông Á"}` {
		t.Errorf("after %s", a.After)
	}
	c := NewAuditChecker(nil)
	c.Add(a)
	c.Finish()
	if len(c.Problems) > 0 || c.RedactedRecords() != 1 {
		t.Errorf("problems %v, redacted %d", c.Problems, c.RedactedRecords())
	}
	// Dropping an element, even an erased one, is caught.
	a.After = json.RawMessage(`{"contacts":[{"name":"Lê Văn Tám"}],"name":"Đông Á"}`)
	c = NewAuditChecker(nil)
	c.Add(a)
	c.Finish()
	if len(c.Problems) == 0 {
		t.Error("a removed list element went unnoticed")
	}
}

func TestJSONMembers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		open byte
		keys []string
		vals []string
		ok   bool
	}{
		{`{"a":1,"b":"x,}","c":[1,{"d":"]"}],"e":null}`, '{', []string{"a", "b", "c", "e"}, []string{`1`, `"x,}"`, `[1,{"d":"]"}]`, `null`}, true},
		{` { "a" : true } `, '{', []string{"a"}, []string{`true`}, true},
		{`{"\u0061\"":2}`, '{', []string{`a"`}, []string{`2`}, true},
		{`{}`, '{', nil, nil, true},
		{`[{"n":"A"},"B"]`, '[', nil, []string{`{"n":"A"}`, `"B"`}, true},
		{`[]`, '[', nil, nil, true},
		{`{"a":1`, '{', nil, nil, false},
		{`{"a" 1}`, '{', nil, nil, false},
		{`{"a":1}x`, '{', nil, nil, false},
		{`{"a":"\"}`, '{', nil, nil, false},
		{`[1,]`, '[', nil, nil, false},
		{`"s"`, '{', nil, nil, false},
		{``, '[', nil, nil, false},
	} {
		keys, vals, ok := jsonMembers([]byte(tt.in), tt.open)
		var vs []string
		for _, v := range vals {
			vs = append(vs, string(v))
		}
		if ok != tt.ok || tt.ok && (strings.Join(keys, "|") != strings.Join(tt.keys, "|") || strings.Join(vs, "|") != strings.Join(tt.vals, "|")) {
			t.Errorf("jsonMembers(%s) = %q %q %v", tt.in, keys, vs, ok)
		}
	}
}

package sihub

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AuditRecord is one entry of the audit trail: who changed what, when and
// from where, with the object before and after.
//
// Records form a hash chain: Hash = SHA-256(Prev, Seq, Digest). Digest
// covers the record's content leaf by leaf (ContentDigest): the scalar
// fields and each top-level field of Before and After are hashed on their
// own, and Digest hashes those hashes. Personal data can thus be erased
// from a record (Redact): the erased leaf holds a fixed marker and keeps
// its original hash in Redactions, so the chain still proves that no
// record was edited, inserted or deleted, and every other leaf — when,
// which action on which object — is still checked against the digest.
type AuditRecord struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actor_id,omitempty"` // 0: the operator, the system, or someone signing up
	Actor      string          `json:"actor"`
	IP         string          `json:"ip,omitempty"`
	Action     string          `json:"action"`      // e.g. company.update, user.role
	ObjectType string          `json:"object_type"` // company, document, user, contact…
	ObjectID   int64           `json:"object_id"`
	Before     json.RawMessage `json:"before,omitempty"` // changed fields before, null on create
	After      json.RawMessage `json:"after,omitempty"`  // changed fields after, null on delete
	Digest     string          `json:"digest"`
	Prev       string          `json:"prev"`
	Hash       string          `json:"hash"`
	// Redactions maps each erased leaf ("actor", "ip", "before.name"…) to
	// the hash it had; empty when nothing was erased.
	Redactions map[string]string `json:"redactions,omitempty"`
}

// Redacted reports whether personal data was erased from the record.
func (a *AuditRecord) Redacted() bool { return len(a.Redactions) > 0 }

// ErasedMark replaces erased personal data in a record: as the actor's
// label, and (as a JSON string) as the value of an erased field.
const ErasedMark = "[đã xoá / erased]"

var erasedJSON, _ = json.Marshal(ErasedMark)

// auditLeaf is one separately hashed part of a record's content.
type auditLeaf struct {
	name     string
	value    []byte
	personal bool // may be erased
}

// leaves lists the record's content in a fixed order. A Before or After
// that is a JSON object gives one leaf per field (its raw JSON value), in
// key order, after a leaf saying it is an object; a field holding a list
// gives a leaf with its length and one per element ("after.contacts[0]");
// any other JSON is one leaf. Members are split without decoding them:
// every record of an import is sealed, and this is its hot path.
func (a *AuditRecord) leaves() []auditLeaf {
	out := make([]auditLeaf, 0, 48)
	out = append(out,
		auditLeaf{"at", a.At.UTC().Truncate(time.Microsecond).AppendFormat(nil, time.RFC3339Nano), false},
		auditLeaf{"actor_id", strconv.AppendInt(nil, a.ActorID, 10), false},
		auditLeaf{"actor", []byte(a.Actor), true},
		auditLeaf{"ip", []byte(a.IP), true},
		auditLeaf{"action", []byte(a.Action), false},
		auditLeaf{"object_type", []byte(a.ObjectType), false},
		auditLeaf{"object_id", strconv.AppendInt(nil, a.ObjectID, 10), false},
	)
	for _, side := range [...]struct {
		name string
		raw  json.RawMessage
	}{{"before", a.Before}, {"after", a.After}} {
		if len(side.raw) == 0 {
			out = append(out, auditLeaf{side.name, nil, false})
			continue
		}
		keys, vals, ok := jsonMembers(side.raw, '{')
		if !ok {
			out = append(out, auditLeaf{side.name, side.raw, true})
			continue
		}
		out = append(out, auditLeaf{side.name, []byte("{}"), false})
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(i, j int) bool { return keys[order[i]] < keys[order[j]] })
		for _, i := range order {
			name, v := side.name+"."+keys[i], vals[i]
			// A list (contacts…) gives a leaf per element, so that one
			// person's entry is erased and the others stay.
			_, elems, ok := jsonMembers(v, '[')
			if !ok {
				out = append(out, auditLeaf{name, v, true})
				continue
			}
			out = append(out, auditLeaf{name, []byte("[" + strconv.Itoa(len(elems)) + "]"), false})
			for j, e := range elems {
				out = append(out, auditLeaf{name + "[" + strconv.Itoa(j) + "]", e, true})
			}
		}
	}
	return out
}

// jsonMembers splits a JSON object (open '{') or array ('[') into its
// members' raw values, and an object's keys, without decoding the values;
// ok is false when raw is not such a value. A key with escapes is decoded.
func jsonMembers(raw []byte, open byte) (keys []string, vals [][]byte, ok bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != open {
		return nil, nil, false
	}
	closer := byte('}')
	if open == '[' {
		closer = ']'
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == closer {
		return nil, nil, skipSpace(raw, i+1) == len(raw)
	}
	for {
		if open == '{' {
			end := stringEnd(raw, i)
			if end < 0 {
				return nil, nil, false
			}
			k := string(raw[i+1 : end-1])
			if strings.IndexByte(k, '\\') >= 0 && json.Unmarshal(raw[i:end], &k) != nil {
				return nil, nil, false
			}
			keys = append(keys, k)
			if i = skipSpace(raw, end); i >= len(raw) || raw[i] != ':' {
				return nil, nil, false
			}
			i = skipSpace(raw, i+1)
		}
		end := valueEnd(raw, i)
		if end < 0 {
			return nil, nil, false
		}
		vals = append(vals, raw[i:end])
		if i = skipSpace(raw, end); i >= len(raw) {
			return nil, nil, false
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case closer:
			return keys, vals, skipSpace(raw, i+1) == len(raw)
		default:
			return nil, nil, false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the JSON string starting at b[i], -1
// when there is none.
func stringEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// valueEnd returns the index after the JSON value starting at b[i], -1
// when there is none: strings and nested brackets are skipped whole, and a
// literal runs to the next delimiter.
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				if i = stringEnd(b, i); i < 0 {
					return -1
				}
				i--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	start := i
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\t' && b[i] != '\r' {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// leafSum hashes one leaf, its name and value length-prefixed; buf is
// scratch space, returned for reuse.
func leafSum(buf []byte, name string, value []byte) ([sha256.Size]byte, []byte) {
	buf = binary.BigEndian.AppendUint64(buf[:0], uint64(len(name)))
	buf = append(buf, name...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(len(value)))
	buf = append(buf, value...)
	return sha256.Sum256(buf), buf
}

// ContentDigest returns the hex SHA-256 over the hashes of the record's
// leaves, an erased leaf counting with the hash it had. At is taken in UTC
// to the microsecond, the precision both databases keep. It also returns
// what is wrong with the erasures: an erased leaf that holds anything but
// the marker, or that may not be erased at all.
func (a *AuditRecord) ContentDigest() (string, []string) {
	var (
		wrong []string
		seen  int
		buf   []byte
		sum   [sha256.Size]byte
	)
	h := sha256.New()
	for _, l := range a.leaves() {
		sum, buf = leafSum(buf, l.name, l.value)
		if orig, ok := a.Redactions[l.name]; ok {
			seen++
			switch {
			case !l.personal:
				wrong = append(wrong, l.name+" cannot be erased")
			case string(l.value) != erasedValue(l.name):
				wrong = append(wrong, l.name+" is marked erased but holds content")
			default:
				if n, err := hex.Decode(sum[:], []byte(orig)); err != nil || n != len(sum) {
					wrong = append(wrong, l.name+" has an unreadable erased hash")
				}
			}
		}
		buf = binary.BigEndian.AppendUint64(buf[:0], uint64(len(l.name)))
		buf = append(buf, l.name...)
		buf = append(buf, sum[:]...)
		h.Write(buf)
	}
	if seen < len(a.Redactions) {
		for name := range a.Redactions {
			if !slicesContainsLeaf(a.leaves(), name) {
				wrong = append(wrong, name+" is marked erased but is not in the record")
			}
		}
	}
	sort.Strings(wrong)
	return hex.EncodeToString(h.Sum(nil)), wrong
}

func slicesContainsLeaf(leaves []auditLeaf, name string) bool {
	for _, l := range leaves {
		if l.name == name {
			return true
		}
	}
	return false
}

// erasedValue is what an erased leaf holds.
func erasedValue(leaf string) string {
	switch leaf {
	case "actor":
		return ErasedMark
	case "ip":
		return ""
	}
	return string(erasedJSON)
}

// Redact erases every personal leaf for which erase(leaf, value) is true —
// the actor's label, the IP, a field of Before or After — keeping each
// one's hash, and reports whether it erased anything. Digest, Prev and Hash
// do not change.
func (a *AuditRecord) Redact(erase func(leaf, value string) bool) bool {
	leaves := a.leaves()
	changed := false
	sides := map[string]map[string]json.RawMessage{}
	lists := map[string][]json.RawMessage{} // "side.field" → its elements
	for _, l := range leaves {
		value := string(l.value)
		if !l.personal || a.Redactions[l.name] != "" || value == erasedValue(l.name) || !erase(l.name, value) {
			continue
		}
		if a.Redactions == nil {
			a.Redactions = map[string]string{}
		}
		sum, _ := leafSum(nil, l.name, l.value)
		a.Redactions[l.name] = hex.EncodeToString(sum[:])
		changed = true
		side, field, _ := strings.Cut(l.name, ".")
		switch {
		case l.name == "actor":
			a.Actor = ErasedMark
			continue
		case l.name == "ip":
			a.IP = ""
			continue
		case field == "":
			a.setSide(side, json.RawMessage(erasedJSON))
			continue
		}
		fields := sides[side]
		if fields == nil {
			json.Unmarshal(a.side(side), &fields) // an object: leaves() read it
			sides[side] = fields
		}
		i := strings.LastIndexByte(field, '[')
		if i < 0 || !strings.HasSuffix(field, "]") {
			fields[field] = erasedJSON
			continue
		}
		n, _ := strconv.Atoi(field[i+1 : len(field)-1])
		key := side + "." + field[:i]
		elems, ok := lists[key]
		if !ok {
			json.Unmarshal(fields[field[:i]], &elems) // a list: leaves() read it
		}
		elems[n] = erasedJSON
		lists[key] = elems
	}
	for key, elems := range lists {
		side, field, _ := strings.Cut(key, ".")
		b, _ := json.Marshal(elems)
		sides[side][field] = b
	}
	for side, fields := range sides {
		b, _ := json.Marshal(fields) // keys in order, as the store wrote them
		a.setSide(side, b)
	}
	return changed
}

func (a *AuditRecord) side(name string) json.RawMessage {
	if name == "before" {
		return a.Before
	}
	return a.After
}

func (a *AuditRecord) setSide(name string, v json.RawMessage) {
	if name == "before" {
		a.Before = v
	} else {
		a.After = v
	}
}

// Seal sets Digest and Hash for a new record whose Seq, Prev and content
// are set.
func (a *AuditRecord) Seal() {
	a.Digest, _ = a.ContentDigest()
	a.Hash = ChainHash(a.Prev, a.Seq, a.Digest)
}

// ChainHash links a record with digest at seq to the hash of the record
// before it (prev, "" for the first).
func ChainHash(prev string, seq int64, digest string) string {
	h := sha256.New()
	h.Write([]byte(prev))
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	h.Write(n[:])
	h.Write([]byte(digest))
	return hex.EncodeToString(h.Sum(nil))
}

// AuditHead identifies the newest record of the chain. Published (on the
// admin page, in the log, by `sihub audit head`) and kept elsewhere, it lets
// a later check detect that newest records were removed.
type AuditHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

func (h AuditHead) String() string { return strconv.FormatInt(h.Seq, 10) + ":" + h.Hash }

// ParseAuditHead reads a head written by AuditHead.String.
func ParseAuditHead(s string) (AuditHead, error) {
	seq, hash, ok := strings.Cut(strings.TrimSpace(s), ":")
	n, err := strconv.ParseInt(seq, 10, 64)
	if ok && err == nil && n == 0 && hash == "" {
		return AuditHead{}, nil // the head of an empty trail
	}
	if !ok || err != nil || n < 0 || len(hash) != 2*sha256.Size {
		return AuditHead{}, Errorf(ErrInvalid, "Đầu chuỗi nhật ký %q không đúng dạng SỐ:MÃBĂM.", "Audit head %q is not in the form SEQ:HASH.", s)
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return AuditHead{}, Errorf(ErrInvalid, "Đầu chuỗi nhật ký %q không đúng dạng SỐ:MÃBĂM.", "Audit head %q is not in the form SEQ:HASH.", s)
	}
	return AuditHead{Seq: n, Hash: strings.ToLower(hash)}, nil
}

// AuditChecker verifies a chain fed to it record by record in Seq order,
// from the first record.
type AuditChecker struct {
	want     *AuditHead
	wantSeen string // the hash the record at want.Seq had
	prev     string
	seq      int64
	n        int
	redacted int
	Problems []string // in English, for operators; empty when the chain holds
}

// NewAuditChecker returns a checker that also holds the chain to a
// published head (nil: none), which detects removal of the newest records.
func NewAuditChecker(want *AuditHead) *AuditChecker { return &AuditChecker{want: want} }

func (c *AuditChecker) fail(format string, args ...any) {
	if len(c.Problems) < 100 {
		c.Problems = append(c.Problems, fmt.Sprintf(format, args...))
	}
}

// Add checks the next record.
func (c *AuditChecker) Add(a *AuditRecord) {
	c.n++
	if a.Seq != c.seq+1 {
		c.fail("record %d follows record %d: records are missing or were inserted", a.Seq, c.seq)
	}
	if a.Prev != c.prev {
		c.fail("record %d: its link to the record before does not match (a record before it was changed, inserted or deleted)", a.Seq)
	}
	digest, wrong := a.ContentDigest()
	for _, w := range wrong {
		c.fail("record %d: %s", a.Seq, w)
	}
	if a.Redacted() {
		c.redacted++
	}
	if digest != a.Digest {
		c.fail("record %d: its content was changed after it was written", a.Seq)
	}
	if ChainHash(a.Prev, a.Seq, a.Digest) != a.Hash {
		c.fail("record %d: its hash does not match its content digest and link", a.Seq)
	}
	if c.want != nil && a.Seq == c.want.Seq {
		c.wantSeen = a.Hash
	}
	c.prev, c.seq = a.Hash, a.Seq
}

// Finish checks the end of the chain against the published head and
// returns the chain's own head. The chain holds when Problems is empty.
func (c *AuditChecker) Finish() AuditHead {
	got := AuditHead{Seq: c.seq, Hash: c.prev}
	if w := c.want; w != nil && w.Seq > 0 {
		switch {
		case w.Seq > got.Seq:
			c.fail("the log ends at record %d but the published head is record %d: the newest records were removed", got.Seq, w.Seq)
		case c.wantSeen != w.Hash:
			c.fail("record %d does not have the published hash %s: the log was rewritten", w.Seq, w.Hash)
		}
	}
	return got
}

// Records returns how many records were checked.
func (c *AuditChecker) Records() int { return c.n }

// RedactedRecords returns how many of them had personal data erased.
func (c *AuditChecker) RedactedRecords() int { return c.redacted }

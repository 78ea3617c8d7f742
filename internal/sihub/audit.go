package sihub

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditRecord is one entry of the audit trail: who changed what, when and
// from where, with the object before and after.
//
// Records form a hash chain: Hash = SHA-256(Prev, Seq, Digest), where
// Digest is the SHA-256 of the record's content (ContentDigest). The chain
// runs over the digest rather than the content so that personal data can
// be erased from a record (Redacted) and the record keeps its place: the
// chain still proves that no record was edited, inserted or deleted, and
// the unredacted records' content is checked against their digests.
type AuditRecord struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actor_id,omitempty"` // 0: the operator or the system
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
	Redacted   bool            `json:"redacted,omitempty"`
}

// ContentDigest returns the hex SHA-256 of the record's content: every
// field but Seq, the chain fields and Redacted, each length-prefixed so
// that no two contents share an encoding. At is taken in UTC to the
// microsecond, the precision both databases keep.
func (a *AuditRecord) ContentDigest() string {
	h := sha256.New()
	put := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	put(a.At.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano))
	put(strconv.FormatInt(a.ActorID, 10))
	put(a.Actor)
	put(a.IP)
	put(a.Action)
	put(a.ObjectType)
	put(strconv.FormatInt(a.ObjectID, 10))
	put(string(a.Before))
	put(string(a.After))
	return hex.EncodeToString(h.Sum(nil))
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
	if !a.Redacted && a.ContentDigest() != a.Digest {
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

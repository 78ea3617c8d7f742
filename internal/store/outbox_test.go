package store

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store/internal/testdb"
)

// A message goes from queued to claimed to sent, or back to queued after a
// failure with a retry time, or to failed; a claim that runs out frees it.
func TestOutbox(t *testing.T) {
	forEachDialect(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		clock := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		db.now = func() time.Time { return clock }
		tick := func(d time.Duration) { clock = clock.Add(d) }
		claim := func() *Mail {
			t.Helper()
			m, err := db.ClaimMail(ctx, 5*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		claimID := func() int64 {
			t.Helper()
			if m := claim(); m != nil {
				return m.ID
			}
			return 0
		}
		if m := claim(); m != nil {
			t.Fatalf("empty outbox gave %+v", m)
		}
		for i, to := range []string{"a@x.vn", "b@x.vn", "c@x.vn"} {
			if err := db.QueueMail(ctx, to, fmt.Sprintf("Chủ đề %d", i), "Nội dung\nthư"); err != nil {
				t.Fatal(err)
			}
			tick(time.Second)
		}
		// The oldest first, each once while claimed.
		m := claim()
		if m == nil || m.ID != 1 || m.To != "a@x.vn" || m.Subject != "Chủ đề 0" || m.Body != "Nội dung\nthư" ||
			m.Attempts != 0 || !m.CreatedAt.Equal(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)) || m.Status() != OutboxQueued {
			t.Fatalf("first claim %+v", m)
		}
		if id := claimID(); id != 2 {
			t.Fatalf("second claim %d, want 2", id)
		}
		if err := db.MailSent(ctx, 1); err != nil {
			t.Fatal(err)
		}
		// Message 2 fails and is to be retried in ten minutes; 3 is next.
		retry := clock.Add(10 * time.Minute)
		if err := db.MailFailed(ctx, 2, "421 try again later", &retry); err != nil {
			t.Fatal(err)
		}
		if id := claimID(); id != 3 {
			t.Fatalf("third claim %d, want 3", id)
		}
		if id := claimID(); id != 0 {
			t.Fatalf("claimed %d while every message is claimed, sent or waiting", id)
		}
		// Message 3's sender dies: its claim runs out after the lease.
		tick(5 * time.Minute)
		if id := claimID(); id != 0 {
			t.Fatalf("claimed %d at the end of the lease", id)
		}
		tick(time.Microsecond)
		if id := claimID(); id != 3 {
			t.Fatalf("claim after the lease ran out: %d, want 3", id)
		}
		// Message 2 is due again; it fails for good.
		tick(5 * time.Minute)
		m = claim()
		if m == nil || m.ID != 2 || m.Attempts != 1 || m.LastError != "421 try again later" || !m.SendAfter.Equal(retry) {
			t.Fatalf("retry claim %+v", m)
		}
		if err := db.MailFailed(ctx, 2, "550 no such user \x00\xff", nil); err != nil {
			t.Fatal(err)
		}
		if err := db.MailSent(ctx, 3); err != nil {
			t.Fatal(err)
		}
		tick(time.Hour)
		if id := claimID(); id != 0 {
			t.Fatalf("claimed %d after every message was sent or failed", id)
		}

		if err := db.QueueMail(ctx, "a@x.vn", "Lần hai", "x"); err != nil {
			t.Fatal(err)
		}
		list := func(f OutboxFilter) ([]int64, int) {
			t.Helper()
			ms, total, err := db.Outbox(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, m := range ms {
				ids = append(ids, m.ID)
			}
			return ids, total
		}
		tests := []struct {
			f     OutboxFilter
			want  []int64
			total int
		}{
			{OutboxFilter{}, []int64{4, 3, 2, 1}, 4},
			{OutboxFilter{Status: OutboxQueued}, []int64{4}, 1},
			{OutboxFilter{Status: OutboxSent}, []int64{3, 1}, 2},
			{OutboxFilter{Status: OutboxFailed}, []int64{2}, 1},
			{OutboxFilter{To: "a@x.vn"}, []int64{4, 1}, 2},
			{OutboxFilter{To: "a@x.vn", Status: OutboxSent}, []int64{1}, 1},
			{OutboxFilter{To: "nobody@x.vn"}, nil, 0},
			{OutboxFilter{Limit: 2}, []int64{4, 3}, 4},
			{OutboxFilter{Limit: 2, Offset: 2}, []int64{2, 1}, 4},
		}
		for _, tt := range tests {
			if ids, total := list(tt.f); !slices.Equal(ids, tt.want) || total != tt.total {
				t.Errorf("%+v: %v of %d, want %v of %d", tt.f, ids, total, tt.want, tt.total)
			}
		}
		ms, _, _ := db.Outbox(ctx, OutboxFilter{Status: OutboxFailed})
		if f := ms[0]; f.Attempts != 2 || f.LastError != "550 no such user \uFFFD" || f.FailedAt == nil || !f.FailedAt.Equal(clock.Add(-time.Hour)) ||
			f.SentAt != nil || f.Status() != OutboxFailed {
			t.Errorf("failed message %+v", f)
		}
		ms, _, _ = db.Outbox(ctx, OutboxFilter{Status: OutboxSent, Limit: 1})
		if s := ms[0]; s.ID != 3 || s.SentAt == nil || s.Status() != OutboxSent || s.Attempts != 0 {
			t.Errorf("sent message %+v", s)
		}

		wantCode(t, db.MailSent(ctx, 99), sihub.ErrNotFound)
		wantCode(t, db.MailFailed(ctx, 99, "x", nil), sihub.ErrNotFound)
		_, _, err := db.Outbox(ctx, OutboxFilter{Status: "lost"})
		wantCode(t, err, sihub.ErrInvalid)
		wantCode(t, db.QueueMail(ctx, "", "s", "b"), sihub.ErrInvalid)
		wantCode(t, db.QueueMail(ctx, "a@x.vn", "s\x00", "b"), sihub.ErrInvalid)
		if _, err := db.ClaimMail(ctx, 0); err == nil {
			t.Error("a claim without a lease succeeded")
		}
	})
}

// Senders on several handles of one database (several instances) and
// several goroutines each never claim a message twice.
func TestClaimMailExclusive(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		dsn := testdb.DSN(t, dialect)
		dbs := []*DB{openDSN(t, dsn), openDSN(t, dsn)}
		const n = 40
		for i := range n {
			if err := dbs[0].QueueMail(ctx, fmt.Sprintf("u%d@x.vn", i), "s", "b"); err != nil {
				t.Fatal(err)
			}
		}
		var (
			mu      sync.Mutex
			claimed = map[int64]int{}
			wg      sync.WaitGroup
		)
		errs := make(chan error, 4)
		for w := range 4 {
			db := dbs[w%2]
			wg.Go(func() {
				for {
					m, err := db.ClaimMail(ctx, time.Hour)
					if err != nil {
						errs <- err
						return
					}
					if m == nil {
						return
					}
					mu.Lock()
					claimed[m.ID]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(claimed) != n {
			t.Errorf("%d messages claimed, want %d", len(claimed), n)
		}
		for id, k := range claimed {
			if k != 1 {
				t.Errorf("message %d claimed %d times", id, k)
			}
		}
	})
}

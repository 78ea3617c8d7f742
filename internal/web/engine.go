package web

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sihub-org/sihub/internal/match"
)

// The matching engine keeps every supplier in memory (match.Index). Each
// server follows the database with store.CompanyChanges: before it answers
// anything that matches, and every second in the background, it puts the
// companies written since the data version it last saw — by this process,
// another instance on the same PostgreSQL database, or an import from the
// command line. So a match never misses a committed write, and an instance
// that nobody asks is still current within a second.

// engine is the server's index and the data version it reflects.
type engine struct {
	mu      sync.Mutex // one catch-up at a time; Match itself runs in parallel
	ix      *match.Index
	version int64
	// caught is the index with the version it reflects, read without
	// the lock: most requests find nothing written since and go on.
	caught atomic.Pointer[caughtUp]
}

type caughtUp struct {
	ix      *match.Index
	version int64
}

// matcher returns the matching index, caught up with every company write
// committed before the call.
func (s *server) matcher(ctx context.Context) (*match.Index, error) {
	if c := s.eng.caught.Load(); c != nil {
		v, err := s.db.DataVersion(ctx)
		if err != nil {
			return nil, err
		}
		if v == c.version {
			return c.ix, nil
		}
	}
	s.eng.mu.Lock()
	defer s.eng.mu.Unlock()
	changed, version, err := s.db.CompanyChanges(ctx, s.eng.version)
	if err != nil {
		return nil, err
	}
	switch {
	case s.eng.ix == nil:
		start := time.Now()
		s.eng.ix = match.NewIndex(changed)
		s.log.Info("supplier index built", "suppliers", s.eng.ix.Len(), "version", version,
			"duration", time.Since(start).Round(time.Millisecond))
	default:
		// Put replaces a company, and drops it when it became a buyer or
		// was archived.
		for _, c := range changed {
			s.eng.ix.Put(c)
		}
	}
	s.eng.version = version
	s.eng.caught.Store(&caughtUp{s.eng.ix, version})
	return s.eng.ix, nil
}

// Background rounds: how often Run does each.
const (
	syncEvery     = time.Second
	noticeEvery   = 3 * time.Second
	digestEvery   = time.Minute
	reminderEvery = time.Minute
)

// Run does the server's background work until ctx is done: it builds the
// matching index at start and keeps it current, tells suppliers of the
// demands they match (noticeRound), sends daily digests (digestRound) and
// RFQ reminders (reminderRound).
// Several instances may run it on one database: each round claims its work
// under the database's write lock.
func (h *Server) Run(ctx context.Context) {
	s := h.s
	tick := time.NewTicker(syncEvery)
	defer tick.Stop()
	var lastNotice, lastDigest, lastReminder time.Time
	for {
		if _, err := s.matcher(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("supplier index", "err", err)
		}
		now := time.Now()
		if now.Sub(lastNotice) >= noticeEvery {
			lastNotice = now
			if err := s.noticeRound(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("opportunity notices", "err", err)
			}
		}
		if now.Sub(lastDigest) >= digestEvery {
			lastDigest = now
			if err := s.digestRound(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("daily digests", "err", err)
			}
		}
		if now.Sub(lastReminder) >= reminderEvery {
			lastReminder = now
			if err := s.reminderRound(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("RFQ reminders", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

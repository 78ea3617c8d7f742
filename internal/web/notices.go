package web

import "context"

// noticeRound tells the suppliers of newly opened or changed demands
// (helper W2 fills it in).
func (s *server) noticeRound(ctx context.Context) error { return nil }

// digestRound sends the daily digests that are due (helper W2 fills it in).
func (s *server) digestRound(ctx context.Context) error { return nil }

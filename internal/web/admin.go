package web

// adminRoutes: users and requests to join, invitations, audit log, outbox.
func (s *server) adminRoutes() []route { return nil }

package web

// accountRoutes: sign-up, sign-in, password reset and the account page.
func (s *server) accountRoutes() []route { return nil }

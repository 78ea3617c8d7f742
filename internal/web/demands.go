package web

// demandRoutes are the demand pages and API (helper W1 fills them in).
func (s *server) demandRoutes() []route {
	return nil
}

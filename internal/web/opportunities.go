package web

// opportunityRoutes are the opportunities, supply-gap and notification
// settings pages and API (helper W2 fills them in).
func (s *server) opportunityRoutes() []route {
	return nil
}

package web

// Files of RFQ rounds: the buyer's for every invitee, each supplier's with
// its quote (store/rfqfiles.go keeps them).

func (s *server) rfqFileRoutes() []route {
	return nil
}

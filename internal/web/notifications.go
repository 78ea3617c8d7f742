package web

// In-app notifications: each person's list of news, unread count in the
// navigation, mark read (store/notifications.go keeps them).

func (s *server) notificationRoutes() []route {
	return nil
}

package web

func notificationMatrix() map[string]matrixRoute {
	return nil
}

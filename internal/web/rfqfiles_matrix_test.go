package web

func rfqFileMatrix() map[string]matrixRoute {
	return nil
}

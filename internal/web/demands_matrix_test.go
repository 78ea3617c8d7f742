package web

// demandMatrix holds the route × role entries of the demand routes.
func demandMatrix() map[string]matrixRoute { return map[string]matrixRoute{} }

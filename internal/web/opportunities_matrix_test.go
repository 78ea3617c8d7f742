package web

// opportunityMatrix holds the route × role entries of the opportunity routes.
func opportunityMatrix() map[string]matrixRoute { return map[string]matrixRoute{} }

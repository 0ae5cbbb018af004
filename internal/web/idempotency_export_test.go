package web

// IdempotentRoutes lists the create routes, for tests that check each one.
func IdempotentRoutes() map[string]bool { return idempotentRoutes }

package web

// ExplainCacheLen is the number of cached My Permissions pages.
func ExplainCacheLen(s *Server) int { return s.me.CachedExplanations() }

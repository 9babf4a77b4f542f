package testkit

import (
	"net/http"

	"gatehouse/web"
)

// handlerFunc defers to the server once it exists (its base URL needs the
// listener's address first).
func handlerFunc(get func() *web.Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		get().Handler().ServeHTTP(w, r)
	})
}

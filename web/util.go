package web

import (
	"io"
	"net"
	"strconv"

	"github.com/labstack/echo/v4"
)

func isIP(h string) bool { return net.ParseIP(h) != nil }

type ioWriter = io.Writer

// pathID reads a positive id from the route parameter name; a malformed
// one is a 404, like an id that does not exist.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

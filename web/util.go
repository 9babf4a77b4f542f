package web

import (
	"io"
	"net"
	"strconv"
)

func isIP(h string) bool { return net.ParseIP(h) != nil }

type ioWriter = io.Writer

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

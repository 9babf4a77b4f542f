package app

import (
	"encoding/csv"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
)

// WriteCSV sends a CSV download named name: the header row, then what rows
// writes, streamed. The request's slot is released first (a long download
// must not hold the request queue). Once the status is sent an error can
// only abort the connection, so a truncated file cannot pass for a whole
// one; it is logged under what.
func WriteCSV(c echo.Context, log *slog.Logger, what, name string, header []string, rows func(w *csv.Writer) error) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "private, no-store")
	ReleaseSlot(c)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	err := w.Write(header)
	if err == nil {
		err = rows(w)
	}
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if err != nil {
		log.Error(what, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

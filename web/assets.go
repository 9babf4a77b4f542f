package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// assetTags gives every file under /static an ETag, a hash of its bytes
// computed once (the files are embedded in the binary), and
// Cache-Control: no-cache. The embedded files have no modification time,
// so without a validator a browser downloaded the stylesheet, htmx and the
// scripts again on every page; now it keeps them and revalidates with a
// 304. A binary with a changed file has a new tag, so no page ever meets
// a stale stylesheet.
func assetTags(fsys fs.FS) (echo.MiddlewareFunc, error) {
	tags := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		tags[name] = `"` + hex.EncodeToString(sum[:12]) + `"`
		return nil
	})
	if err != nil {
		return nil, err
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			name := path.Clean(strings.TrimPrefix(c.Param("*"), "/"))
			if tag, ok := tags[name]; ok {
				h := c.Response().Header()
				h.Set("ETag", tag) // http.ServeContent answers a matching If-None-Match with 304
				h.Set("Cache-Control", "no-cache")
			}
			return next(c)
		}
	}, nil
}

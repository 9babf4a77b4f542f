// Package static holds the browser assets (CSS, JavaScript, vendored htmx and
// images), embedded into the binary and served under /static/.
package static

import "embed"

// FS is the embedded asset tree: css/, js/, vendor/ and img/ at its root,
// so "/static/css/app.css" maps to "css/app.css".
//
//go:embed css js vendor img
var FS embed.FS

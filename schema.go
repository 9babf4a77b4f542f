// Package gatehouse holds what must live at the module root: the embedded
// schema (go:embed cannot reach files above a package directory).
package gatehouse

import _ "embed"

// Schema is schema.sql, applied to an empty database as version 1.
//
//go:embed schema.sql
var Schema string

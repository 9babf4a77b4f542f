// Package gatehouse holds what must live at the module root: the embedded
// schema (go:embed cannot reach files above a package directory).
package gatehouse

import _ "embed"

// Schema is schema.sql: the whole current schema, for reading. Databases
// are built by the migrations in internal/store/migrations; a store test
// builds one from this text too and requires the same schema.
//
//go:embed schema.sql
var Schema string

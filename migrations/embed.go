// Package migrations holds the versioned SQL schema, one folder per dialect,
// embedded in the binary. The two folders must describe the same tables.
package migrations

import "embed"

//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS

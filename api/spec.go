package api

import _ "embed"

// SpecYAML is openapi.yaml byte for byte (copied here by make gen), served at
// /api/v1/openapi.yaml.
//
//go:embed openapi.yaml
var SpecYAML []byte

package httpapi

import (
	"bytes"
	"context"

	"hrbridge/api"
)

// Handlers implements api.StrictServerInterface by composing each area's
// handlers; an area adds its struct here.
type Handlers struct {
	Meta
	Access
	Integration
	Imports
	unimplemented
}

var _ api.StrictServerInterface = (*Handlers)(nil)

// Meta serves the contract itself.
type Meta struct{}

func (Meta) GetOpenAPISpec(context.Context, api.GetOpenAPISpecRequestObject) (api.GetOpenAPISpecResponseObject, error) {
	return api.GetOpenAPISpec200ApplicationyamlResponse{Body: bytes.NewReader(api.SpecYAML), ContentLength: int64(len(api.SpecYAML))}, nil
}

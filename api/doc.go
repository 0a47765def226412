// Package api is generated from openapi.yaml by oapi-codegen (make gen):
// the models, the strict Echo server interface and the embedded spec.
package api

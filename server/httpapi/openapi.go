package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"hrbridge/api"
	"hrbridge/server/problem"
)

// APIPrefix is where the JSON API is mounted; the spec's paths are relative to it.
const APIPrefix = "/api/v1"

var formats sync.Once

// Spec is the embedded contract, loaded once.
type Spec struct {
	Doc    *openapi3.T
	router routers.Router
}

// LoadSpec parses the embedded openapi.yaml and builds a router over it with
// the paths made absolute, so requests match without stripping prefixes.
func LoadSpec() (*Spec, error) {
	formats.Do(func() {
		// kin-openapi checks only the formats it is told about.
		openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`))
		openapi3.DefineStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail))
	})
	doc, err := api.GetSwagger()
	if err != nil {
		return nil, fmt.Errorf("load the embedded spec: %w", err)
	}
	abs := openapi3.NewPaths()
	for path, item := range doc.Paths.Map() {
		abs.Set(APIPrefix+path, item)
	}
	routed := *doc
	routed.Paths = abs
	routed.Servers = nil
	// Authentication is our own middleware's job; with no global security
	// the validator skips its per-request pass over the schemes.
	routed.Security = nil
	r, err := legacy.NewRouter(&routed)
	if err != nil {
		return nil, err
	}
	return &Spec{Doc: doc, router: r}, nil
}

// Permission is an operation's x-permission (public, session, read, import, admin).
func Permission(op *openapi3.Operation) string {
	if v, ok := op.Extensions["x-permission"].(string); ok {
		return v
	}
	return "admin" // an operation that forgot to say is locked down, not opened
}

type routeKey struct{}

// RouteOf returns the spec route matched for this request (set by findRoute).
func RouteOf(c echo.Context) *routers.Route {
	r, _ := c.Get("openapi.route").(*routers.Route)
	return r
}

// findRoute matches the request against the spec. An unknown path is a 404
// and a known path with another method a 405, both as problem+json.
func (s *Spec) findRoute(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		route, params, err := s.router.FindRoute(c.Request())
		switch {
		case err != nil && err.Error() == routers.ErrMethodNotAllowed.Error(): // the router returns a copy, not the sentinel
			return problem.New(http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s.", c.Request().Method, c.Request().URL.Path))
		case err != nil:
			return problem.NotFound(fmt.Sprintf("No API operation at %s.", c.Request().URL.Path))
		}
		c.Set("openapi.route", route)
		c.Set("openapi.params", params)
		return next(c)
	}
}

// validate checks parameters and body against the spec before any handler
// runs, so bad input is refused whole and never half-written.
func (s *Spec) validate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		route := RouteOf(c)
		params, _ := c.Get("openapi.params").(map[string]string)
		if route == nil || route.Operation == nil {
			return errNoOperation
		}
		if err := checkInput(c, route.PathItem, route.Operation, params); err != nil {
			return err
		}
		in := &openapi3filter.RequestValidationInput{
			Request:    c.Request(),
			PathParams: params,
			Route:      route,
			Options: &openapi3filter.Options{
				MultiError:         true,
				AuthenticationFunc: func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
			},
		}
		if err := openapi3filter.ValidateRequest(c.Request().Context(), in); err != nil {
			return err
		}
		return next(c)
	}
}

// isAPI tells API paths (JSON errors, never the SPA) from the rest, in any
// letter case and however the path is spelled (/API/V1/ME, //api/..,
// /x/../api): none of them is the SPA.
func isAPI(p string) bool {
	p = strings.ToLower(path.Clean("/" + p))
	return p == "/api" || strings.HasPrefix(p, "/api/")
}

package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/labstack/echo/v4"
)

// /api/docs serves the built reference page (Swagger UI from the SPA's assets), and without a built
// SPA a page that says how to build it and links the spec. The rendering itself (an operation with
// its schema, offline) is checked in Chromium by frontend/e2e/api-docs.spec.ts.
func TestDocsPage(t *testing.T) {
	spec, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	get := func(h echo.HandlerFunc) *httptest.ResponseRecorder {
		e := echo.New()
		rec := httptest.NewRecorder()
		if err := h(e.NewContext(httptest.NewRequest(http.MethodGet, "/api/docs", nil), rec)); err != nil {
			t.Fatal(err)
		}
		return rec
	}
	built := fstest.MapFS{DocsPage: {Data: []byte(`<!doctype html><main id="api-reference"></main><script type="module" src="/assets/api-docs-x.js"></script>`)}}
	rec := get(docsPage(spec, built))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="api-reference"`) || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("built: %d %q %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	for _, dist := range []fstest.MapFS{{}, nil} {
		var h echo.HandlerFunc
		if dist == nil {
			h = docsPage(spec, nil)
		} else {
			h = docsPage(spec, dist)
		}
		rec = get(h)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "make build") || !strings.Contains(body, `href="/api/v1/openapi.yaml"`) {
			t.Errorf("not built: %d %s", rec.Code, body)
		}
	}
}

package httpapi

import (
	"errors"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"
)

// DocsPage is the API reference page in the built SPA (frontend/api-docs.html): Swagger UI, bundled
// by Vite from the npm package swagger-ui-dist, rendering /api/v1/openapi.yaml with its Markdown
// descriptions and schemas. Its script and styles are files of this origin (no CDN), so it works
// offline and under ContentSecurityPolicy.
const DocsPage = "api-docs.html"

// docsPage serves the API reference at /api/docs. Without a built SPA (`make build` not run) it
// serves a short page that says so and links the machine-readable spec.
func docsPage(spec *Spec, dist fs.FS) echo.HandlerFunc {
	fallback := template.Must(template.New("docs").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>API reference | hrbridge</title></head><body>
<h1>{{.Title}} {{.Version}}</h1>
<p>The API reference page is built with the SPA: run <code>make build</code>.
The machine-readable contract is <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p>
</body></html>`))
	return func(c echo.Context) error {
		if dist != nil {
			page, err := fs.ReadFile(dist, DocsPage)
			if err == nil {
				c.Response().Header().Set("Cache-Control", "no-cache")
				return c.HTMLBlob(http.StatusOK, page)
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		c.Response().Header().Set("Content-Type", echo.MIMETextHTMLCharsetUTF8)
		c.Response().WriteHeader(http.StatusOK)
		return fallback.Execute(c.Response(), map[string]any{"Title": spec.Doc.Info.Title, "Version": spec.Doc.Info.Version})
	}
}

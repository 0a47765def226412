package httpapi

import (
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// docsPage renders a plain API reference from the embedded spec on the
// server: no script, no CDN, so it works offline and under a strict CSP.
func docsPage(spec *Spec) echo.HandlerFunc {
	type param struct {
		Name, In, Type string
		Required       bool
		Description    string
	}
	type op struct {
		Method, Path, ID, Summary, Permission, Body string
		Params                                      []param
		Responses                                   []string
	}
	var ops []op
	for path, item := range spec.Doc.Paths.Map() {
		for method, o := range item.Operations() {
			x := op{Method: method, Path: APIPrefix + path, ID: o.OperationID, Summary: o.Summary, Permission: Permission(o)}
			for _, p := range o.Parameters {
				t := ""
				if p.Value.Schema != nil && p.Value.Schema.Value != nil {
					t = schemaType(p.Value.Schema)
				}
				x.Params = append(x.Params, param{p.Value.Name, p.Value.In, t, p.Value.Required, p.Value.Description})
			}
			if o.RequestBody != nil {
				for ct, mt := range o.RequestBody.Value.Content {
					x.Body = ct + " " + schemaType(mt.Schema)
				}
			}
			for code := range o.Responses.Map() {
				x.Responses = append(x.Responses, code)
			}
			sort.Strings(x.Responses)
			ops = append(ops, x)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	page := template.Must(template.New("docs").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>hrbridge API reference</title><style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
code{background:#f3f3f3;padding:0 .2em}section{border-top:1px solid #ddd;padding:.5rem 0}.m{font-weight:bold;display:inline-block;width:4.5rem}</style></head><body>
<h1>{{.Title}} {{.Version}}</h1><p>The machine-readable contract: <a href="/api/v1/openapi.yaml">/api/v1/openapi.yaml</a>.</p>
<pre>{{.Description}}</pre>
{{range .Ops}}<section id="{{.ID}}"><h2><span class="m">{{.Method}}</span> <code>{{.Path}}</code></h2><p>{{.Summary}} — permission <code>{{.Permission}}</code>, operation <code>{{.ID}}</code></p>
{{if .Params}}<ul>{{range .Params}}<li><code>{{.Name}}</code> ({{.In}}, {{.Type}}{{if .Required}}, required{{end}}) {{.Description}}</li>{{end}}</ul>{{end}}
{{if .Body}}<p>Body: <code>{{.Body}}</code></p>{{end}}<p>Responses: {{range .Responses}}<code>{{.}}</code> {{end}}</p></section>{{end}}
</body></html>`))
	var b strings.Builder
	if err := page.Execute(&b, map[string]any{
		"Title": spec.Doc.Info.Title, "Version": spec.Doc.Info.Version, "Description": spec.Doc.Info.Description, "Ops": ops,
	}); err != nil {
		panic(err)
	}
	html := b.String()
	return func(c echo.Context) error { return c.HTML(http.StatusOK, html) }
}

func schemaType(s *openapi3.SchemaRef) string {
	if s == nil {
		return ""
	}
	if s.Ref != "" {
		return s.Ref[strings.LastIndex(s.Ref, "/")+1:]
	}
	if s.Value != nil && s.Value.Type != nil {
		t := strings.Join(s.Value.Type.Slice(), "|")
		if s.Value.Items != nil {
			t += " of " + schemaType(s.Value.Items)
		}
		return t
	}
	return "object"
}

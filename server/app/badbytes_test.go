package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"hrbridge/server/app/apptest"
	"hrbridge/server/httpapi"
	"hrbridge/server/store/storetest"
)

// badValues are bytes no text field should take: NUL (PostgreSQL refuses
// it: SQLSTATE 22021), Latin-1 (invalid UTF-8), and terminal escapes. raw
// is how each is written inside a JSON string; header is what an HTTP
// client can put in a header (no control characters there).
var badValues = []struct{ name, plain, json string }{
	{"NUL", "a\x00b", `a\u0000b`},
	{"Latin-1", "caf\xe9", "caf\xe9"},
	{"escape", "\x1b[2J", `\u001b[2J`},
	{"line separator", "a\u2028b", `a\u2028b`},
}

// TestBadBytesEveryField sends such bytes to every operation of
// openapi.yaml, in every path, query and header parameter and every string
// field of its JSON body (issue 14 item 5): never a 5xx, on either
// database, and always refused (4xx) rather than stored.
func TestBadBytesEveryField(t *testing.T) {
	spec, err := httpapi.LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			admin := env.Admin(t)
			csrf := admin.Cookie("hrbridge_csrf")
			sent := 0
			send := func(what, method, path string, header http.Header, body []byte) {
				t.Helper()
				var rd io.Reader
				if body != nil {
					rd = strings.NewReader(string(body))
				}
				req, err := http.NewRequest(method, env.URL+httpapi.APIPrefix+path, rd)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				for k, v := range header {
					req.Header[k] = v
				}
				if body != nil {
					req.Header.Set("Content-Type", "application/json")
				}
				req.Header.Set("X-CSRF-Token", csrf)
				res, err := admin.HTTP.Do(req)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				sent++
				if res.StatusCode >= 500 || res.StatusCode < 400 {
					t.Errorf("%s: %d %.300s", what, res.StatusCode, b)
				}
			}
			paths := spec.Doc.Paths.Map()
			keys := make([]string, 0, len(paths))
			for k := range paths {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, p := range keys {
				for method, op := range paths[p].Operations() {
					if op.OperationID == "logout" {
						continue // would end the session the rest needs
					}
					params := append(append(openapi3.Parameters{}, paths[p].Parameters...), op.Parameters...)
					// A valid request with one bad value at a time.
					build := func(badParam string, bad string) (string, http.Header) {
						path := p
						q := url.Values{}
						h := http.Header{}
						for _, ref := range params {
							prm := ref.Value
							v := sample(prm.Schema.Value)
							if prm.Name == badParam {
								v = bad
							} else if !prm.Required && prm.In != openapi3.ParameterInPath {
								continue
							}
							switch prm.In {
							case openapi3.ParameterInPath:
								path = strings.ReplaceAll(path, "{"+prm.Name+"}", url.PathEscape(v))
							case openapi3.ParameterInQuery:
								q.Set(prm.Name, v)
							case openapi3.ParameterInHeader:
								h[http.CanonicalHeaderKey(prm.Name)] = []string{v}
							}
						}
						if len(q) > 0 {
							path += "?" + q.Encode()
						}
						return path, h
					}
					var body []byte
					var leaves []string
					if op.RequestBody != nil {
						if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
							v := genBody(mt.Schema.Value, &leaves, 0)
							body, _ = json.Marshal(v)
						}
					}
					for _, ref := range params {
						for _, bv := range badValues {
							v := bv.plain
							if ref.Value.In == openapi3.ParameterInHeader {
								if bv.name != "Latin-1" {
									continue // an HTTP client cannot send control characters in a header
								}
							}
							path, h := build(ref.Value.Name, v)
							send(fmt.Sprintf("%s %s %s.%s=%s", method, p, ref.Value.In, ref.Value.Name, bv.name), method, path, h, withLeaves(body, leaves, -1, ""))
						}
					}
					for i := range leaves {
						for _, bv := range badValues {
							path, h := build("", "")
							send(fmt.Sprintf("%s %s body string #%d=%s", method, p, i, bv.name), method, path, h, withLeaves(body, leaves, i, bv.json))
						}
					}
				}
			}
			if sent < 100 {
				t.Fatalf("only %d requests: the test is not looking", sent)
			}
			if r := env.Do(t, "GET", "/healthz", nil); r.Status != 200 {
				t.Fatal("the server is down after the bad bytes")
			}
		})
	}
}

// sample is a valid value for a parameter of this schema.
func sample(s *openapi3.Schema) string {
	if s == nil {
		return "a"
	}
	if len(s.Enum) > 0 {
		return fmt.Sprint(s.Enum[0])
	}
	if s.Items != nil && s.Items.Value != nil && len(s.Items.Value.Enum) > 0 {
		return fmt.Sprint(s.Items.Value.Enum[0])
	}
	switch {
	case s.Type.Is("integer"), s.Type.Is("number"):
		return "1"
	case s.Type.Is("boolean"):
		return "false"
	case s.Format == "uuid":
		return "00000000-0000-4000-8000-000000000000"
	}
	return "a"
}

// genBody makes a value of schema s in which every free string is a
// numbered placeholder ☃N☃ (its normal value kept in leaves).
func genBody(s *openapi3.Schema, leaves *[]string, depth int) any {
	if s == nil || depth > 6 {
		return nil
	}
	switch {
	case s.Type.Is("object") || len(s.Properties) > 0:
		m := map[string]any{}
		for name, p := range s.Properties {
			if p.Value != nil && p.Value.ReadOnly {
				continue
			}
			m[name] = genBody(p.Value, leaves, depth+1)
		}
		return m
	case s.Type.Is("array"):
		if s.Items == nil {
			return []any{}
		}
		return []any{genBody(s.Items.Value, leaves, depth+1)}
	case s.Type.Is("integer"), s.Type.Is("number"):
		return 1
	case s.Type.Is("boolean"):
		return false
	}
	normal := "a"
	switch {
	case len(s.Enum) > 0:
		normal = fmt.Sprint(s.Enum[0])
	case s.Format == "date":
		normal = "2024-01-01"
	case s.Format == "date-time":
		normal = "2030-01-01T00:00:00Z"
	case s.Format == "uuid":
		normal = "00000000-0000-4000-8000-000000000000"
	case s.Format == "email":
		normal = "a@example.com"
	case s.Format == "uri" || strings.HasSuffix(s.Description, "URL"):
		normal = "https://example.com/api"
	}
	*leaves = append(*leaves, normal)
	return fmt.Sprintf("\u2603%d\u2603", len(*leaves)-1)
}

// withLeaves fills the placeholders: the bad JSON string text at leaf bad,
// the normal values elsewhere.
func withLeaves(body []byte, leaves []string, bad int, badJSON string) []byte {
	if body == nil {
		return nil
	}
	s := string(body)
	for i, normal := range leaves {
		v, _ := json.Marshal(normal)
		if i == bad {
			v = []byte(`"` + badJSON + `"`)
		}
		s = strings.Replace(s, fmt.Sprintf("\"\u2603%d\u2603\"", i), string(v), 1)
	}
	return []byte(s)
}

package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"hrbridge/server/problem"
)

// Every string that reaches the handlers is checked here first, on both
// databases alike: valid UTF-8 and no control characters (NUL above all,
// which PostgreSQL refuses with SQLSTATE 22021, while SQLite stores it).
// Path, query and header parameters of the operation and every string (and
// object key) of a JSON body; a bad one is a 400 naming the field. JSON's
// own decoder would quietly turn invalid UTF-8 into U+FFFD, so the raw body
// is checked before it is decoded.

// badText says what is wrong with s as text input ("" when nothing).
func badText(s string) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return fmt.Sprintf("must not contain the control character U+%04X", r)
		}
	}
	return ""
}

// checkInput checks the operation's parameters and the JSON body.
func checkInput(c echo.Context, item *openapi3.PathItem, op *openapi3.Operation, pathParams map[string]string) error {
	r := c.Request()
	var errs []problem.FieldError
	seen := map[string]bool{}
	all := op.Parameters
	if item != nil {
		all = append(append(openapi3.Parameters{}, op.Parameters...), item.Parameters...)
	}
	for _, ref := range all {
		p := ref.Value
		if p == nil || seen[p.In+"."+p.Name] {
			continue
		}
		seen[p.In+"."+p.Name] = true
		var vals []string
		switch p.In {
		case openapi3.ParameterInQuery:
			vals = r.URL.Query()[p.Name]
		case openapi3.ParameterInHeader:
			vals = r.Header.Values(p.Name)
		case openapi3.ParameterInPath:
			if v, ok := pathParams[p.Name]; ok {
				vals = []string{v}
			}
		case openapi3.ParameterInCookie:
			if ck, err := r.Cookie(p.Name); err == nil {
				vals = []string{ck.Value}
			}
		}
		for _, v := range vals {
			if msg := badText(v); msg != "" {
				errs = append(errs, problem.FieldError{Location: p.In + "." + p.Name, Message: msg})
				break
			}
		}
	}
	// Query keys the operation does not know are ignored by the handlers,
	// but never let them carry bytes that could end up in a log as is.
	for k := range r.URL.Query() {
		if msg := badText(k); msg != "" {
			errs = append(errs, problem.FieldError{Location: "query", Message: "a parameter name " + msg})
			break
		}
	}
	if len(errs) == 0 && r.Body != nil && r.Body != http.NoBody && op.RequestBody != nil {
		if err := normaliseMediaType(r, op); err != nil {
			return err
		}
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return err // the body limit's 413, or a broken connection
		}
		r.Body = io.NopCloser(bytes.NewReader(raw))
		errs = append(errs, checkJSONBody(raw)...)
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Location < errs[j].Location })
		return problem.BadRequest(summarise(errs), errs...)
	}
	return nil
}

// normaliseMediaType accepts the operation's media types in any letter case
// (RFC 9110: they are case-insensitive) with no charset or UTF-8, and
// rewrites Content-Type to the spec's spelling for the validator and the
// binder; anything else is a 415 problem.
func normaliseMediaType(r *http.Request, op *openapi3.Operation) error {
	ct := r.Header.Get(echo.HeaderContentType)
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil && ct != "" {
		return problem.New(http.StatusUnsupportedMediaType, fmt.Sprintf("The Content-Type %q cannot be read; send application/json.", ct))
	}
	if ct == "" {
		return nil // the validator says the body needs a content type
	}
	if op.RequestBody.Value == nil || op.RequestBody.Value.Content.Get(mt) == nil {
		return problem.New(http.StatusUnsupportedMediaType, fmt.Sprintf("This operation takes application/json, not %s.", mt))
	}
	for k, v := range params {
		if k != "charset" {
			continue
		}
		if !strings.EqualFold(v, "utf-8") && !strings.EqualFold(v, "utf8") {
			return problem.New(http.StatusUnsupportedMediaType, fmt.Sprintf("The body must be UTF-8, not %s.", v))
		}
	}
	r.Header.Set(echo.HeaderContentType, mt)
	return nil
}

// checkJSONBody checks a raw JSON body's bytes and strings. A body that is
// not JSON at all is left to the spec validator to explain.
func checkJSONBody(raw []byte) []problem.FieldError {
	if !utf8.Valid(raw) {
		return []problem.FieldError{{Location: "body", Message: "is not valid UTF-8"}}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	// One JSON value and nothing after it: the handlers' decoder would read
	// the first of {"name":"a"}{"name":"b"} and ignore the rest.
	if _, err := dec.Token(); err != io.EOF {
		return []problem.FieldError{{Location: "body", Message: "has data after the JSON value (send exactly one JSON value)"}}
	}
	var errs []problem.FieldError
	walkStrings("body", v, func(loc, s string) {
		if msg := badText(s); msg != "" && len(errs) < 20 {
			errs = append(errs, problem.FieldError{Location: loc, Message: msg})
		}
	})
	return errs
}

// walkStrings calls f with every string and object key in v and its location.
func walkStrings(loc string, v any, f func(loc, s string)) {
	switch x := v.(type) {
	case string:
		f(loc, x)
	case []any:
		for i, e := range x {
			walkStrings(loc+"["+strconv.Itoa(i)+"]", e, f)
		}
	case map[string]any:
		for k, e := range x {
			f(loc+"."+k, k)
			walkStrings(loc+"."+k, e, f)
		}
	}
}

var errNoOperation = errors.New("no operation")

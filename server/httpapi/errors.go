package httpapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/labstack/echo/v4"

	"hrbridge/server/problem"
)

// handleError turns every failure into application/problem+json: our own
// problems, Echo's errors (404, 405, body too large), spec validation errors
// and anything unexpected (a 500 whose cause is logged, not shown).
func handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := toProblem(err)
	if p.Status >= 500 {
		slog.ErrorContext(c.Request().Context(), "request failed", "err", err, "request_id", requestID(c))
	}
	if p.Localize != nil {
		p.Message, p.Advice, p.Action = p.Localize(string(requestLang(c.Request())))
	}
	for k, v := range p.Headers {
		c.Response().Header().Set(k, v)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	_ = jsonEncode(c.Response(), p)
}

func toProblem(err error) *problem.Problem {
	var (
		p  *problem.Problem
		he *echo.HTTPError
		re *openapi3filter.RequestError
		me openapi3.MultiError
	)
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
		// also when the spec validator was the one reading the body
		return problem.New(he.Code, "The request body is too large.")
	case errors.As(err, &re), errors.As(err, &me):
		errs := fieldErrors(err)
		return problem.BadRequest(summarise(errs), errs...)
	case errors.As(err, &he):
		st := he.Code
		switch st {
		case http.StatusNotFound:
			return problem.New(st, "No such resource or path.")
		case http.StatusMethodNotAllowed:
			return problem.New(st, "This method is not allowed on this path.")
		case http.StatusRequestEntityTooLarge:
			return problem.New(st, "The request body is too large.")
		}
		if st >= 500 {
			return problem.New(http.StatusInternalServerError, "An unexpected error occurred; it has been logged.")
		}
		return problem.New(st, fmt.Sprint(he.Message))
	}
	return problem.New(http.StatusInternalServerError, "An unexpected error occurred; it has been logged.")
}

// fieldErrors flattens kin-openapi's nested errors into location + message.
func fieldErrors(err error) []problem.FieldError {
	var out []problem.FieldError
	var walk func(loc string, err error)
	walk = func(loc string, err error) {
		var (
			me openapi3.MultiError
			re *openapi3filter.RequestError
			se *openapi3.SchemaError
			pe *openapi3filter.ParseError
		)
		switch {
		case errors.As(err, &me) && len(me) > 0 && !isSingle(err, me):
			for _, e := range me {
				walk(loc, e)
			}
		case errors.As(err, &re):
			l := "body"
			if re.Parameter != nil {
				l = re.Parameter.In + "." + re.Parameter.Name
			}
			if re.Err == nil {
				out = append(out, problem.FieldError{Location: l, Message: re.Reason})
				return
			}
			walk(l, re.Err)
		case errors.As(err, &se):
			l := loc
			for _, part := range se.JSONPointer() {
				if isIndex(part) {
					l += "[" + part + "]"
				} else {
					l += "." + part
				}
			}
			out = append(out, problem.FieldError{Location: l, Message: se.Reason})
		case errors.As(err, &pe):
			msg := pe.Error()
			if loc == "body" {
				msg = "the body is not valid JSON: " + msg
			}
			out = append(out, problem.FieldError{Location: loc, Message: msg})
		default:
			out = append(out, problem.FieldError{Location: loc, Message: err.Error()})
		}
	}
	walk("", err)
	return out
}

// isSingle is true when err is a MultiError only by wrapping (errors.As found
// one below a RequestError): then the RequestError names the location.
func isSingle(err error, me openapi3.MultiError) bool {
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		_, top := err.(openapi3.MultiError)
		return !top
	}
	return false
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func summarise(errs []problem.FieldError) string {
	parts := make([]string, 0, 3)
	for i, e := range errs {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(errs)-3))
			break
		}
		parts = append(parts, e.Location+": "+e.Message)
	}
	return "Invalid request: " + strings.Join(parts, "; ")
}

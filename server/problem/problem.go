// Package problem is the RFC 9457 error every API failure becomes.
package problem

import (
	"fmt"
	"net/http"
)

// FieldError says where a request was wrong and why.
type FieldError struct {
	Location string `json:"location"`
	Message  string `json:"message"`
}

// Problem is an error that renders as application/problem+json.
type Problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []FieldError `json:"errors,omitempty"`
	// Headers are extra response headers (Retry-After on 429).
	Headers map[string]string `json:"-"`
	// Code, Message, Advice and Action are a failure written for people
	// (the error catalogue, server/errcatalog): filled by the HTTP edge in
	// the caller's language through Localize.
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	Advice  string `json:"advice,omitempty"`
	Action  string `json:"action,omitempty"`
	// Localize, when set, gives Message, Advice and Action in a language
	// ("ja" or "en").
	Localize func(lang string) (message, advice, action string) `json:"-"`
}

func (p *Problem) Error() string {
	if p.Detail != "" {
		return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail)
	}
	return fmt.Sprintf("%d %s", p.Status, p.Title)
}

// New builds a problem with the standard title for status.
func New(status int, detail string, errs ...FieldError) *Problem {
	return &Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Errors: errs}
}

// Newf is New with a formatted detail.
func Newf(status int, format string, args ...any) *Problem {
	return New(status, fmt.Sprintf(format, args...))
}

// Typed returns p with a specific type URI (e.g. "/problems/provider-unavailable").
func (p *Problem) Typed(typ string) *Problem { p.Type = typ; return p }

// Common constructors.
func BadRequest(detail string, errs ...FieldError) *Problem {
	return New(http.StatusBadRequest, detail, errs...)
}
func Unprocessable(detail string, errs ...FieldError) *Problem {
	return New(http.StatusUnprocessableEntity, detail, errs...)
}
func NotFound(detail string) *Problem     { return New(http.StatusNotFound, detail) }
func Conflict(detail string) *Problem     { return New(http.StatusConflict, detail) }
func Unauthorized(detail string) *Problem { return New(http.StatusUnauthorized, detail) }
func Forbidden(detail string) *Problem    { return New(http.StatusForbidden, detail) }

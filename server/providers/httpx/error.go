package httpx

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Types of failure that have no provider error type of their own.
const (
	TypeTimeout         = "timeout"          // no response within Config.Timeout
	TypeNetwork         = "network"          // connection failed or broke
	TypeCanceled        = "canceled"         // the caller's context ended
	TypeInvalidResponse = "invalid_response" // a body that is not the JSON we expect
)

// FieldError is one field-level complaint from a provider.
type FieldError struct {
	Field    string `json:"field"`
	Resource string `json:"resource,omitempty"`
	Message  string `json:"message"`
}

// Error is every failure of a provider call: an HTTP error answer, an answer
// that cannot be read, or no answer at all (HTTPStatus 0). Message and Fields
// hold the provider's own words unchanged (Japanese byte for byte); no token
// or secret ever appears in any field.
type Error struct {
	Provider   string // "SmartHR", "Jobkan"
	Method     string
	Path       string // path and query of the request, without host
	HTTPStatus int    // 0 when no response arrived
	Code       string // provider's error code ("1".."9" for SmartHR)
	Type       string // provider's error type, or one of the Type* constants
	Message    string
	Fields     []FieldError
	Attempts   int           // requests sent for this call, retries included
	RetryAfter time.Duration // how long the provider asked us to wait, if it did
	Elapsed    time.Duration // time spent retrying after 429 and 503 answers, when that is why the call gave up
	Err        error         // underlying cause (transport error, JSON error), if any

	secrets []string // credentials of the request, scrubbed from every text
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s API: %s %s: ", e.Provider, e.Method, e.Path)
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
		if e.Type != "" {
			b.WriteString(" " + e.Type)
		}
		if e.Code != "" {
			fmt.Fprintf(&b, " (code %s)", e.Code)
		}
		if e.Message != "" {
			b.WriteString(": " + e.Message)
		}
	} else {
		switch {
		case e.Message != "":
			b.WriteString(e.Message)
		case e.Type == TypeCanceled:
			b.WriteString("canceled")
		default:
			b.WriteString("connection failed")
		}
		if e.Err != nil && e.Type != TypeTimeout {
			b.WriteString(": " + e.Err.Error())
		}
	}
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(" —")
		} else {
			b.WriteString(";")
		}
		if f.Field != "" {
			b.WriteString(" " + f.Field + ":")
		}
		b.WriteString(" " + f.Message)
	}
	switch {
	case e.Attempts > 1 && e.Elapsed >= time.Second:
		fmt.Fprintf(&b, " (after %d attempts in %s)", e.Attempts, e.Elapsed.Round(time.Second))
	case e.Attempts > 1:
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if h := e.hint(); h != "" {
		b.WriteString("; " + h)
	}
	return b.String()
}

// hint tells an administrator what to do next.
func (e *Error) hint() string {
	switch {
	case e.HTTPStatus == 401:
		return "check the credentials in the connection settings (連携設定)"
	case e.HTTPStatus == 403:
		return "the credentials lack the permission for this operation"
	case e.HTTPStatus == 429:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("rate limited: the provider asked to wait %s; try again then", e.RetryAfter.Round(time.Second))
		}
		return "rate limited; try again later"
	case e.HTTPStatus >= 500 && e.RetryAfter > 0:
		return fmt.Sprintf("the provider is having trouble; it asked to wait %s", e.RetryAfter.Round(time.Second))
	case e.HTTPStatus >= 500:
		return "the provider is having trouble; try again later"
	case e.Type == TypeNetwork:
		return "check the API URL in the connection settings and the network"
	case e.Type == TypeTimeout:
		return "the provider is slow or unreachable; try again later"
	}
	return ""
}

// secretsOf lists the credentials carried by an Authorization header value, so
// that they can be scrubbed from anything we report.
func secretsOf(auth string) []string {
	scheme, cred, ok := strings.Cut(auth, " ")
	if !ok || cred == "" {
		return nil
	}
	out := []string{cred}
	if strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
			_, secret, _ := strings.Cut(string(raw), ":")
			out = append(out, string(raw), secret) // the client ID is not a secret

		}
	}
	return out
}

// redact replaces every secret of at least 4 bytes in s, and then, by
// shape, anything token-like: the exact string is not enough when a
// provider echoes a credential transformed (another encoding, a prefix, the
// client's other token).
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	return stripTokens(s)
}

// tokenLike is a run of 24 or more base64/base64url/hex characters, or a
// "Bearer"/"Basic" credential, or a JWT.
var tokenLike = regexp.MustCompile(`(?i)\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]+|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|[A-Za-z0-9_+/=-]{24,}`)

var uuidLike = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// stripTokens replaces token-like runs that mix letters and digits (a
// credential, not a word or a number); UUIDs, which name records, stay.
func stripTokens(s string) string {
	return tokenLike.ReplaceAllStringFunc(s, func(m string) string {
		if uuidLike.MatchString(m) {
			return m
		}
		lower := strings.ToLower(m)
		if strings.HasPrefix(lower, "bearer") || strings.HasPrefix(lower, "basic") || strings.HasPrefix(m, "eyJ") {
			return "[REDACTED]"
		}
		if strings.ContainsAny(m, "0123456789") && strings.IndexFunc(m, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }) >= 0 {
			return "[REDACTED]"
		}
		return m
	})
}

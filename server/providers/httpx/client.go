// Package httpx is the HTTP layer shared by the provider clients: per-attempt
// timeouts, retries with exponential backoff and full jitter (429 and 503
// bounded by time, other failures by a count), a
// client-side rate limiter for per-second and per-hour limits, and one typed
// error (*Error) for everything that can go wrong.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Config tunes the transport; zero fields take the defaults shown.
type Config struct {
	Timeout     time.Duration // per attempt, reading the body included; 30s
	MaxAttempts int           // attempts per call after failures other than 429 and 503, the first included; 6
	BaseDelay   time.Duration // ceiling of the first backoff; 500ms
	MaxDelay    time.Duration // ceiling of any backoff; 30s
	// RetryBudget bounds, in time rather than attempts, how long one call
	// keeps retrying after 429 and 503 answers (counted from the first of
	// them): a wait the provider asks for that does not fit in what is left
	// of it is not slept, and the call fails at once; 3m.
	RetryBudget time.Duration
	Client      *http.Client // the HTTP client; a pooled client without overall timeout
}

// DefaultRetryBudget is Config.RetryBudget when it is not set.
const DefaultRetryBudget = 3 * time.Minute

// Options make a Client for one provider and one credential.
type Options struct {
	Provider string // names the provider in errors: "SmartHR", "Jobkan"
	// DecodeError fills Code, Type, Message and Fields from an error body; it
	// reports false when the body is not the provider's error shape.
	DecodeError func(body []byte, e *Error) bool
	Limits      Limits
	Config
}

// Request is one call. Body is sent as is with ContentType (JSON by default)
// and rebuilt for every attempt.
type Request struct {
	Method      string
	URL         string
	Header      http.Header
	Body        []byte
	ContentType string
	// Idempotent allows retries after 5xx and timeouts for methods that are not
	// idempotent by definition (a PATCH that sets values). GET, HEAD, OPTIONS,
	// PUT and DELETE always are. Other requests (POST) are retried only when
	// they certainly did not reach the provider: 429 and failed connections.
	Idempotent bool
	// Secret marks a response that may hold secrets (a token endpoint): its body
	// is never quoted in errors.
	Secret bool
}

// Response is a successful (2xx) answer, read in full.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Stats count what a Client has done, for metrics and benchmarks.
type Stats struct {
	Requests        int64 // attempts sent
	Retries         int64
	TooManyRequests int64 // 429 answers received
	ServerErrors    int64 // 5xx answers received
}

// Client sends requests for one provider credential. It is safe for
// concurrent use; all calls share its rate limiter.
type Client struct {
	provider    string
	decodeError func([]byte, *Error) bool
	cfg         Config
	lim         *limiter
	requests    atomic.Int64
	retries     atomic.Int64
	tooMany     atomic.Int64
	serverErrs  atomic.Int64
}

const maxBody = 32 << 20

// New makes a Client.
func New(o Options) *Client {
	c := o.Config
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 6
	}
	if c.BaseDelay <= 0 {
		c.BaseDelay = 500 * time.Millisecond
	}
	if c.MaxDelay <= 0 {
		c.MaxDelay = 30 * time.Second
	}
	if c.RetryBudget <= 0 {
		c.RetryBudget = DefaultRetryBudget
	}
	if c.Client == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 16
		c.Client = &http.Client{Transport: t}
	}
	return &Client{provider: o.Provider, decodeError: o.DecodeError, cfg: c, lim: newLimiter(o.Limits)}
}

// Stats returns the counters so far.
func (c *Client) Stats() Stats {
	return Stats{c.requests.Load(), c.retries.Load(), c.tooMany.Load(), c.serverErrs.Load()}
}

// DoJSON is Do, then decodes a JSON body into out (unless out is nil or the
// answer has no content).
func (c *Client) DoJSON(ctx context.Context, req Request, out any) (*Response, error) {
	resp, err := c.Do(ctx, req)
	if err != nil || out == nil || resp.Status == http.StatusNoContent {
		return resp, err
	}
	if e := c.decode(req, resp.Status, resp.Header, resp.Body, out); e != nil {
		return resp, e
	}
	return resp, nil
}

// Do sends req, retrying as Config allows. Any answer outside 2xx is an *Error.
//
// Which requests are retried at all: every request after a 429 or a
// connection that never opened (it certainly did not reach the provider);
// idempotent ones (see Request.Idempotent) also after 5xx answers, timeouts
// and broken connections. How long: after 429 and 503 (the provider is busy
// and says so, usually with how long to wait), for up to RetryBudget from the
// first of them, however many answers that takes; after anything else, up
// to MaxAttempts such failures.
func (c *Client) Do(ctx context.Context, req Request) (*Response, error) {
	var (
		busySince time.Time // first 429 or 503 of this call; zero: none yet
		busyCount int       // 429 and 503 answers so far
		failures  int       // other failures, bounded by MaxAttempts
	)
	for attempt := 1; ; attempt++ {
		release, err := c.lim.Wait(ctx)
		if err != nil {
			return nil, c.fail(ctx, req, attempt-1, err)
		}
		resp, body, err := c.once(ctx, req)
		release()
		if err == nil && resp.StatusCode/100 == 2 {
			return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
		}

		var e *Error
		retry, busy := false, false
		switch {
		case err != nil:
			e = c.fail(ctx, req, attempt, err)
			retry = e.Type != TypeCanceled && (dialFailed(err) || idempotent(req))
		default:
			e = c.answerError(req, resp, body)
			e.Attempts = attempt
			switch {
			case resp.StatusCode == http.StatusTooManyRequests:
				c.tooMany.Add(1)
				e.RetryAfter = retryAfter(resp.Header, time.Now(), true)
				retry, busy = true, true
			case resp.StatusCode >= 500:
				c.serverErrs.Add(1)
				e.RetryAfter = retryAfter(resp.Header, time.Now(), false)
				retry, busy = idempotent(req), resp.StatusCode == http.StatusServiceUnavailable
			}
		}
		if !retry {
			return nil, e
		}
		var wait time.Duration
		if busy {
			// The provider said how long: that, and a little jitter so that
			// concurrent callers do not come back in lockstep. It did not:
			// full-jitter backoff, growing with each such answer. (Not the
			// backoff of the attempt count: a long storm of short waits would
			// grow it to MaxDelay, and a 429 holds the whole client.)
			busyCount++
			if e.RetryAfter > 0 {
				wait = e.RetryAfter + jitter(c.cfg.BaseDelay)
			} else {
				wait = c.backoff(busyCount)
			}
			now := time.Now()
			if busySince.IsZero() {
				busySince = now
			}
			left := c.cfg.RetryBudget - now.Sub(busySince)
			if e.RetryAfter > left { // not worth waiting for: say so now
				e.Elapsed = now.Sub(busySince)
				return nil, e
			}
			wait = min(wait, left) // the jitter never spends more than is left
		} else {
			if failures++; failures >= c.cfg.MaxAttempts {
				return nil, e
			}
			// The provider's word is a floor; full-jitter backoff keeps
			// concurrent callers from retrying in lockstep.
			wait = max(e.RetryAfter, c.backoff(failures))
		}
		c.retries.Add(1)
		if e.HTTPStatus == http.StatusTooManyRequests {
			c.lim.Pause(time.Now().Add(wait)) // hold the whole client, not just this call
			continue
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, c.fail(ctx, req, attempt, err)
		}
	}
}

// backoff is "full jitter": uniform in [0, min(MaxDelay, BaseDelay·2^(n-1))).
func (c *Client) backoff(attempt int) time.Duration {
	ceil := c.cfg.BaseDelay << min(attempt-1, 30)
	if ceil <= 0 || ceil > c.cfg.MaxDelay {
		ceil = c.cfg.MaxDelay
	}
	return jitter(ceil)
}

func (c *Client) once(ctx context.Context, req Request) (*http.Response, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return nil, nil, err
	}
	for k, v := range req.Header {
		hr.Header[k] = v
	}
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("User-Agent", "hrbridge")
	if req.Body != nil {
		ct := req.ContentType
		if ct == "" {
			ct = "application/json"
		}
		hr.Header.Set("Content-Type", ct)
	}
	c.requests.Add(1)
	resp, err := c.cfg.Client.Do(hr)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err == nil && len(body) > maxBody {
		err = fmt.Errorf("response body larger than %d bytes", maxBody)
	}
	return resp, body, err
}

// fail makes the error for a call that got no usable answer.
func (c *Client) fail(ctx context.Context, req Request, attempts int, err error) *Error {
	e := c.base(req)
	e.Attempts, e.Err = attempts, err
	var ue *url.Error
	if errors.As(err, &ue) {
		e.Err = ue.Err // the method and URL are already in the message
	}
	switch {
	case ctx.Err() != nil: // the caller gave up (its own cancel or deadline)
		e.Type, e.Err = TypeCanceled, ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		e.Type = TypeTimeout
		e.Message = fmt.Sprintf("no answer within %s", c.cfg.Timeout)
	default:
		e.Type = TypeNetwork
	}
	e.Err = redactedErr{e.Err, e.secrets}
	return e
}

// answerError makes the error for a non-2xx answer, from the provider's own
// error body when there is one.
func (c *Client) answerError(req Request, resp *http.Response, body []byte) *Error {
	e := c.base(req)
	e.HTTPStatus = resp.StatusCode
	ct := resp.Header.Get("Content-Type")
	if isJSON(ct) && c.decodeError != nil && c.decodeError(body, e) {
		e.Message = redact(e.Message, e.secrets)
		for i := range e.Fields {
			e.Fields[i].Message = redact(e.Fields[i].Message, e.secrets)
		}
		return e
	}
	if len(bytes.TrimSpace(body)) == 0 {
		e.Message = http.StatusText(resp.StatusCode)
		return e
	}
	// Never the body itself: whoever can read this error (a viewer's diff
	// call) must not learn what an arbitrary host answered.
	e.Message = fmt.Sprintf("unexpected %s body (%d bytes)", contentType(ct), len(body))
	return e
}

// decode reads a 2xx JSON body, failing clearly on anything else.
func (c *Client) decode(req Request, status int, h http.Header, body []byte, out any) *Error {
	ct := h.Get("Content-Type")
	e := c.base(req)
	e.HTTPStatus, e.Type = status, TypeInvalidResponse
	switch err := json.Unmarshal(body, out); {
	case !isJSON(ct):
		e.Message = fmt.Sprintf("expected a JSON body but got %s", contentType(ct))
	case err != nil:
		e.Message, e.Err = "malformed JSON body", jsonProblem{err}
		e.Message += " (" + jsonProblem{err}.Error() + ")"
	default:
		return nil
	}
	// The size, never the body (see answerError).
	e.Message += fmt.Sprintf(" (%d bytes)", len(body))
	return e
}

func (c *Client) base(req Request) *Error {
	e := &Error{Provider: c.provider, Method: req.Method, Path: req.URL}
	if u, err := url.Parse(req.URL); err == nil {
		q := u.Query()
		for k := range q {
			if sensitive(k) {
				q[k] = []string{"REDACTED"}
				u.RawQuery = q.Encode()
			}
		}
		e.Path = u.RequestURI()
	}
	e.secrets = secretsOf(req.Header.Get("Authorization"))
	e.Path = redact(e.Path, e.secrets)
	return e
}

func contentType(ct string) string {
	if ct == "" {
		return "no content type"
	}
	return fmt.Sprintf("content type %q", ct)
}

func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// sensitive reports a query parameter that may carry a credential.
func sensitive(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"token", "secret", "password", "key", "signature"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func idempotent(req Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return req.Idempotent
}

// jsonProblem describes a JSON decoding error without quoting the body:
// where it broke, or which field had the wrong type.
type jsonProblem struct{ err error }

func (j jsonProblem) Error() string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(j.err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(j.err, &te):
		return fmt.Sprintf("field %q: a JSON %s where %s was expected", te.Field, te.Value, te.Type)
	}
	return "not the expected JSON"
}

func (j jsonProblem) Unwrap() error { return j.err }

// redactedErr scrubs secrets from a wrapped error's text while keeping it
// reachable for errors.Is/As.
type redactedErr struct {
	err     error
	secrets []string
}

func (r redactedErr) Error() string { return redact(r.err.Error(), r.secrets) }
func (r redactedErr) Unwrap() error { return r.err }

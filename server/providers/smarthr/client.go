// Package smarthr is the SmartHR connector: crews as hrbridge employees over
// SmartHR's public REST API (https://developer.smarthr.jp).
package smarthr

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"hrbridge/server/providers/httpx"
	hrsync "hrbridge/server/sync"
)

// Published third-party figures for one access token (DESIGN.md §3).
const (
	DefaultPerSecond = 10
	DefaultPerHour   = 5000
)

// Provider names SmartHR in errors.
const Provider = "SmartHR"

// Options tune a Client; the zero value is SmartHR's defaults.
type Options struct {
	// UseBusinessName reads and writes business_last_name/business_first_name
	// (ビジネスネーム) instead of the legal name; a blank business name reads
	// as the legal one.
	UseBusinessName bool
	Limits          httpx.Limits // zero fields: DefaultPerSecond, DefaultPerHour; httpx.NoLimit: none
	HTTP            httpx.Config
	Concurrency     int // pages List fetches at once; default 4
}

// Client talks to one SmartHR tenant with one access token.
type Client struct {
	base  string // ".../api", without a trailing slash
	token string
	opts  Options
	http  *httpx.Client

	mu    sync.Mutex
	types []EmploymentType // cached by EmploymentTypes
}

var _ hrsync.Connector = (*Client)(nil)

// New makes a client for baseURL, the API root such as
// "https://tenant.smarthr.jp/api" or "http://host/sandbox/smarthr/api".
func New(baseURL, accessToken string, opts Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("SmartHR: the API URL %q is not an http(s) URL", baseURL)
	}
	if strings.TrimSpace(accessToken) == "" {
		return nil, fmt.Errorf("SmartHR: the access token is empty")
	}
	if opts.Limits.PerSecond == 0 {
		opts.Limits.PerSecond = DefaultPerSecond
	}
	if opts.Limits.PerHour == 0 {
		opts.Limits.PerHour = DefaultPerHour
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 4
	}
	return &Client{
		base:  u.String(),
		token: accessToken,
		opts:  opts,
		http: httpx.New(httpx.Options{
			Provider: Provider, DecodeError: decodeError, Limits: opts.Limits, Config: opts.HTTP,
		}),
	}, nil
}

// Stats reports the HTTP counters of this client.
func (c *Client) Stats() httpx.Stats { return c.http.Stats() }

// Ping checks the URL, the token and the permission to read crews.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.get(ctx, pathCrews, url.Values{paramPerPage: {"1"}}, nil)
	return err
}

func (c *Client) request(method, path string, q url.Values, body any) (httpx.Request, error) {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req := httpx.Request{Method: method, URL: u, Header: http.Header{headerAuthorization: {bearerPrefix + c.token}}}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return req, err
		}
		req.Body = b
	}
	return req, nil
}

func (c *Client) get(ctx context.Context, path string, q url.Values, out any) (*httpx.Response, error) {
	req, _ := c.request(http.MethodGet, path, q, nil)
	return c.http.DoJSON(ctx, req, out)
}

// decodeError reads SmartHR's error body (errorBody).
func decodeError(body []byte, e *httpx.Error) bool {
	var w errorBody
	if json.Unmarshal(body, &w) != nil || (w.Type == "" && w.Message == "") {
		return false
	}
	if w.Code != "" {
		if _, err := strconv.Atoi(w.Code.String()); err == nil {
			e.Code = w.Code.String()
		}
	}
	e.Type, e.Message, e.Fields = w.Type, w.Message, w.Errors
	return true
}

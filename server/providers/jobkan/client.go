// Package jobkan is the ジョブカン勤怠管理 connector: Jobkan employees as
// hrbridge employees over its partner API (OAuth2 client credentials).
package jobkan

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"hrbridge/server/providers/httpx"
	hrsync "hrbridge/server/sync"
)

// Jobkan publishes no rate limits for this API; these are conservative
// guesses, to be raised when the real figures are known.
const (
	DefaultPerSecond = 5
	DefaultPerHour   = 3000
)

// Provider names Jobkan in errors.
const Provider = "Jobkan"

// Options tune a Client; the zero value is the defaults.
type Options struct {
	Limits httpx.Limits // zero fields: DefaultPerSecond, DefaultPerHour; httpx.NoLimit: none
	HTTP   httpx.Config
}

// Client talks to one Jobkan account with one OAuth client.
type Client struct {
	api, tokenURL string
	basic         string // "Basic base64(id:secret)"
	http          *httpx.Client
	auth          *httpx.Client // the token endpoint is another host with its own limits

	mu      sync.Mutex
	token   string
	expires time.Time
}

var _ hrsync.Connector = (*Client)(nil)

// New makes a client. apiBase is the API root ("https://api-kintai.jobcan.jp",
// or "http://host/sandbox/jobkan"); tokenURL is the OAuth token endpoint.
func New(apiBase, tokenURL, clientID, clientSecret string, opts Options) (*Client, error) {
	api, err := httpURL("API URL", apiBase)
	if err != nil {
		return nil, err
	}
	tok, err := httpURL("token URL", tokenURL)
	if err != nil {
		return nil, err
	}
	if clientID == "" || clientSecret == "" {
		return nil, errors.New("Jobkan: the client ID and the client secret are both required")
	}
	if opts.Limits.PerSecond == 0 {
		opts.Limits.PerSecond = DefaultPerSecond
	}
	if opts.Limits.PerHour == 0 {
		opts.Limits.PerHour = DefaultPerHour
	}
	return &Client{
		api:      api,
		tokenURL: tok,
		basic:    "Basic " + base64.StdEncoding.EncodeToString([]byte(clientID+":"+clientSecret)),
		http:     httpx.New(httpx.Options{Provider: Provider, DecodeError: decodeError, Limits: opts.Limits, Config: opts.HTTP}),
		auth:     httpx.New(httpx.Options{Provider: Provider, DecodeError: decodeError, Config: opts.HTTP}),
	}, nil
}

func httpURL(what, s string) (string, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("Jobkan: the %s %q is not an http(s) URL", what, s)
	}
	return u.String(), nil
}

// Stats reports the HTTP counters of the API client (token requests apart).
func (c *Client) Stats() httpx.Stats { return c.http.Stats() }

// Ping checks the URLs, the client credentials and the permission to read
// employees.
func (c *Client) Ping(ctx context.Context) error {
	q := url.Values{paramLastID: {"0"}, paramCount: {"1"}}
	return c.call(ctx, http.MethodGet, pathEmployees, q, nil, nil)
}

// accessToken returns the cached token, fetching one when there is none or it
// is about to expire. The lock is held while fetching so that concurrent
// callers share one token request.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != "" && time.Now().Before(c.expires) {
		return c.token, nil
	}
	form := url.Values{formGrantType: {grantType}, formScope: {scopes}}
	req := httpx.Request{
		Method:      http.MethodPost,
		URL:         c.tokenURL,
		Header:      http.Header{"Authorization": {c.basic}},
		Body:        []byte(form.Encode()),
		ContentType: "application/x-www-form-urlencoded",
		Secret:      true,
	}
	var t token
	if _, err := c.auth.DoJSON(ctx, req, &t); err != nil {
		return "", err
	}
	if t.AccessToken == "" {
		return "", errors.New("Jobkan: the token endpoint answered without an access_token")
	}
	ttl := time.Duration(t.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = time.Hour // unknown lifetime: keep it until a 401 says otherwise
	}
	c.token, c.expires = t.AccessToken, time.Now().Add(ttl-min(30*time.Second, ttl/10))
	return c.token, nil
}

// forget drops tok if it is still the cached token.
func (c *Client) forget(tok string) {
	c.mu.Lock()
	if c.token == tok {
		c.token = ""
	}
	c.mu.Unlock()
}

// call sends one API request with the bearer token, and on a 401 fetches a new
// token and tries once more: tokens can be revoked or expire early.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, body, out any) error {
	u := c.api + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	for try := 0; ; try++ {
		tok, err := c.accessToken(ctx)
		if err != nil {
			return err
		}
		req := httpx.Request{Method: method, URL: u, Header: http.Header{"Authorization": {"Bearer " + tok}}, Body: raw}
		_, err = c.http.DoJSON(ctx, req, out)
		var he *httpx.Error
		if try == 0 && errors.As(err, &he) && he.HTTPStatus == http.StatusUnauthorized {
			c.forget(tok)
			continue
		}
		return err
	}
}

// decodeError reads both error shapes of errorBody.
func decodeError(body []byte, e *httpx.Error) bool {
	var w errorBody
	if json.Unmarshal(body, &w) != nil || len(w.Error) == 0 {
		return false
	}
	var code string
	if json.Unmarshal(w.Error, &code) == nil { // OAuth: "error": "invalid_client"
		e.Code, e.Message = code, w.ErrorDescription
		return true
	}
	var d errorDetail
	if json.Unmarshal(w.Error, &d) != nil {
		return false
	}
	if json.Unmarshal(d.Code, &code) != nil {
		code = string(d.Code) // a numeric code
	}
	e.Code, e.Message = code, d.Message
	return true
}

package apptest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"hrbridge/server/auth"
)

// Password is the password of every user made by these helpers.
const Password = "correct horse battery staple"

// Emails of the users Admin and Viewer sign in as.
const (
	AdminEmail  = "admin@test.example"
	ViewerEmail = "viewer@test.example"
)

// CreateUser adds a user with Password (again is harmless).
func (e *Env) CreateUser(t testing.TB, email, role string) {
	t.Helper()
	if _, err := e.App.Auth.CreateUser(context.Background(), email, Password, role); err != nil && !errors.Is(err, auth.ErrEmailTaken) {
		t.Fatalf("create user %s: %v", email, err)
	}
}

// Session is a browser signed in to the server: its own cookie jar, and the
// X-CSRF-Token header added to unsafe methods, as the SPA does.
type Session struct {
	env  *Env
	HTTP *http.Client
	Me   map[string]any
}

// Admin signs in a new browser session as an administrator.
func (e *Env) Admin(t testing.TB) *Session {
	t.Helper()
	e.CreateUser(t, AdminEmail, auth.RoleAdmin)
	return e.Login(t, AdminEmail, Password)
}

// Viewer signs in a new browser session as a viewer.
func (e *Env) Viewer(t testing.TB) *Session {
	t.Helper()
	e.CreateUser(t, ViewerEmail, auth.RoleViewer)
	return e.Login(t, ViewerEmail, Password)
}

// Login signs in a new browser session; the test fails if sign-in does.
func (e *Env) Login(t testing.TB, email, password string) *Session {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &Session{env: e, HTTP: &http.Client{Jar: jar}}
	r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
	if r.Status != http.StatusOK {
		t.Fatalf("sign in as %s: %d %s", email, r.Status, r.Body)
	}
	r.JSON(t, &s.Me)
	return s
}

// Cookie returns the value of one of the session's cookies.
func (s *Session) Cookie(name string) string {
	u, _ := url.Parse(s.env.URL)
	for _, c := range s.HTTP.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// Do sends a request in this session (with X-CSRF-Token on unsafe methods
// unless headers set it).
func (s *Session) Do(t testing.TB, method, path string, body any, headers ...string) Response {
	t.Helper()
	if method != http.MethodGet && method != http.MethodHead {
		if csrf := s.Cookie("hrbridge_csrf"); csrf != "" {
			headers = append([]string{"X-CSRF-Token", csrf}, headers...)
		}
	}
	return send(t, s.HTTP, s.env.URL, method, path, body, headers...)
}

// Token creates an API token with these scopes (as an administrator) and
// returns its secret.
func (e *Env) Token(t testing.TB, scopes ...string) string {
	t.Helper()
	r := e.Admin(t).Do(t, "POST", "/api/v1/api-tokens", map[string]any{"name": "test " + strings.Join(scopes, "+"), "scopes": scopes})
	if r.Status != http.StatusCreated {
		t.Fatalf("create token: %d %s", r.Status, r.Body)
	}
	var out struct{ Token string }
	r.JSON(t, &out)
	return out.Token
}

// DoToken sends a request with Authorization: Bearer token (no cookies).
func (e *Env) DoToken(t testing.TB, token, method, path string, body any, headers ...string) Response {
	t.Helper()
	return send(t, http.DefaultClient, e.URL, method, path, body, append([]string{"Authorization", "Bearer " + token}, headers...)...)
}

func send(t testing.TB, c *http.Client, base, method, path string, body any, headers ...string) Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = strings.NewReader(string(data))
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: data}
}

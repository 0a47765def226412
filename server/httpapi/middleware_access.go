package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"hrbridge/server/auth"
	"hrbridge/server/problem"
)

// Cookie and header names of browser sessions (openapi.yaml, docs/security.md).
const (
	SessionCookie = "hrbridge_session"
	CSRFCookie    = "hrbridge_csrf"
	CSRFHeader    = "X-CSRF-Token"
)

// MaxBodyBytes is the largest request body accepted (413 above it). An
// import of 10,000 employees is about 1 MB of JSON.
const MaxBodyBytes = 5 << 20

// ContentSecurityPolicy fits the built SPA (Vite: scripts and styles are
// files from this origin; styled-components injects <style> elements) and
// the /api/docs page (Swagger UI built into the SPA's assets: scripts from this origin, inline styles).
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// SecurityHeaders sets the headers every response carries: the CSP, no MIME
// sniffing, no framing, no referrer to other sites.
func SecurityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if isAPI(c.Request().URL.Path) {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// HSTSHeader is sent on every response that came over HTTPS.
const HSTSHeader = "max-age=31536000; includeSubDomains"

// HSTS sets Strict-Transport-Security on responses to requests that came
// over TLS, directly or through one of the trusted proxies (CIDRs) that
// says X-Forwarded-Proto: https. From anyone else the header is not
// believed: over plain HTTP, HSTS is meaningless and browsers ignore it.
func HSTS(trustedProxies []string) echo.MiddlewareFunc {
	var nets []*net.IPNet
	for _, s := range trustedProxies {
		if _, n, err := net.ParseCIDR(s); err == nil {
			nets = append(nets, n)
		}
	}
	trusted := func(r *http.Request) bool {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			return false
		}
		ip := net.ParseIP(host)
		for _, n := range nets {
			if ip != nil && n.Contains(ip) {
				return true
			}
		}
		return false
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.TLS != nil || (strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") && trusted(r)) {
				c.Response().Header().Set("Strict-Transport-Security", HSTSHeader)
			}
			return next(c)
		}
	}
}

// BodyLimit refuses request bodies over MaxBodyBytes with a 413 problem,
// by Content-Length at once and by counting when the body is streamed.
func BodyLimit() echo.MiddlewareFunc {
	return middleware.BodyLimit(fmt.Sprintf("%dB", MaxBodyBytes))
}

// IPExtractor names the client of a request: the TCP peer, or, when the
// peer is one of the trusted proxies (CIDRs), the address it forwarded in
// X-Forwarded-For. Nothing else is trusted, so a client cannot choose its
// own address by sending the header (login throttling keys on it).
func IPExtractor(trustedProxies []string) (echo.IPExtractor, error) {
	if len(trustedProxies) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, s := range trustedProxies {
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", s, err)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}

// clientInfo puts the request's client (address, user agent, TLS) and the
// Echo context (for handlers that set cookies) in the request context.
func clientInfo(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		ctx := auth.WithClient(r.Context(), auth.Client{
			IP:        c.RealIP(),
			UserAgent: r.UserAgent(),
			Secure:    r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https"),
		})
		ctx = context.WithValue(ctx, echoKey{}, c)
		c.SetRequest(r.WithContext(ctx))
		return next(c)
	}
}

type echoKey struct{}

// echoContext returns the request's Echo context, for strict handlers that
// must touch the response beyond their typed result (cookies).
func echoContext(ctx context.Context) echo.Context {
	c, _ := ctx.Value(echoKey{}).(echo.Context)
	return c
}

// Authenticator is the Options.Auth middleware: it authenticates the caller
// by API token (Authorization: Bearer) or session cookie, checks CSRF on
// unsafe methods of a session, and enforces the operation's x-permission.
type Authenticator struct {
	Service *auth.Service
}

// Middleware runs after the spec route is found and before validation.
func (a *Authenticator) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		perm := auth.PermAdmin
		if r := RouteOf(c); r != nil && r.Operation != nil {
			perm = Permission(r.Operation)
		}
		if perm == auth.PermPublic {
			return next(c)
		}
		req := c.Request()
		ctx := req.Context()
		var p auth.Principal
		if h := req.Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, tok, _ := strings.Cut(h, " ")
			if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
				return unauthorized("The Authorization header must be `Bearer <API token>`.")
			}
			var err error
			if p, err = a.Service.Token(ctx, strings.TrimSpace(tok)); err != nil {
				if errors.Is(err, auth.ErrUnauthenticated) {
					return unauthorized(sentence(err))
				}
				return err
			}
		} else if ck, err := req.Cookie(SessionCookie); err == nil && ck.Value != "" {
			sa, err := a.Service.Session(ctx, ck.Value)
			if err != nil {
				if errors.Is(err, auth.ErrUnauthenticated) {
					clearSessionCookies(c, auth.ClientFrom(ctx).Secure)
					return unauthorized(sentence(err) + " Sign in again.")
				}
				return err
			}
			if !safeMethod(req.Method) && !sa.CSRFValid(req.Header.Get(CSRFHeader)) {
				return problem.Forbidden("Missing or wrong " + CSRFHeader + " header: send the value of the " + CSRFCookie + " cookie.").Typed("/problems/csrf")
			}
			p = sa.Principal
		} else {
			return unauthorized("Sign in, or send an API token as `Authorization: Bearer <token>`.")
		}
		if !p.Can(perm) {
			return problem.Forbidden(refusal(p, perm))
		}
		c.SetRequest(req.WithContext(auth.WithPrincipal(ctx, p)))
		return next(c)
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func unauthorized(detail string) *problem.Problem {
	p := problem.Unauthorized(detail)
	p.Headers = map[string]string{"WWW-Authenticate": `Bearer realm="hrbridge"`}
	return p
}

// sentence turns "not signed in: the session expired" into "The session expired."
func sentence(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, ": "); ok {
		msg = rest
	}
	if msg == "" {
		return "Not signed in."
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "."
}

// refusal says why p may not do an operation needing perm.
func refusal(p auth.Principal, perm string) string {
	switch {
	case perm == auth.PermAdmin && p.Via == auth.ViaToken:
		return "This operation needs an administrator's browser session; API tokens cannot use it."
	case perm == auth.PermImport && p.Via == auth.ViaToken && !p.HasScope(auth.ScopeImport):
		return "This API token lacks the import scope."
	case perm == auth.PermRead && p.Via == auth.ViaToken:
		return "This API token lacks the read scope."
	case p.Role != auth.RoleAdmin:
		return fmt.Sprintf("This operation needs the admin role; %s is a %s.", p.Email, p.Role)
	}
	return "Not allowed."
}

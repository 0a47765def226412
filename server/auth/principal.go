// Package auth is who is calling and what they may do: users, sessions, API
// tokens, permissions.
package auth

import "context"

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID string
	Email  string
	Role   string   // "admin" or "viewer" (a token acts with its owner's role, narrowed by Scopes)
	Via    string   // "session" or "token"
	Scopes []string // token scopes; empty for sessions
	// TokenID and TokenName are set for token authentication.
	TokenID   string
	TokenName string
	// SessionID is set for session authentication.
	SessionID string
}

// Actor is the name recorded for this principal in history and audit.
func (p Principal) Actor() string {
	if p.Via == "token" && p.TokenName != "" {
		return p.Email + " (token: " + p.TokenName + ")"
	}
	return p.Email
}

type ctxKey struct{}

// WithPrincipal stores p in ctx.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the request's principal, if any.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}

// The x-permission levels of the API (openapi.yaml).
const (
	PermPublic  = "public"  // anyone
	PermSession = "session" // any signed-in principal (a token acts as its owner)
	PermRead    = "read"    // viewer or admin session; token with the read or import scope
	PermImport  = "import"  // admin session; token with the import scope owned by an admin
	PermAdmin   = "admin"   // admin session only
)

// Roles and scopes.
const (
	RoleAdmin   = "admin"
	RoleViewer  = "viewer"
	ScopeRead   = "read"
	ScopeImport = "import"
	ViaSession  = "session"
	ViaToken    = "token"
)

// HasScope reports whether a token principal has scope.
func (p Principal) HasScope(scope string) bool {
	for _, s := range p.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// Can reports whether p may perform an operation of permission perm. An
// unknown permission is refused.
func (p Principal) Can(perm string) bool {
	known := p.Role == RoleAdmin || p.Role == RoleViewer
	switch perm {
	case PermPublic:
		return true
	case PermSession:
		return known
	case PermRead:
		if p.Via == ViaToken {
			return known && (p.HasScope(ScopeRead) || p.HasScope(ScopeImport))
		}
		return known
	case PermImport:
		if p.Via == ViaToken {
			return p.Role == RoleAdmin && p.HasScope(ScopeImport)
		}
		return p.Role == RoleAdmin
	case PermAdmin:
		return p.Via == ViaSession && p.Role == RoleAdmin
	}
	return false
}

// Client is who is at the other end of the request, as far as the network
// says: set by the HTTP edge for every request.
type Client struct {
	IP        string
	UserAgent string
	// Secure is true when the request came over TLS (directly or, per
	// X-Forwarded-Proto, through a proxy).
	Secure bool
}

type clientKey struct{}

// WithClient stores c in ctx.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// ClientFrom returns the request's client (zero outside a request).
func ClientFrom(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}

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

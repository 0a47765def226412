package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	openapi_types "github.com/oapi-codegen/runtime/types"
	"gorm.io/gorm"

	"hrbridge/api"
	"hrbridge/server/audit"
	"hrbridge/server/auth"
	"hrbridge/server/paging"
	"hrbridge/server/problem"
	"hrbridge/server/store"
)

// Access serves sign-in and sign-out, the current user, API tokens and the
// audit log.
type Access struct {
	Auth  *auth.Service
	Audit *audit.Log
}

func (h Access) Login(ctx context.Context, req api.LoginRequestObject) (api.LoginResponseObject, error) {
	c := echoContext(ctx)
	client := auth.ClientFrom(ctx)
	previous := ""
	if ck, err := c.Cookie(SessionCookie); err == nil {
		previous = ck.Value
	}
	email := string(req.Body.Email)
	ns, err := h.Auth.Login(ctx, email, req.Body.Password, client, previous)
	var te *auth.ThrottledError
	switch {
	case errors.As(err, &te):
		secs := int(math.Ceil(te.RetryAfter.Seconds()))
		slog.WarnContext(ctx, "sign-in throttled", "by", te.By, "ip", client.IP, "retry_after_s", secs)
		p := problem.New(http.StatusTooManyRequests, fmt.Sprintf("Too many failed sign-ins for this %s: try again in %d seconds.", te.By, secs))
		p.Headers = map[string]string{"Retry-After": strconv.Itoa(secs)}
		return nil, p
	case errors.Is(err, auth.ErrBadCredentials):
		h.Audit.RecordAs(ctx, auth.NormalizeEmail(email), audit.LoginFailed, "", map[string]any{"reason": "wrong e-mail or password"})
		return nil, unauthorized("Wrong e-mail or password.")
	case err != nil:
		return nil, err
	}
	setSessionCookies(c, ns, client.Secure)
	ctx = auth.WithPrincipal(ctx, ns.Principal)
	h.Audit.Record(ctx, audit.LoginSucceeded, "users/"+ns.Principal.UserID, nil)
	m := meOf(ns.Principal)
	if u, err := h.Auth.GetUser(ctx, ns.Principal.UserID); err == nil && u.Language != "" {
		lang := api.Language(u.Language)
		m.Language = &lang
	}
	return api.Login200JSONResponse{Body: m}, nil
}

func (h Access) Logout(ctx context.Context, _ api.LogoutRequestObject) (api.LogoutResponseObject, error) {
	p, _ := auth.FromContext(ctx)
	if p.Via != auth.ViaSession {
		return nil, problem.Forbidden("Signing out ends a browser session; an API token is revoked with DELETE /api/v1/api-tokens/{id}.")
	}
	if err := h.Auth.Logout(ctx, p.SessionID); err != nil {
		return nil, err
	}
	clearSessionCookies(echoContext(ctx), auth.ClientFrom(ctx).Secure)
	h.Audit.Record(ctx, audit.Logout, "users/"+p.UserID, nil)
	return api.Logout204Response{}, nil
}

func (h Access) GetMe(ctx context.Context, _ api.GetMeRequestObject) (api.GetMeResponseObject, error) {
	p, _ := auth.FromContext(ctx)
	m := meOf(p)
	if u, err := h.Auth.GetUser(ctx, p.UserID); err == nil && u.Language != "" {
		lang := api.Language(u.Language)
		m.Language = &lang
	}
	return api.GetMe200JSONResponse(m), nil
}

func meOf(p auth.Principal) api.Me {
	m := api.Me{Id: accessUUID(p.UserID), Email: openapi_types.Email(p.Email), Role: api.Role(p.Role), Auth: api.MeAuth(p.Via)}
	if p.Via == auth.ViaToken {
		sc := accessScopes(p.Scopes)
		m.Scopes = &sc
	}
	return m
}

func (h Access) ListApiTokens(ctx context.Context, req api.ListApiTokensRequestObject) (api.ListApiTokensResponseObject, error) {
	after, err := paging.Parse(deref(req.Params.Cursor), paging.Keyset)
	if err != nil {
		return nil, accessBadCursor()
	}
	rows, next, err := paging.Fetch(accessLimit(req.Params.Limit), func(n int) ([]store.APITokenWithOwner, error) {
		return h.Auth.ListTokens(ctx, n, after)
	}, func(last store.APITokenWithOwner) paging.Cursor {
		return paging.At(store.Micro(last.CreatedAt), last.ID)
	})
	if err != nil {
		return nil, err
	}
	page := api.ApiTokenPage{Items: []api.ApiToken{}, NextCursor: cursorOut(next)}
	for _, r := range rows {
		page.Items = append(page.Items, tokenOut(r.APIToken, r.OwnerEmail))
	}
	return api.ListApiTokens200JSONResponse(page), nil
}

func (h Access) CreateApiToken(ctx context.Context, req api.CreateApiTokenRequestObject) (api.CreateApiTokenResponseObject, error) {
	p, _ := auth.FromContext(ctx)
	scopes := make([]string, len(req.Body.Scopes))
	for i, s := range req.Body.Scopes {
		scopes[i] = string(s)
	}
	t, secret, err := h.Auth.CreateToken(ctx, p, req.Body.Name, scopes, req.Body.ExpiresAt)
	var ie *auth.InvalidError
	if errors.As(err, &ie) {
		return nil, problem.Unprocessable("The token cannot be created: "+ie.Error(), problem.FieldError{Location: ie.Field, Message: ie.Reason})
	}
	if err != nil {
		return nil, err
	}
	detail := map[string]any{"name": t.Name, "scopes": auth.SplitScopes(t.Scopes), "prefix": t.Prefix}
	if t.ExpiresAt != nil {
		detail["expires_at"] = t.ExpiresAt.UTC().Format(time.RFC3339)
	}
	h.Audit.Record(ctx, audit.APITokenCreated, "api-tokens/"+t.ID, detail)
	out := tokenOut(*t, p.Email)
	return api.CreateApiToken201JSONResponse(api.ApiTokenCreated{
		Id: out.Id, Name: out.Name, Scopes: out.Scopes, Prefix: out.Prefix, CreatedAt: out.CreatedAt,
		CreatedBy: out.CreatedBy, ExpiresAt: out.ExpiresAt, Token: secret,
	}), nil
}

func (h Access) RevokeApiToken(ctx context.Context, req api.RevokeApiTokenRequestObject) (api.RevokeApiTokenResponseObject, error) {
	t, err := h.Auth.RevokeToken(ctx, req.Id.String())
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, problem.NotFound("No API token " + req.Id.String() + ".")
	}
	if err != nil {
		return nil, err
	}
	h.Audit.Record(ctx, audit.APITokenRevoked, "api-tokens/"+t.ID, map[string]any{"name": t.Name, "prefix": t.Prefix})
	return api.RevokeApiToken204Response{}, nil
}

func tokenOut(t store.APIToken, ownerEmail string) api.ApiToken {
	prefix := t.Prefix
	return api.ApiToken{
		Id: accessUUID(t.ID), Name: t.Name, Scopes: accessScopes(auth.SplitScopes(t.Scopes)), Prefix: &prefix,
		CreatedAt: t.CreatedAt.UTC(), CreatedBy: openapi_types.Email(ownerEmail),
		ExpiresAt: accessUTC(t.ExpiresAt), LastUsedAt: accessUTC(t.LastUsedAt), RevokedAt: accessUTC(t.RevokedAt),
	}
}

func (h Access) ListAuditEvents(ctx context.Context, req api.ListAuditEventsRequestObject) (api.ListAuditEventsResponseObject, error) {
	cursor := ""
	if req.Params.Cursor != nil {
		cursor = *req.Params.Cursor
	}
	f := store.AuditFilter{Actor: deref(req.Params.Actor), Action: deref(req.Params.Action), Since: req.Params.Since, Until: req.Params.Until}
	events, next, err := h.Audit.List(ctx, accessLimit(req.Params.Limit), cursor, f)
	if errors.Is(err, audit.ErrBadCursor) {
		return nil, accessBadCursor()
	}
	if err != nil {
		return nil, err
	}
	page := api.AuditEventPage{Items: make([]api.AuditEvent, len(events))}
	if next != "" {
		page.NextCursor = &next
	}
	for i, e := range events {
		d := e.Detail
		page.Items[i] = api.AuditEvent{
			Id: accessUUID(e.ID), Action: e.Action, Actor: e.Actor, Target: e.Target, Ip: e.IP, Detail: &d, CreatedAt: e.CreatedAt,
		}
	}
	return api.ListAuditEvents200JSONResponse(page), nil
}

// setSessionCookies gives the browser its session: the session id in an
// HttpOnly cookie that is sent on top-level navigation too (Lax), and the
// CSRF token in a cookie the SPA reads and echoes in X-CSRF-Token (Strict:
// never sent from another site).
func setSessionCookies(c interface{ SetCookie(*http.Cookie) }, ns *auth.NewSession, secure bool) {
	maxAge := int(time.Until(ns.ExpiresAt).Seconds())
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: ns.Token, Path: "/", MaxAge: maxAge, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	c.SetCookie(&http.Cookie{Name: CSRFCookie, Value: ns.CSRFToken, Path: "/", MaxAge: maxAge, HttpOnly: false, Secure: secure, SameSite: http.SameSiteStrictMode})
}

func clearSessionCookies(c interface{ SetCookie(*http.Cookie) }, secure bool) {
	if c == nil {
		return
	}
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	c.SetCookie(&http.Cookie{Name: CSRFCookie, Value: "", Path: "/", MaxAge: -1, Secure: secure, SameSite: http.SameSiteStrictMode})
}

func accessLimit(l *int32) int { return paging.List.Clamp(int(deref(l))) }

func accessBadCursor() *problem.Problem {
	return problem.BadRequest("Invalid request: query.cursor: not a cursor of this list",
		problem.FieldError{Location: "query.cursor", Message: "not a cursor of this list"})
}

func accessUUID(s string) openapi_types.UUID {
	id, _ := uuid.Parse(s)
	return id
}

func accessScopes(ss []string) []api.Scope {
	out := make([]api.Scope, len(ss))
	for i, s := range ss {
		out[i] = api.Scope(s)
	}
	return out
}

func accessUTC(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

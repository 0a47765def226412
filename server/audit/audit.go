// Package audit is the audit log: who did what security-relevant thing,
// when, from where. Every area records through Log.Record; GET
// /api/v1/audit-events (administrators) reads it newest first.
package audit

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"hrbridge/server/auth"
	"hrbridge/server/paging"
	"hrbridge/server/store"
)

// Actions. Names are "subject.past_tense"; add new ones here so that the
// list in docs/security.md stays complete.
const (
	LoginSucceeded    = "login.succeeded"
	LoginFailed       = "login.failed"
	Logout            = "logout"
	APITokenCreated   = "api_token.created"
	APITokenRevoked   = "api_token.revoked"
	UserCreated       = "user.created"
	UserUpdated       = "user.updated"        // role, disabled or enabled (detail says which)
	UserPasswordReset = "user.password_reset" // by an administrator or hrbridge users reset-password
	UserLanguage      = "user.language"       // a user chose their language
	ConnectionUpdated = "connection.updated"
	ImportStarted     = "import.started" // a retry too, with detail retry_of
	ImportCanceled    = "import.canceled"
	SecretsRotated    = "secrets.reencrypted"
)

// SystemActor is the actor of events without a signed-in principal (start-up
// work such as the first administrator or the key rotation).
const SystemActor = "system"

// ErrBadCursor is a cursor that this list did not make.
var ErrBadCursor = errors.New("not a cursor of the audit log")

// Log writes and reads the audit log. A nil *Log records nothing, so that
// code under test may leave it out.
type Log struct {
	st  *store.Store
	now func() time.Time
}

// New returns the audit log over st.
func New(st *store.Store) *Log {
	return &Log{st: st, now: func() time.Time { return time.Now().UTC() }}
}

// Record appends an event done by the request's principal (auth.FromContext;
// "system" without one) from the request's client address
// (auth.ClientFrom). target names what was acted on as its API path below
// /api/v1 (e.g. "api-tokens/<uuid>", "imports/<uuid>",
// "integrations/jobkan"), or "" for nothing in particular.
// detail must not hold secrets: values under keys such as "password",
// "token" or "secret" are replaced by "[redacted]" as a safety net. A
// failure to write is logged, not returned: auditing never fails the
// action it records.
func (l *Log) Record(ctx context.Context, action, target string, detail map[string]any) {
	actor := SystemActor
	if p, ok := auth.FromContext(ctx); ok {
		actor = p.Actor()
	}
	l.RecordAs(ctx, actor, action, target, detail)
}

// RecordAs is Record with an explicit actor: the e-mail tried at a failed
// sign-in, which is nobody's principal.
func (l *Log) RecordAs(ctx context.Context, actor, action, target string, detail map[string]any) {
	if l == nil {
		return
	}
	data, err := json.Marshal(redact(detail))
	if err != nil {
		slog.ErrorContext(ctx, "audit: encode detail", "action", action, "err", err)
		data = []byte("{}")
	}
	id, err := uuid.NewV7()
	if err != nil {
		id = uuid.New()
	}
	e := &store.AuditEvent{
		ID:        id.String(),
		Action:    clip(action, 100),
		Actor:     clip(actor, 254),
		Detail:    string(data),
		CreatedAt: l.now(),
	}
	if target != "" {
		t := clip(target, 300)
		e.Target = &t
	}
	if ip := auth.ClientFrom(ctx).IP; ip != "" {
		ip = clip(ip, 100)
		e.IP = &ip
	}
	// The event outlives a cancelled request: it records what happened.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := l.st.InsertAuditEvent(wctx, e); err != nil {
		slog.ErrorContext(ctx, "audit: record failed", "action", action, "actor", e.Actor, "err", err)
	}
}

// Event is one entry of the log.
type Event struct {
	ID        string
	Action    string
	Actor     string
	Target    *string
	IP        *string
	Detail    map[string]any
	CreatedAt time.Time
}

// List returns up to limit events newest first, starting after cursor ("" for
// the newest), and the cursor of the next page ("" at the end).
func (l *Log) List(ctx context.Context, limit int, cursor string, f ...store.AuditFilter) ([]Event, string, error) {
	after, err := paging.Parse(cursor, paging.Keyset)
	if err != nil {
		return nil, "", ErrBadCursor
	}
	rows, next, err := paging.Fetch(paging.List.Clamp(limit), func(n int) ([]store.AuditEvent, error) {
		return l.st.ListAuditEvents(ctx, n, after, f...)
	}, func(last store.AuditEvent) paging.Cursor { return paging.At(store.Micro(last.CreatedAt), last.ID) })
	if err != nil {
		return nil, "", err
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		d := map[string]any{}
		if r.Detail != "" {
			if err := json.Unmarshal([]byte(r.Detail), &d); err != nil {
				d = map[string]any{}
			}
		}
		out[i] = Event{ID: r.ID, Action: r.Action, Actor: r.Actor, Target: r.Target, IP: r.IP, Detail: d, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, next, nil
}

// sensitive are detail keys whose string values are never stored.
var sensitive = map[string]bool{
	"password": true, "secret": true, "token": true, "access_token": true, "client_secret": true,
	"api_token": true, "session": true, "csrf": true, "csrf_token": true, "authorization": true, "cookie": true,
}

func redact(detail map[string]any) map[string]any {
	out := make(map[string]any, len(detail))
	for k, v := range detail {
		if _, isString := v.(string); isString && sensitive[strings.ToLower(k)] {
			v = "[redacted]"
		}
		out[k] = v
	}
	return out
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

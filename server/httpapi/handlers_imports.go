package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"hrbridge/api"
	"hrbridge/server/audit"
	"hrbridge/server/auth"
	"hrbridge/server/errcatalog"
	"hrbridge/server/imports"
	"hrbridge/server/paging"
	"hrbridge/server/problem"
	"hrbridge/server/store"
	"hrbridge/server/sync"
)

// Imports serves imports, 連携履歴 and the notifications.
type Imports struct {
	Svc   *imports.Service
	Audit Auditor
}

// actor is the caller as recorded in started_by.
func actor(ctx context.Context) imports.Actor {
	if p, ok := auth.FromContext(ctx); ok {
		return imports.Actor{Name: p.Actor(), UserID: p.UserID}
	}
	return imports.Actor{Name: "anonymous"}
}

func (h Imports) audit(ctx context.Context, action string, imp store.Import, detail map[string]any) {
	if h.Audit == nil {
		return
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["direction"] = imp.Direction
	detail["total"] = imp.Total
	h.Audit.Record(ctx, action, "imports/"+imp.ID, detail)
}

func (h Imports) CreateImport(ctx context.Context, req api.CreateImportRequestObject) (api.CreateImportResponseObject, error) {
	b := req.Body
	r := imports.Request{Direction: sync.Direction(b.Direction), IdempotencyKey: req.Params.IdempotencyKey,
		Employees: make([]imports.Selected, len(b.Employees))}
	for i, e := range b.Employees {
		r.Employees[i] = imports.Selected{EmployeeNumber: e.EmployeeNumber, Fingerprint: e.Fingerprint}
	}
	imp, created, err := h.Svc.Create(ctx, actor(ctx), r)
	if err != nil {
		return nil, err
	}
	if created {
		h.audit(ctx, audit.ImportStarted, imp, nil)
	}
	return api.CreateImport202JSONResponse(importOut(imp)), nil
}

func (h Imports) ListImports(ctx context.Context, req api.ListImportsRequestObject) (api.ListImportsResponseObject, error) {
	p := req.Params
	f := imports.Filter{Since: p.Since, Until: p.Until, Cursor: deref(p.Cursor), Limit: int(deref(p.Limit))}
	if p.Direction != nil {
		f.Direction = string(*p.Direction)
	}
	if p.Status != nil {
		f.Status = string(*p.Status)
	}
	list, next, err := h.Svc.List(ctx, f)
	if err != nil {
		return nil, err
	}
	out := api.ListImports200JSONResponse{Items: make([]api.Import, len(list)), NextCursor: cursorOut(next)}
	for i, imp := range list {
		out.Items[i] = importOut(imp)
	}
	return out, nil
}

func (h Imports) GetImport(ctx context.Context, req api.GetImportRequestObject) (api.GetImportResponseObject, error) {
	imp, err := h.Svc.Get(ctx, req.Id.String())
	if err != nil {
		return nil, err
	}
	return api.GetImport200JSONResponse(importOut(imp)), nil
}

func (h Imports) ListImportResults(ctx context.Context, req api.ListImportResultsRequestObject) (api.ListImportResultsResponseObject, error) {
	p := req.Params
	q := imports.ResultQuery{Cursor: deref(p.Cursor), Limit: int(deref(p.Limit))}
	if p.Status != nil {
		for _, s := range *p.Status {
			q.Statuses = append(q.Statuses, string(s))
		}
	}
	if wantsCSV(ctx) {
		q.Limit, q.Cursor = 0, ""
		rows, _, err := h.Svc.Results(ctx, req.Id.String(), q)
		if err != nil {
			return nil, err
		}
		imp, err := h.Svc.Get(ctx, req.Id.String())
		if err != nil {
			return nil, err
		}
		return resultsCSV{id: req.Id.String(), rows: rows, direction: imp.Direction, lang: langOf(ctx)}, nil
	}
	q.Limit = paging.List.Clamp(q.Limit)
	rows, next, err := h.Svc.Results(ctx, req.Id.String(), q)
	if err != nil {
		return nil, err
	}
	imp, err := h.Svc.Get(ctx, req.Id.String())
	if err != nil {
		return nil, err
	}
	lang := langOf(ctx)
	out := api.ListImportResults200JSONResponse{Items: make([]api.ImportResult, len(rows)), NextCursor: cursorOut(next)}
	for i, r := range rows {
		out.Items[i] = resultOut(imp.Direction, r, lang)
	}
	return out, nil
}

func (h Imports) StreamImportEvents(ctx context.Context, req api.StreamImportEventsRequestObject) (api.StreamImportEventsResponseObject, error) {
	if _, err := h.Svc.Get(ctx, req.Id.String()); err != nil {
		return nil, err
	}
	return importEvents{ctx: ctx, svc: h.Svc, id: req.Id.String()}, nil
}

func (h Imports) RetryImport(ctx context.Context, req api.RetryImportRequestObject) (api.RetryImportResponseObject, error) {
	imp, created, err := h.Svc.Retry(ctx, actor(ctx), req.Id.String())
	if err != nil {
		return nil, err
	}
	if created {
		h.audit(ctx, audit.ImportStarted, imp, map[string]any{"retry_of": req.Id.String()})
	}
	return api.RetryImport202JSONResponse(importOut(imp)), nil
}

func (h Imports) CancelImport(ctx context.Context, req api.CancelImportRequestObject) (api.CancelImportResponseObject, error) {
	imp, err := h.Svc.Cancel(ctx, req.Id.String())
	if err != nil {
		return nil, err
	}
	h.audit(ctx, audit.ImportCanceled, imp, map[string]any{"status": imp.Status, "done": imp.Done})
	return api.CancelImport202JSONResponse(importOut(imp)), nil
}

func (h Imports) ListNotifications(ctx context.Context, req api.ListNotificationsRequestObject) (api.ListNotificationsResponseObject, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return nil, problem.Unauthorized("Sign in to read your notifications.")
	}
	list, next, unread, err := h.Svc.Notifications(ctx, p.UserID, deref(req.Params.Unread), int(deref(req.Params.Limit)), deref(req.Params.Cursor))
	if err != nil {
		return nil, err
	}
	out := api.ListNotifications200JSONResponse{Items: make([]api.Notification, len(list)), NextCursor: cursorOut(next), Unread: int32(unread)}
	for i, n := range list {
		out.Items[i] = notificationOut(n)
	}
	return out, nil
}

func (h Imports) MarkNotificationRead(ctx context.Context, req api.MarkNotificationReadRequestObject) (api.MarkNotificationReadResponseObject, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return nil, problem.Unauthorized("Sign in to read your notifications.")
	}
	n, err := h.Svc.MarkRead(ctx, p.UserID, req.Id.String())
	if err != nil {
		return nil, err
	}
	return api.MarkNotificationRead200JSONResponse(notificationOut(n)), nil
}

func cursorOut(next string) *string {
	if next == "" {
		return nil
	}
	return &next
}

func importOut(imp store.Import) api.Import {
	out := api.Import{
		Id:          uuid.MustParse(imp.ID),
		Integration: api.ImportIntegration(imp.Integration),
		Direction:   api.Direction(imp.Direction),
		Status:      api.ImportStatus(imp.Status),
		Total:       int32(imp.Total),
		Done:        int32(imp.Done),
		Counts: api.ImportCounts{Created: int32(imp.CreatedCount), Updated: int32(imp.UpdatedCount), Unchanged: int32(imp.UnchangedCount),
			Skipped: int32(imp.SkippedCount), Failed: int32(imp.FailedCount)},
		StartedBy:  imp.StartedBy,
		CreatedAt:  imp.CreatedAt.UTC(),
		StartedAt:  utc(imp.StartedAt),
		FinishedAt: utc(imp.FinishedAt),
	}
	if imp.RetryOf != nil {
		id := uuid.MustParse(*imp.RetryOf)
		out.RetryOf = &id
	}
	out.Waiting = waitingOut(imp)
	return out
}

// waitingOut is what a running import waits for, or nil.
func waitingOut(imp store.Import) *api.ImportWaiting {
	if imp.WaitingSince == nil || imp.Status != imports.StatusRunning {
		return nil
	}
	w := &api.ImportWaiting{Provider: api.ImportWaitingProviderUnknown, Since: imp.WaitingSince.UTC()}
	if imp.WaitingProvider != nil && api.ImportWaitingProvider(*imp.WaitingProvider).Valid() {
		w.Provider = api.ImportWaitingProvider(*imp.WaitingProvider)
	}
	if imp.WaitingReasonCode != nil {
		w.ReasonCode = *imp.WaitingReasonCode
	}
	if imp.WaitingMessage != nil {
		w.Message = *imp.WaitingMessage
	}
	if imp.WaitingNextAttemptAt != nil {
		w.NextAttemptAt = imp.WaitingNextAttemptAt.UTC()
	}
	return w
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func resultStatus(s string) string {
	if s == imports.ResultWriting {
		return imports.ResultPending
	}
	return s
}

func resultOut(direction string, r store.ImportResult, lang errcatalog.Lang) api.ImportResult {
	out := api.ImportResult{
		EmployeeNumber: r.EmployeeNumber,
		DisplayName:    r.DisplayName,
		Action:         api.ImportResultAction(r.Action),
		Status:         api.ResultStatus(resultStatus(r.Status)),
		ChangedFields:  []api.FieldName{},
		FinishedAt:     utc(r.FinishedAt),
	}
	if r.ChangedFields != "" {
		for _, f := range strings.Split(r.ChangedFields, ",") {
			out.ChangedFields = append(out.ChangedFields, api.FieldName(f))
		}
	}
	if m := imports.ResultMessage(direction, r, lang); m != nil {
		action := api.ErrorAction(m.Action)
		out.Error = &struct {
			Action  *api.ErrorAction `json:"action,omitempty"`
			Advice  *string          `json:"advice,omitempty"`
			Code    string           `json:"code"`
			Detail  *string          `json:"detail,omitempty"`
			Message string           `json:"message"`
		}{Action: &action, Advice: &m.Advice, Code: m.Code, Message: m.Message}
		if m.Detail != "" {
			d := clipRunes(m.Detail, 4000)
			out.Error.Detail = &d
		}
	}
	return out
}

func notificationOut(n store.Notification) api.Notification {
	out := api.Notification{Id: uuid.MustParse(n.ID), Kind: api.NotificationKind(n.Kind), Title: n.Title, Body: n.Body,
		CreatedAt: n.CreatedAt.UTC(), ReadAt: utc(n.ReadAt)}
	if n.ImportID != nil {
		id := uuid.MustParse(*n.ImportID)
		out.ImportId = &id
	}
	return out
}

// The strict handlers see only the request's context; RequestInContext puts
// the request there so that an operation can negotiate its representation
// (CSV results by Accept).
type requestKey struct{}

// RequestInContext is Echo middleware that stores the *http.Request in its
// own context.
func RequestInContext(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), requestKey{}, r)))
		return next(c)
	}
}

// wantsCSV reports whether the request's Accept prefers text/csv to JSON.
func wantsCSV(ctx context.Context) bool {
	r, _ := ctx.Value(requestKey{}).(*http.Request)
	if r == nil {
		return false
	}
	best, bestQ := "", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if (mt == "text/csv" || mt == "application/json") && q > bestQ && q > 0 {
			best, bestQ = mt, q
		}
	}
	return best == "text/csv"
}

// resultsCSV is every result as CSV: UTF-8 with a byte order mark so that
// Excel reads the Japanese, a header row of the JSON names, CRLF lines.
type resultsCSV struct {
	id        string
	rows      []store.ImportResult
	direction string
	lang      errcatalog.Lang
}

func (c resultsCSV) VisitListImportResultsResponse(w http.ResponseWriter) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	_ = cw.Write([]string{"employee_number", "display_name", "action", "status", "changed_fields", "error_code", "error_message", "error_advice", "error_detail", "finished_at"})
	for _, r := range c.rows {
		fin := ""
		if r.FinishedAt != nil {
			fin = r.FinishedAt.UTC().Format(time.RFC3339)
		}
		var code, msg, advice, detail string
		if m := imports.ResultMessage(c.direction, r, c.lang); m != nil {
			code, msg, advice, detail = m.Code, m.Message, m.Advice, m.Detail
		}
		_ = cw.Write([]string{csvSafe(r.EmployeeNumber), csvSafe(r.DisplayName), r.Action, resultStatus(r.Status),
			strings.ReplaceAll(r.ChangedFields, ",", " "), code, csvSafe(msg), csvSafe(advice), csvSafe(detail), fin})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="import-%s-results.csv"`, c.id))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, err := buf.WriteTo(w)
	return err
}

// csvSafe keeps a spreadsheet from reading a value as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// importEvents streams the import's progress as server-sent events: an
// `event: progress` with the Import as JSON whenever it changes (checked
// every half second), a comment every 15 s to keep proxies from closing an
// idle stream, and a last event once the import has ended.
type importEvents struct {
	ctx context.Context
	svc *imports.Service
	id  string
}

func (e importEvents) VisitStreamImportEventsResponse(w http.ResponseWriter) error {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the stream lasts as long as the import
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if err := rc.Flush(); err != nil {
		return err
	}
	poll := time.NewTicker(500 * time.Millisecond)
	defer poll.Stop()
	var last []byte
	lastWrite := time.Now()
	for {
		imp, err := e.svc.Get(e.ctx, e.id)
		if err != nil {
			if e.ctx.Err() != nil {
				return nil
			}
			return err
		}
		data, _ := json.Marshal(importOut(imp))
		switch {
		case !bytes.Equal(data, last):
			if _, err := fmt.Fprintf(w, "event: progress\ndata: %s\n\n", data); err != nil {
				return nil // the client went away
			}
			last, lastWrite = data, time.Now()
		case time.Since(lastWrite) > 15*time.Second:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return nil
			}
			lastWrite = time.Now()
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
		if imports.Finished(imp.Status) {
			return nil
		}
		select {
		case <-e.ctx.Done():
			return nil
		case <-e.svc.Draining(): // shutting down: the client reconnects
			return nil
		case <-poll.C:
		}
	}
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

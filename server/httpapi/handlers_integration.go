package httpapi

import (
	"context"

	"hrbridge/api"
	"hrbridge/server/auth"
	"hrbridge/server/diffs"
	"hrbridge/server/errcatalog"
	"hrbridge/server/integration"
	"hrbridge/server/paging"
	"hrbridge/server/problem"
	"hrbridge/server/sync"
)

// Auditor records an audit event (implemented by the audit log).
type Auditor interface {
	Record(ctx context.Context, action, target string, detail map[string]any)
}

// Integration serves 連携設定 and the diffs.
type Integration struct {
	Conns     *integration.Service
	Snapshots *diffs.Snapshots
	Audit     Auditor
}

func (h Integration) GetConnection(ctx context.Context, _ api.GetConnectionRequestObject) (api.GetConnectionResponseObject, error) {
	c, err := h.Conns.Load(ctx)
	if err != nil {
		return nil, err
	}
	return api.GetConnection200JSONResponse(connectionOut(c)), nil
}

func (h Integration) PutConnection(ctx context.Context, req api.PutConnectionRequestObject) (api.PutConnectionResponseObject, error) {
	b := req.Body
	u := integration.Update{
		SmartHRBaseURL:     b.Smarthr.BaseUrl,
		SmartHRAccessToken: b.Smarthr.AccessToken,
		JobkanAPIURL:       b.Jobkan.ApiUrl,
		JobkanTokenURL:     b.Jobkan.TokenUrl,
		JobkanClientID:     b.Jobkan.ClientId,
		JobkanClientSecret: b.Jobkan.ClientSecret,
		UseBusinessName:    b.UseBusinessName,
	}
	for _, m := range b.EmploymentTypes {
		u.EmploymentTypes = append(u.EmploymentTypes, sync.EmploymentTypeMapping{Name: m.Name, JobkanCode: int(m.JobkanCode)})
	}
	if p, ok := auth.FromContext(ctx); ok {
		u.By = p.Actor()
	}
	c, err := h.Conns.Save(ctx, u)
	if err != nil {
		return nil, err
	}
	if h.Audit != nil {
		// Which secrets changed, never their values.
		h.Audit.Record(ctx, "connection.updated", "integrations/jobkan", map[string]any{
			"smarthr_base_url": c.SmartHRBaseURL, "jobkan_api_url": c.JobkanAPIURL, "jobkan_client_id": c.JobkanClientID,
			"smarthr_access_token_changed": b.Smarthr.AccessToken != nil, "jobkan_client_secret_changed": b.Jobkan.ClientSecret != nil,
			"use_business_name": c.UseBusinessName, "employment_types": len(c.EmploymentTypes),
		})
	}
	return api.PutConnection200JSONResponse(connectionOut(c)), nil
}

func (h Integration) TestConnection(ctx context.Context, _ api.TestConnectionRequestObject) (api.TestConnectionResponseObject, error) {
	sh, jk, err := h.Conns.Test(ctx)
	if err != nil {
		return nil, err
	}
	lang := langOf(ctx)
	out := func(c integration.Check) api.ProviderCheck {
		pc := api.ProviderCheck{Ok: c.OK, Message: c.Message}
		if c.OK {
			if lang == errcatalog.En {
				pc.Message = "Connected."
			}
			return pc
		}
		m := errcatalog.Render(c.Code, c.Failure, lang, errcatalog.ScreenTest)
		action := api.ErrorAction(m.Action)
		detail := clipRunes(m.Detail, 4000)
		pc.Message = clipRunes(m.Message, 2000)
		pc.Error = &api.ErrorInfo{Code: m.Code, Message: m.Message, Advice: &m.Advice, Action: &action, Detail: &detail}
		return pc
	}
	return api.TestConnection200JSONResponse{Smarthr: out(sh), Jobkan: out(jk)}, nil
}

func connectionOut(c integration.Connection) api.Connection {
	var out api.Connection
	out.Configured = c.Configured
	out.Smarthr.BaseUrl = c.SmartHRBaseURL
	out.Smarthr.AccessTokenSet = c.SmartHRAccessToken != ""
	out.Jobkan.ApiUrl = c.JobkanAPIURL
	out.Jobkan.TokenUrl = c.JobkanTokenURL
	out.Jobkan.ClientId = c.JobkanClientID
	out.Jobkan.ClientSecretSet = c.JobkanClientSecret != ""
	out.UseBusinessName = c.UseBusinessName
	out.UpdatedAt = c.UpdatedAt
	out.EmploymentTypes = make([]api.EmploymentTypeMapping, 0, len(c.EmploymentTypes))
	for _, m := range c.EmploymentTypes {
		out.EmploymentTypes = append(out.EmploymentTypes, api.EmploymentTypeMapping{Name: m.Name, JobkanCode: int32(m.JobkanCode)})
	}
	return out
}

func (h Integration) ListDiffs(ctx context.Context, req api.ListDiffsRequestObject) (api.ListDiffsResponseObject, error) {
	p := req.Params
	dir := sync.Direction(p.Direction)
	var (
		snap    *diffs.Snapshot
		err     error
		refresh *diffs.Refresh
	)
	who, _ := auth.FromContext(ctx)
	if deref(p.Refresh) {
		// A full re-list spends both providers' budgets: it needs the import
		// permission, and it is shared and rate-limited (diffs.Refresh).
		if !who.Can(auth.PermImport) {
			return nil, problem.Forbidden("Refreshing the diff (refresh=true) lists both providers again and needs the import permission " +
				"(an administrator, or a token with the import scope); without refresh the recent snapshot is shown.").Typed("/problems/permission-required")
		}
		var r diffs.Refresh
		snap, r, err = h.Snapshots.Refresh(ctx, dir, refreshCaller(who))
		refresh = &r
	} else {
		snap, err = h.Snapshots.Get(ctx, dir, false)
	}
	if err != nil {
		return nil, err
	}
	q := diffs.Query{Q: deref(p.Q), Limit: paging.Diffs.Clamp(int(deref(p.Limit))), Cursor: deref(p.Cursor)}
	if p.Status != nil {
		for _, s := range *p.Status {
			q.Statuses = append(q.Statuses, sync.Status(s))
		}
	}
	items, next, err := snap.Page(q)
	if err != nil {
		return nil, err
	}
	// Least privilege: a reader sees what changes, not personal values.
	page := newDiffPage(dir, snap.GeneratedAt, snap.Result.Summary, items, next, !who.Can(auth.PermImport))
	if refresh != nil {
		page.refresh = refresh
	}
	return page, nil
}

// refreshCaller is who a refresh is counted against: the token, or the user
// (all of their sessions).
func refreshCaller(p auth.Principal) string {
	if p.Via == auth.ViaToken {
		return "token:" + p.TokenID
	}
	return "user:" + p.UserID
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

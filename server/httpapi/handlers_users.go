package httpapi

import (
	"context"
	"errors"
	"net/http"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"gorm.io/gorm"

	"hrbridge/api"
	"hrbridge/server/audit"
	"hrbridge/server/auth"
	"hrbridge/server/paging"
	"hrbridge/server/problem"
	"hrbridge/server/store"
)

// 管理者とユーザー: users, roles, disabling, passwords, and each user's own
// language (PATCH /me).

func userOut(u store.User) api.User {
	lang := u.Language
	if lang == "" {
		lang = auth.LangJa
	}
	return api.User{
		Id: accessUUID(u.ID), Email: openapi_types.Email(u.Email), Role: api.Role(u.Role), Language: api.Language(lang),
		Disabled: u.DisabledAt != nil, DisabledAt: accessUTC(u.DisabledAt), CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC(),
	}
}

func (h Access) ListUsers(ctx context.Context, req api.ListUsersRequestObject) (api.ListUsersResponseObject, error) {
	after, err := paging.Parse(deref(req.Params.Cursor), paging.Keyset)
	if err != nil {
		return nil, accessBadCursor()
	}
	rows, next, err := paging.Fetch(accessLimit(req.Params.Limit), func(n int) ([]store.User, error) {
		return h.Auth.ListUsers(ctx, n, after)
	}, func(last store.User) paging.Cursor { return paging.At(store.Micro(last.CreatedAt), last.ID) })
	if err != nil {
		return nil, err
	}
	page := api.UserPage{Items: []api.User{}, NextCursor: cursorOut(next)}
	for _, u := range rows {
		page.Items = append(page.Items, userOut(u))
	}
	return api.ListUsers200JSONResponse(page), nil
}

func (h Access) CreateUser(ctx context.Context, req api.CreateUserRequestObject) (api.CreateUserResponseObject, error) {
	b := req.Body
	u, err := h.Auth.CreateUser(ctx, string(b.Email), b.Password, string(b.Role))
	if err != nil {
		return nil, userProblem(err, "The user cannot be created")
	}
	if b.Language != nil && string(*b.Language) != auth.LangJa {
		if u2, err := h.Auth.SetLanguage(ctx, u.ID, string(*b.Language)); err == nil {
			u = u2
		}
	}
	h.Audit.Record(ctx, audit.UserCreated, "users/"+u.ID, map[string]any{"email": u.Email, "role": u.Role, "by": "api"})
	return api.CreateUser201JSONResponse(userOut(*u)), nil
}

func (h Access) UpdateUser(ctx context.Context, req api.UpdateUserRequestObject) (api.UpdateUserResponseObject, error) {
	p, _ := auth.FromContext(ctx)
	id := req.Id.String()
	var upd auth.UserUpdate
	if req.Body.Role != nil {
		r := string(*req.Body.Role)
		upd.Role = &r
	}
	upd.Disabled = req.Body.Disabled
	if id == p.UserID && ((upd.Role != nil && *upd.Role != auth.RoleAdmin) || (upd.Disabled != nil && *upd.Disabled)) {
		return nil, problem.Conflict("You cannot demote or disable your own account; ask another administrator.").Typed("/problems/own-account")
	}
	before, after, err := h.Auth.UpdateUser(ctx, id, upd)
	if err != nil {
		return nil, userProblem(err, "The user cannot be changed")
	}
	detail := map[string]any{"email": after.Email}
	if before.Role != after.Role {
		detail["role"] = map[string]any{"from": before.Role, "to": after.Role}
	}
	if (before.DisabledAt == nil) != (after.DisabledAt == nil) {
		detail["disabled"] = after.DisabledAt != nil
	}
	if len(detail) > 1 {
		h.Audit.Record(ctx, audit.UserUpdated, "users/"+id, detail)
	}
	return api.UpdateUser200JSONResponse(userOut(*after)), nil
}

func (h Access) SetUserPassword(ctx context.Context, req api.SetUserPasswordRequestObject) (api.SetUserPasswordResponseObject, error) {
	u, err := h.Auth.SetPassword(ctx, req.Id.String(), req.Body.Password)
	if err != nil {
		return nil, userProblem(err, "The password cannot be set")
	}
	h.Audit.Record(ctx, audit.UserPasswordReset, "users/"+u.ID, map[string]any{"email": u.Email, "by": "api"})
	return api.SetUserPassword204Response{}, nil
}

func (h Access) UpdateMe(ctx context.Context, req api.UpdateMeRequestObject) (api.UpdateMeResponseObject, error) {
	p, _ := auth.FromContext(ctx)
	u, err := h.Auth.SetLanguage(ctx, p.UserID, string(req.Body.Language))
	if err != nil {
		return nil, userProblem(err, "The preferences cannot be saved")
	}
	h.Audit.Record(ctx, audit.UserLanguage, "users/"+u.ID, map[string]any{"language": u.Language})
	m := meOf(p)
	lang := api.Language(u.Language)
	m.Language = &lang
	return api.UpdateMe200JSONResponse(m), nil
}

// userProblem maps the user operations' errors to problems.
func userProblem(err error, what string) error {
	var ie *auth.InvalidError
	switch {
	case errors.As(err, &ie):
		loc := ie.Field
		if loc == "email" || loc == "password" || loc == "role" {
			loc = "body." + loc
		}
		return problem.Unprocessable(what+": "+ie.Error(), problem.FieldError{Location: loc, Message: ie.Reason})
	case errors.Is(err, auth.ErrEmailTaken):
		return problem.Conflict(what + ": a user with this e-mail already exists.").Typed("/problems/email-taken")
	case errors.Is(err, auth.ErrLastAdmin):
		return problem.New(http.StatusConflict, what+": this is the last enabled administrator. Make another user an administrator first.").Typed("/problems/last-admin")
	case errors.Is(err, gorm.ErrRecordNotFound):
		return problem.NotFound("No such user.")
	}
	return err
}

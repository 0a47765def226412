package app_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"hrbridge/server/app/apptest"
	"hrbridge/server/auth"
	"hrbridge/server/store/storetest"
)

type userOut struct {
	ID       string `json:"id"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	Language string `json:"language"`
	Disabled bool   `json:"disabled"`
}

// 管理者とユーザー over the API, on both databases: add, list, change role,
// disable and enable, set a password; the last enabled administrator can be
// neither demoted nor disabled; every change is audited.
func TestUserAdministration(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			admin := env.Admin(t)
			adminID := admin.Me["id"].(string)

			// Add a viewer with an initial password; the e-mail is unique in any case.
			var v userOut
			r := admin.Do(t, "POST", "/api/v1/users", map[string]any{"email": "Sato@Example.jp", "role": "viewer", "password": "initial pass", "language": "en"})
			if r.Status != http.StatusCreated {
				t.Fatalf("create: %d %s", r.Status, r.Body)
			}
			r.JSON(t, &v)
			if v.Email != "sato@example.jp" || v.Role != "viewer" || v.Language != "en" || v.Disabled {
				t.Fatalf("created %+v", v)
			}
			if r := admin.Do(t, "POST", "/api/v1/users", map[string]any{"email": "SATO@example.jp", "role": "admin", "password": "initial pass"}); r.Status != http.StatusConflict {
				t.Errorf("a taken e-mail: %d %s", r.Status, r.Body)
			}
			if r := admin.Do(t, "POST", "/api/v1/users", map[string]any{"email": "x@example.jp", "role": "admin", "password": "short"}); r.Status != http.StatusBadRequest && r.Status != http.StatusUnprocessableEntity {
				t.Errorf("a short password: %d %s", r.Status, r.Body)
			}
			viewer := env.Login(t, "sato@example.jp", "initial pass")

			var page struct {
				Items      []userOut `json:"items"`
				NextCursor *string   `json:"next_cursor"`
			}
			admin.Do(t, "GET", "/api/v1/users?limit=1", nil).JSON(t, &page)
			if len(page.Items) != 1 || page.NextCursor == nil || page.Items[0].Email != "sato@example.jp" {
				t.Fatalf("first page %+v", page)
			}
			admin.Do(t, "GET", "/api/v1/users?limit=1&cursor="+*page.NextCursor, nil).JSON(t, &page)
			if len(page.Items) != 1 || page.NextCursor != nil || page.Items[0].ID != adminID {
				t.Fatalf("second page %+v", page)
			}

			// The last enabled administrator can be neither demoted nor disabled,
			// not even by themselves.
			for _, body := range []map[string]any{{"role": "viewer"}, {"disabled": true}} {
				r := admin.Do(t, "PATCH", "/api/v1/users/"+adminID, body)
				if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "/problems/") {
					t.Errorf("%v on the only admin: %d %s", body, r.Status, r.Body)
				}
			}
			if _, _, err := env.App.Auth.UpdateUser(t.Context(), adminID, auth.UserUpdate{Disabled: ptr(true)}); !auth.IsLastAdmin(err) {
				t.Errorf("service: disable the last admin: %v", err)
			}

			// Promote the viewer: now they can do admin things at once.
			r = admin.Do(t, "PATCH", "/api/v1/users/"+v.ID, map[string]any{"role": "admin"})
			if r.Status != http.StatusOK {
				t.Fatalf("promote: %d %s", r.Status, r.Body)
			}
			if r := viewer.Do(t, "GET", "/api/v1/users", nil); r.Status != http.StatusOK {
				t.Errorf("the promoted user lists users: %d", r.Status)
			}
			// Two administrators demoting each other at once: one must stay.
			var wg sync.WaitGroup
			statuses := make([]int, 2)
			wg.Go(func() {
				statuses[0] = admin.Do(t, "PATCH", "/api/v1/users/"+v.ID, map[string]any{"disabled": true}).Status
			})
			wg.Go(func() {
				statuses[1] = viewer.Do(t, "PATCH", "/api/v1/users/"+adminID, map[string]any{"disabled": true}).Status
			})
			wg.Wait()
			users, err := env.App.Auth.ListUsers(t.Context(), 10, nil)
			if err != nil {
				t.Fatal(err)
			}
			enabled := 0
			for _, u := range users {
				if u.Role == auth.RoleAdmin && u.DisabledAt == nil {
					enabled++
				}
			}
			if enabled != 1 {
				t.Fatalf("after disabling each other (%v): %d enabled admins, want 1", statuses, enabled)
			}
			// Whoever is left enables the other again.
			survivor, other := admin, v.ID
			if statuses[0] != http.StatusOK {
				survivor, other = viewer, adminID
			}
			if r := survivor.Do(t, "PATCH", "/api/v1/users/"+other, map[string]any{"disabled": false}); r.Status != http.StatusOK {
				t.Fatalf("enable: %d %s", r.Status, r.Body)
			}

			// A disabled user cannot sign in, and their sessions end.
			third := env.Login(t, apptest.AdminEmail, apptest.Password)
			_ = third
			r = survivor.Do(t, "POST", "/api/v1/users", map[string]any{"email": "kato@example.jp", "role": "viewer", "password": "kato password"})
			var k userOut
			r.JSON(t, &k)
			kato := env.Login(t, "kato@example.jp", "kato password")
			if r := survivor.Do(t, "PATCH", "/api/v1/users/"+k.ID, map[string]any{"disabled": true}); r.Status != http.StatusOK {
				t.Fatalf("disable: %d %s", r.Status, r.Body)
			}
			if r := kato.Do(t, "GET", "/api/v1/me", nil); r.Status != http.StatusUnauthorized {
				t.Errorf("a disabled user's session: %d", r.Status)
			}
			if r := env.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "kato@example.jp", "password": "kato password"}); r.Status != http.StatusUnauthorized {
				t.Errorf("a disabled user signs in: %d", r.Status)
			}
			// An administrator sets a new password; it works once enabled.
			if r := survivor.Do(t, "PUT", "/api/v1/users/"+k.ID+"/password", map[string]any{"password": "another password"}); r.Status != http.StatusNoContent {
				t.Fatalf("set password: %d %s", r.Status, r.Body)
			}
			survivor.Do(t, "PATCH", "/api/v1/users/"+k.ID, map[string]any{"disabled": false})
			env.Login(t, "kato@example.jp", "another password")
			if r := survivor.Do(t, "PATCH", "/api/v1/users/00000000-0000-4000-8000-000000000000", map[string]any{"role": "viewer"}); r.Status != http.StatusNotFound {
				t.Errorf("unknown user: %d", r.Status)
			}

			// Audited, and the audit log filters by actor, action and time.
			var events struct {
				Items []struct {
					Action, Actor string
					Target        *string
				}
			}
			survivor.Do(t, "GET", "/api/v1/audit-events?action=user.&limit=100", nil).JSON(t, &events)
			seen := map[string]int{}
			for _, e := range events.Items {
				if !strings.HasPrefix(e.Action, "user.") {
					t.Errorf("filter user. gave %s", e.Action)
				}
				seen[e.Action]++
			}
			if seen["user.created"] < 2 || seen["user.updated"] < 3 || seen["user.password_reset"] != 1 {
				t.Errorf("audited %v", seen)
			}
			survivor.Do(t, "GET", "/api/v1/audit-events?action=user.password_reset&actor=EXAMPLE&since=2000-01-01T00:00:00Z", nil).JSON(t, &events)
			if len(events.Items) != 1 {
				t.Errorf("filtered by action and actor: %+v", events.Items)
			}
			survivor.Do(t, "GET", "/api/v1/audit-events?until=2000-01-01T00:00:00Z", nil).JSON(t, &events)
			if len(events.Items) != 0 {
				t.Errorf("until 2000: %+v", events.Items)
			}
		})
	}
}

// PATCH /me records the user's language; GET /me returns it.
func TestMyLanguage(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			env.CreateUser(t, apptest.ViewerEmail, auth.RoleViewer)
			viewer := env.Viewer(t)
			var me struct{ Language string }
			viewer.Do(t, "GET", "/api/v1/me", nil).JSON(t, &me)
			if me.Language != "ja" {
				t.Errorf("default language %q", me.Language)
			}
			if r := viewer.Do(t, "PATCH", "/api/v1/me", map[string]any{"language": "en"}); r.Status != http.StatusOK {
				t.Fatalf("PATCH /me: %d %s", r.Status, r.Body)
			}
			viewer.Do(t, "GET", "/api/v1/me", nil).JSON(t, &me)
			if me.Language != "en" {
				t.Errorf("language %q after PATCH", me.Language)
			}
			if r := viewer.Do(t, "PATCH", "/api/v1/me", map[string]any{"language": "fr"}); r.Status != http.StatusBadRequest {
				t.Errorf("an unknown language: %d", r.Status)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

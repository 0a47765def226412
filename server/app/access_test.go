package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"hrbridge/api"
	"hrbridge/server/app"
	"hrbridge/server/app/apptest"
	"hrbridge/server/auth"
	"hrbridge/server/config"
	"hrbridge/server/httpapi"
	"hrbridge/server/secrets"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

type operation struct {
	method, path, id, perm string
}

// operations lists every operation of openapi.yaml, so that a new endpoint
// is covered by the permission test without anyone remembering to add it.
func operations(t *testing.T) []operation {
	doc, err := api.GetSwagger()
	if err != nil {
		t.Fatal(err)
	}
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, operation{method, path, op.OperationID, httpapi.Permission(op)})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	if len(ops) < 20 {
		t.Fatalf("only %d operations in the spec", len(ops))
	}
	return ops
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

func (o operation) url() string {
	return httpapi.APIPrefix + pathParam.ReplaceAllStringFunc(o.path, func(string) string { return uuid.NewString() })
}

func isProblem(t *testing.T, r apptest.Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p struct {
		Status int
		Detail string
	}
	r.JSON(t, &p)
	if p.Status != status || p.Detail == "" {
		t.Fatalf("incomplete problem: %s", r.Body)
	}
}

func passesAuth(t *testing.T, who string, r apptest.Response) {
	t.Helper()
	if r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden {
		t.Fatalf("%s: refused with %d, want past authentication: %s", who, r.Status, r.Body)
	}
}

// Every operation of the spec, called without credentials, as a viewer, with
// tokens of each scope and as an administrator, answers as its x-permission
// says: 401 without credentials, 403 for a role or scope that is not enough
// or for a session's unsafe request without the CSRF header, and past
// authentication (anything but 401/403) otherwise.
func TestEveryOperationEnforcesItsPermission(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			readTok := env.Token(t, auth.ScopeRead)
			importTok := env.Token(t, auth.ScopeImport)
			bothTok := env.Token(t, auth.ScopeRead, auth.ScopeImport)
			// An import token whose owner is (now) a viewer may not import.
			env.CreateUser(t, apptest.ViewerEmail, auth.RoleViewer)
			viewer := env.Viewer(t)
			_, viewerImportTok, err := env.App.Auth.CreateToken(context.Background(), principalOf(t, env, apptest.ViewerEmail), "viewer's", []string{auth.ScopeImport}, nil)
			if err != nil {
				t.Fatal(err)
			}
			_ = viewer
			seen := map[string]bool{}
			for _, op := range operations(t) {
				seen[op.perm] = true
				t.Run(op.id, func(t *testing.T) {
					unsafe := op.method != http.MethodGet && op.method != http.MethodHead
					// No credentials.
					r := env.Do(t, op.method, op.url(), nil)
					if op.perm == auth.PermPublic {
						passesAuth(t, "anonymous on a public operation", r)
						return
					}
					isProblem(t, r, http.StatusUnauthorized)
					if r.Header.Get("WWW-Authenticate") == "" {
						t.Error("401 without WWW-Authenticate")
					}
					// A garbage token and a garbage session are 401 too.
					isProblem(t, env.DoToken(t, "hrb_nope", op.method, op.url(), nil), http.StatusUnauthorized)
					isProblem(t, env.Do(t, op.method, op.url(), nil, "Cookie", "hrbridge_session=nope"), http.StatusUnauthorized)

					// A viewer's session (a new one: logout ends it).
					r = env.Viewer(t).Do(t, op.method, op.url(), nil)
					if op.perm == auth.PermImport || op.perm == auth.PermAdmin {
						isProblem(t, r, http.StatusForbidden)
					} else {
						passesAuth(t, "viewer", r)
					}

					// Tokens act as their owner, narrowed by scope; never admin, never logout.
					for _, tc := range []struct {
						name, token string
						allowed     bool
					}{
						{"read token", readTok, op.perm == auth.PermSession || op.perm == auth.PermRead},
						{"import token", importTok, op.perm == auth.PermSession || op.perm == auth.PermRead || op.perm == auth.PermImport},
						{"read+import token", bothTok, op.perm == auth.PermSession || op.perm == auth.PermRead || op.perm == auth.PermImport},
						{"viewer's import token", viewerImportTok, op.perm == auth.PermSession || op.perm == auth.PermRead},
					} {
						if strings.EqualFold(op.id, "logout") {
							tc.allowed = false
						}
						r := env.DoToken(t, tc.token, op.method, op.url(), nil)
						if tc.allowed {
							passesAuth(t, tc.name, r)
						} else {
							isProblem(t, r, http.StatusForbidden)
						}
					}

					// An administrator's session passes; without the CSRF
					// header its unsafe requests do not.
					admin := env.Admin(t)
					if unsafe {
						isProblem(t, admin.Do(t, op.method, op.url(), nil, "X-CSRF-Token", ""), http.StatusForbidden)
						isProblem(t, admin.Do(t, op.method, op.url(), nil, "X-CSRF-Token", "wrong"), http.StatusForbidden)
					}
					passesAuth(t, "admin", admin.Do(t, op.method, op.url(), nil))
				})
			}
			// The diff's refresh=true re-lists both providers: its
			// operation is read, but a refresh needs import (issue 14).
			t.Run("listDiffs?refresh=true", func(t *testing.T) {
				u := "/api/v1/integrations/jobkan/diffs?direction=smarthr_to_jobkan&refresh=true"
				for name, r := range map[string]apptest.Response{
					"viewer":                env.Viewer(t).Do(t, "GET", u, nil),
					"read token":            env.DoToken(t, readTok, "GET", u, nil),
					"viewer's import token": env.DoToken(t, viewerImportTok, "GET", u, nil),
				} {
					isProblem(t, r, http.StatusForbidden)
					if !strings.Contains(string(r.Body), "import permission") {
						t.Errorf("%s: the 403 does not name the permission: %s", name, r.Body)
					}
				}
				for name, r := range map[string]apptest.Response{
					"import token":      env.DoToken(t, importTok, "GET", u, nil),
					"read+import token": env.DoToken(t, bothTok, "GET", u, nil),
					"admin":             env.Admin(t).Do(t, "GET", u, nil),
				} {
					passesAuth(t, name, r)
				}
			})
			for _, p := range []string{auth.PermPublic, auth.PermSession, auth.PermRead, auth.PermImport, auth.PermAdmin} {
				if !seen[p] {
					t.Errorf("no operation has x-permission %s: the test is not covering it", p)
				}
			}
		})
	}
}

func principalOf(t *testing.T, env *apptest.Env, email string) auth.Principal {
	u, err := env.App.Store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return auth.Principal{UserID: u.ID, Email: u.Email, Role: u.Role, Via: auth.ViaSession}
}

func TestLoginSessionAndLogout(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			env.CreateUser(t, "Taro@Example.com", auth.RoleAdmin)
			// E-mails are matched without case.
			s := env.Login(t, "taro@example.COM", apptest.Password)
			if s.Me["email"] != "taro@example.com" || s.Me["role"] != "admin" || s.Me["auth"] != "session" {
				t.Errorf("login answered %v", s.Me)
			}
			r := s.Do(t, "GET", "/api/v1/me", nil)
			if r.Status != 200 {
				t.Fatalf("me: %d %s", r.Status, r.Body)
			}

			// The cookies' attributes.
			jar, _ := cookiejar.New(nil)
			c := &http.Client{Jar: jar}
			res, err := c.Post(env.URL+"/api/v1/auth/login", "application/json",
				strings.NewReader(`{"email":"taro@example.com","password":"`+apptest.Password+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			cookies := map[string]*http.Cookie{}
			for _, ck := range res.Cookies() {
				cookies[ck.Name] = ck
			}
			sess, csrf := cookies["hrbridge_session"], cookies["hrbridge_csrf"]
			if sess == nil || csrf == nil {
				t.Fatalf("cookies set: %v", res.Header.Values("Set-Cookie"))
			}
			if !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/" || sess.Secure {
				t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", sess)
			}
			if csrf.HttpOnly || csrf.SameSite != http.SameSiteStrictMode || csrf.Path != "/" {
				t.Errorf("CSRF cookie %+v: want readable by scripts, SameSite=Strict, Path=/", csrf)
			}
			if sess.MaxAge < 6*24*3600 || sess.MaxAge > 7*24*3600 {
				t.Errorf("session cookie Max-Age %d, want the 7-day absolute lifetime", sess.MaxAge)
			}

			// Behind a TLS-terminating proxy the cookies are Secure.
			req, _ := http.NewRequest("POST", env.URL+"/api/v1/auth/login",
				strings.NewReader(`{"email":"taro@example.com","password":"`+apptest.Password+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-Proto", "https")
			res, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			for _, ck := range res.Cookies() {
				if !ck.Secure {
					t.Errorf("cookie %s not Secure behind https", ck.Name)
				}
			}

			// Wrong password and unknown e-mail: the same 401.
			for _, body := range []map[string]string{
				{"email": "taro@example.com", "password": "wrong password"},
				{"email": "nobody@example.com", "password": apptest.Password},
			} {
				r := env.Do(t, "POST", "/api/v1/auth/login", body)
				isProblem(t, r, 401)
				if !strings.Contains(string(r.Body), "Wrong e-mail or password") {
					t.Errorf("failed login says %s", r.Body)
				}
			}

			// Logout revokes the session server-side: the old cookie is dead.
			cookie := s.Cookie("hrbridge_session")
			if r := s.Do(t, "POST", "/api/v1/auth/logout", nil); r.Status != 204 {
				t.Fatalf("logout: %d %s", r.Status, r.Body)
			}
			isProblem(t, env.Do(t, "GET", "/api/v1/me", nil, "Cookie", "hrbridge_session="+cookie), 401)
			if s.Cookie("hrbridge_session") != "" {
				t.Error("logout did not clear the session cookie")
			}
		})
	}
}

// A session id planted before sign-in is never the one signed in with, and
// signing in again from the same browser ends the previous session.
func TestSessionFixation(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			env.CreateUser(t, apptest.AdminEmail, auth.RoleAdmin)
			jar, _ := cookiejar.New(nil)
			u, _ := url.Parse(env.URL)
			planted := auth.RandomToken()
			jar.SetCookies(u, []*http.Cookie{{Name: "hrbridge_session", Value: planted, Path: "/"}})
			c := &http.Client{Jar: jar}
			login := func() string {
				res, err := c.Post(env.URL+"/api/v1/auth/login", "application/json",
					strings.NewReader(`{"email":"`+apptest.AdminEmail+`","password":"`+apptest.Password+`"}`))
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Fatalf("login: %d", res.StatusCode)
				}
				for _, ck := range jar.Cookies(u) {
					if ck.Name == "hrbridge_session" {
						return ck.Value
					}
				}
				t.Fatal("no session cookie")
				return ""
			}
			first := login()
			if first == planted {
				t.Fatal("the planted session id was kept")
			}
			isProblem(t, env.Do(t, "GET", "/api/v1/me", nil, "Cookie", "hrbridge_session="+planted), 401)
			second := login()
			if second == first {
				t.Fatal("signing in again kept the session id")
			}
			isProblem(t, env.Do(t, "GET", "/api/v1/me", nil, "Cookie", "hrbridge_session="+first), 401)
			if r := env.Do(t, "GET", "/api/v1/me", nil, "Cookie", "hrbridge_session="+second); r.Status != 200 {
				t.Fatalf("new session: %d %s", r.Status, r.Body)
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			admin := env.Admin(t)
			other := env.Admin(t) // another session's token is not this one's
			body := map[string]any{"name": "ci", "scopes": []string{"read"}}
			for name, hdr := range map[string]string{"none": "", "wrong": "x", "another session's": other.Cookie("hrbridge_csrf")} {
				r := admin.Do(t, "POST", "/api/v1/api-tokens", body, "X-CSRF-Token", hdr)
				isProblem(t, r, 403)
				if !strings.Contains(string(r.Body), "X-CSRF-Token") {
					t.Errorf("%s: the 403 does not name the header: %s", name, r.Body)
				}
			}
			// Safe methods need none.
			if r := admin.Do(t, "GET", "/api/v1/api-tokens", nil); r.Status != 200 {
				t.Fatalf("GET: %d %s", r.Status, r.Body)
			}
			if r := admin.Do(t, "POST", "/api/v1/api-tokens", body); r.Status != 201 {
				t.Fatalf("with the header: %d %s", r.Status, r.Body)
			}
			// Sign-in itself cannot be forged by another site's form: only
			// application/json is accepted, which a form cannot send and a
			// cross-origin script cannot either without CORS, which is off.
			for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
				r := env.Do(t, "POST", "/api/v1/auth/login", `{"email":"`+apptest.AdminEmail+`","password":"`+apptest.Password+`"}`, "Content-Type", ct)
				if r.Status == 200 || len(r.Header.Values("Set-Cookie")) > 0 {
					t.Errorf("login with Content-Type %s: %d, cookies %v", ct, r.Status, r.Header.Values("Set-Cookie"))
				}
			}
			// Bearer tokens need none: they are not sent by browsers on their own.
			tok := env.Token(t, auth.ScopeImport)
			r := env.DoToken(t, tok, "POST", "/api/v1/imports", map[string]any{"integration": "jobkan"})
			passesAuth(t, "token without CSRF header", r)
		})
	}
}

func TestExpiredAndRevokedSessions(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			db := env.App.Store.DB
			for _, tc := range []struct {
				name   string
				expire func(id string) error
			}{
				{"absolute expiry", func(id string) error {
					return db.Model(&store.Session{}).Where("id = ?", id).Update("expires_at", time.Now().UTC().Add(-time.Second)).Error
				}},
				{"idle for 12 hours", func(id string) error {
					return db.Model(&store.Session{}).Where("id = ?", id).Update("last_seen_at", time.Now().UTC().Add(-12*time.Hour-time.Second)).Error
				}},
				{"revoked", func(id string) error {
					return db.Model(&store.Session{}).Where("id = ?", id).Update("revoked_at", time.Now().UTC()).Error
				}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					s := env.Admin(t)
					if r := s.Do(t, "GET", "/api/v1/me", nil); r.Status != 200 {
						t.Fatalf("fresh session: %d", r.Status)
					}
					if err := tc.expire(auth.HashToken(s.Cookie("hrbridge_session"))); err != nil {
						t.Fatal(err)
					}
					r := s.Do(t, "GET", "/api/v1/me", nil)
					isProblem(t, r, 401)
					if s.Cookie("hrbridge_session") != "" {
						t.Error("the 401 did not clear the dead session's cookie")
					}
				})
			}
			// Activity keeps a session alive: last_seen_at moves (at most once a minute).
			s := env.Admin(t)
			id := auth.HashToken(s.Cookie("hrbridge_session"))
			old := time.Now().UTC().Add(-11 * time.Hour)
			if err := db.Model(&store.Session{}).Where("id = ?", id).Update("last_seen_at", old).Error; err != nil {
				t.Fatal(err)
			}
			s.Do(t, "GET", "/api/v1/me", nil)
			var se store.Session
			if err := db.Where("id = ?", id).Take(&se).Error; err != nil {
				t.Fatal(err)
			}
			if !se.LastSeenAt.After(old.Add(time.Hour)) {
				t.Errorf("last_seen_at %v not moved by a request", se.LastSeenAt)
			}
		})
	}
}

func TestAPITokens(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			admin := env.Admin(t)
			exp := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Second)
			r := admin.Do(t, "POST", "/api/v1/api-tokens", map[string]any{"name": "勤怠連携", "scopes": []string{"import", "read"}, "expires_at": exp})
			if r.Status != 201 {
				t.Fatalf("create: %d %s", r.Status, r.Body)
			}
			var created api.ApiTokenCreated
			r.JSON(t, &created)
			if !strings.HasPrefix(created.Token, "hrb_") || len(created.Token) < 40 || created.Prefix == nil || !strings.HasPrefix(created.Token, *created.Prefix) {
				t.Fatalf("token %q prefix %v", created.Token, created.Prefix)
			}
			if string(created.CreatedBy) != apptest.AdminEmail || created.ExpiresAt == nil || !created.ExpiresAt.Equal(exp) ||
				fmt.Sprint(created.Scopes) != "[read import]" {
				t.Errorf("created %+v", created)
			}
			// The token acts as its owner.
			r = env.DoToken(t, created.Token, "GET", "/api/v1/me", nil)
			var me api.Me
			r.JSON(t, &me)
			if r.Status != 200 || me.Auth != "token" || string(me.Email) != apptest.AdminEmail || me.Scopes == nil || len(*me.Scopes) != 2 {
				t.Fatalf("me with token: %d %s", r.Status, r.Body)
			}
			// Listed without its secret, with its last use.
			r = admin.Do(t, "GET", "/api/v1/api-tokens", nil)
			if r.Status != 200 || strings.Contains(string(r.Body), created.Token) {
				t.Fatalf("list: %d %s", r.Status, r.Body)
			}
			var page api.ApiTokenPage
			r.JSON(t, &page)
			if len(page.Items) != 1 || page.Items[0].LastUsedAt == nil {
				t.Fatalf("list: %s", r.Body)
			}
			// last_used_at is written at most once a minute.
			first := *page.Items[0].LastUsedAt
			env.DoToken(t, created.Token, "GET", "/api/v1/me", nil)
			var row store.APIToken
			env.App.Store.DB.Where("id = ?", created.Id.String()).Take(&row)
			if row.LastUsedAt == nil || !row.LastUsedAt.Equal(first) {
				t.Errorf("last_used_at rewritten within a minute: %v then %v", first, row.LastUsedAt)
			}

			// Expired: 401.
			if err := env.App.Store.DB.Model(&store.APIToken{}).Where("id = ?", created.Id.String()).
				Update("expires_at", time.Now().UTC().Add(-time.Second)).Error; err != nil {
				t.Fatal(err)
			}
			// A verified token is trusted for auth.TokenCacheFor; an expiry
			// written behind the service's back is seen once that has passed.
			time.Sleep(auth.TokenCacheFor)
			isProblem(t, env.DoToken(t, created.Token, "GET", "/api/v1/me", nil), 401)

			// Revoked: 401 at once; revoking again is fine; an unknown id is 404.
			tok := env.Token(t, auth.ScopeRead)
			var id string
			for _, it := range listTokens(t, admin) {
				if it.RevokedAt == nil && it.Name == "test read" {
					id = it.Id.String()
				}
			}
			if r := env.DoToken(t, tok, "GET", "/api/v1/me", nil); r.Status != 200 {
				t.Fatalf("fresh token: %d", r.Status)
			}
			for i := 0; i < 2; i++ {
				if r := admin.Do(t, "DELETE", "/api/v1/api-tokens/"+id, nil); r.Status != 204 {
					t.Fatalf("revoke: %d %s", r.Status, r.Body)
				}
			}
			isProblem(t, env.DoToken(t, tok, "GET", "/api/v1/me", nil), 401)
			isProblem(t, admin.Do(t, "DELETE", "/api/v1/api-tokens/"+uuid.NewString(), nil), 404)

			// Bad input.
			r = admin.Do(t, "POST", "/api/v1/api-tokens", map[string]any{"name": "old", "scopes": []string{"read"}, "expires_at": time.Now().Add(-time.Hour)})
			isProblem(t, r, 422)
			isProblem(t, admin.Do(t, "POST", "/api/v1/api-tokens", map[string]any{"name": "x", "scopes": []string{"admin"}}), 400)
			isProblem(t, admin.Do(t, "POST", "/api/v1/api-tokens", map[string]any{"name": "x", "scopes": []string{}}), 400)
			isProblem(t, env.Do(t, "GET", "/api/v1/me", nil, "Authorization", "Basic YTpi"), 401)
			isProblem(t, env.Do(t, "GET", "/api/v1/me", nil, "Authorization", "Bearer "+created.Token[:20]), 401)

			// Paging: newest first, every token once.
			for i := 0; i < 5; i++ {
				admin.Do(t, "POST", "/api/v1/api-tokens", map[string]any{"name": "p" + strconv.Itoa(i), "scopes": []string{"read"}})
			}
			all := listTokens(t, admin)
			var names []string
			seen := map[string]bool{}
			for _, it := range all {
				if seen[it.Id.String()] {
					t.Fatalf("token %s listed twice", it.Id)
				}
				seen[it.Id.String()] = true
				names = append(names, it.Name)
			}
			if len(all) != 7 || names[0] != "p4" || names[6] != "勤怠連携" {
				t.Errorf("paged list: %v", names)
			}
			isProblem(t, admin.Do(t, "GET", "/api/v1/api-tokens?cursor=bogus", nil), 400)
		})
	}
}

func listTokens(t *testing.T, s *apptest.Session) []api.ApiToken {
	var out []api.ApiToken
	cursor := ""
	for i := 0; i < 20; i++ {
		r := s.Do(t, "GET", "/api/v1/api-tokens?limit=2&cursor="+url.QueryEscape(cursor), nil)
		if r.Status != 200 {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
		var p api.ApiTokenPage
		r.JSON(t, &p)
		out = append(out, p.Items...)
		if p.NextCursor == nil {
			return out
		}
		cursor = *p.NextCursor
	}
	t.Fatal("paging does not end")
	return nil
}

func TestLoginThrottling(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			env.CreateUser(t, apptest.AdminEmail, auth.RoleAdmin)
			login := func(email, pw string) apptest.Response {
				return env.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": pw})
			}
			// Per account: 5 failures in 15 minutes, then even the right password waits.
			for i := 0; i < auth.DefaultAccountLimit; i++ {
				isProblem(t, login(apptest.AdminEmail, "wrong"), 401)
			}
			r := login(apptest.AdminEmail, apptest.Password)
			isProblem(t, r, 429)
			ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
			if err != nil || ra < 1 || ra > 15*60 {
				t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
			}
			// Other accounts from this address still may (until the address limit).
			env.CreateUser(t, "other@test.example", auth.RoleViewer)
			if r := login("other@test.example", apptest.Password); r.Status != 200 {
				t.Fatalf("another account: %d %s", r.Status, r.Body)
			}
			// The window passing lets the account in again.
			if err := env.App.Store.DB.Model(&store.LoginFailure{}).Where("email = ?", apptest.AdminEmail).
				Update("created_at", time.Now().UTC().Add(-16*time.Minute)).Error; err != nil {
				t.Fatal(err)
			}
			if r := login(apptest.AdminEmail, apptest.Password); r.Status != 200 {
				t.Fatalf("after the window: %d %s", r.Status, r.Body)
			}
			// Per address: 20 failures in 15 minutes, whatever the accounts.
			for i := 0; i < auth.DefaultAddressLimit; i++ {
				isProblem(t, login(fmt.Sprintf("guess%d@test.example", i), "wrong"), 401)
			}
			env.CreateUser(t, "newcomer@test.example", auth.RoleViewer)
			isProblem(t, login("newcomer@test.example", apptest.Password), 429)
			// An account that signed in from this address before is not held
			// back by the address's limit (only by its own).
			if r := login("other@test.example", apptest.Password); r.Status != 200 {
				t.Errorf("a user known at this address: %d %s", r.Status, r.Body)
			}
			// X-Forwarded-For does not buy a new address: no proxy is trusted.
			r = env.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "newcomer@test.example", "password": apptest.Password}, "X-Forwarded-For", "203.0.113.9")
			isProblem(t, r, 429)

			// The failures are audited with the e-mail tried.
			var n int64
			env.App.Store.DB.Model(&store.AuditEvent{}).Where("action = ?", "login.failed").Count(&n)
			if n != int64(auth.DefaultAccountLimit+auth.DefaultAddressLimit) {
				t.Errorf("%d login.failed events", n)
			}
		})
	}
}

func TestAuditEvents(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			env.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": apptest.AdminEmail, "password": "nope"})
			admin := env.Admin(t)
			tok := env.Token(t, auth.ScopeRead)
			_ = tok
			list := listTokens(t, admin)
			admin.Do(t, "DELETE", "/api/v1/api-tokens/"+list[0].Id.String(), nil)
			v := env.Viewer(t)
			v.Do(t, "POST", "/api/v1/auth/logout", nil)
			admin.Do(t, "PUT", "/api/v1/integrations/jobkan/connection", connectionBody("smarthr-secret-value", "jobkan-secret-value"))

			var events []api.AuditEvent
			cursor := ""
			for {
				r := admin.Do(t, "GET", "/api/v1/audit-events?limit=3&cursor="+url.QueryEscape(cursor), nil)
				if r.Status != 200 {
					t.Fatalf("audit: %d %s", r.Status, r.Body)
				}
				var p api.AuditEventPage
				r.JSON(t, &p)
				events = append(events, p.Items...)
				if p.NextCursor == nil {
					break
				}
				cursor = *p.NextCursor
			}
			var actions []string
			for i, e := range events {
				actions = append(actions, e.Action+" "+e.Actor)
				if i > 0 && e.CreatedAt.After(events[i-1].CreatedAt) {
					t.Errorf("not newest first at %d", i)
				}
				if e.Ip == nil || *e.Ip != "127.0.0.1" {
					t.Errorf("%s: ip %v", e.Action, e.Ip)
				}
			}
			got := strings.Join(actions, "\n")
			for _, want := range []string{
				"login.failed " + apptest.AdminEmail,
				"login.succeeded " + apptest.AdminEmail,
				"api_token.created " + apptest.AdminEmail,
				"api_token.revoked " + apptest.AdminEmail,
				"login.succeeded " + apptest.ViewerEmail,
				"logout " + apptest.ViewerEmail,
				"connection.updated " + apptest.AdminEmail,
			} {
				if !strings.Contains(got, want) {
					t.Errorf("no %q in the audit log:\n%s", want, got)
				}
			}
			if strings.Contains(fmt.Sprint(events), "secret-value") {
				t.Error("a secret is in the audit log")
			}
			isProblem(t, admin.Do(t, "GET", "/api/v1/audit-events?cursor=bogus", nil), 400)
		})
	}
}

func connectionBody(smarthrToken, jobkanSecret string) map[string]any {
	return map[string]any{
		"smarthr": map[string]any{"base_url": "https://tenant.smarthr.jp/api", "access_token": smarthrToken},
		"jobkan": map[string]any{"api_url": "https://api.jobkan.example", "token_url": "https://api.jobkan.example/oauth/token",
			"client_id": "client", "client_secret": jobkanSecret},
		"use_business_name": false,
		"employment_types":  []any{},
	}
}

// The database holds no password, session id, CSRF token, API token or
// provider secret in the clear: every column of every table is read back
// and searched.
func TestNoPlaintextSecretsInTheDatabase(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			admin := env.Admin(t)
			tok := env.Token(t, auth.ScopeRead, auth.ScopeImport)
			env.DoToken(t, tok, "GET", "/api/v1/me", nil)
			const smarthrToken, jobkanSecret = "shr_0123456789abcdefSECRET", "jobkan-client-secret-4711"
			if r := admin.Do(t, "PUT", "/api/v1/integrations/jobkan/connection", connectionBody(smarthrToken, jobkanSecret)); r.Status != 200 {
				t.Fatalf("put connection: %d %s", r.Status, r.Body)
			}
			env.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": apptest.AdminEmail, "password": "a wrong password tried"})
			plain := map[string]string{
				"password":       apptest.Password,
				"wrong password": "a wrong password tried",
				"session cookie": admin.Cookie("hrbridge_session"),
				"CSRF cookie":    admin.Cookie("hrbridge_csrf"),
				"API token":      tok,
				"API token body": strings.TrimPrefix(tok, "hrb_"),
				"SmartHR token":  smarthrToken,
				"Jobkan secret":  jobkanSecret,
				"SmartHR (part)": "0123456789abcdef",
				"Jobkan (part)":  "client-secret-4711",
			}
			tables := []string{"users", "sessions", "api_tokens", "login_failures", "audit_events", "connection_settings"}
			found := 0
			for _, table := range tables {
				rows, err := env.App.Store.SQL.Query("SELECT * FROM " + table)
				if err != nil {
					t.Fatal(err)
				}
				cols, _ := rows.Columns()
				for rows.Next() {
					vals := make([]any, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					if err := rows.Scan(ptrs...); err != nil {
						t.Fatal(err)
					}
					found++
					for i, v := range vals {
						var s string
						switch x := v.(type) {
						case []byte:
							s = string(x)
						case nil:
						default:
							s = fmt.Sprint(x)
						}
						for what, p := range plain {
							if p != "" && strings.Contains(s, p) {
								t.Errorf("%s.%s holds the %s in the clear", table, cols[i], what)
							}
						}
					}
				}
				rows.Close()
			}
			if found < 8 {
				t.Fatalf("only %d rows read: the test is not looking", found)
			}
			// The secret columns are AES-GCM ciphertexts that open with the key.
			var cs store.ConnectionSettings
			if err := env.App.Store.DB.Take(&cs).Error; err != nil {
				t.Fatal(err)
			}
			// (sealed with the origin it was entered for: origin NUL secret)
			if got, err := env.App.Secrets.Decrypt(cs.SmartHRAccessTokenEnc); err != nil || !strings.HasSuffix(got, "\x00"+smarthrToken) {
				t.Errorf("smarthr_access_token_enc does not decrypt: %v", err)
			}
			var hash string
			env.App.Store.SQL.QueryRow("SELECT password_hash FROM users WHERE email = '" + apptest.AdminEmail + "'").Scan(&hash)
			if !strings.HasPrefix(hash, "$argon2id$v=19$") {
				t.Errorf("password hash %q is not argon2id", hash)
			}
			// The API never returns a secret either.
			r := admin.Do(t, "GET", "/api/v1/integrations/jobkan/connection", nil)
			if strings.Contains(string(r.Body), smarthrToken) || strings.Contains(string(r.Body), jobkanSecret) {
				t.Error("GET connection returns a secret")
			}
		})
	}
}

// After a key rotation (new HRBRIDGE_SECRET_KEY, old one in
// HRBRIDGE_SECRET_KEY_PREVIOUS) the next start re-encrypts the stored
// secrets with the new key, so that the old key can then be dropped.
func TestSecretKeyRotation(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := apptest.Start(t, d)
			if r := env.Admin(t).Do(t, "PUT", "/api/v1/integrations/jobkan/connection", connectionBody("token-before-rotation", "secret-before-rotation")); r.Status != 200 {
				t.Fatalf("put: %d %s", r.Status, r.Body)
			}
			cfg := env.Cfg
			cfg.SecretKeyPrevious = []string{cfg.SecretKey}
			cfg.SecretKey = "a new key passphrase that is long enough"
			a2, err := app.New(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			a2.Close(context.Background())
			newOnly, _ := secrets.New(cfg.SecretKey)
			var cs store.ConnectionSettings
			if err := env.App.Store.DB.Take(&cs).Error; err != nil {
				t.Fatal(err)
			}
			for col, ct := range map[string][]byte{"smarthr": cs.SmartHRAccessTokenEnc, "jobkan": cs.JobkanClientSecretEnc} {
				if !newOnly.IsCurrent(ct) {
					t.Errorf("%s secret not re-encrypted with the new key", col)
				}
				if _, err := newOnly.Decrypt(ct); err != nil {
					t.Errorf("%s: %v", col, err)
				}
			}
			var n int64
			env.App.Store.DB.Model(&store.AuditEvent{}).Where("action = ?", "secrets.reencrypted").Count(&n)
			if n != 1 {
				t.Errorf("%d secrets.reencrypted events", n)
			}
		})
	}
}

func TestSecurityHeadersAndBodyLimit(t *testing.T) {
	env := apptest.Start(t, store.SQLite)
	for _, p := range []string{"/", "/api/v1/openapi.yaml", "/api/v1/me", "/api/docs"} {
		r := env.Do(t, "GET", p, nil)
		h := r.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", p, csp, want)
			}
		}
		if strings.Contains(strings.SplitN(csp[strings.Index(csp, "script-src"):], ";", 2)[0], "unsafe") {
			t.Errorf("%s: scripts may be unsafe: %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", p, h)
		}
		if h.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: CORS header sent", p)
		}
	}
	big := `{"email":"a@b.jp","password":"` + strings.Repeat("x", httpapi.MaxBodyBytes) + `"}`
	isProblem(t, env.Do(t, "POST", "/api/v1/auth/login", big), 413)
}

// The sandbox's first administrator: created once, its password printed once.
func TestFirstAdministratorFromEnvironment(t *testing.T) {
	env := apptest.Start(t, store.SQLite, func(c *config.Config) {
		c.AdminEmail, c.AdminPassword = "Boss@Example.com", "boss password 1"
	})
	s := env.Login(t, "boss@example.com", "boss password 1")
	if s.Me["role"] != "admin" {
		t.Errorf("first user: %v", s.Me)
	}
	// A second start does not add or change anyone.
	cfg := env.Cfg
	cfg.AdminEmail, cfg.AdminPassword = "someone@example.com", "another password"
	a2, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	a2.Close(context.Background())
	if n, _ := env.App.Store.CountUsers(context.Background()); n != 1 {
		t.Errorf("%d users after a second start", n)
	}
}

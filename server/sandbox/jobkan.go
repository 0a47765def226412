package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// jobkanSim simulates Jobkan's OAuth token endpoint and employee master.
type jobkanSim struct {
	sim
	emps   []*jemp // ordered by id; ids only grow
	byCode map[string]*jemp
	nextID int64
	tokens map[string]jtoken
}

type jtoken struct {
	expires time.Time
	scopes  map[string]bool
}

const (
	scopeRead  = "employees.read"
	scopeWrite = "employees.write"
)

func newJobkan() *jobkanSim {
	s := &jobkanSim{}
	s.faults = Faults{PerSecond: 5, PerHour: 3000, TokenTTLSeconds: 3600}
	s.d = dialect{rate: func(http.Header, int, int, int) {}, tooMany: jobkanTooMany, serverError: jobkanServerError}
	s.load = func(sc scenario) {
		s.emps = make([]*jemp, 0, len(sc.jobkan))
		s.byCode = make(map[string]*jemp, len(sc.jobkan))
		s.tokens = map[string]jtoken{}
		for i, p := range sc.jobkan {
			e := jempFromPerson(int64(i+1), p)
			s.emps = append(s.emps, e)
			s.byCode[e.code] = e
		}
		s.nextID = int64(len(sc.jobkan) + 1)
	}
	return s
}

func (s *jobkanSim) routes(mux *http.ServeMux, def Options) {
	mux.HandleFunc("POST "+JobkanBase+"/oauth/token", s.token)
	api := JobkanBase + "/master/v1/employees"
	h := func(pattern, scope string, f http.HandlerFunc) { mux.Handle(pattern, s.guard(s.auth(scope, f))) }
	h("GET "+api, scopeRead, s.list)
	h("POST "+api, scopeWrite, s.create)
	h("GET "+api+"/{code}", scopeRead, s.get)
	h("PUT "+api+"/{code}", scopeWrite, s.update)
	h(JobkanBase+"/master/", "", func(w http.ResponseWriter, r *http.Request) {
		jobkanError(w, http.StatusNotFound, "not_found", "指定されたリソースは存在しません")
	})
	s.controls(mux, JobkanBase, def)
	mux.HandleFunc("POST "+JobkanBase+"/_sandbox/expire_tokens", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]int{"expired": s.expireTokens()})
	})
}

// Jobkan's API error body (modelled): {"error": {"code", "message"}}.
func jobkanError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func jobkanTooMany(w http.ResponseWriter, retry int) {
	w.Header().Set("Retry-After", strconv.Itoa(retry))
	jobkanError(w, http.StatusTooManyRequests, "too_many_requests", "リクエスト回数が上限を超えました。時間をおいて再度お試しください")
}

func jobkanServerError(w http.ResponseWriter) {
	jobkanError(w, http.StatusInternalServerError, "internal_server_error", "システムエラーが発生しました")
}

// oauthError is RFC 6749's token-endpoint error.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="jobkan"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (s *jobkanSim) token(w http.ResponseWriter, r *http.Request) {
	if !delay(r, s.Faults().LatencyMS) { // latency applies here too; limits and failures do not
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != JobkanClientID || secret != JobkanClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "クライアント認証に失敗しました")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Content-Typeはapplication/x-www-form-urlencodedで指定してください")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "リクエストの形式が正しくありません")
		return
	}
	if r.PostForm.Get("grant_type") != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_typeはclient_credentialsのみ指定できます")
		return
	}
	scopes := map[string]bool{}
	requested := strings.Fields(r.PostForm.Get("scope"))
	if len(requested) == 0 {
		requested = []string{scopeRead}
	}
	for _, sc := range requested {
		if sc != scopeRead && sc != scopeWrite {
			oauthError(w, http.StatusBadRequest, "invalid_scope", "不明なスコープです: "+sc)
			return
		}
		scopes[sc] = true
	}
	buf := make([]byte, 24)
	_, _ = rand.Read(buf)
	tok := hex.EncodeToString(buf)

	s.mu.Lock()
	ttl := s.faults.TokenTTLSeconds
	s.tokens[tok] = jtoken{expires: time.Now().Add(time.Duration(ttl) * time.Second), scopes: scopes}
	s.stats.TokensIssued++
	s.mu.Unlock()

	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "Bearer", "expires_in": ttl, "scope": strings.Join(requested, " "),
	})
}

func (s *jobkanSim) expireTokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.tokens)
	s.tokens = map[string]jtoken{}
	return n
}

func (s *jobkanSim) auth(scope string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		t, known := s.tokens[tok]
		if known && time.Now().After(t.expires) {
			delete(s.tokens, tok)
			known = false
		}
		s.mu.Unlock()
		switch {
		case !ok || !known:
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			jobkanError(w, http.StatusUnauthorized, "invalid_token", "アクセストークンが無効か、有効期限が切れています")
		case scope != "" && !t.scopes[scope]:
			jobkanError(w, http.StatusForbidden, "insufficient_scope", "この操作にはスコープ "+scope+" が必要です")
		default:
			next(w, r)
		}
	}
}

func (s *jobkanSim) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lastID, count := int64(0), 100
	if v := q.Get("last_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			jobkanError(w, http.StatusBadRequest, "invalid_parameter", "last_idは0以上の整数で指定してください")
			return
		}
		lastID = n
	}
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			jobkanError(w, http.StatusBadRequest, "invalid_parameter", "countは1から100までの整数で指定してください")
			return
		}
		count = n
	}
	s.mu.Lock()
	i := sort.Search(len(s.emps), func(i int) bool { return s.emps[i].id > lastID })
	page := s.emps[i:min(i+count, len(s.emps))]
	out := make([]map[string]any, 0, len(page))
	for _, e := range page {
		out = append(out, e.json())
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"employees": out})
}

func (s *jobkanSim) get(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byCode[r.PathValue("code")]
	if !ok {
		jobkanNoSuch(w, r.PathValue("code"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"employee": e.json()})
}

func jobkanNoSuch(w http.ResponseWriter, code string) {
	jobkanError(w, http.StatusNotFound, "not_found", "従業員コード「"+code+"」の従業員は存在しません")
}

func jobkanBody(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	in, ok := readObject(w, r)
	if !ok {
		jobkanError(w, http.StatusBadRequest, "invalid_request", "リクエストボディはJSONオブジェクトで指定してください")
	}
	return in, ok
}

func (s *jobkanSim) create(w http.ResponseWriter, r *http.Request) {
	in, ok := jobkanBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := &jemp{id: s.nextID}
	if errs := e.apply(in, true); errs != nil {
		jobkanError(w, http.StatusBadRequest, "validation_error", strings.Join(errs, "、"))
		return
	}
	if s.rejects(e.code) {
		jobkanRejected(w, e.code)
		return
	}
	if _, dup := s.byCode[e.code]; dup {
		jobkanError(w, http.StatusConflict, "duplicate_code", "従業員コード「"+e.code+"」は既に使用されています")
		return
	}
	if other := s.emailHolder(e.email, e); other != nil {
		jobkanEmailTaken(w, e.email)
		return
	}
	s.nextID++
	s.emps = append(s.emps, e)
	s.byCode[e.code] = e
	s.wrote(e.code, true)
	writeJSON(w, http.StatusCreated, map[string]any{"employee": e.json()})
}

func (s *jobkanSim) update(w http.ResponseWriter, r *http.Request) {
	in, ok := jobkanBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	code := r.PathValue("code")
	e, ok := s.byCode[code]
	if !ok {
		jobkanNoSuch(w, code)
		return
	}
	if s.rejects(e.code) {
		jobkanRejected(w, e.code)
		return
	}
	next := *e
	if errs := next.apply(in, false); errs != nil {
		jobkanError(w, http.StatusBadRequest, "validation_error", strings.Join(errs, "、"))
		return
	}
	if other, dup := s.byCode[next.code]; dup && other != e {
		jobkanError(w, http.StatusConflict, "duplicate_code", "従業員コード「"+next.code+"」は既に使用されています")
		return
	}
	if next.email != e.email && s.emailHolder(next.email, e) != nil {
		jobkanEmailTaken(w, next.email)
		return
	}
	delete(s.byCode, e.code)
	*e = next
	s.byCode[e.code] = e
	s.wrote(e.code, false)
	writeJSON(w, http.StatusOK, map[string]any{"employee": e.json()})
}

// jobkanRejected answers a write refused by the reject_writes fault.
func jobkanRejected(w http.ResponseWriter, code string) {
	jobkanError(w, http.StatusBadRequest, "validation_error", "従業員コード「"+code+"」の従業員情報に登録できない値が含まれています")
}

// emailHolder is the staff member other than self whose e-mail is email
// (compared without regard to case), if any: Jobkan gives each staff member
// an e-mail that no other has (DESIGN.md §3). Call with mu held.
func (s *jobkanSim) emailHolder(email string, self *jemp) *jemp {
	if email == "" {
		return nil
	}
	for _, o := range s.emps {
		if o != self && strings.EqualFold(o.email, email) {
			return o
		}
	}
	return nil
}

func jobkanEmailTaken(w http.ResponseWriter, email string) {
	jobkanError(w, http.StatusConflict, "duplicate_email", "メールアドレス「"+email+"」は既に他のスタッフが使用しています")
}

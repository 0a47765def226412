package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// smarthrSim simulates SmartHR's crews and employment types.
type smarthrSim struct {
	sim
	crews []*crew // in creation order
	byID  map[string]*crew
}

func newSmartHR() *smarthrSim {
	s := &smarthrSim{}
	s.faults = Faults{PerSecond: 10, PerHour: 5000}
	s.d = dialect{rate: smarthrRate, tooMany: smarthrTooMany, serverError: smarthrServerError}
	s.load = func(sc scenario) {
		s.crews = make([]*crew, 0, len(sc.smarthr))
		s.byID = make(map[string]*crew, len(sc.smarthr))
		for i, p := range sc.smarthr {
			c := crewFromPerson(p, epoch.Add(time.Duration(i)*time.Hour))
			s.crews = append(s.crews, c)
			s.byID[c.id] = c
		}
	}
	return s
}

func (s *smarthrSim) routes(mux *http.ServeMux, def Options) {
	api := SmartHRBase + "/api"
	h := func(pattern string, f http.HandlerFunc) { mux.Handle(pattern, s.guard(smarthrAuth(f))) }
	h("GET "+api+"/v1/crews", s.list)
	h("POST "+api+"/v1/crews", s.create)
	h("GET "+api+"/v1/crews/{id}", s.get)
	h("PATCH "+api+"/v1/crews/{id}", s.update)
	h("GET "+api+"/v1/employment_types", s.employmentTypes)
	h(api+"/", func(w http.ResponseWriter, r *http.Request) { smarthrNotFound(w) })
	s.controls(mux, SmartHRBase, def)
}

// SmartHR's error body: {"code", "type", "message", "errors"}.
func smarthrError(w http.ResponseWriter, status, code int, typ, msg string, errs []fieldError) {
	body := map[string]any{"code": code, "type": typ, "message": msg, "errors": nil}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	writeJSON(w, status, body)
}

func smarthrBadRequest(w http.ResponseWriter, msg string, errs ...fieldError) {
	smarthrError(w, http.StatusBadRequest, 1, "bad_request", msg, errs)
}

func smarthrNotFound(w http.ResponseWriter) {
	smarthrError(w, http.StatusNotFound, 4, "not_found", "リソースが見つかりません", nil)
}

// smarthrTooMany is SmartHR's 429. x-rate-limit-reset (set by smarthrRate)
// is SmartHR's documented header; Retry-After is modelled (the standard
// header, which a client must honour too).
func smarthrTooMany(w http.ResponseWriter, retry int) {
	if retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retry))
	}
	smarthrError(w, http.StatusTooManyRequests, 6, "too_many_requests",
		"リクエスト数が上限を超えました。しばらく時間をおいてから再度お試しください", nil)
}

func smarthrServerError(w http.ResponseWriter) {
	smarthrError(w, http.StatusInternalServerError, 5, "internal_server_error", "サーバーでエラーが発生しました", nil)
}

func smarthrRate(h http.Header, limit, remaining, reset int) {
	if limit > 0 {
		h.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
		h.Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
		h.Set("X-Rate-Limit-Reset", strconv.Itoa(reset)) // seconds until it resets
	}
}

func smarthrAuth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+SmartHRToken {
			smarthrError(w, http.StatusUnauthorized, 2, "unauthorized_token", "アクセストークンが無効です", nil)
			return
		}
		next(w, r)
	}
}

// paging reads page and per_page as SmartHR does (per_page 1..100, default 10).
func paging(q url.Values) (page, perPage int, msg string) {
	page, perPage = 1, 10
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, "pageは1以上の整数で指定してください"
		}
		page = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return 0, 0, "per_pageは1から100までの整数で指定してください"
		}
		perPage = n
	}
	return page, perPage, ""
}

// paginate writes x-total-count and Link (first, prev, next, last) and
// returns the bounds of the page.
func paginate(w http.ResponseWriter, r *http.Request, total, page, perPage int) (from, to int) {
	last := max(1, (total+perPage-1)/perPage)
	link := func(p int, rel string) string {
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(perPage))
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		return fmt.Sprintf(`<%s://%s%s?%s>; rel="%s"`, scheme, r.Host, r.URL.Path, q.Encode(), rel)
	}
	links := []string{link(1, "first")}
	if page > 1 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"))
	}
	links = append(links, link(last, "last"))
	w.Header().Set("Link", strings.Join(links, ", "))
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	from = min((page-1)*perPage, total)
	return from, min(from+perPage, total)
}

var crewSorts = []string{"emp_code", "entered_at", "birth_at", "last_name_yomi", "created_at", "updated_at"}

func (s *smarthrSim) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, perPage, msg := paging(q)
	if msg != "" {
		smarthrBadRequest(w, msg)
		return
	}
	sortKey := q.Get("sort")
	desc := strings.HasPrefix(sortKey, "-")
	sortKey = strings.TrimPrefix(sortKey, "-")
	if sortKey != "" && !contains(crewSorts, sortKey) {
		smarthrBadRequest(w, "sortに指定できない値です: "+q.Get("sort"))
		return
	}

	s.mu.Lock()
	matches := s.crews
	if q.Has("emp_code") {
		code := q.Get("emp_code")
		matches = nil
		for _, c := range s.crews {
			if c.attrs["emp_code"] == code {
				matches = append(matches, c)
			}
		}
	}
	if sortKey != "" {
		matches = slices.Clone(matches)
		slices.SortStableFunc(matches, func(a, b *crew) int {
			n := strings.Compare(sortValue(a, sortKey), sortValue(b, sortKey))
			if desc {
				return -n
			}
			return n
		})
	}
	from, to := paginate(w, r, len(matches), page, perPage)
	out := make([]map[string]any, 0, to-from)
	for _, c := range matches[from:to] {
		out = append(out, c.json())
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func sortValue(c *crew, key string) string {
	switch key {
	case "created_at":
		return c.created.Format(time.RFC3339Nano)
	case "updated_at":
		return c.updated.Format(time.RFC3339Nano)
	}
	return c.attrs[key]
}

func (s *smarthrSim) get(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.byID[r.PathValue("id")]
	if !ok {
		smarthrNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, c.json())
}

// readAttrs reads a JSON object body, refusing anything else as SmartHR does.
func readAttrs(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	in, ok := readObject(w, r)
	if !ok {
		smarthrBadRequest(w, "リクエストボディはJSONオブジェクトで指定してください")
	}
	return in, ok
}

func (s *smarthrSim) create(w http.ResponseWriter, r *http.Request) {
	in, ok := readAttrs(w, r)
	if !ok {
		return
	}
	now := time.Now()
	c := &crew{id: uuid.NewString(), attrs: map[string]string{}, created: now, updated: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	if errs := c.apply(in, true); errs != nil {
		smarthrBadRequest(w, "入力内容に誤りがあります", errs...)
		return
	}
	if s.rejects(c.attrs["emp_code"]) {
		smarthrRejected(w)
		return
	}
	s.crews = append(s.crews, c)
	s.byID[c.id] = c
	s.wrote(c.writeKey(), true)
	writeJSON(w, http.StatusCreated, c.json())
}

func (s *smarthrSim) update(w http.ResponseWriter, r *http.Request) {
	in, ok := readAttrs(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.byID[r.PathValue("id")]
	if !ok {
		smarthrNotFound(w)
		return
	}
	if s.rejects(c.attrs["emp_code"]) {
		smarthrRejected(w)
		return
	}
	if errs := c.apply(in, false); errs != nil {
		smarthrBadRequest(w, "入力内容に誤りがあります", errs...)
		return
	}
	c.updated = time.Now()
	s.wrote(c.writeKey(), false)
	writeJSON(w, http.StatusOK, c.json())
}

func (s *smarthrSim) employmentTypes(w http.ResponseWriter, r *http.Request) {
	page, perPage, msg := paging(r.URL.Query())
	if msg != "" {
		smarthrBadRequest(w, msg)
		return
	}
	from, to := paginate(w, r, len(employmentTypes), page, perPage)
	out := make([]map[string]any, 0, to-from)
	for _, t := range employmentTypes[from:to] {
		out = append(out, map[string]any{"id": t.id, "name": t.name, "preset_type": t.preset})
	}
	writeJSON(w, http.StatusOK, out)
}

// smarthrRejected answers a write refused by the reject_writes fault.
func smarthrRejected(w http.ResponseWriter) {
	smarthrBadRequest(w, "入力内容に誤りがあります", fieldError{Message: "登録できない値が含まれています", Resource: "crew", Field: "tel_number"})
}

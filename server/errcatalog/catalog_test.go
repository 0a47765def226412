package errcatalog

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"hrbridge/server/problem"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/sync"
)

var japanese = regexp.MustCompile(`[\p{Han}\p{Hiragana}\p{Katakana}、。「」（）！]`)

// wire names people must never read in a headline.
var wireNames = []string{"tel_number", "emp_code", "birth_at", "entered_at", "employment_type_id", "emp_status", "work_kind", "hire_date", "bad_request", "HTTP", "/api/"}

func samples() []Failure {
	at := time.Date(2026, 5, 1, 5, 5, 0, 0, time.UTC)
	return []Failure{
		{},
		{Provider: "smarthr", Fields: []string{"phone", "birth_date"}, RetryAt: &at, Direction: "jobkan_to_smarthr"},
		{Provider: "jobkan", Fields: []string{"last_name"}, Variant: "written", Direction: "smarthr_to_jobkan", Reason: "社員番号「1」が重複"},
	}
}

// Every entry has a Japanese and an English text for the message and the
// advice, with every placeholder filled, in the product's words.
func TestEveryEntryRendersInBothLanguages(t *testing.T) {
	if len(Entries()) < 30 {
		t.Fatalf("only %d entries", len(Entries()))
	}
	for _, e := range Entries() {
		if e.Action == "" {
			t.Errorf("%s: no action", e.Code)
		}
		for _, f := range samples() {
			for _, screen := range []Screen{ScreenImport, ScreenDiff, ScreenTest} {
				for _, lang := range []Lang{Ja, En} {
					m := Render(e.Code, f, lang, screen)
					for _, s := range []string{m.Message, m.Advice} {
						if strings.TrimSpace(s) == "" {
							t.Fatalf("%s %s: empty text", e.Code, lang)
						}
						if strings.ContainsAny(s, "{}") {
							t.Errorf("%s %s: placeholder left in %q", e.Code, lang, s)
						}
						for _, w := range wireNames {
							if strings.Contains(s, w) {
								t.Errorf("%s %s: wire name %q in %q", e.Code, lang, w, s)
							}
						}
						if lang == En && japanese.MatchString(s) {
							t.Errorf("%s en: Japanese in %q", e.Code, s)
						}
						if lang == Ja && (!strings.HasSuffix(s, "。") || strings.ContainsAny(s, "!！()")) {
							t.Errorf("%s ja: %q must end with 。 and use full-width brackets, no ！", e.Code, s)
						}
						if lang == En && !strings.HasSuffix(s, ".") {
							t.Errorf("%s en: %q must end with a full stop", e.Code, s)
						}
					}
					if m.Action != e.Action {
						t.Errorf("%s: action %s, want %s", e.Code, m.Action, e.Action)
					}
				}
			}
		}
	}
}

// The advice fits the cause: each kind of advice says what it must and
// never what belongs to another cause.
func TestAdviceFitsCause(t *testing.T) {
	rules := map[Action]struct{ must, mustNot []string }{
		FixSettings:    {[]string{"連携設定"}, []string{"時間をおいて", "待ってから"}},
		FixPermissions: {[]string{"管理画面"}, []string{"時間をおいて", "待ってから", "正しい値"}},
		CheckAccount:   {[]string{"契約"}, []string{"時間をおいて", "正しい値"}},
		WaitUntil:      {[]string{"待ってから", "直す必要はありません"}, []string{"連携設定", "正しい値", "を直して"}},
		RetryLater:     {[]string{"直す必要はありません"}, []string{"正しい値", "を直して", "権限"}},
		FixSourceData:  {[]string{"で"}, []string{"時間をおいて", "待ってから", "連携設定"}},
		FixTargetData:  {[]string{"直して"}, []string{"時間をおいて", "待ってから"}},
		FixData:        {[]string{"直して"}, []string{"時間をおいて", "待ってから"}},
		ReloadDiff:     {[]string{"差分を再取得"}, []string{"時間をおいて", "連携設定", "正しい値"}},
		Retry:          {[]string{"してください"}, []string{"正しい値", "連携設定", "権限"}},
	}
	for _, e := range Entries() {
		r, ok := rules[e.Action]
		if !ok {
			t.Fatalf("%s: action %q has no rule", e.Code, e.Action)
		}
		for _, f := range samples() {
			m := Render(e.Code, f, Ja, ScreenImport)
			for _, s := range r.must {
				if !strings.Contains(m.Advice, s) {
					t.Errorf("%s (%s): advice %q lacks %q", e.Code, e.Action, m.Advice, s)
				}
			}
			for _, s := range r.mustNot {
				if strings.Contains(m.Advice, s) {
					t.Errorf("%s (%s): advice %q must not say %q", e.Code, e.Action, m.Advice, s)
				}
			}
		}
	}
	// The source system is named where the data is to be corrected.
	m := Render("smarthr.rejected_value", Failure{Fields: []string{"phone"}}, Ja, ScreenImport)
	if !strings.Contains(m.Advice, "ジョブカンで電話番号") {
		t.Errorf("a value SmartHR refused is corrected in Jobkan: %q", m.Advice)
	}
}

// Each cause is classified to the entry whose advice fits it.
func TestClassify(t *testing.T) {
	now := time.Date(2026, 5, 1, 5, 0, 0, 0, time.UTC)
	sh := func(status int, typ string) *httpx.Error {
		return &httpx.Error{Provider: "SmartHR", Method: "PATCH", Path: "/api/v1/crews/1", HTTPStatus: status, Type: typ, Message: "エラー"}
	}
	jk := func(status int, code, path string) *httpx.Error {
		return &httpx.Error{Provider: "Jobkan", Method: "POST", Path: path, HTTPStatus: status, Code: code, Message: "電話番号は数字で入力してください"}
	}
	badTel := sh(400, "bad_request")
	badTel.Fields = []httpx.FieldError{{Field: "tel_number", Message: "は不正な値です"}}
	limited := sh(429, "too_many_requests")
	limited.RetryAfter = 90 * time.Second
	cases := []struct {
		name    string
		err     error
		written []string
		code    string
		action  Action
		fields  string
	}{
		{"SmartHR refuses a phone", badTel, []string{"phone", "birth_date"}, "smarthr.rejected_value", FixSourceData, "phone"},
		{"Jobkan validation names the label", jk(400, "validation_error", "/master/v1/employees"), []string{"phone"}, "jobkan.rejected_value", FixSourceData, "phone"},
		{"Jobkan validation without a label", &httpx.Error{Provider: "Jobkan", HTTPStatus: 400, Code: "validation_error", Message: "登録できない値"}, []string{"last_name", "hired_on"}, "jobkan.rejected_value", FixSourceData, "last_name,hired_on"},
		{"wrong SmartHR token", sh(401, "unauthorized_token"), nil, "smarthr.unauthorized", FixSettings, ""},
		{"wrong Jobkan client", jk(401, "invalid_client", "/oauth/token"), nil, "jobkan.unauthorized", FixSettings, ""},
		{"Jobkan client given as 400", jk(400, "invalid_client", "/sandbox/jobkan/oauth/token"), nil, "jobkan.unauthorized", FixSettings, ""},
		{"Jobkan scope", jk(400, "invalid_scope", "/oauth/token"), nil, "jobkan.forbidden", FixPermissions, ""},
		{"SmartHR forbidden", sh(403, "forbidden"), nil, "smarthr.forbidden", FixPermissions, ""},
		{"SmartHR IP", sh(403, "ip_not_permitted"), nil, "smarthr.ip_not_permitted", FixPermissions, ""},
		{"rate limit", limited, []string{"phone"}, "smarthr.rate_limited", WaitUntil, ""},
		{"outage", sh(500, "internal_server_error"), []string{"phone"}, "smarthr.unavailable", RetryLater, ""},
		{"503", jk(503, "", "/master/v1/employees"), nil, "jobkan.unavailable", RetryLater, ""},
		{"maintenance", sh(503, "service_maintenance"), nil, "smarthr.maintenance", RetryLater, ""},
		{"timeout", &httpx.Error{Provider: "Jobkan", Type: httpx.TypeTimeout}, nil, "jobkan.timeout", RetryLater, ""},
		{"refused", &httpx.Error{Provider: "SmartHR", Type: httpx.TypeNetwork, Err: errors.New("connection refused")}, nil, "smarthr.unreachable", RetryLater, ""},
		{"gone on write", sh(404, "not_found"), []string{"phone"}, "smarthr.not_found", ReloadDiff, ""},
		{"404 listing", sh(404, "not_found"), nil, "smarthr.wrong_url", FixSettings, ""},
		{"duplicate", jk(409, "duplicate_code", "/master/v1/employees"), []string{"phone"}, "jobkan.duplicate", FixTargetData, ""},
		{"duplicate e-mail", jk(409, "duplicate_email", "/master/v1/employees"), []string{"phone"}, "jobkan.duplicate_email", FixTargetData, ""},
		{"plan", sh(400, "plan_limit_exceeded"), []string{"phone"}, "smarthr.plan_limit", CheckAccount, ""},
		{"html", &httpx.Error{Provider: "SmartHR", HTTPStatus: 200, Type: httpx.TypeInvalidResponse}, nil, "smarthr.invalid_response", FixSettings, ""},
		{"settings", problem.Conflict("not configured"), nil, CodeSettings, FixSettings, ""},
		{"other", errors.New("boom"), nil, CodeError, Retry, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, f := Classify(c.err, c.written, now)
			if code != c.code {
				t.Fatalf("code %s, want %s", code, c.code)
			}
			m := Render(code, f, Ja, ScreenImport)
			if m.Action != c.action {
				t.Errorf("action %s, want %s", m.Action, c.action)
			}
			if c.fields != "" && strings.Join(f.Fields, ",") != c.fields {
				t.Errorf("fields %v, want %s", f.Fields, c.fields)
			}
			if m.Detail == "" {
				t.Error("no technical detail")
			}
			if _, known := Lookup(code); !known {
				t.Errorf("%s is not catalogued", code)
			}
		})
	}
	code, f := Classify(badTel, []string{"phone"}, now)
	m := Render(code, f, Ja, ScreenImport)
	if !strings.Contains(m.Message, "電話番号") || strings.Contains(m.Message, "tel_number") || !strings.Contains(m.Detail, "tel_number") {
		t.Errorf("label in the headline, wire name in the detail: %+v", m)
	}
	code, f = Classify(limited, nil, now)
	m = Render(code, f, Ja, ScreenImport)
	if !strings.Contains(m.Advice, "2026/05/01 14:01（日本時間）") {
		t.Errorf("rate limit advice names the time and zone: %q", m.Advice)
	}
	if en := Render(code, f, En, ScreenImport); !strings.Contains(en.Advice, "2026-05-01 14:01 JST") {
		t.Errorf("English: %q", en.Advice)
	}
}

func TestEncodeDecodeAndLegacy(t *testing.T) {
	at := time.Date(2026, 5, 1, 5, 0, 0, 0, time.UTC)
	f := Failure{Provider: "smarthr", HTTPStatus: 429, Fields: []string{"phone"}, RetryAt: &at, Detail: "SmartHR API: …"}
	got := Decode(Encode(f))
	if got.Provider != f.Provider || got.RetryAt == nil || !got.RetryAt.Equal(at) || got.Detail != f.Detail || got.Fields[0] != "phone" {
		t.Fatalf("round trip: %+v", got)
	}
	if got := Decode("[smarthr.bad_request] old text"); got.Detail != "[smarthr.bad_request] old text" {
		t.Fatalf("legacy: %+v", got)
	}
	// An old code still renders with a fitting general entry.
	if m := Render("smarthr.http_502", Failure{}, Ja, ScreenImport); m.Message == "" || m.Code != "smarthr.http_502" {
		t.Fatalf("legacy code: %+v", m)
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"": Ja, "ja": Ja, "en": En, "en-US,en;q=0.9": En, "ja,en;q=0.8": Ja, "fr": Ja} {
		if got := ParseLang(in); got != want {
			t.Errorf("ParseLang(%q) = %s, want %s", in, got, want)
		}
	}
}

var _ = http.StatusOK
var _ = sync.FieldPhone

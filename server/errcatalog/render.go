package errcatalog

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"hrbridge/server/problem"
	"hrbridge/server/providers/httpx"
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/sync"
)

// Zone is the time zone of times in messages, named in every text that
// shows one (日本時間 / JST).
var Zone = time.FixedZone("JST", 9*60*60)

// Classify names a failure: its catalogue code and what its message needs.
// written lists the synced fields being written (nil when the failure is
// not a write: a listing, a connection test).
func Classify(err error, written []string, now time.Time) (string, Failure) {
	var he *httpx.Error
	var p *problem.Problem
	switch {
	case errors.As(err, &he):
		f := Failure{Provider: strings.ToLower(he.Provider), HTTPStatus: he.HTTPStatus, Detail: clip(he.Error(), 2000)}
		f.ProviderCode = strings.Trim(strings.Join([]string{he.Type, he.Code}, " "), " ")
		if f.Provider != "smarthr" && f.Provider != "jobkan" {
			f.Provider = "hrbridge"
		}
		kind := kindOf(he, written != nil)
		switch kind {
		case KindRejectedValue:
			f.Fields = fieldsOf(he)
			if len(f.Fields) == 0 && len(written) > 0 {
				f.Fields, f.Variant = written, "written"
			}
		case KindRateLimited:
			if he.RetryAfter > 0 {
				t := now.Add(he.RetryAfter).UTC()
				f.RetryAt = &t
			}
		}
		return f.Provider + "." + kind, f
	case errors.As(err, &p):
		code := CodeError
		if p.Status >= 400 && p.Status < 500 {
			code = CodeSettings
		}
		return code, Failure{Provider: "hrbridge", HTTPStatus: p.Status, Detail: clip(p.Detail, 2000)}
	case err == nil:
		return CodeError, Failure{}
	}
	return CodeError, Failure{Provider: "hrbridge", Detail: clip(err.Error(), 2000)}
}

func kindOf(he *httpx.Error, write bool) string {
	t := strings.ToLower(he.Type)
	c := strings.ToLower(he.Code)
	token := strings.Contains(he.Path, "/oauth/token")
	switch {
	case t == httpx.TypeTimeout:
		return KindTimeout
	case t == httpx.TypeNetwork:
		return KindUnreachable
	case t == httpx.TypeCanceled:
		return KindError
	case t == "ip_not_permitted" || (he.Provider == smarthr.Provider && c == "15"):
		return KindIPNotPermitted
	case t == "plan_limit_exceeded":
		return KindPlanLimit
	case t == "service_maintenance":
		return KindMaintenance
	case he.HTTPStatus == http.StatusTooManyRequests || t == "too_many_requests":
		return KindRateLimited
	case he.HTTPStatus >= 500:
		return KindUnavailable
	case t == httpx.TypeInvalidResponse:
		return KindInvalidResponse
	case token && (c == "invalid_client" || c == "unauthorized_client"):
		return KindUnauthorized
	case token && c == "invalid_scope":
		return KindForbidden
	case he.HTTPStatus == http.StatusUnauthorized:
		return KindUnauthorized
	case he.HTTPStatus == http.StatusForbidden:
		return KindForbidden
	case he.HTTPStatus == http.StatusNotFound && write:
		return KindNotFound
	case he.HTTPStatus == http.StatusNotFound:
		return KindWrongURL
	case he.HTTPStatus == http.StatusConflict && he.Provider == jobkan.Provider && c == jobkan.ErrorDuplicateEmail:
		return KindDuplicateEmail
	case he.HTTPStatus == http.StatusConflict:
		return KindDuplicate
	case write && (he.HTTPStatus == http.StatusBadRequest || he.HTTPStatus == http.StatusUnprocessableEntity):
		return KindRejectedValue
	case he.HTTPStatus >= 400:
		return KindBadRequest
	}
	return KindError
}

// fieldsOf names the synced fields a provider's error is about: from its
// field errors (wire names), else from field labels in its message.
func fieldsOf(he *httpx.Error) []string {
	seen := map[sync.Field]bool{}
	var out []string
	add := func(f sync.Field) {
		if !seen[f] {
			seen[f] = true
			out = append(out, string(f))
		}
	}
	for _, fe := range he.Fields {
		var f sync.Field
		var ok bool
		if he.Provider == jobkan.Provider {
			f, ok = jobkan.FieldOfWire(fe.Field)
		} else {
			f, ok = smarthr.FieldOfWire(fe.Field)
		}
		if ok {
			add(f)
		}
	}
	if len(out) == 0 {
		for _, fi := range sync.Fields() {
			l := fi.LabelJa
			if utf8.RuneCountInString(l) >= 2 && strings.Contains(he.Message, l) ||
				strings.HasPrefix(he.Message, l+"は") || strings.HasPrefix(he.Message, l+"を") || strings.Contains(he.Message, "、"+l+"は") {
				add(fi.Name)
			}
		}
	}
	return out
}

// Render is code's entry for f, in lang, worded for screen.
func Render(code string, f Failure, lang Lang, screen Screen) Message {
	e, _ := Lookup(code)
	t := e.Ja
	if lang == En {
		t = e.En
	}
	if f.Variant != "" && t.Alt != nil {
		t = *t.Alt
	}
	r := strings.NewReplacer(
		"{provider}", providerName(providerOf(code, f), lang),
		"{source}", providerName(sourceOf(code, f), lang),
		"{fields}", fieldLabels(f.Fields, lang),
		"{wait}", waitText(f.RetryAt, lang),
		"{again}", againText(screen, lang),
		"{Again}", upperFirst(againText(screen, lang)),
		"{reason}", f.Reason,
	)
	return Message{Code: code, Message: r.Replace(t.Message), Advice: r.Replace(t.Advice), Action: e.Action, Detail: detailOf(code, f)}
}

func detailOf(code string, f Failure) string {
	if f.Detail != "" {
		return f.Detail
	}
	return f.Reason
}

// providerOf is the system that answered (or, for conflicts and hrbridge's
// own codes, the target of the direction).
func providerOf(code string, f Failure) string {
	if p, _, _ := strings.Cut(code, "."); p == "smarthr" || p == "jobkan" {
		return p
	}
	switch f.Direction {
	case string(sync.JobkanToSmartHR):
		return "smarthr"
	case string(sync.SmartHRToJobkan):
		return "jobkan"
	}
	if f.Provider == "smarthr" || f.Provider == "jobkan" {
		return f.Provider
	}
	return "smarthr"
}

// sourceOf is where the data comes from: the other system.
func sourceOf(code string, f Failure) string {
	if providerOf(code, f) == "smarthr" {
		return "jobkan"
	}
	return "smarthr"
}

func providerName(p string, lang Lang) string {
	switch {
	case p == "jobkan" && lang == En:
		return "Jobkan"
	case p == "jobkan":
		return "ジョブカン"
	}
	return "SmartHR"
}

// FieldLabels is the fields' labels joined the language's way.
func fieldLabels(fs []string, lang Lang) string {
	if len(fs) == 0 {
		if lang == En {
			return "the employee's data"
		}
		return "従業員情報"
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		if lang == En {
			out[i] = sync.LabelEn(sync.Field(f))
		} else {
			out[i] = sync.LabelJa(sync.Field(f))
		}
	}
	if lang == En {
		return strings.Join(out, ", ")
	}
	return strings.Join(out, "、")
}

// FormatTime is t as messages show it, with its zone named.
func FormatTime(t time.Time, lang Lang) string {
	t = t.In(Zone)
	if lang == En {
		return t.Format("2006-01-02 15:04 MST")
	}
	return t.Format("2006/01/02 15:04") + "（日本時間）"
}

func waitText(t *time.Time, lang Lang) string {
	switch {
	case t != nil && lang == En:
		return "Wait until " + FormatTime(*t, lang)
	case t != nil:
		return FormatTime(*t, lang) + "以降まで待ってから"
	case lang == En:
		return "Wait a while (up to an hour)"
	}
	return "しばらく（長くて1時間ほど）待ってから"
}

func againText(s Screen, lang Lang) string {
	switch {
	case s == ScreenDiff && lang == En:
		return "reload the differences"
	case s == ScreenDiff:
		return "差分を再取得"
	case s == ScreenTest && lang == En:
		return "run the connection test again"
	case s == ScreenTest:
		return "もう一度接続テスト"
	case lang == En:
		return "retry the failed employees"
	}
	return "失敗した従業員を再取り込み"
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// stored is a Failure as kept in import_results.error_message.
type stored struct {
	V int `json:"v"`
	Failure
}

// Encode is f as stored with an import's result (a JSON object marked with
// its version).
func Encode(f Failure) string {
	b, _ := json.Marshal(stored{V: 1, Failure: f})
	return string(b)
}

// Decode reads what Encode stored; any other text (a result stored by an
// earlier version) is the technical detail.
func Decode(s string) Failure {
	if strings.HasPrefix(s, `{"v":1`) {
		var st stored
		if json.Unmarshal([]byte(s), &st) == nil {
			return st.Failure
		}
	}
	return Failure{Detail: s}
}

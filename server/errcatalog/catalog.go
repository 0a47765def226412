// Package errcatalog is the one place that says, to an administrator, what
// went wrong and what to do: every failure hrbridge can report (a provider
// refusing a value, wrong credentials, a rate limit, an outage, a stale
// selection, a conflict) has an entry, keyed by the code the API returns in
// error.code, with a Japanese and an English text. The technical detail (the
// provider, HTTP status, code and message) is kept beside it, never in the
// headline. docs/decisions.md ("Errors for people") explains the choices.
package errcatalog

import (
	"sort"
	"strings"
	"time"
)

// Lang is a language the product speaks.
type Lang string

const (
	Ja Lang = "ja"
	En Lang = "en"
)

// ParseLang reads a stored language or an Accept-Language header: English
// when the first preference is English, Japanese otherwise.
func ParseLang(s string) Lang {
	s = strings.TrimSpace(strings.ToLower(s))
	first, _, _ := strings.Cut(s, ",")
	first, _, _ = strings.Cut(first, ";")
	if first == "en" || strings.HasPrefix(first, "en-") {
		return En
	}
	return Ja
}

// Action is the kind of advice an entry gives; it must fit the cause (a
// wrong token is never "wait and retry", an outage never "fix the data").
type Action string

const (
	FixSourceData  Action = "fix_source_data" // correct the value in the system the data comes from, then import again
	FixTargetData  Action = "fix_target_data" // look at a record in the system being written
	FixData        Action = "fix_data"        // correct 社員番号 on either side
	FixSettings    Action = "fix_settings"    // correct 連携設定
	FixPermissions Action = "fix_permissions" // give the credentials the permission (in the provider's admin screens)
	CheckAccount   Action = "check_account"   // the provider contract (plan) refuses
	WaitUntil      Action = "wait_until"      // a rate limit: wait until a time, then retry
	RetryLater     Action = "retry_later"     // the provider is down or slow: retry later
	ReloadDiff     Action = "reload_diff"     // the data moved: look at the differences again, then import
	Retry          Action = "retry"           // just retry; if it persists, look at the server log
)

// Text is one language's wording of an entry. Placeholders: {provider} (the
// system that answered), {source} (the other one: where the data comes
// from), {fields} (field labels), {wait} (until when), {again} (the retry
// fitting the screen), {reason} (a conflict's own explanation).
type Text struct {
	Message string
	Advice  string
	// Alt is used instead when the failure's Variant is set (e.g. a create
	// rather than an update).
	Alt *Text
}

// Entry is one catalogued failure.
type Entry struct {
	Code   string
	Action Action
	Ja, En Text
}

// Provider codes: each is catalogued for both providers as
// "smarthr.<kind>" and "jobkan.<kind>".
const (
	KindRejectedValue   = "rejected_value"
	KindNotFound        = "not_found"
	KindDuplicate       = "duplicate"
	KindDuplicateEmail  = "duplicate_email"
	KindWrongURL        = "wrong_url"
	KindUnauthorized    = "unauthorized"
	KindForbidden       = "forbidden"
	KindIPNotPermitted  = "ip_not_permitted"
	KindPlanLimit       = "plan_limit"
	KindRateLimited     = "rate_limited"
	KindMaintenance     = "maintenance"
	KindUnavailable     = "unavailable"
	KindTimeout         = "timeout"
	KindUnreachable     = "unreachable"
	KindInvalidResponse = "invalid_response"
	KindBadRequest      = "bad_request"
	KindError           = "error"
)

// hrbridge's own codes.
const (
	CodeTargetChanged = "hrbridge.target_changed"
	CodeSkippedStale  = "hrbridge.skipped_stale"
	CodeSettings      = "hrbridge.settings"
	CodeError         = "hrbridge.error"
	ConflictPrefix    = "conflict."
)

var providerEntries = []Entry{
	{Code: KindRejectedValue, Action: FixSourceData,
		Ja: Text{Message: "{provider}が{fields}の値を受け付けませんでした。", Advice: "{source}で{fields}を正しい値に直してから、{again}してください。",
			Alt: &Text{Message: "{provider}が、書き込もうとした値（{fields}）のいずれかを受け付けませんでした。", Advice: "{source}で{fields}の値を確かめて直してから、{again}してください。"}},
		En: Text{Message: "{provider} did not accept the value given for {fields}.", Advice: "Correct {fields} in {source}, then {again}.",
			Alt: &Text{Message: "{provider} did not accept one of the values written ({fields}).", Advice: "Check {fields} in {source} and correct them, then {again}."}}},
	{Code: KindNotFound, Action: ReloadDiff,
		Ja: Text{Message: "{provider}で、書き込み先の従業員が見つかりませんでした。差分を確認した後に削除された可能性があります。", Advice: "差分を再取得して確かめてから、もう一度取り込んでください。"},
		En: Text{Message: "The employee to write was not found in {provider}; it may have been deleted after the differences were checked.", Advice: "Reload the differences, check them, then import again."}},
	{Code: KindWrongURL, Action: FixSettings,
		Ja: Text{Message: "{provider}のAPIが見つかりませんでした。連携設定のURLが違う可能性があります。", Advice: "連携設定の{provider}のURLを確かめて、接続テストで確かめてから、{again}してください。"},
		En: Text{Message: "The {provider} API was not found: the URL in the connection settings may be wrong.", Advice: "Check the {provider} URL in the connection settings and run the connection test, then {again}."}},
	{Code: KindDuplicate, Action: FixTargetData,
		Ja: Text{Message: "{provider}に、同じ社員番号の従業員がすでにいるため登録できませんでした。", Advice: "{provider}で同じ社員番号の従業員（退職者を含む）を確かめ、社員番号を直してから、{again}してください。"},
		En: Text{Message: "{provider} already has an employee with this employee number.", Advice: "Find the employee with the same number in {provider} (retired staff included), correct the number, then {again}."}},
	{Code: KindDuplicateEmail, Action: FixTargetData,
		Ja: Text{Message: "{provider}で、登録しようとしたメールアドレスをほかのスタッフが使っているため登録できませんでした。hrbridgeは新規登録のとき「社員番号@example.jp」のメールアドレスを使います。", Advice: "{provider}でそのメールアドレスを使っているスタッフを確かめ、メールアドレスを直してから、{again}してください。"},
		En: Text{Message: "{provider} refused the e-mail address because another staff member uses it; hrbridge registers new staff with \"<employee number>@example.jp\".", Advice: "Find the staff member using that address in {provider} and change it, then {again}."}},
	{Code: KindUnauthorized, Action: FixSettings,
		Ja: Text{Message: "{provider}に接続できませんでした。連携設定の認証情報が正しくないか、有効期限が切れています。", Advice: "連携設定で{provider}の認証情報を入力し直し、接続テストで確かめてから、{again}してください。"},
		En: Text{Message: "{provider} refused the credentials: those in the connection settings are wrong or have expired.", Advice: "Enter the {provider} credentials again in the connection settings, run the connection test, then {again}."}},
	{Code: KindForbidden, Action: FixPermissions,
		Ja: Text{Message: "{provider}の認証情報に、この操作の権限がありません。", Advice: "{provider}の管理画面で、連携に使う認証情報に従業員情報の閲覧と編集の権限を付けてから、{again}してください。"},
		En: Text{Message: "The {provider} credentials lack the permission for this operation.", Advice: "In {provider}'s admin settings, give the credentials used for the integration permission to read and edit employees, then {again}."}},
	{Code: KindIPNotPermitted, Action: FixPermissions,
		Ja: Text{Message: "{provider}が、hrbridgeのサーバーのIPアドレスからの接続を許可していません。", Advice: "{provider}の管理画面で、hrbridgeのサーバーのIPアドレスを許可してから、{again}してください。"},
		En: Text{Message: "{provider} does not allow connections from the hrbridge server's IP address.", Advice: "Allow the hrbridge server's IP address in {provider}'s admin settings, then {again}."}},
	{Code: KindPlanLimit, Action: CheckAccount,
		Ja: Text{Message: "{provider}の契約プランの上限に達しているため、処理できませんでした。", Advice: "{provider}の契約内容を確かめてください。上限を変えてから、{again}してください。"},
		En: Text{Message: "The {provider} subscription plan's limit has been reached.", Advice: "Check the {provider} contract; once the limit allows it, {again}."}},
	{Code: KindRateLimited, Action: WaitUntil,
		Ja: Text{Message: "{provider}のAPIの利用回数の上限に達しました。", Advice: "{wait}、{again}してください。データや設定を直す必要はありません。"},
		En: Text{Message: "The {provider} API's request limit was reached.", Advice: "{wait}, then {again}. Nothing needs to be corrected."}},
	{Code: KindMaintenance, Action: RetryLater,
		Ja: Text{Message: "{provider}がメンテナンス中です。", Advice: "メンテナンスが終わってから、{again}してください。データや設定を直す必要はありません。"},
		En: Text{Message: "{provider} is under maintenance.", Advice: "Once the maintenance is over, {again}. Nothing needs to be corrected."}},
	{Code: KindUnavailable, Action: RetryLater,
		Ja: Text{Message: "{provider}で障害が起きているため、処理できませんでした。", Advice: "時間をおいて、{again}してください。データや設定を直す必要はありません。"},
		En: Text{Message: "{provider} is having trouble and could not process the request.", Advice: "Wait a while, then {again}. Nothing needs to be corrected."}},
	{Code: KindTimeout, Action: RetryLater,
		Ja: Text{Message: "{provider}から時間内に応答がありませんでした。", Advice: "時間をおいて、{again}してください。データや設定を直す必要はありません。"},
		En: Text{Message: "{provider} did not answer in time.", Advice: "Wait a while, then {again}. Nothing needs to be corrected."}},
	{Code: KindUnreachable, Action: RetryLater,
		Ja: Text{Message: "{provider}に接続できませんでした。", Advice: "時間をおいて、{again}してください。データを直す必要はありません。何度も続く場合は、連携設定の{provider}のURLが正しいか確かめてください。"},
		En: Text{Message: "Could not connect to {provider}.", Advice: "Wait a while, then {again}. No data needs to be corrected; if it keeps happening, check the {provider} URL in the connection settings."}},
	{Code: KindInvalidResponse, Action: FixSettings,
		Ja: Text{Message: "{provider}から、読み取れない応答が返りました。", Advice: "連携設定の{provider}のURLがAPIのURLになっているか確かめてから、{again}してください。"},
		En: Text{Message: "{provider} sent an answer hrbridge cannot read.", Advice: "Check that the {provider} URL in the connection settings is the API's URL, then {again}."}},
	{Code: KindBadRequest, Action: Retry,
		Ja: Text{Message: "{provider}がhrbridgeからの要求を受け付けませんでした。", Advice: "{again}してください。何度も続く場合は、詳細をhrbridgeの開発元に伝えてください。"},
		En: Text{Message: "{provider} did not accept hrbridge's request.", Advice: "{Again}. If it keeps happening, send the details to hrbridge's developers."}},
	{Code: KindError, Action: Retry,
		Ja: Text{Message: "{provider}とのやりとりでエラーが起きました。", Advice: "{again}してください。何度も続く場合は、詳細をhrbridgeの開発元に伝えてください。"},
		En: Text{Message: "An error occurred while talking to {provider}.", Advice: "{Again}. If it keeps happening, send the details to hrbridge's developers."}},
}

var ownEntries = []Entry{
	{Code: CodeTargetChanged, Action: ReloadDiff,
		Ja: Text{Message: "{provider}で更新するはずだった従業員が見つからなくなったため、更新も新規登録もしていません。", Advice: "差分を再取得して確かめてから、もう一度取り込んでください。",
			Alt: &Text{Message: "{provider}に同じ社員番号の従業員ができていたため、新規登録していません。", Advice: "差分を再取得して確かめてから、もう一度取り込んでください。"}},
		En: Text{Message: "The employee to update is no longer in {provider}, so nothing was updated or created.", Advice: "Reload the differences, check them, then import again.",
			Alt: &Text{Message: "An employee with the same number now exists in {provider}, so nothing was created.", Advice: "Reload the differences, check them, then import again."}}},
	{Code: CodeSkippedStale, Action: ReloadDiff,
		Ja: Text{Message: "差分を確認した後にデータが変わったため、取り込んでいません。", Advice: "差分を再取得して確かめてから、もう一度取り込んでください。"},
		En: Text{Message: "The data changed after the differences were checked, so nothing was imported.", Advice: "Reload the differences, check them, then import again."}},
	{Code: CodeSettings, Action: FixSettings,
		Ja: Text{Message: "連携設定が完了していないか、正しくありません。", Advice: "連携設定を見直して接続テストで確かめてから、{again}してください。"},
		En: Text{Message: "The connection settings are incomplete or wrong.", Advice: "Review the connection settings, run the connection test, then {again}."}},
	{Code: CodeError, Action: Retry,
		Ja: Text{Message: "予期しないエラーが起きました。", Advice: "{again}してください。何度も続く場合は、詳細をhrbridgeの開発元に伝えてください。"},
		En: Text{Message: "An unexpected error occurred.", Advice: "{Again}. If it keeps happening, send the details to hrbridge's developers."}},
	{Code: ConflictPrefix + "missing_employee_number", Action: FixSourceData,
		Ja: Text{Message: "社員番号が入っていないため、取り込めません。", Advice: "{source}で社員番号を入力してから、差分を再取得して取り込んでください。"},
		En: Text{Message: "The employee has no employee number and cannot be imported.", Advice: "Enter the employee number in {source}, then reload the differences and import."}},
	{Code: ConflictPrefix + "duplicate_employee_number", Action: FixData,
		Ja: Text{Message: "同じ社員番号の従業員が複数いるため、どの従業員に取り込むか決められません。", Advice: "SmartHRとジョブカンで社員番号が重ならないように直してから、差分を再取得して取り込んでください。"},
		En: Text{Message: "Several employees share this employee number, so hrbridge cannot tell which one to import into.", Advice: "Make the employee numbers unique in SmartHR and Jobkan, then reload the differences and import."}},
	{Code: ConflictPrefix + "unmapped_employment_type", Action: FixSettings,
		Ja: Text{Message: "雇用形態に対応するスタッフ種別が、連携設定で決まっていません。", Advice: "連携設定の雇用形態とスタッフ種別の対応に追加してから、差分を再取得して取り込んでください。"},
		En: Text{Message: "The employment type has no matching staff type in the connection settings.", Advice: "Add it to the employment type map in the connection settings, then reload the differences and import."}},
	{Code: ConflictPrefix + "target_refuses_blank", Action: FixSourceData,
		Ja: Text{Message: "{provider}では空にできない項目が、{source}で空になっています。", Advice: "{source}で値を入力してから、差分を再取得して取り込んでください。"},
		En: Text{Message: "A field that {provider} cannot leave blank is blank in {source}.", Advice: "Enter the value in {source}, then reload the differences and import."}},
	{Code: ConflictPrefix + "invalid_value", Action: FixSourceData,
		Ja: Text{Message: "{provider}に登録できない値があります。", Advice: "{source}で値を直してから、差分を再取得して取り込んでください。"},
		En: Text{Message: "A value cannot be registered in {provider}.", Advice: "Correct the value in {source}, then reload the differences and import."}},
	{Code: ConflictPrefix + "source_not_found", Action: ReloadDiff,
		Ja: Text{Message: "{source}で、この従業員が見つからなくなりました。", Advice: "差分を再取得して確かめてから、もう一度取り込んでください。"},
		En: Text{Message: "The employee is no longer in {source}.", Advice: "Reload the differences, check them, then import again."}},
}

// Providers are the provider prefixes of codes.
var Providers = []string{"smarthr", "jobkan"}

var entries = func() map[string]Entry {
	m := map[string]Entry{}
	for _, p := range Providers {
		for _, e := range providerEntries {
			e.Code = p + "." + e.Code
			m[e.Code] = e
		}
	}
	for _, e := range ownEntries {
		m[e.Code] = e
	}
	return m
}()

// Entries lists every entry, by code.
func Entries() []Entry {
	out := make([]Entry, 0, len(entries))
	for _, e := range entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Lookup finds the entry for code. A code that is not catalogued (a result
// stored by an older version, say) gets the closest general entry: the
// provider's "error", a conflict's generic text, or hrbridge's.
func Lookup(code string) (Entry, bool) {
	if e, ok := entries[code]; ok {
		return e, true
	}
	prov, _, _ := strings.Cut(code, ".")
	if e, ok := entries[prov+"."+KindError]; ok {
		e.Code = code
		return e, false
	}
	if strings.HasPrefix(code, ConflictPrefix) {
		e := entries[ConflictPrefix+"invalid_value"]
		e.Code = code
		return e, false
	}
	e := entries[CodeError]
	e.Code = code
	return e, false
}

// Screen is where a message is shown: it decides what "try again" means.
type Screen string

const (
	ScreenImport Screen = "import" // an import's results, notification and mail
	ScreenDiff   Screen = "diff"   // fetching the differences
	ScreenTest   Screen = "test"   // the connection test
)

// Failure is what is known about one failure, beside its code: what the
// message needs, and the technical detail. It is stored with an import's
// result (Encode) so that it can be rendered later in any language.
type Failure struct {
	Provider     string     `json:"provider,omitempty"` // "smarthr" or "jobkan": who answered
	Direction    string     `json:"direction,omitempty"`
	HTTPStatus   int        `json:"status,omitempty"`
	ProviderCode string     `json:"provider_code,omitempty"`
	Fields       []string   `json:"fields,omitempty"` // synced fields (canonical names) the failure is about
	RetryAt      *time.Time `json:"retry_at,omitempty"`
	Variant      string     `json:"variant,omitempty"` // selects an entry's Alt text ("create")
	Reason       string     `json:"reason,omitempty"`  // a conflict's own explanation (Japanese, from the diff)
	Detail       string     `json:"detail,omitempty"`  // technical: provider, status, code, message
}

// Message is an entry rendered for a person.
type Message struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Advice  string `json:"advice"`
	Action  Action `json:"action"`
	Detail  string `json:"detail,omitempty"`
}

// Headline is the message and the advice in one line.
func (m Message) Headline() string { return m.Message + " " + m.Advice }

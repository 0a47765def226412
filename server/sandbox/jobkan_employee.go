package sandbox

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jemp is a Jobkan employee (our model of it: DESIGN.md §3).
type jemp struct {
	id                  int64
	code                string
	lastName, firstName string
	email, tel          string
	hireDate, birthDate string
	workKind            int // 0: none
	status              string
	mainGroup           int
}

var jobkanStatus = map[string]string{"employed": "working", "absent": "leave", "retired": "retired"}

func jempFromPerson(id int64, p person) *jemp {
	return &jemp{
		id: id, code: p.number, lastName: p.last, firstName: p.first,
		email: p.email, tel: p.phone, hireDate: p.hired, birthDate: p.birth,
		workKind: p.workKind, status: jobkanStatus[p.status], mainGroup: 1 + int(id%5),
	}
}

func (e *jemp) json() map[string]any {
	null := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	m := map[string]any{
		"id": e.id, "code": e.code, "last_name": e.lastName, "first_name": e.firstName,
		"email": null(e.email), "tel": null(e.tel), "hire_date": null(e.hireDate), "birth_date": null(e.birthDate),
		"work_kind": nil, "status": e.status, "main_group": e.mainGroup, "sub_group": nil,
	}
	if e.workKind != 0 {
		m["work_kind"] = e.workKind
	}
	return m
}

// apply validates in against e and writes it only when all of it is valid.
// It returns the messages of what is wrong.
func (e *jemp) apply(in map[string]json.RawMessage, create bool) []string {
	var errs []string
	next := *e
	str := func(key, label string, required bool, check func(string) string) *string {
		raw, ok := in[key]
		if !ok {
			if create && required {
				errs = append(errs, label+"を入力してください")
			}
			return nil
		}
		var v string
		if string(raw) != "null" {
			if json.Unmarshal(raw, &v) != nil {
				errs = append(errs, label+"は文字列で指定してください")
				return nil
			}
		}
		if strings.TrimSpace(v) == "" {
			if required {
				errs = append(errs, label+"を入力してください")
				return nil
			}
			v = ""
		} else if check != nil {
			if msg := check(v); msg != "" {
				errs = append(errs, label+msg)
				return nil
			}
		}
		return &v
	}
	maxLen := func(n int) func(string) string {
		return func(v string) string {
			if utf8.RuneCountInString(v) > n {
				return "は" + strconv.Itoa(n) + "文字以内で入力してください"
			}
			return ""
		}
	}
	date := func(v string) string {
		if !validDate(v) {
			return "はYYYY-MM-DD形式で入力してください"
		}
		return ""
	}
	setIf := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	setIf(&next.code, str("code", "従業員コード", true, maxLen(50)))
	setIf(&next.lastName, str("last_name", "姓", true, maxLen(50)))
	setIf(&next.firstName, str("first_name", "名", true, maxLen(50)))
	setIf(&next.email, str("email", "メールアドレス", true, func(v string) string {
		if !strings.Contains(v, "@") || utf8.RuneCountInString(v) > 254 {
			return "の形式が正しくありません"
		}
		return ""
	}))
	setIf(&next.tel, str("tel", "電話番号", false, func(v string) string {
		if !validPhone(v) {
			return "の形式が正しくありません"
		}
		return ""
	}))
	setIf(&next.hireDate, str("hire_date", "入社日", false, date))
	setIf(&next.birthDate, str("birth_date", "生年月日", false, date))
	status := str("status", "在籍状況", false, func(v string) string {
		if v != "working" && v != "leave" && v != "retired" {
			return "はworking、leave、retiredのいずれかで指定してください"
		}
		return ""
	})
	if status != nil && *status == "" {
		errs = append(errs, "在籍状況を入力してください") // optional on create, never blank
	}
	setIf(&next.status, status)
	if raw, ok := in["work_kind"]; ok {
		if string(raw) == "null" {
			next.workKind = 0
		} else if n, err := strconv.Atoi(string(raw)); err != nil || n < 1 || n > 8 {
			errs = append(errs, "スタッフ種別（work_kind）は1から8の整数で指定してください")
		} else {
			next.workKind = n
		}
	}
	if raw, ok := in["main_group"]; ok {
		if n, err := strconv.Atoi(string(raw)); err != nil || n < 1 {
			errs = append(errs, "メイングループ（main_group）は1以上の整数で指定してください")
		} else {
			next.mainGroup = n
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if next.status == "" {
		next.status = "working"
	}
	if next.mainGroup == 0 {
		next.mainGroup = 1
	}
	*e = next
	return nil
}

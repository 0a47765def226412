package sandbox

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// crew is a SmartHR crew. attrs holds the writable attributes by wire name;
// an absent or "" value is null on the wire.
type crew struct {
	id               string
	attrs            map[string]string
	created, updated time.Time
}

type attrKind int

const (
	kText attrKind = iota
	kKana
	kDate
	kPhone
	kEmail
	kEnum
	kEmploymentType
)

// attr is one writable crew attribute and how SmartHR validates it.
type attr struct {
	key, label string
	kind       attrKind
	enum       []string
	keep       bool // may not be blanked once set (DESIGN.md §3)
	required   bool // on create
}

var crewAttrs = []attr{
	{key: "emp_code", label: "社員番号", kind: kText},
	{key: "last_name", label: "姓", kind: kText, keep: true, required: true},
	{key: "first_name", label: "名", kind: kText, keep: true, required: true},
	{key: "last_name_yomi", label: "姓（ヨミガナ）", kind: kKana, keep: true},
	{key: "first_name_yomi", label: "名（ヨミガナ）", kind: kKana, keep: true},
	{key: "business_last_name", label: "ビジネスネーム（姓）", kind: kText},
	{key: "business_first_name", label: "ビジネスネーム（名）", kind: kText},
	{key: "gender", label: "性別", kind: kEnum, enum: []string{"male", "female"}, keep: true},
	{key: "birth_at", label: "生年月日", kind: kDate, keep: true},
	{key: "tel_number", label: "電話番号", kind: kPhone},
	{key: "email", label: "メールアドレス", kind: kEmail},
	{key: "emp_status", label: "在籍状況", kind: kEnum, enum: []string{"employed", "absent", "retired"}},
	{key: "entered_at", label: "入社年月日", kind: kDate},
	{key: "resigned_at", label: "退職年月日", kind: kDate},
	{key: "employment_type_id", label: "雇用形態", kind: kEmploymentType},
}

// fieldError is SmartHR's per-field error.
type fieldError struct {
	Message  string `json:"message"`
	Resource string `json:"resource"`
	Field    string `json:"field"`
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func validDate(s string) bool {
	if !dateRE.MatchString(s) {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// validPhone accepts what people type into a phone field — digits of either
// width, the many hyphens, spaces, parentheses, a leading plus — and nothing
// else.
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			digits++
		case strings.ContainsRune("-()+ 　（）＋", r), strings.ContainsRune(strings.Join(hyphens, ""), r):
		default:
			return false
		}
	}
	return digits >= 2 && utf8.RuneCountInString(s) <= 30
}

func validKana(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Katakana, r) && r != 'ー' && r != ' ' && r != '　' && r != '・' {
			return false
		}
	}
	return true
}

func employmentTypeName(id string) (name, preset string, ok bool) {
	for _, t := range employmentTypes {
		if t.id == id {
			return t.name, t.preset, true
		}
	}
	return "", "", false
}

// apply validates in against c and, only when everything is valid, writes it:
// nothing is half-written.
func (c *crew) apply(in map[string]json.RawMessage, create bool) []fieldError {
	var errs []fieldError
	bad := func(a attr, msg string) {
		errs = append(errs, fieldError{Message: a.label + msg, Resource: "crew", Field: a.key})
	}
	set := map[string]string{}
	for _, a := range crewAttrs {
		raw, present := in[a.key]
		if !present {
			if create && a.required {
				bad(a, "を入力してください")
			}
			continue
		}
		var v string
		if string(raw) != "null" {
			if err := json.Unmarshal(raw, &v); err != nil {
				bad(a, "は不正な値です")
				continue
			}
		}
		if strings.TrimSpace(v) == "" {
			if (create && a.required) || (a.keep && c.attrs[a.key] != "") {
				bad(a, "を入力してください")
				continue
			}
			set[a.key] = ""
			continue
		}
		switch {
		case utf8.RuneCountInString(v) > 255:
			bad(a, "は255文字以内で入力してください")
		case a.kind == kDate && !validDate(v):
			bad(a, "の形式が正しくありません（YYYY-MM-DD）")
		case a.kind == kPhone && !validPhone(v):
			bad(a, "は不正な値です")
		case a.kind == kKana && !validKana(v):
			bad(a, "はカタカナで入力してください")
		case a.kind == kEmail && !strings.Contains(v, "@"):
			bad(a, "は不正な値です")
		case a.kind == kEnum && !contains(a.enum, v):
			bad(a, "は一覧にありません")
		case a.kind == kEmploymentType:
			if _, _, ok := employmentTypeName(v); !ok {
				bad(a, "が存在しません")
			}
		}
		set[a.key] = v
	}
	if len(errs) > 0 {
		return errs
	}
	for k, v := range set {
		if v == "" {
			delete(c.attrs, k)
		} else {
			c.attrs[k] = v
		}
	}
	if create && c.attrs["emp_status"] == "" {
		c.attrs["emp_status"] = "employed"
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// json renders the crew as SmartHR does: every attribute, null when unset,
// and the employment type as an object.
func (c *crew) json() map[string]any {
	m := map[string]any{
		"id":              c.id,
		"created_at":      c.created.UTC().Format(time.RFC3339),
		"updated_at":      c.updated.UTC().Format(time.RFC3339),
		"employment_type": nil,
	}
	for _, a := range crewAttrs {
		if a.key == "employment_type_id" {
			continue
		}
		if v := c.attrs[a.key]; v != "" {
			m[a.key] = v
		} else {
			m[a.key] = nil
		}
	}
	if id := c.attrs["employment_type_id"]; id != "" {
		name, preset, _ := employmentTypeName(id)
		m["employment_type"] = map[string]any{"id": id, "name": name, "preset_type": preset}
	}
	return m
}

// writeKey names the crew in the write counts.
func (c *crew) writeKey() string {
	if n := c.attrs["emp_code"]; n != "" {
		return n
	}
	return fmt.Sprintf("crew:%s", c.id)
}

func crewFromPerson(p person, created time.Time) *crew {
	a := map[string]string{
		"emp_code":           p.number,
		"last_name":          p.last,
		"first_name":         p.first,
		"last_name_yomi":     p.lastKana,
		"first_name_yomi":    p.firstKana,
		"business_last_name": p.businessLast,
		"gender":             p.gender,
		"birth_at":           p.birth,
		"entered_at":         p.hired,
		"tel_number":         p.phone,
		"emp_status":         p.status,
		"employment_type_id": employmentTypes[p.workKind-1].id,
	}
	for k, v := range a {
		if v == "" {
			delete(a, k)
		}
	}
	return &crew{id: p.crewID, attrs: a, created: created, updated: created}
}

package httpapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"hrbridge/api"
	"hrbridge/server/sync"
)

// The reference: the generated types, filled field by field and encoded by
// encoding/json. The hand encoder must decode to exactly the same value.
func referencePage(dir sync.Direction, at time.Time, s sync.Summary, items []sync.Item, next string) api.DiffPage {
	out := api.DiffPage{
		Direction: api.Direction(dir), GeneratedAt: at,
		Summary: api.DiffSummary{Unchanged: int32(s.Unchanged), Changed: int32(s.Changed), New: int32(s.New),
			Conflict: int32(s.Conflict), Total: int32(s.Total)},
		Items: make([]api.DiffItem, len(items)),
	}
	if next != "" {
		out.NextCursor = &next
	}
	for i, it := range items {
		d := api.DiffItem{EmployeeNumber: it.EmployeeNumber, DisplayName: it.DisplayName, Status: api.DiffStatus(it.Status),
			Fingerprint: it.Fingerprint, Fields: make([]api.FieldDiff, len(it.Fields)),
			Warnings: make([]api.DiffWarning, len(it.Warnings))}
		for j, w := range it.Warnings {
			d.Warnings[j] = api.DiffWarning{Code: api.DiffWarningCode(w.Code), Message: w.Message}
		}
		if it.ReasonCode != "" {
			r := api.ConflictReason(it.ReasonCode)
			d.Reason, d.ReasonDetail = &r, &it.ReasonDetail
		}
		for j, f := range it.Fields {
			fd := api.FieldDiff{Name: api.FieldName(f.Field), Label: sync.LabelJa(f.Field), New: f.New, Changed: f.Changed}
			if it.Status != sync.StatusNew {
				old := f.Old
				fd.Old = &old
			}
			d.Fields[j] = fd
		}
		out.Items[i] = d
	}
	return out
}

func TestDiffPageMatchesEncodingJSON(t *testing.T) {
	// Source and target differ in every field, in every awkward way text can.
	awkward := []string{"山田", "", `quote " and \ backslash`, "tab\tnew\nline\r", "\x00\x1f control", "<b>&amp;</b>",
		"\u2028\u2029", "𠮷野家 🍣", "bad \xff utf8", "０３ー１２３４", "E\u0301"}
	var src, tgt []sync.Employee
	for i, s := range awkward {
		e := sync.Employee{ID: fmt.Sprint(i), EmployeeNumber: fmt.Sprintf("E%02d", i), LastName: "姓" + s, FirstName: s + "名",
			Phone: s, HiredOn: "2020-04-01", EmploymentType: "正社員"}
		src = append(src, e)
		if i%3 != 0 {
			e.LastName, e.Phone, e.EmploymentType = s+"x", "", "1"
			tgt = append(tgt, e)
		}
	}
	same := sync.Employee{ID: "same", EmployeeNumber: "S1", LastName: "同じ", FirstName: "花子", EmploymentType: "正社員"}
	src = append(src, same)
	same.EmploymentType = "1"
	tgt = append(tgt, same)
	src = append(src, sync.Employee{ID: "dup", EmployeeNumber: "E01", LastName: "重複", FirstName: "太郎"})
	res := sync.Diff(sync.SmartHRToJobkan, src, tgt, sync.DefaultSettings())
	// Warnings are the diff engine's to give; set some directly so that the
	// encoder is exercised whatever the engine decides for this case.
	warned := 0
	for i := range res.Items {
		if res.Items[i].Status == sync.StatusNew {
			msg := awkward[warned%len(awkward)]
			res.Items[i].Warnings = append(res.Items[i].Warnings,
				sync.Warning{Code: sync.WarningSimilarEmployeeNumber, Message: "既存の社員番号「" + msg + "」"},
				sync.Warning{Code: sync.WarningSimilarEmployeeNumber, Message: msg})
			warned++
		}
	}
	if warned == 0 {
		t.Fatal("the case should have new employees to warn about")
	}
	at := time.Date(2026, 11, 24, 1, 2, 3, 456789000, time.UTC)
	ptrs := make([]*sync.Item, len(res.Items))
	for i := range res.Items {
		ptrs[i] = &res.Items[i]
	}
	for _, next := range []string{"", "eyJnIjoxfQ"} {
		got := appendDiffPage(nil, sync.SmartHRToJobkan, at, res.Summary, ptrs, next, false)
		want, err := json.Marshal(referencePage(sync.SmartHRToJobkan, at, res.Summary, res.Items, next))
		if err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("hand-encoded page is not JSON: %v\n%s", err, got)
		}
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("pages differ:\n got %s\nwant %s", got, want)
		}
		validatePage(t, got)
	}
	statuses := map[sync.Status]bool{}
	for _, it := range res.Items {
		statuses[it.Status] = true
	}
	if len(statuses) != 4 {
		t.Fatalf("the case should cover every status, got %v", statuses)
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a", `"\`, "\x00\x7f", "\xff\xfe", "\u2028", "日本語", "\xe3\x81"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		want := s
		if !utf8.ValidString(s) {
			var w string
			b, _ := json.Marshal(s) // encoding/json replaces invalid bytes the same way
			_ = json.Unmarshal(b, &w)
			want = w
		}
		if got != want {
			t.Fatalf("%q round-tripped to %q", s, got)
		}
	})
}

// validatePage checks a page against the spec's DiffPage schema, as
// kin-openapi reads it: required properties, enums, lengths, nullability.
func validatePage(t *testing.T, page []byte) {
	t.Helper()
	spec, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	ref := spec.Doc.Components.Schemas["DiffPage"]
	if ref == nil || ref.Value == nil {
		t.Fatal("the spec has no DiffPage schema")
	}
	var v any
	if err := json.Unmarshal(page, &v); err != nil {
		t.Fatal(err)
	}
	if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Fatalf("page does not validate against the spec: %v\n%s", err, page)
	}
}

// Warnings are always present (an empty array, never absent or null) and
// carry their code and message as given, escaped like every other string.
func TestDiffPageWarnings(t *testing.T) {
	items := []*sync.Item{
		{EmployeeNumber: "00123", DisplayName: "山田 太郎", Status: sync.StatusNew, Fingerprint: "f1",
			Fields: []sync.FieldDiff{{Field: sync.FieldLastName, New: "山田", Changed: true}},
			Warnings: []sync.Warning{{Code: sync.WarningSimilarEmployeeNumber,
				Message: "社員番号「123」の従業員がすでに登録されています。同じ人ではないか確認してください。"}}},
		{EmployeeNumber: "E300", DisplayName: "\u200b佐藤 \"花子\"", Status: sync.StatusChanged, Fingerprint: "f2",
			Fields: []sync.FieldDiff{{Field: sync.FieldFirstName, Old: "花子\u200b", New: "花子", Changed: true}}},
		{EmployeeNumber: "E301", DisplayName: "鈴木 一郎", Status: sync.StatusUnchanged, Fingerprint: "f3", Warnings: []sync.Warning{}},
	}
	got := appendDiffPage(nil, sync.SmartHRToJobkan, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		sync.Summary{Unchanged: 1, Changed: 1, New: 1, Total: 3}, items, "", false)
	var page api.DiffPage
	if err := json.Unmarshal(got, &page); err != nil {
		t.Fatalf("%v\n%s", err, got)
	}
	want := [][]api.DiffWarning{
		{{Code: api.SimilarEmployeeNumber, Message: "社員番号「123」の従業員がすでに登録されています。同じ人ではないか確認してください。"}},
		{},
		{},
	}
	for i, it := range page.Items {
		if it.Warnings == nil || !reflect.DeepEqual(it.Warnings, want[i]) {
			t.Errorf("item %d warnings = %#v, want %#v", i, it.Warnings, want[i])
		}
	}
	if page.Items[1].DisplayName != "\u200b佐藤 \"花子\"" {
		t.Errorf("display name = %q", page.Items[1].DisplayName)
	}
	var raw struct {
		Items []map[string]json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(got, &raw); err != nil {
		t.Fatal(err)
	}
	for i, it := range raw.Items {
		if w, ok := it["warnings"]; !ok || (i > 0 && string(w) != "[]") {
			t.Errorf("item %d: warnings = %s (present %v), want [] for an item without any", i, w, ok)
		}
	}
	validatePage(t, got)

	// An unknown code is still encoded, but the spec refuses it: the
	// validation above is not vacuous.
	items[0].Warnings[0].Code = "no_such_warning"
	bad := appendDiffPage(nil, sync.SmartHRToJobkan, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		sync.Summary{Unchanged: 1, Changed: 1, New: 1, Total: 3}, items, "", false)
	spec, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	var v any
	_ = json.Unmarshal(bad, &v)
	if err := spec.Doc.Components.Schemas["DiffPage"].Value.VisitJSON(v); err == nil {
		t.Error("a page with an unknown warning code validated")
	}
}

// A reader (no import permission) sees which personal values change, not the
// values: phone and birth date are masked, a blank stays blank, the other
// fields are shown; the page still validates against the spec.
func TestDiffPageMasksPersonalValues(t *testing.T) {
	items := []*sync.Item{{EmployeeNumber: "E1", DisplayName: "山田 太郎", Status: sync.StatusChanged, Fingerprint: "f",
		Fields: []sync.FieldDiff{
			{Field: sync.FieldLastName, Old: "山田", New: "山本", Changed: true},
			{Field: sync.FieldPhone, Old: "03-1111-2222", New: "", Changed: true},
			{Field: sync.FieldBirthDate, Old: "1990-01-02", New: "1990-01-03", Changed: true},
		}}}
	at := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	for _, mask := range []bool{false, true} {
		got := appendDiffPage(nil, sync.SmartHRToJobkan, at, sync.Summary{Changed: 1, Total: 1}, items, "", mask)
		validatePage(t, got)
		var page api.DiffPage
		if err := json.Unmarshal(got, &page); err != nil {
			t.Fatal(err)
		}
		var vals []string
		for _, f := range page.Items[0].Fields {
			vals = append(vals, fmt.Sprintf("%s:%s→%s", f.Name, deref(f.Old), f.New))
		}
		want := "[last_name:山田→山本 phone:03-1111-2222→ birth_date:1990-01-02→1990-01-03]"
		if mask {
			want = "[last_name:山田→山本 phone:＊＊＊→ birth_date:＊＊＊→＊＊＊]"
		}
		if fmt.Sprint(vals) != want {
			t.Errorf("mask %v: %v, want %s", mask, vals, want)
		}
	}
}

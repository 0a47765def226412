package httpapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

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
			Fingerprint: it.Fingerprint, Fields: make([]api.FieldDiff, len(it.Fields))}
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
	at := time.Date(2026, 11, 24, 1, 2, 3, 456789000, time.UTC)
	ptrs := make([]*sync.Item, len(res.Items))
	for i := range res.Items {
		ptrs[i] = &res.Items[i]
	}
	for _, next := range []string{"", "eyJnIjoxfQ"} {
		got := appendDiffPage(nil, sync.SmartHRToJobkan, at, res.Summary, ptrs, next)
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

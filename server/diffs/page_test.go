package diffs

import (
	"fmt"
	"testing"
	"time"

	"hrbridge/server/sync"
)

func snapshot(n int) *Snapshot {
	var src, tgt []sync.Employee
	for i := range n {
		e := sync.Employee{ID: fmt.Sprint(i), EmployeeNumber: fmt.Sprintf("E%d", i), LastName: "山田", FirstName: fmt.Sprintf("太郎%d", i),
			EmploymentType: "正社員"}
		src = append(src, e)
		switch i % 3 {
		case 0: // unchanged
			t := e
			t.EmploymentType = "1"
			tgt = append(tgt, t)
		case 1: // changed
			t := e
			t.EmploymentType = "1"
			t.Phone = "03-0000-0000"
			tgt = append(tgt, t)
		} // 2: new
	}
	return &Snapshot{GeneratedAt: time.Unix(1700000000, 0), Result: sync.Diff(sync.SmartHRToJobkan, src, tgt, sync.DefaultSettings())}
}

// Paging through the whole set with any page size and filter yields every
// matching item exactly once, in order.
func TestPageWalksEverythingOnce(t *testing.T) {
	sn := snapshot(250)
	cases := []struct {
		name     string
		statuses []sync.Status
		q        string
		limit    int
		want     int
	}{
		{"all, small pages", nil, "", 7, 250},
		{"all, one page", nil, "", 500, 250},
		{"changed only", []sync.Status{sync.StatusChanged}, "", 10, 83},
		{"new and unchanged", []sync.Status{sync.StatusNew, sync.StatusUnchanged}, "", 33, 167},
		{"by number", nil, "e12", 5, 11}, // E12, E120..E129
		{"by name, full-width query", nil, "太郎１２", 5, 11},
		{"no match", nil, "zzz", 5, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seen := map[string]bool{}
			cursor, pages := "", 0
			for {
				items, next, err := sn.Page(Query{Statuses: c.statuses, Q: c.q, Limit: c.limit, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					if seen[it.EmployeeNumber] {
						t.Fatalf("%s returned twice", it.EmployeeNumber)
					}
					seen[it.EmployeeNumber] = true
				}
				if pages++; next == "" || pages > 1000 {
					break
				}
				cursor = next
			}
			if len(seen) != c.want {
				t.Errorf("saw %d items, want %d", len(seen), c.want)
			}
		})
	}
}

// A cursor from an older snapshot resumes after the same employee.
func TestCursorSurvivesRefresh(t *testing.T) {
	old := snapshot(50)
	items, next, _ := old.Page(Query{Limit: 10})
	fresh := snapshot(50)
	fresh.GeneratedAt = old.GeneratedAt.Add(time.Minute)
	more, _, err := fresh.Page(Query{Limit: 1, Cursor: next})
	if err != nil {
		t.Fatal(err)
	}
	if sync.CompareEmployeeNumbers(more[0].EmployeeNumber, items[9].EmployeeNumber) <= 0 {
		t.Errorf("resumed at %s after %s", more[0].EmployeeNumber, items[9].EmployeeNumber)
	}
	if _, _, err := fresh.Page(Query{Limit: 1, Cursor: "%%%"}); err == nil {
		t.Error("a malformed cursor was accepted")
	}
}

// Issue 11 input 11: in a duplicate 社員番号 group whose source ids are "9"
// and "10", a cursor from an older snapshot resumed with another comparison
// than the diff's order and skipped "10".
func TestCursorResumesWithinDuplicateGroup(t *testing.T) {
	diff := func(ids ...string) *Snapshot {
		var src []sync.Employee
		for _, id := range ids {
			src = append(src, sync.Employee{ID: id, EmployeeNumber: "D1", LastName: "山田", FirstName: "太郎" + id})
		}
		src = append(src, sync.Employee{ID: "1", EmployeeNumber: "D2", LastName: "山田", FirstName: "次郎"})
		return &Snapshot{GeneratedAt: time.Unix(1700000000, 0), Result: sync.Diff(sync.SmartHRToJobkan, src, nil, sync.DefaultSettings())}
	}
	old := diff("10", "9", "11")
	first, next, err := old.Page(Query{Limit: 1})
	if err != nil || first[0].Source.ID != "9" {
		t.Fatalf("first item: %+v %v (want source id 9 first, in natural order)", first, err)
	}
	fresh := diff("9", "11", "10")
	fresh.GeneratedAt = old.GeneratedAt.Add(time.Minute)
	var ids []string
	for cursor := next; cursor != ""; {
		items, n, err := fresh.Page(Query{Limit: 1, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			ids = append(ids, it.EmployeeNumber+"/"+it.Source.ID)
		}
		cursor = n
	}
	if got := fmt.Sprint(ids); got != "[D1/10 D1/11 D2/1]" {
		t.Errorf("after D1/9 from an older snapshot: %s, want [D1/10 D1/11 D2/1]", got)
	}
}

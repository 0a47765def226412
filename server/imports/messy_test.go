package imports_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"hrbridge/server/config"
	"hrbridge/server/sandbox"
	"hrbridge/server/store/storetest"
	"hrbridge/server/sync"
)

// messyItem is a diff item with what the scenario test looks at; Warnings
// is raw so that the test can tell whether the API carries them at all.
type messyItem struct {
	EmployeeNumber string          `json:"employee_number"`
	Status         string          `json:"status"`
	Fingerprint    string          `json:"fingerprint"`
	Reason         *string         `json:"reason"`
	Warnings       json.RawMessage `json:"warnings"`
	Fields         []struct {
		Name    string  `json:"name"`
		Old     *string `json:"old"`
		New     string  `json:"new"`
		Changed bool    `json:"changed"`
	} `json:"fields"`
}

func (it messyItem) reason() string {
	if it.Reason == nil {
		return ""
	}
	return *it.Reason
}

// warnings returns the item's warning codes.
func (it messyItem) warnings(t *testing.T) []string {
	var ws []struct{ Code string }
	if err := json.Unmarshal(it.Warnings, &ws); err != nil {
		t.Fatalf("%s: warnings %s: %v", it.EmployeeNumber, it.Warnings, err)
	}
	codes := make([]string, len(ws))
	for i, w := range ws {
		codes[i] = w.Code
	}
	return codes
}

func (e *env) messyDiff(t *testing.T, dir string) []messyItem {
	t.Helper()
	var all []messyItem
	q := url.Values{"direction": {dir}, "limit": {"500"}, "refresh": {"true"}}
	for {
		r := e.admin.Do(t, "GET", "/api/v1/integrations/jobkan/diffs?"+q.Encode(), nil)
		if r.Status != 200 {
			t.Fatalf("diff: %d %s", r.Status, r.Body)
		}
		var page struct {
			Items      []messyItem
			NextCursor *string `json:"next_cursor"`
		}
		r.JSON(t, &page)
		all = append(all, page.Items...)
		if page.NextCursor == nil {
			return all
		}
		q = url.Values{"direction": {dir}, "limit": {"500"}, "cursor": {*page.NextCursor}}
	}
}

func hasFormatChar(s string) bool { return strings.IndexFunc(s, sync.IsFormat) >= 0 }

// TestMessyDefaultScenario walks the default (messy) scenario through
// hrbridge's API in both directions: every planted case has the status,
// reason and warning it should (sandbox.Planted); then, from a fresh
// scenario per direction, everything importable (not a conflict, not
// warned: the rows the selection screen preselects, and the unchanged ones)
// is imported, and the simulators hold one record per person with the
// expected values, written once per changed or new employee, without a
// format character; the look-alike and conflicting ones are left as they
// were, and the planted duplicate e-mail fails with Jobkan's own error.
func TestMessyDefaultScenario(t *testing.T) {
	size := sandbox.DefaultSize
	cases := sandbox.Planted(1, size) // apptest's sandbox has seed 1
	if len(cases) == 0 {
		t.Fatal("the default scenario has no planted cases")
	}
	dirs := []string{toSmartHR, toJobkan}
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := start(t, d, size, func(c *config.Config) { c.ImportRecheckDelay = 10 * time.Millisecond })

			// 1. The preview of every planted case, both directions.
			for _, dir := range dirs {
				items := e.messyDiff(t, dir)
				byNum := map[string][]messyItem{}
				for _, it := range items {
					byNum[it.EmployeeNumber] = append(byNum[it.EmployeeNumber], it)
				}
				for _, c := range cases {
					want := c.In(dir)
					got := byNum[c.Number]
					if want.Status == "" {
						if len(got) != 0 {
							t.Errorf("%s %v: want no item, got %+v", dir, c, got)
						}
						continue
					}
					if len(got) == 0 {
						t.Errorf("%s %v: no item; want %s", dir, c, want.Status)
						continue
					}
					for _, it := range got {
						if it.Status != want.Status || it.reason() != want.Reason {
							t.Errorf("%s %v: %s %q, want %s %q (%s)", dir, c, it.Status, it.reason(), want.Status, want.Reason, c.What)
						}
						codes := it.warnings(t)
						if want.Warning != "" && !slices.Contains(codes, want.Warning) || want.Warning == "" && len(codes) > 0 {
							t.Errorf("%s %v: warnings %v, want %q", dir, c, codes, want.Warning)
						}
					}
				}
				t.Logf("%s: %d items, %d planted cases checked", dir, len(items), len(cases))
			}

			// 2. Import everything importable, from a fresh scenario.
			for _, dir := range dirs {
				e.importMessy(t, dir, size, cases)
			}
		})
	}
}

func (e *env) importMessy(t *testing.T, dir string, size int, cases []sandbox.PlantedCase) {
	t.Helper()
	ctx := context.Background()
	e.sb.Reset(1, size)
	target := targetOf(dir)
	var tc sync.Connector = e.jk
	if target == sandbox.SmartHR {
		tc = e.sh
	}
	before, err := tc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	planted := map[string]sandbox.Outcome{}
	for _, c := range cases {
		if o := c.In(dir); o.Status != "" {
			planted[c.Number] = o
		}
	}
	var sel []diffItem
	want := map[string]string{} // number → result status
	for _, it := range e.messyDiff(t, dir) {
		codes := it.warnings(t)
		// Warned rows are not preselected (and the planted look-alikes are
		// the same person: importing them would make a second record).
		if it.Status == "conflict" || len(codes) > 0 || planted[it.EmployeeNumber].Warning != "" {
			continue
		}
		sel = append(sel, diffItem{EmployeeNumber: it.EmployeeNumber, Fingerprint: it.Fingerprint, Status: it.Status})
		want[it.EmployeeNumber] = map[string]string{"unchanged": "unchanged", "changed": "updated", "new": "created"}[it.Status]
		if o := planted[it.EmployeeNumber]; o.ImportError != "" {
			want[it.EmployeeNumber] = "failed"
		}
	}
	imp := e.wait(t, e.startImport(t, dir, key("messy-"+dir), sel).ID, 2*time.Minute)
	results := resultsBy(e.results(t, imp.ID))
	n := map[string]int{}
	for num, st := range want {
		r, ok := results[num]
		n[st]++
		switch {
		case !ok:
			t.Errorf("%s %s: no result", dir, num)
		case r.Status != st:
			t.Errorf("%s %s: result %s %+v, want %s", dir, num, r.Status, r.Error, st)
		case st == "failed":
			code := "jobkan." + planted[num].ImportError
			if r.Error == nil || r.Error.Code != code {
				t.Errorf("%s %s: failed with %+v, want the provider's %s", dir, num, r.Error, code)
			} else {
				t.Logf("%s %s: failed as expected: %s %s", dir, num, r.Error.Code, r.Error.Message)
			}
		}
	}
	if imp.Counts.Created != n["created"] || imp.Counts.Updated != n["updated"] || imp.Counts.Unchanged != n["unchanged"] || imp.Counts.Failed != n["failed"] {
		t.Errorf("%s: import counts %+v, want %v", dir, imp.Counts, n)
	}

	// The write report: one write per changed or new employee, none for the
	// others (writes are keyed by the number the target holds).
	writes := e.sb.Writes(target)
	perEmp := map[string]sandbox.WriteCount{}
	for k, w := range writes.Employees {
		num := sync.Normalise(sync.FieldEmployeeNumber, k)
		c := perEmp[num]
		c.Creates += w.Creates
		c.Updates += w.Updates
		perEmp[num] = c
	}
	for num, st := range want {
		w := perEmp[num]
		switch st {
		case "created":
			if w != (sandbox.WriteCount{Creates: 1}) {
				t.Errorf("%s %s: writes %+v, want one create", dir, num, w)
			}
		case "updated":
			if w != (sandbox.WriteCount{Updates: 1}) {
				t.Errorf("%s %s: writes %+v, want one update", dir, num, w)
			}
		default:
			if w != (sandbox.WriteCount{}) {
				t.Errorf("%s %s (%s): writes %+v, want none", dir, num, st, w)
			}
		}
	}
	if writes.Total.Creates != n["created"] || writes.Total.Updates != n["updated"] {
		t.Errorf("%s: writes %+v, want %d creates and %d updates", dir, writes.Total, n["created"], n["updated"])
	}

	// One record per person, with the expected values.
	after, err := tc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+n["created"] {
		t.Errorf("%s: the target holds %d records, had %d, %d created", dir, len(after), len(before), n["created"])
	}
	recs := map[string][]sync.Employee{}
	for _, r := range after {
		num := sync.Normalise(sync.FieldEmployeeNumber, r.EmployeeNumber)
		recs[num] = append(recs[num], r)
	}
	for num, st := range want {
		if st == "failed" {
			if len(recs[num]) != 0 {
				t.Errorf("%s %s: failed, yet the target holds %+v", dir, num, recs[num])
			}
			continue
		}
		if len(recs[num]) != 1 {
			t.Errorf("%s %s: %d records in the target, want one", dir, num, len(recs[num]))
			continue
		}
		r := recs[num][0]
		if st == "created" || st == "updated" {
			for _, f := range sync.Fields() {
				if v := r.Get(f.Name); hasFormatChar(v) {
					t.Errorf("%s %s: written %s %q holds a format character", dir, num, f.Name, v)
				}
			}
		}
		for f, v := range planted[num].Written {
			if got := r.Get(sync.Field(f)); got != v {
				t.Errorf("%s %s: target %s is %q (%+q), want %q (%+q)", dir, num, f, got, got, v, v)
			}
		}
	}
	// What was not imported is as it was.
	prev := map[string]int{}
	for _, r := range before {
		prev[sync.Normalise(sync.FieldEmployeeNumber, r.EmployeeNumber)]++
	}
	for num, c := range prev {
		if _, imported := want[num]; !imported && len(recs[num]) != c {
			t.Errorf("%s %s: not imported, but the target's records went from %d to %d", dir, num, c, len(recs[num]))
		}
	}

	// And the preview now says so: every imported employee is 差分なし.
	for _, it := range e.messyDiff(t, dir) {
		if st, ok := want[it.EmployeeNumber]; ok && st != "failed" && it.Status != "unchanged" {
			t.Errorf("%s %s: %s after the import, want unchanged", dir, it.EmployeeNumber, it.Status)
		}
	}
	t.Logf("%s: imported %d (%v); writes %+v", dir, len(sel), n, writes.Total)
}

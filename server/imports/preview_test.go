package imports_test

import (
	"testing"
	"time"

	"hrbridge/server/app/apptest"
	"hrbridge/server/config"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

func opposite(dir string) string {
	if dir == toJobkan {
		return toSmartHR
	}
	return toJobkan
}

// requests is how many API requests both simulators have answered.
func (e *env) requests() int64 {
	return e.sb.Stats(sandbox.SmartHR).Requests + e.sb.Stats(sandbox.Jobkan).Requests
}

// sameDiff fails unless the preview lists the employees in the order, and
// with the statuses and fingerprints, that a diff of the providers as they
// are now gives.
func sameDiff(t *testing.T, what string, preview, fresh []diffItem) {
	t.Helper()
	if len(preview) != len(fresh) {
		t.Errorf("%s: the preview has %d employees, the providers %d", what, len(preview), len(fresh))
		return
	}
	for i, f := range fresh {
		if p := preview[i]; p.EmployeeNumber != f.EmployeeNumber || p.Status != f.Status || p.Fingerprint != f.Fingerprint {
			t.Errorf("%s %d: the preview says %s %s (%s), the providers %s %s (%s)", what, i,
				p.EmployeeNumber, p.Status, p.Fingerprint, f.EmployeeNumber, f.Status, f.Fingerprint)
		}
	}
}

// Right after an import, the selection screen shows the imported employees
// 差分なし, in the import's direction and in the other one, from the cached
// snapshots (no 再取得, not one provider request); importing them again
// skips none as stale; and each preview is what a new diff of the
// providers gives.
func TestPreviewFreshAfterImport(t *testing.T) {
	for _, d := range storetest.Dialects {
		for _, dir := range []string{toJobkan, toSmartHR} {
			t.Run(string(d)+"/"+dir, func(t *testing.T) {
				t.Parallel()
				e := start(t, d, 120)
				items := e.preview(t, dir)
				e.preview(t, opposite(dir)) // cached too
				sel := append(pick(items, 8, "changed"), pick(items, 8, "new")...)
				if len(pick(sel, -1, "new")) == 0 || len(pick(sel, -1, "changed")) == 0 {
					t.Fatalf("the scenario has nothing to import: %+v", sel)
				}
				imp := e.wait(t, e.startImport(t, dir, key("fresh"), sel).ID, time.Minute)
				if imp.Status != "succeeded" || imp.Counts.Created+imp.Counts.Updated != len(sel) {
					t.Fatalf("import ended %+v", imp)
				}

				before := e.requests()
				same := e.preview(t, dir)
				other := e.preview(t, opposite(dir))
				if n := e.requests() - before; n != 0 {
					t.Errorf("the previews after the import made %d provider requests", n)
				}
				now := byNumber(same)
				otherNow := byNumber(other)
				unchangedThere := 0
				for _, it := range sel {
					if s := now[it.EmployeeNumber].Status; s != "unchanged" {
						t.Errorf("%s (%s before) is %s in the preview after its import", it.EmployeeNumber, it.Status, s)
					}
					if otherNow[it.EmployeeNumber].Status == "unchanged" {
						unchangedThere++
					}
				}
				if unchangedThere == 0 {
					t.Errorf("none of the imported employees is unchanged the other way: %+v", other)
				}
				t.Logf("%d of %d imported employees are unchanged the other way too", unchangedThere, len(sel))

				// Importing them again from this preview: nothing is stale.
				again := make([]diffItem, len(sel))
				for i, it := range sel {
					again[i] = now[it.EmployeeNumber]
				}
				imp = e.wait(t, e.startImport(t, dir, key("again"), again).ID, time.Minute)
				if imp.Status != "succeeded" || imp.Counts.Unchanged != len(sel) || imp.Counts.Skipped != 0 {
					t.Errorf("importing them again ended %+v", imp)
				}

				sameDiff(t, dir, same, e.diff(t, dir))
				sameDiff(t, opposite(dir), other, e.diff(t, opposite(dir)))
			})
		}
	}
}

// Two instances on one PostgreSQL, each with its previews cached: an import
// freshens both instances' previews (the one that did not run it within
// about a second), without provider requests.
func TestPreviewFreshAcrossInstances(t *testing.T) {
	t.Parallel()
	e := start(t, store.Postgres, 120)
	other := apptest.Start(t, store.Postgres, func(c *config.Config) {
		c.DatabaseURL, c.Sandbox = e.Cfg.DatabaseURL, e.URL
	})
	other.App.Conns.TuneSmartHR = e.App.Conns.TuneSmartHR
	other.App.Conns.TuneJobkan = e.App.Conns.TuneJobkan
	otherAdmin := other.Login(t, apptest.AdminEmail, apptest.Password)

	dir := toSmartHR
	items := e.preview(t, dir)
	e.preview(t, opposite(dir))
	if b := e.diffPages(t, otherAdmin, dir, false); len(b) != len(items) {
		t.Fatalf("instance B sees %d employees, A %d", len(b), len(items))
	}
	e.diffPages(t, otherAdmin, opposite(dir), false)

	sel := append(pick(items, 6, "changed"), pick(items, 6, "new")...)
	imp := e.wait(t, e.startImport(t, dir, key("inst-a"), sel).ID, time.Minute)
	if imp.Status != "succeeded" || imp.Counts.Created+imp.Counts.Updated != len(sel) {
		t.Fatalf("import ended %+v", imp)
	}
	before := e.requests()
	instances := []struct {
		name string
		s    *apptest.Session
	}{{"A", e.admin}, {"B", otherAdmin}}
	for _, in := range instances {
		for _, d := range []string{dir, opposite(dir)} {
			deadline := time.Now().Add(5 * time.Second)
			for {
				now := byNumber(e.diffPages(t, in.s, d, false))
				var stale []string
				for _, it := range sel {
					if d == dir && now[it.EmployeeNumber].Status != "unchanged" {
						stale = append(stale, it.EmployeeNumber+" "+now[it.EmployeeNumber].Status)
					}
				}
				if d != dir { // the other way: the imported ones are at least no longer new there
					for _, it := range sel {
						if _, ok := now[it.EmployeeNumber]; !ok {
							stale = append(stale, it.EmployeeNumber+" missing")
						}
					}
				}
				if len(stale) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Errorf("instance %s, %s: still stale after 5 s: %v", in.name, d, stale)
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
		}
	}
	if n := e.requests() - before; n != 0 {
		t.Errorf("the previews after the import made %d provider requests", n)
	}
	for _, d := range []string{dir, opposite(dir)} {
		pa, pb := e.preview(t, d), e.diffPages(t, otherAdmin, d, false)
		fresh := e.diff(t, d)
		sameDiff(t, "A "+d, pa, fresh)
		sameDiff(t, "B "+d, pb, fresh)
	}
}

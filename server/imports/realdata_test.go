package imports_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode"

	"hrbridge/server/app/apptest"
	"hrbridge/server/config"
	"hrbridge/server/imports"
	"hrbridge/server/providers/jobkan"
	"hrbridge/server/providers/smarthr"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
	"hrbridge/server/sync"
)

// Real HR data holds the same 社員番号 in many forms: a trailing space typed
// into a spreadsheet, a full-width digit from a Japanese IME, a zero-width
// space pasted from a web page. These tests plant one person on both sides
// with a real difference (姓) and the number in such a form on one side, then
// import while the target misbehaves after the listing. Whatever happens, an
// update never becomes a create: the target ends with exactly one record of
// the person, holding the source's value.

// form is one employee's 社員番号 as each side holds it.
type form struct {
	desc     string // what was done to the number
	src, tgt string
}

// formSeed is the fixed seed of the generated forms (logged with each form).
const formSeed = 20240401

// cfRunes are the format characters (general category Cf) that
// sync.Normalise ignores, drawn from unicode.Cf.
var cfRunes = func() []rune {
	var out []rune
	for _, r16 := range unicode.Cf.R16 {
		for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
			if sync.IsFormat(r) {
				out = append(out, r)
			}
		}
	}
	for _, r32 := range unicode.Cf.R32 {
		for r := rune(r32.Lo); r <= rune(r32.Hi); r += rune(r32.Stride) {
			if sync.IsFormat(r) {
				out = append(out, r)
			}
		}
	}
	return out
}()

// transform changes the form of a number without changing it.
type transform struct {
	name string
	f    func(rng *rand.Rand, s string) string
}

func insertAt(rng *rand.Rand, s string, r rune) string {
	rs := []rune(s)
	i := rng.IntN(len(rs) + 1)
	return string(rs[:i]) + string(r) + string(rs[i:])
}

// wrap puts pad before, after or on both sides of s.
func wrap(rng *rand.Rand, s, pad string) string {
	switch rng.IntN(3) {
	case 0:
		return pad + s
	case 1:
		return s + pad
	}
	return pad + s + pad
}

func fullWidth(r rune) rune {
	if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
		return r + 0xFEE0
	}
	return r
}

func cfTransform(name string, r rune) transform {
	return transform{fmt.Sprintf("%s U+%04X", name, r), func(rng *rand.Rand, s string) string { return insertAt(rng, s, r) }}
}

// transforms are the kinds of form differences; the Cf ones each insert one
// format character at a random position.
func transforms(rng *rand.Rand) []transform {
	ts := []transform{
		{"trailing spaces", func(rng *rand.Rand, s string) string { return s + strings.Repeat(" ", 1+rng.IntN(3)) }},
		{"leading spaces", func(rng *rand.Rand, s string) string { return strings.Repeat(" ", 1+rng.IntN(3)) + s }},
		{"NBSP", func(rng *rand.Rand, s string) string { return wrap(rng, s, "\u00a0") }},
		{"ideographic space", func(rng *rand.Rand, s string) string { return wrap(rng, s, "\u3000") }},
		{"full-width", func(rng *rand.Rand, s string) string { return strings.Map(fullWidth, s) }},
		{"some full-width", func(rng *rand.Rand, s string) string {
			rs := []rune(s)
			i := rng.IntN(len(rs))
			rs[i] = fullWidth(rs[i])
			for j := range rs {
				if rng.IntN(2) == 0 {
					rs[j] = fullWidth(rs[j])
				}
			}
			return string(rs)
		}},
		cfTransform("ZWSP", '\u200b'),
		cfTransform("ZWJ", '\u200d'),
		cfTransform("word joiner", '\u2060'),
		cfTransform("BOM", '\ufeff'),
		cfTransform("soft hyphen", '\u00ad'),
	}
	for range 3 { // any other format character
		ts = append(ts, cfTransform("Cf", cfRunes[rng.IntN(len(cfRunes))]))
	}
	return ts
}

// genForms makes the forms of numbers starting with prefix: each transform
// alone on the target side, random combinations of two or three on the
// target side, one of each kind (spaces, width, format character) and a
// combination on the source side with a plain target, and two with both
// sides in different forms.
func genForms(t *testing.T, rng *rand.Rand, prefix string) []form {
	t.Helper()
	ts := transforms(rng)
	var out []form
	num := func() string { return fmt.Sprintf("%s%02d", prefix, len(out)+1) }
	combo := func(n string) (string, string) {
		v, names := n, []string{}
		for _, i := range rng.Perm(len(ts))[:2+rng.IntN(2)] {
			v = ts[i].f(rng, v)
			names = append(names, ts[i].name)
		}
		return v, strings.Join(names, " + ")
	}
	for _, tr := range ts {
		n := num()
		out = append(out, form{"target: " + tr.name, n, tr.f(rng, n)})
	}
	for range 5 {
		n := num()
		v, names := combo(n)
		out = append(out, form{"target: " + names, n, v})
	}
	// By kind: ts[0:4] are spaces, ts[4:6] width, the rest format characters.
	for _, kind := range [][2]int{{0, 4}, {4, 6}, {6, len(ts)}} {
		n := num()
		tr := ts[kind[0]+rng.IntN(kind[1]-kind[0])]
		out = append(out, form{"source: " + tr.name, tr.f(rng, n), n})
	}
	n := num()
	v, names := combo(n)
	out = append(out, form{"source: " + names, v, n})
	for range 2 {
		n := num()
		sv, sn := combo(n)
		tv, tn := combo(n)
		out = append(out, form{"source: " + sn + "; target: " + tn, sv, tv})
	}
	for _, f := range out {
		if got := sync.Normalise(sync.FieldEmployeeNumber, f.tgt); got != sync.Normalise(sync.FieldEmployeeNumber, f.src) || got == "" {
			t.Errorf("the generator made %+q (%s) differ from %+q once normalised: %+q", f.tgt, f.desc, f.src, got)
		}
	}
	return out
}

// planted is one person planted on both sides.
type planted struct {
	form
	key string // the normalised number
}

const (
	oldLast = "山田"
	newLast = "山本"
)

// record is the person as side holds them.
func record(side sandbox.Provider, number, last string, i int) sync.Employee {
	e := sync.Employee{EmployeeNumber: number, LastName: last, FirstName: "花子", HiredOn: "2019-04-01",
		Phone: "090-1234-5678", BirthDate: "1990-05-06", EmploymentStatus: "employed"}
	if side == sandbox.SmartHR {
		e.EmploymentType = "正社員"
	} else {
		e.EmploymentType = "1"
		e.Email = fmt.Sprintf("realdata-%x-%d@example.jp", number, i) // Jobkan refuses an e-mail twice
	}
	return e
}

func sourceOf(dir string) sandbox.Provider {
	if dir == toSmartHR {
		return sandbox.Jobkan
	}
	return sandbox.SmartHR
}

func (e *env) connector(p sandbox.Provider) sync.Connector {
	if p == sandbox.SmartHR {
		return e.sh
	}
	return e.jk
}

// plant creates every form's person: the source with newLast, the target
// with oldLast, through the simulators' own APIs. Forms a simulator refuses
// are logged and left out.
func (e *env) plant(t *testing.T, dir string, forms []form) []planted {
	t.Helper()
	ctx := context.Background()
	src, tgt := e.connector(sourceOf(dir)), e.connector(targetOf(dir))
	var out []planted
	for i, f := range forms {
		t.Logf("%s: source %+q target %+q (%s)", dir, f.src, f.tgt, f.desc)
		if _, err := src.Create(ctx, record(sourceOf(dir), f.src, newLast, 2*i)); err != nil {
			t.Logf("  the source refused %+q: %v", f.src, err)
			continue
		}
		if _, err := tgt.Create(ctx, record(targetOf(dir), f.tgt, oldLast, 2*i+1)); err != nil {
			t.Logf("  the target refused %+q: %v", f.tgt, err)
			continue
		}
		out = append(out, planted{f, sync.Normalise(sync.FieldEmployeeNumber, f.src)})
	}
	return out
}

// selectChanged fetches the diff and returns the planted people's items;
// each must be `changed`, never `new`.
func (e *env) selectChanged(t *testing.T, dir string, ps []planted) []diffItem {
	t.Helper()
	by := map[string]diffItem{}
	for _, it := range e.diff(t, dir) {
		by[sync.Normalise(sync.FieldEmployeeNumber, it.EmployeeNumber)] = it
	}
	var sel []diffItem
	for _, p := range ps {
		it, ok := by[p.key]
		switch {
		case !ok:
			t.Errorf("%+q (%s) is not in the diff", p.src, p.desc)
		case it.Status != "changed":
			reason := ""
			if it.Reason != nil {
				reason = *it.Reason
			}
			t.Errorf("%+q → %+q (%s) previews %s, want changed %s", p.src, p.tgt, p.desc, it.Status, reason)
		default:
			sel = append(sel, it)
		}
	}
	if len(sel) == 0 {
		t.Fatal("nothing to import")
	}
	return sel
}

// resultsByKey maps an import's results by normalised number.
func (e *env) resultsByKey(t *testing.T, id string) map[string]resultOut {
	t.Helper()
	m := map[string]resultOut{}
	for _, r := range e.results(t, id) {
		m[sync.Normalise(sync.FieldEmployeeNumber, r.EmployeeNumber)] = r
	}
	return m
}

// checkTarget asserts that the target holds exactly one record of each
// person, with the source's 姓, and that no create reached it since base
// (the writes once the people were planted).
func (e *env) checkTarget(t *testing.T, dir string, ps []planted, base sandbox.Writes) {
	t.Helper()
	p := targetOf(dir)
	rows, err := e.connector(p).List(context.Background())
	if err != nil {
		t.Fatalf("list the target: %v", err)
	}
	by := map[string][]sync.Employee{}
	for _, r := range rows {
		k := sync.Normalise(sync.FieldEmployeeNumber, r.EmployeeNumber)
		by[k] = append(by[k], r)
	}
	for _, pl := range ps {
		got := by[pl.key]
		if len(got) != 1 {
			t.Errorf("%s holds %d records of %+q (%s): %+v", p, len(got), pl.key, pl.desc, got)
			continue
		}
		if got[0].LastName != newLast {
			t.Errorf("%s holds %+q (%s) with 姓 %q, want %q", p, got[0].EmployeeNumber, pl.desc, got[0].LastName, newLast)
		}
		if got[0].EmployeeNumber != pl.tgt {
			t.Errorf("%s renumbered %+q to %+q (%s)", p, pl.tgt, got[0].EmployeeNumber, pl.desc)
		}
	}
	if w := e.sb.Writes(p); w.Total.Creates != base.Total.Creates {
		t.Errorf("%s received %d creates: %+v", p, w.Total.Creates-base.Total.Creates, w.Employees)
	}
}

func recheck(d time.Duration) apptest.Option {
	return func(c *config.Config) { c.ImportRecheckDelay = d }
}

// TestRealDataUpdateNeverCreates: for each fault after the listing, one
// import of every generated form (each a different person), in both
// directions, on both databases.
func TestRealDataUpdateNeverCreates(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects {
		for di, dir := range []string{toJobkan, toSmartHR} {
			t.Run(string(d)+"/"+dir, func(t *testing.T) {
				t.Parallel()
				start0 := time.Now()
				e := start(t, d, 10, recheck(20*time.Millisecond))
				rng := rand.New(rand.NewPCG(formSeed, uint64(di)))
				target := targetOf(dir)
				modes := []struct {
					name   string
					faults sandbox.Faults
				}{
					{"fail", sandbox.Faults{WriteFault: sandbox.WriteFail}},
					{"lost", sandbox.Faults{WriteFault: sandbox.WriteLost}},
					{"reset", sandbox.Faults{WriteFault: sandbox.WriteReset}},
					{"resetrate", sandbox.Faults{ResetRate: 0.2}},
				}
				for mi, m := range modes {
					t.Run(m.name, func(t *testing.T) {
						began := time.Now()
						prefix := fmt.Sprintf("Q%c", 'A'+mi)
						ps := e.plant(t, dir, genForms(t, rng, prefix))
						sel := e.selectChanged(t, dir, ps)
						before := e.sb.Writes(target)
						if err := e.sb.SetFaults(target, m.faults); err != nil {
							t.Fatal(err)
						}
						imp := e.startImport(t, dir, key("realdata-"+m.name), sel)
						got := e.wait(t, imp.ID, time.Minute)
						if err := e.sb.SetFaults(target, sandbox.Faults{}); err != nil {
							t.Fatal(err)
						}
						rs := e.resultsByKey(t, imp.ID)
						t.Logf("%s: import %+v", m.name, got.Counts)
						if got.Counts.Created != 0 {
							t.Errorf("%d created", got.Counts.Created)
						}
						if m.name == "fail" {
							for _, it := range sel {
								r := rs[sync.Normalise(sync.FieldEmployeeNumber, it.EmployeeNumber)]
								if r.Status != "failed" || r.Action != "update" || r.Error == nil {
									t.Errorf("%+q under fail ended %s/%s %+v", it.EmployeeNumber, r.Status, r.Action, r.Error)
								} else if r.Error.Code == "hrbridge.target_changed" {
									t.Errorf("%+q under fail ended target_changed, though nothing moved: %s", it.EmployeeNumber, r.Error.Message)
								}
							}
							if r := rs[sync.Normalise(sync.FieldEmployeeNumber, sel[0].EmployeeNumber)]; r.Error != nil {
								t.Logf("fail: %+q failed %s: %s", sel[0].EmployeeNumber, r.Error.Code, r.Error.Message)
							}
							w := e.sb.Writes(target)
							if w.Total != before.Total {
								t.Errorf("writes applied while every write failed: %+v → %+v", before.Total, w.Total)
							}
							// Jobkan recovers: the failed ones again.
							rr := e.admin.Do(t, "POST", "/api/v1/imports/"+imp.ID+"/retry", nil)
							if rr.Status != 202 {
								t.Fatalf("retry: %d %s", rr.Status, rr.Body)
							}
							var retry importOut
							rr.JSON(t, &retry)
							got = e.wait(t, retry.ID, time.Minute)
							t.Logf("fail: retry %+v", got.Counts)
							rs = e.resultsByKey(t, retry.ID)
						}
						if got.Status != "succeeded" || got.Counts.Updated != len(sel) {
							t.Errorf("the import ended %s %+v, want %d updated", got.Status, got.Counts, len(sel))
						}
						for _, it := range sel {
							r := rs[sync.Normalise(sync.FieldEmployeeNumber, it.EmployeeNumber)]
							if r.Status != "updated" || r.Action != "update" {
								t.Errorf("%+q ended %s/%s %+v", it.EmployeeNumber, r.Status, r.Action, r.Error)
							}
						}
						after := e.sb.Writes(target)
						most := 0
						defer func() { t.Logf("%s: at most %d updates applied to one employee", m.name, most) }()
						for _, p := range ps {
							w, was := after.Employees[p.tgt], before.Employees[p.tgt]
							updates := w.Updates - was.Updates
							most = max(most, updates)
							switch {
							case w.Creates != was.Creates:
								t.Errorf("%+q (%s): %d creates", p.tgt, p.desc, w.Creates-was.Creates)
							case updates < 1:
								t.Errorf("%+q (%s): no update applied", p.tgt, p.desc)
							case updates > 1 && (m.name == "fail" || m.name == "resetrate"):
								// Only a write whose answer is lost may be sent again.
								t.Errorf("%+q (%s): %d updates applied, want 1", p.tgt, p.desc, updates)
							}
						}
						e.checkTarget(t, dir, ps, before)
						t.Logf("%s: %d people in %s", m.name, len(sel), time.Since(began).Round(time.Millisecond))
					})
				}
				t.Run("crash", func(t *testing.T) { crashMidWrite(t, d, dir, rng) })
				t.Logf("%s/%s took %s", d, dir, time.Since(start0).Round(time.Millisecond))
			})
		}
	}
}

// startOn runs hrbridge on the database at dbURL with the simulators of sb
// served at sbURL (another "process"), with the same tuning as start.
func startOn(t *testing.T, d store.Dialect, dbURL, sbURL string, sb *sandbox.Sandbox, opts ...apptest.Option) *env {
	t.Helper()
	opts = append([]apptest.Option{func(c *config.Config) { c.Sandbox, c.DatabaseURL = sbURL, dbURL }}, opts...)
	e := apptest.Start(t, d, opts...)
	e.App.Conns.TuneSmartHR = func(o *smarthr.Options) { o.Limits, o.HTTP = noLimits, fastRetries }
	e.App.Conns.TuneJobkan = func(o *jobkan.Options) { o.Limits, o.HTTP = noLimits, fastRetries }
	sh, err := smarthr.New(sbURL+sandbox.SmartHRBase+"/api", sandbox.SmartHRToken, smarthr.Options{Limits: noLimits})
	if err != nil {
		t.Fatal(err)
	}
	jk, err := jobkan.New(sbURL+sandbox.JobkanBase, sbURL+sandbox.JobkanBase+"/oauth/token", sandbox.JobkanClientID, sandbox.JobkanClientSecret,
		jobkan.Options{Limits: noLimits})
	if err != nil {
		t.Fatal(err)
	}
	return &env{Env: e, admin: e.Admin(t), sb: sb, sh: sh, jk: jk}
}

// writingNow lists the results of an import left in status writing.
func writingNow(t *testing.T, e *env, id string) []string {
	t.Helper()
	var rows []store.ImportResult
	if err := e.App.Store.DB.Where("import_id = ? AND status = ?", id, imports.ResultWriting).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.EmployeeNumber
	}
	return out
}

// crashMidWrite stops an instance in the middle of writes (its job client
// stopped with its jobs' contexts cancelled, as a crash would leave them) so
// that results stay in status writing, then resumes the import on a second
// instance on the same database and simulators:
//   - "landed": every write's answer is lost (it was applied) and the
//     instance stops while it waits to look again;
//   - "in flight": the target is slow and the instance stops while the
//     writes wait there (they are never applied).
func crashMidWrite(t *testing.T, d store.Dialect, dir string, rng *rand.Rand) {
	for ci, c := range []struct {
		name   string
		faults sandbox.Faults
	}{
		{"landed", sandbox.Faults{WriteFault: sandbox.WriteLost}},
		{"in-flight", sandbox.Faults{LatencyMS: 2000}},
	} {
		t.Run(c.name, func(t *testing.T) {
			began := time.Now()
			sb := sandbox.New(sandbox.Options{Seed: 1, Size: 10})
			srv := httptest.NewServer(sb.Handler())
			t.Cleanup(srv.Close)
			for _, p := range []sandbox.Provider{sandbox.SmartHR, sandbox.Jobkan} {
				if err := sb.SetFaults(p, sandbox.Faults{}); err != nil {
					t.Fatal(err)
				}
			}
			target := targetOf(dir)
			dbURL := storetest.URL(t, d)
			var (
				ps       []planted
				sel      []diffItem
				impID    string
				left     []string       // numbers left writing
				base     sandbox.Writes // once planted
				atCrash  sandbox.Writes
				rescueOK = func(c *config.Config) { c.JobRescueAfter = 3 * time.Second }
			)
			t.Run("first instance", func(t *testing.T) {
				e := startOn(t, d, dbURL, srv.URL, sb, recheck(time.Minute))
				ps = e.plant(t, dir, genForms(t, rng, fmt.Sprintf("QX%d", ci)))
				sel = e.selectChanged(t, dir, ps)
				base = sb.Writes(target)
				if err := sb.SetFaults(target, c.faults); err != nil {
					t.Fatal(err)
				}
				imp := e.startImport(t, dir, key("realdata-crash"), sel)
				impID = imp.ID
				want := min(8, len(sel)) // imports.Config.Writers by default
				deadline := time.Now().Add(30 * time.Second)
				for len(writingNow(t, e, imp.ID)) < want {
					if time.Now().After(deadline) {
						t.Fatalf("no %d writes in flight: %+v", want, e.get(t, imp.ID))
					}
					time.Sleep(20 * time.Millisecond)
				}
				if c.faults.WriteFault != "" {
					// Let the client's own retries end: the worker then waits
					// (a minute) before looking again.
					time.Sleep(2 * time.Second)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := e.App.Imports.River().StopAndCancel(ctx); err != nil {
					t.Logf("stop and cancel: %v", err)
				}
				left = writingNow(t, e, imp.ID)
				atCrash = sb.Writes(target)
				t.Logf("crashed with %d results writing (%v), import %+v, writes %+v", len(left), left, e.get(t, imp.ID), atCrash.Total)
				if len(left) == 0 {
					t.Fatal("the crash left no result writing")
				}
			})
			if t.Failed() {
				return
			}
			if err := sb.SetFaults(target, sandbox.Faults{}); err != nil {
				t.Fatal(err)
			}
			resumed := time.Now()
			e := startOn(t, d, dbURL, srv.URL, sb, recheck(20*time.Millisecond), rescueOK)
			got := e.wait(t, impID, 90*time.Second)
			t.Logf("second instance started and the import ended in %s: %s %+v", time.Since(resumed).Round(time.Millisecond), got.Status, got.Counts)
			if got.Status != "succeeded" || got.Counts.Updated != len(sel) || got.Counts.Created != 0 {
				t.Errorf("the import ended %s %+v, want %d updated", got.Status, got.Counts, len(sel))
			}
			rs := e.resultsByKey(t, impID)
			for _, it := range sel {
				r := rs[sync.Normalise(sync.FieldEmployeeNumber, it.EmployeeNumber)]
				if r.Status != "updated" || r.Action != "update" {
					t.Errorf("%+q ended %s/%s %+v", it.EmployeeNumber, r.Status, r.Action, r.Error)
				}
			}
			wasLeft := map[string]bool{}
			for _, n := range left {
				wasLeft[sync.Normalise(sync.FieldEmployeeNumber, n)] = true
			}
			after := sb.Writes(target)
			for _, p := range ps {
				w, at, b := after.Employees[p.tgt], atCrash.Employees[p.tgt], base.Employees[p.tgt]
				w.Updates, at.Updates = w.Updates-b.Updates, at.Updates-b.Updates
				switch {
				case w.Creates != b.Creates:
					t.Errorf("%+q (%s): %d creates", p.tgt, p.desc, w.Creates-b.Creates)
				case wasLeft[p.key] && c.faults.WriteFault != "" && (at.Updates == 0 || w.Updates != at.Updates):
					// It landed before the crash: the resume sees it and writes nothing.
					t.Errorf("%+q (%s) left writing: %d updates at the crash, %d after the resume", p.tgt, p.desc, at.Updates, w.Updates)
				case wasLeft[p.key] && c.faults.WriteFault == "" && (at.Updates != 0 || w.Updates != 1):
					// It never reached the target: the resume writes it once.
					t.Errorf("%+q (%s) left writing: %d updates at the crash, %d after the resume, want 0 then 1", p.tgt, p.desc, at.Updates, w.Updates)
				case !wasLeft[p.key] && w.Updates-at.Updates != 1 && at.Updates == 0:
					t.Errorf("%+q (%s): %d updates after the resume, want 1", p.tgt, p.desc, w.Updates-at.Updates)
				}
			}
			e.checkTarget(t, dir, ps, base)
			t.Logf("crash %s took %s", c.name, time.Since(began).Round(time.Millisecond))
		})
	}
}

// TestRealDataRecordGone: the previewed target record is renumbered after
// the preview — before the import starts, or while the worker waits to look
// again after a failed write. Nothing is written and nothing created: the
// first is skipped as stale (or fails target_changed), the second fails
// hrbridge.target_changed with a Japanese message.
func TestRealDataRecordGone(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects {
		for _, dir := range []string{toJobkan, toSmartHR} {
			t.Run(string(d)+"/"+dir, func(t *testing.T) {
				t.Parallel()
				e := start(t, d, 10, recheck(1500*time.Millisecond))
				target := targetOf(dir)
				ctx := context.Background()
				tgt := e.connector(target)
				renumber := func(t *testing.T, p planted, to string) {
					t.Helper()
					found, err := tgt.FindByNumber(ctx, p.tgt)
					if err != nil || len(found) != 1 {
						t.Fatalf("find %+q in the target: %v %v", p.tgt, found, err)
					}
					want := found[0]
					want.EmployeeNumber = to
					if err := tgt.Update(ctx, found[0], want, []sync.Field{sync.FieldEmployeeNumber}); err != nil {
						t.Fatalf("renumber %+q: %v", p.tgt, err)
					}
				}
				check := func(t *testing.T, ps []planted, base sandbox.Writes) {
					t.Helper()
					rows, err := tgt.List(ctx)
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range ps {
						n := 0
						for _, r := range rows {
							if sync.Normalise(sync.FieldEmployeeNumber, r.EmployeeNumber) == p.key {
								n++
							}
							if r.EmployeeNumber == "GONE-"+p.key && r.LastName != oldLast {
								t.Errorf("the renumbered record of %+q was written: %+v", p.key, r)
							}
						}
						if n != 0 {
							t.Errorf("%s holds %d records of %+q after its record was renumbered", target, n, p.key)
						}
					}
					if w := e.sb.Writes(target); w.Total.Creates != base.Total.Creates {
						t.Errorf("%s received %d creates: %+v", target, w.Total.Creates-base.Total.Creates, w.Employees)
					}
				}
				forms := []form{{"plain", "GA01", "GA01"}, {"target: trailing space", "GA02", "GA02 "}, {"target: ZWSP", "GA03", "GA\u200b03"}}

				t.Run("before the import", func(t *testing.T) {
					ps := e.plant(t, dir, forms)
					sel := e.selectChanged(t, dir, ps)
					base := e.sb.Writes(target)
					for _, p := range ps {
						renumber(t, p, "GONE-"+p.key)
					}
					r := e.post(t, dir, key("gone-before"), sel)
					if r.Status != 202 {
						t.Logf("the import was refused: %d %s", r.Status, r.Body)
						check(t, ps, base)
						return
					}
					var imp importOut
					r.JSON(t, &imp)
					got := e.wait(t, imp.ID, time.Minute)
					t.Logf("import ended %s %+v", got.Status, got.Counts)
					for _, it := range sel {
						res := e.resultsByKey(t, imp.ID)[sync.Normalise(sync.FieldEmployeeNumber, it.EmployeeNumber)]
						t.Logf("%+q: %s/%s %+v", it.EmployeeNumber, res.Status, res.Action, res.Error)
						ok := res.Status == "skipped_stale" ||
							res.Status == "failed" && res.Error != nil && res.Error.Code == "hrbridge.target_changed"
						if !ok {
							t.Errorf("%+q ended %s/%s %+v, want skipped_stale or failed target_changed", it.EmployeeNumber, res.Status, res.Action, res.Error)
						}
					}
					check(t, ps, base)
				})

				t.Run("while looking again", func(t *testing.T) {
					fs := make([]form, len(forms))
					for i, f := range forms {
						fs[i] = form{f.desc, strings.Replace(f.src, "GA", "GB", 1), strings.Replace(f.tgt, "GA", "GB", 1)}
					}
					// And one renumbered to an equivalent form: not gone, but
					// no longer under the number it was listed with.
					fs = append(fs, form{"target: trailing space, then renumbered to full-width", "GB04", "GB04 "})
					ps := e.plant(t, dir, fs)
					sel := e.selectChanged(t, dir, ps)
					equiv, ps := ps[len(ps)-1], ps[:len(ps)-1]
					base := e.sb.Writes(target)
					if err := e.sb.SetFaults(target, sandbox.Faults{WriteFault: sandbox.WriteFail}); err != nil {
						t.Fatal(err)
					}
					imp := e.startImport(t, dir, key("gone-during"), sel)
					// Each write is tried 6 times by the client (5xx on an
					// idempotent write); then the worker waits 1.5 s before
					// looking again: the records are renumbered meanwhile.
					deadline := time.Now().Add(30 * time.Second)
					for e.sb.Stats(target).InjectedErrors < int64(6*len(sel)) {
						if time.Now().After(deadline) {
							t.Fatalf("the writes have not failed: %+v", e.sb.Stats(target))
						}
						time.Sleep(10 * time.Millisecond)
					}
					if err := e.sb.SetFaults(target, sandbox.Faults{}); err != nil {
						t.Fatal(err)
					}
					for _, p := range ps {
						renumber(t, p, "GONE-"+p.key)
					}
					renumber(t, equiv, "ＧＢ０４")
					got := e.wait(t, imp.ID, time.Minute)
					t.Logf("import ended %s %+v", got.Status, got.Counts)
					rs := e.resultsByKey(t, imp.ID)
					// The equivalent one: updated, or failed target_changed;
					// either way one record, never a create.
					eq := rs[equiv.key]
					t.Logf("renumbered %+q → %+q: %s/%s %+v", equiv.tgt, "ＧＢ０４", eq.Status, eq.Action, eq.Error)
					wantLast := newLast
					switch {
					case eq.Status == "updated":
					case eq.Status == "failed" && eq.Error != nil && eq.Error.Code == "hrbridge.target_changed":
						wantLast = oldLast
					default:
						t.Errorf("%+q ended %s/%s %+v", equiv.key, eq.Status, eq.Action, eq.Error)
					}
					found, err := tgt.List(ctx)
					if err != nil {
						t.Fatal(err)
					}
					var same []sync.Employee
					for _, r := range found {
						if sync.Normalise(sync.FieldEmployeeNumber, r.EmployeeNumber) == equiv.key {
							same = append(same, r)
						}
					}
					if len(same) != 1 || same[0].LastName != wantLast {
						t.Errorf("%s holds %+v for %+q, want one record with 姓 %s", target, same, equiv.key, wantLast)
					}
					for _, it := range sel {
						res := rs[sync.Normalise(sync.FieldEmployeeNumber, it.EmployeeNumber)]
						if res.EmployeeNumber == eq.EmployeeNumber {
							continue
						}
						t.Logf("%+q: %s/%s %+v", it.EmployeeNumber, res.Status, res.Action, res.Error)
						if res.Status != "failed" || res.Action != "update" || res.Error == nil || res.Error.Code != "hrbridge.target_changed" {
							t.Errorf("%+q ended %s/%s %+v, want failed target_changed", it.EmployeeNumber, res.Status, res.Action, res.Error)
						} else if !strings.Contains(res.Error.Message, "新規登録もしていません") {
							t.Errorf("%+q: message %q", it.EmployeeNumber, res.Error.Message)
						}
					}
					if got.Counts.Created != 0 || got.Counts.Failed+got.Counts.Updated != len(sel) || got.Counts.Failed < len(ps) {
						t.Errorf("the import ended %s %+v", got.Status, got.Counts)
					}
					check(t, ps, base)
				})
			})
		}
	}
}

package imports_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"hrbridge/server/app/apptest"
	"hrbridge/server/auth"
	"hrbridge/server/config"
	"hrbridge/server/mail/mailtest"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
	"hrbridge/server/sync"
)

// Both directions on both databases: every new employee is created, every
// changed one updated (only its changed fields), unchanged ones are left
// alone, each written exactly once, and afterwards the diff shows every
// selected employee unchanged: the target holds the expected values.
func TestImportBothDirections(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := start(t, d, 120)
			for _, dir := range []string{toSmartHR, toJobkan} {
				e.sb.Reset(1, 120) // one direction's import leaves nothing changed for the other
				items := e.diff(t, dir)
				sel := append(pick(items, -1, "new", "changed"), pick(items, 4, "unchanged")...)
				news, changed := len(pick(sel, -1, "new")), len(pick(sel, -1, "changed"))
				if news == 0 || changed == 0 {
					t.Fatalf("%s: the scenario has %d new and %d changed employees", dir, news, changed)
				}
				imp := e.startImport(t, dir, key(dir), sel)
				if imp.Status != "queued" || imp.Total != len(sel) || imp.StartedBy != apptest.AdminEmail {
					t.Fatalf("accepted import: %+v", imp)
				}
				imp = e.wait(t, imp.ID, time.Minute)
				c := imp.Counts
				if imp.Status != "succeeded" || c.Created != news || c.Updated != changed || c.Unchanged != 4 || c.Failed != 0 ||
					c.Skipped != 0 || imp.Done != len(sel) || imp.StartedAt == nil || imp.FinishedAt == nil {
					t.Fatalf("%s: ended %+v; want %d created, %d updated, 4 unchanged", dir, imp, news, changed)
				}

				res := resultsBy(e.results(t, imp.ID))
				writes := e.sb.Writes(targetOf(dir)).Employees
				for _, it := range sel {
					r, w := res[it.EmployeeNumber], writes[it.EmployeeNumber]
					switch it.Status {
					case "new":
						if r.Status != "created" || r.Action != "create" || w.Creates != 1 || w.Updates != 0 {
							t.Errorf("%s %s: result %+v, writes %+v", dir, it.EmployeeNumber, r, w)
						}
					case "changed":
						if r.Status != "updated" || r.Action != "update" || len(r.ChangedFields) == 0 || w.Creates != 0 || w.Updates != 1 {
							t.Errorf("%s %s: result %+v, writes %+v", dir, it.EmployeeNumber, r, w)
						}
					case "unchanged":
						if r.Status != "unchanged" || r.Action != "none" || w.Creates+w.Updates != 0 {
							t.Errorf("%s %s: result %+v, writes %+v", dir, it.EmployeeNumber, r, w)
						}
					}
				}
				after := byNumber(e.diff(t, dir))
				for _, it := range sel {
					if got := after[it.EmployeeNumber]; got.Status != "unchanged" {
						t.Errorf("%s %s: after the import the diff says %s", dir, it.EmployeeNumber, got.Status)
					}
				}
			}
		})
	}
}

// The source changes between the preview and the import: the employee is
// skipped (skipped_stale) and nothing is written for them; the others go on.
func TestStalePreview(t *testing.T) {
	e := start(t, store.SQLite, 120)
	items := e.diff(t, toJobkan)
	sel := pick(items, 3, "changed")
	stale := sel[0].EmployeeNumber
	e.setSource(t, toJobkan, stale, sync.FieldPhone, "03-1234-9876")

	imp := e.wait(t, e.startImport(t, toJobkan, key("stale"), sel).ID, time.Minute)
	if imp.Status != "succeeded" || imp.Counts.Skipped != 1 || imp.Counts.Updated != 2 {
		t.Fatalf("ended %+v", imp)
	}
	r := resultsBy(e.results(t, imp.ID))[stale]
	// Not an error, but explained: the data moved, look at the diff again.
	if r.Status != "skipped_stale" || r.Action != "none" || r.Error == nil || r.Error.Code != "hrbridge.skipped_stale" || r.Error.Action != "reload_diff" {
		t.Errorf("stale employee's result %+v %+v", r, r.Error)
	}
	if w := e.sb.Writes(targetOf(toJobkan)).Employees[stale]; w.Creates+w.Updates != 0 {
		t.Errorf("the stale employee was written: %+v", w)
	}
	// The administrator checks again: the new diff has a new fingerprint.
	now := byNumber(e.diff(t, toJobkan))[stale]
	if now.Status != "changed" || now.Fingerprint == sel[0].Fingerprint {
		t.Errorf("after the change the diff says %+v", now)
	}
}

// What POST /imports refuses, with a 422 naming each offending employee, and
// the Idempotency-Key.
func TestCreateValidationAndIdempotency(t *testing.T) {
	e := start(t, store.SQLite, 120)
	items := e.diff(t, toJobkan)
	changed := pick(items, 2, "changed")
	var conflict []diffItem
	for _, it := range pick(items, -1, "conflict") {
		if it.EmployeeNumber != "" { // not the crew without a 社員番号
			conflict = append(conflict, it)
		}
	}
	if len(conflict) == 0 {
		t.Fatal("the scenario has no conflict")
	}
	problemOf := func(r apptest.Response) (p struct {
		Status int
		Detail string
		Errors []struct{ Location, Message string }
	}) {
		t.Helper()
		if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Fatalf("Content-Type %q: %s", ct, r.Body)
		}
		r.JSON(t, &p)
		return p
	}
	unknown := diffItem{EmployeeNumber: "NOPE-404", Fingerprint: "x"}
	cases := []struct {
		name   string
		items  []diffItem
		locs   []string
		inText string
	}{
		{"unknown", []diffItem{changed[0], unknown}, []string{"body.employees[1].employee_number"}, "NOPE-404"},
		{"conflict", []diffItem{conflict[0], changed[0]}, []string{"body.employees[0].employee_number"}, "conflict"},
		{"twice", []diffItem{changed[0], changed[1], changed[0]}, []string{"body.employees[2].employee_number"}, "employees[0]"},
	}
	for _, c := range cases {
		r := e.post(t, toJobkan, key(c.name), c.items)
		if r.Status != 422 {
			t.Fatalf("%s: %d %s", c.name, r.Status, r.Body)
		}
		p := problemOf(r)
		if len(p.Errors) != len(c.locs) {
			t.Fatalf("%s: errors %+v", c.name, p.Errors)
		}
		for i, loc := range c.locs {
			if p.Errors[i].Location != loc || !strings.Contains(p.Errors[i].Message, c.inText) {
				t.Errorf("%s: error %+v, want %s mentioning %q", c.name, p.Errors[i], loc, c.inText)
			}
		}
	}
	var n int64
	e.App.Store.DB.Model(&store.Import{}).Count(&n)
	if n != 0 {
		t.Fatalf("refused requests wrote %d imports", n)
	}

	// The same key and body: the same import, once.
	k := key("same")
	first := e.startImport(t, toJobkan, k, changed)
	again := e.startImport(t, toJobkan, k, changed)
	if again.ID != first.ID {
		t.Errorf("a repeated request made import %s besides %s", again.ID, first.ID)
	}
	// The same key with another body: refused.
	r := e.post(t, toJobkan, k, changed[:1])
	if p := problemOf(r); r.Status != 422 || len(p.Errors) != 1 || p.Errors[0].Location != "header.Idempotency-Key" {
		t.Errorf("same key, other body: %d %s", r.Status, r.Body)
	}
	e.wait(t, first.ID, time.Minute)
	var list struct{ Items []importOut }
	e.admin.Do(t, "GET", "/api/v1/imports", nil).JSON(t, &list)
	if len(list.Items) != 1 {
		t.Errorf("%d imports in the history, want 1", len(list.Items))
	}
	if w := e.sb.Writes(targetOf(toJobkan)).Total; w.Updates != 2 {
		t.Errorf("writes %+v, want 2 updates", w)
	}

	// A viewer may read the history but not import.
	viewer := e.Viewer(t)
	if r := viewer.Do(t, "POST", "/api/v1/imports", body(toJobkan, changed), "Idempotency-Key", key("viewer")); r.Status != 403 {
		t.Errorf("viewer import: %d", r.Status)
	}
	if r := viewer.Do(t, "GET", "/api/v1/imports/"+first.ID, nil); r.Status != 200 {
		t.Errorf("viewer read: %d", r.Status)
	}
	// Nothing failed: nothing to retry. It ended: nothing to cancel.
	if r := e.admin.Do(t, "POST", "/api/v1/imports/"+first.ID+"/retry", nil); r.Status != 409 {
		t.Errorf("retry without failures: %d %s", r.Status, r.Body)
	}
	if r := e.admin.Do(t, "POST", "/api/v1/imports/"+first.ID+"/cancel", nil); r.Status != 409 {
		t.Errorf("cancel an ended import: %d %s", r.Status, r.Body)
	}
	if r := e.admin.Do(t, "GET", "/api/v1/imports/00000000-0000-4000-8000-000000000000", nil); r.Status != 404 {
		t.Errorf("unknown import: %d", r.Status)
	}
}

// A cancel stops a running import after the employees in flight; the rest
// stay pending and are never written. A queued import is canceled at once.
func TestCancel(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := start(t, d, 200)
			e.limit(t, toJobkan, 4, 0) // 4 writes a second: the import takes a while
			items := e.diff(t, toJobkan)
			sel := pick(items, 30, "changed", "new")
			rest := pick(items, -1, "changed", "new")[30:]
			running := e.startImport(t, toJobkan, key("a"), sel)
			queued := e.startImport(t, toJobkan, key("b"), rest[:5])
			for e.get(t, running.ID).Done == 0 {
				time.Sleep(50 * time.Millisecond)
			}
			// The second import waits for the first (same target system).
			if st := e.get(t, queued.ID).Status; st != "queued" {
				t.Fatalf("second import %s while the first runs", st)
			}
			r := e.admin.Do(t, "POST", "/api/v1/imports/"+queued.ID+"/cancel", nil)
			var q importOut
			r.JSON(t, &q)
			if r.Status != 202 || q.Status != "canceled" || q.FinishedAt == nil {
				t.Fatalf("cancel queued: %d %s", r.Status, r.Body)
			}
			r = e.admin.Do(t, "POST", "/api/v1/imports/"+running.ID+"/cancel", nil)
			if r.Status != 202 {
				t.Fatalf("cancel running: %d %s", r.Status, r.Body)
			}
			imp := e.wait(t, running.ID, time.Minute)
			if imp.Status != "canceled" || imp.Done == 0 || imp.Done >= len(sel) {
				t.Fatalf("after cancel: %+v", imp)
			}
			res := e.results(t, running.ID, "status", "pending")
			if len(res) != len(sel)-imp.Done {
				t.Errorf("%d pending results, want %d", len(res), len(sel)-imp.Done)
			}
			time.Sleep(300 * time.Millisecond) // nothing more may arrive
			writes := e.sb.Writes(sandbox.Jobkan)
			if w := writes.Total.Creates + writes.Total.Updates; w != imp.Counts.Created+imp.Counts.Updated {
				t.Errorf("%d writes for %d created+updated", w, imp.Counts.Created+imp.Counts.Updated)
			}
			for _, r := range res {
				if w := writes.Employees[r.EmployeeNumber]; w.Creates+w.Updates != 0 {
					t.Errorf("pending %s was written", r.EmployeeNumber)
				}
			}
			if q := e.get(t, queued.ID); q.Status != "canceled" || q.Done != 0 {
				t.Errorf("canceled queued import: %+v", q)
			}
			// Canceling again is harmless.
			if r := e.admin.Do(t, "POST", "/api/v1/imports/"+running.ID+"/cancel", nil); r.Status != 202 {
				t.Errorf("cancel twice: %d", r.Status)
			}
		})
	}
}

// Two imports into one system asked at the same moment both finish, one
// after the other, never at the same time.
func TestTwoImportsAtOnce(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			e := start(t, d, 200)
			e.limit(t, toSmartHR, 40, 20)
			items := pick(e.diff(t, toSmartHR), 24, "changed", "new")
			halves := [][]diffItem{items[:12], items[12:]}
			ids := make([]string, 2)
			var wg gosync.WaitGroup
			for i := range halves {
				wg.Go(func() { ids[i] = e.startImport(t, toSmartHR, key("twin"), halves[i]).ID })
			}
			wg.Wait()
			a, b := e.wait(t, ids[0], time.Minute), e.wait(t, ids[1], time.Minute)
			for _, imp := range []importOut{a, b} {
				if imp.Status != "succeeded" || imp.Done != 12 {
					t.Errorf("import %+v", imp)
				}
			}
			if a.StartedAt.Before(*b.FinishedAt) && b.StartedAt.Before(*a.FinishedAt) {
				t.Errorf("the imports overlapped: %s–%s and %s–%s", a.StartedAt, a.FinishedAt, b.StartedAt, b.FinishedAt)
			}
			if w := e.sb.Writes(sandbox.SmartHR).Total; w.Creates+w.Updates != 24 {
				t.Errorf("writes %+v, want 24", w)
			}
		})
	}
}

// An employee the target refuses fails with the provider's code and words;
// the import goes on, ends partially_failed, notifies every administrator in
// the app and mails the one who started it (over real SMTP, retried after a
// failure). After the data is fixed, a retry imports the failed employee
// with its current fingerprint.
func TestFailureNotificationMailAndRetry(t *testing.T) {
	smtp := mailtest.Start(t, mailtest.Options{Fail: 1}) // the first delivery fails
	e := start(t, store.SQLite, 120, func(c *config.Config) {
		c.SMTPURL, c.MailFrom = "smtp://"+smtp.Addr, "hrbridge <noreply@example.jp>"
	})
	// A second administrator reads hrbridge in English (set by the SPA's switch).
	e.CreateUser(t, "en-admin@test.example", auth.RoleAdmin)
	enAdmin := e.Login(t, "en-admin@test.example", apptest.Password)
	if r := enAdmin.Do(t, "PATCH", "/api/v1/me", map[string]any{"language": "en"}); r.Status != 200 {
		t.Fatalf("PATCH /me: %d %s", r.Status, r.Body)
	}
	sel := pick(e.diff(t, toJobkan), 3, "changed")
	bad := sel[1].EmployeeNumber
	// SmartHR takes a 60-character family name; Jobkan refuses more than 50.
	e.setSource(t, toJobkan, bad, sync.FieldLastName, strings.Repeat("長", 60))
	sel = pick(e.diff(t, toJobkan), -1, "changed")
	sel = []diffItem{byNumber(sel)[sel[0].EmployeeNumber], byNumber(sel)[bad], byNumber(sel)[sel[2].EmployeeNumber]}

	imp := e.wait(t, e.startImport(t, toJobkan, key("fail"), sel).ID, time.Minute)
	if imp.Status != "partially_failed" || imp.Counts.Failed != 1 || imp.Counts.Updated != 2 {
		t.Fatalf("ended %+v", imp)
	}
	r := resultsBy(e.results(t, imp.ID))[bad]
	// Written for people: the field's label and advice that fits (fix the
	// data in the source, SmartHR), the provider's words only in the detail.
	if r.Status != "failed" || r.Error == nil || r.Error.Code != "jobkan.rejected_value" || !strings.Contains(r.Error.Message, "姓") ||
		strings.Contains(r.Error.Message, "last_name") || r.Error.Action != "fix_source_data" || !strings.Contains(r.Error.Advice, "SmartHRで") ||
		!strings.Contains(r.Error.Detail, "50文字以内") {
		t.Fatalf("failed result %+v %+v", r, r.Error)
	}
	// In English when asked.
	var en struct {
		Items []resultOut
	}
	e.admin.Do(t, "GET", "/api/v1/imports/"+imp.ID+"/results?status=failed", nil, "Accept-Language", "en").JSON(t, &en)
	if len(en.Items) != 1 || en.Items[0].Error == nil || !strings.Contains(en.Items[0].Error.Message, "Jobkan did not accept") || !strings.Contains(en.Items[0].Error.Message, "Last name") {
		t.Errorf("English result %+v", en.Items)
	}
	if failed := e.results(t, imp.ID, "status", "failed"); len(failed) != 1 || failed[0].EmployeeNumber != bad {
		t.Errorf("status filter: %+v", failed)
	}

	// In the app: a notification for each administrator.
	type note struct {
		ID, Kind, Title, Body string
		ImportID              *string    `json:"import_id"`
		ReadAt                *time.Time `json:"read_at"`
	}
	var page struct {
		Items  []note
		Unread int
	}
	e.admin.Do(t, "GET", "/api/v1/notifications?unread=true", nil).JSON(t, &page)
	if page.Unread != 1 || len(page.Items) != 1 {
		t.Fatalf("notifications %+v", page)
	}
	n := page.Items[0]
	if n.Kind != "import_finished" || n.Title != "ジョブカン連携の取り込みが一部失敗しました" || n.ImportID == nil || *n.ImportID != imp.ID ||
		!strings.Contains(n.Body, bad) || !strings.Contains(n.Body, "失敗: 1件") {
		t.Errorf("notification %+v", n)
	}
	// The English-reading administrator's notification is in English, with
	// the zone of its times and the failed employee's message and advice.
	var enPage struct{ Items []note }
	enAdmin.Do(t, "GET", "/api/v1/notifications", nil).JSON(t, &enPage)
	if len(enPage.Items) != 1 || enPage.Items[0].Title != "Jobkan integration: the import partly failed" ||
		!strings.Contains(enPage.Items[0].Body, bad) || !strings.Contains(enPage.Items[0].Body, "JST") ||
		!strings.Contains(enPage.Items[0].Body, "Correct Last name in SmartHR") || strings.Contains(enPage.Items[0].Body, "失敗") {
		t.Errorf("English notification %+v", enPage.Items)
	}
	// Only its owner may mark it read.
	other := e.Viewer(t)
	if r := other.Do(t, "POST", "/api/v1/notifications/"+n.ID+"/read", nil); r.Status != 404 {
		t.Errorf("another user marked it: %d", r.Status)
	}
	if r := e.admin.Do(t, "POST", "/api/v1/notifications/"+n.ID+"/read", nil); r.Status != 200 {
		t.Fatalf("mark read: %d %s", r.Status, r.Body)
	}
	e.admin.Do(t, "GET", "/api/v1/notifications", nil).JSON(t, &page)
	if page.Unread != 0 || len(page.Items) != 1 || page.Items[0].ReadAt == nil {
		t.Errorf("after reading: %+v", page)
	}

	// By mail, to the administrator who started it, after one failed try.
	m := smtp.Wait(t, 1, 30*time.Second)[0]
	if m.Subject != "ジョブカン連携の取り込みが一部失敗しました" || len(m.To) != 1 || m.To[0] != apptest.AdminEmail {
		t.Errorf("mail to %v: %q", m.To, m.Subject)
	}
	for _, want := range []string{bad, "jobkan.rejected_value", "50文字以内", "SmartHRで姓", "（日本時間）", e.Cfg.BaseURL + "/imports/" + imp.ID, "更新: 2件", "SmartHRからジョブカンに取り込む"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("the mail does not mention %q:\n%s", want, m.Body)
		}
	}
	if smtp.Attempts() != 2 {
		t.Errorf("%d deliveries tried, want 2 (one failure, one retry)", smtp.Attempts())
	}

	// The administrator fixes the name in SmartHR and retries.
	e.setSource(t, toJobkan, bad, sync.FieldLastName, "修正")
	r2 := e.admin.Do(t, "POST", "/api/v1/imports/"+imp.ID+"/retry", nil)
	var retry importOut
	r2.JSON(t, &retry)
	if r2.Status != 202 || retry.RetryOf == nil || *retry.RetryOf != imp.ID || retry.Total != 1 {
		t.Fatalf("retry: %d %s", r2.Status, r2.Body)
	}
	again := e.admin.Do(t, "POST", "/api/v1/imports/"+imp.ID+"/retry", nil)
	var same importOut
	again.JSON(t, &same)
	if same.ID != retry.ID {
		t.Errorf("retrying twice made a second import")
	}
	retry = e.wait(t, retry.ID, time.Minute)
	if retry.Status != "succeeded" || retry.Counts.Updated != 1 {
		t.Fatalf("retry ended %+v", retry)
	}
	if got := byNumber(e.diff(t, toJobkan))[bad]; got.Status != "unchanged" {
		t.Errorf("after the retry %s is %s", bad, got.Status)
	}
	if m := smtp.Wait(t, 2, 30*time.Second)[1]; m.Subject != "ジョブカン連携の取り込みが完了しました" {
		t.Errorf("second mail %q", m.Subject)
	}

	// 連携履歴 as CSV for Excel: BOM, a header, every result.
	req, _ := http.NewRequest("GET", e.URL+"/api/v1/imports/"+imp.ID+"/results", nil)
	req.Header.Set("Accept", "text/csv")
	resp, err := e.admin.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Fatalf("CSV: %d %s %.40q", resp.StatusCode, resp.Header.Get("Content-Type"), buf.Bytes())
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "employee_number" || rows[2][0] != bad || rows[2][3] != "failed" || !strings.Contains(rows[2][6], "姓") || !strings.Contains(rows[2][8], "50文字以内") {
		t.Errorf("CSV rows %q", rows)
	}
}

// The event stream sends the import's progress and ends with it.
func TestEventStream(t *testing.T) {
	e := start(t, store.SQLite, 120)
	e.limit(t, toJobkan, 10, 0)
	sel := pick(e.diff(t, toJobkan), 15, "changed", "new")
	imp := e.startImport(t, toJobkan, key("sse"), sel)
	req, _ := http.NewRequest("GET", e.URL+"/api/v1/imports/"+imp.ID+"/events", nil)
	resp, err := e.admin.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var events []importOut
	sc := bufio.NewScanner(resp.Body)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var ev importOut
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev); err != nil || event != "progress" {
				t.Fatalf("event %q: %v", event, err)
			}
			events = append(events, ev)
		}
	}
	if len(events) < 3 {
		t.Fatalf("%d events", len(events))
	}
	last := events[len(events)-1]
	if last.Status != "succeeded" || last.Done != 15 {
		t.Errorf("last event %+v", last)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Done < events[i-1].Done {
			t.Errorf("progress went back: %d after %d", events[i].Done, events[i-1].Done)
		}
	}
	// An ended import's stream is one event.
	resp2, err := e.admin.HTTP.Get(e.URL + "/api/v1/imports/" + imp.ID + "/events")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(resp2.Body)
	resp2.Body.Close()
	if strings.Count(b.String(), "event: progress") != 1 {
		t.Errorf("ended import's stream: %q", b.String())
	}
}

// 連携履歴: newest first, filters, cursor.
func TestHistory(t *testing.T) {
	e := start(t, store.SQLite, 120)
	jk := pick(e.diff(t, toJobkan), 3, "changed")
	sh := pick(e.diff(t, toSmartHR), 2, "changed")
	var ids []string
	for i, it := range jk {
		ids = append(ids, e.wait(t, e.startImport(t, toJobkan, key("h"+string(rune('a'+i))), []diffItem{it}).ID, time.Minute).ID)
	}
	mid := time.Now()
	for i, it := range sh {
		ids = append(ids, e.wait(t, e.startImport(t, toSmartHR, key("s"+string(rune('a'+i))), []diffItem{it}).ID, time.Minute).ID)
	}
	var got []string
	path := "/api/v1/imports?limit=2"
	for path != "" {
		var page struct {
			Items      []importOut
			NextCursor *string `json:"next_cursor"`
		}
		e.admin.Do(t, "GET", path, nil).JSON(t, &page)
		for _, it := range page.Items {
			got = append(got, it.ID)
		}
		path = ""
		if page.NextCursor != nil {
			path = "/api/v1/imports?limit=2&cursor=" + *page.NextCursor
		}
	}
	want := []string{ids[4], ids[3], ids[2], ids[1], ids[0]}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("history %v, want newest first %v", got, want)
	}
	count := func(q string) int {
		var page struct{ Items []importOut }
		r := e.admin.Do(t, "GET", "/api/v1/imports?"+q, nil)
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", q, r.Status, r.Body)
		}
		r.JSON(t, &page)
		return len(page.Items)
	}
	since := mid.UTC().Format(time.RFC3339Nano)
	for q, n := range map[string]int{
		"direction=" + toJobkan:  3,
		"direction=" + toSmartHR: 2,
		"status=succeeded":       5,
		"status=failed":          0,
		"since=" + since:         2,
		"until=" + since:         3,
	} {
		if got := count(strings.ReplaceAll(q, "+", "%2B")); got != n {
			t.Errorf("%s: %d imports, want %d", q, got, n)
		}
	}
	if r := e.admin.Do(t, "GET", "/api/v1/imports?cursor=garbage", nil); r.Status != 400 {
		t.Errorf("bad cursor: %d", r.Status)
	}
}

// An employee left `writing` by an interrupted run (the write was sent; the
// run died before recording it) is looked up in the target first: a write
// that landed is recorded without writing again, one that did not is done.
func TestResumeSettlesWritingResults(t *testing.T) {
	e := start(t, store.SQLite, 120)
	e.limit(t, toJobkan, 3, 0)
	sel := pick(e.diff(t, toJobkan), 3, "changed")
	landed, lost, pending := sel[0], sel[1], sel[2]
	// The first import writes `landed`, slowly enough for the second one to
	// wait behind it.
	first := e.startImport(t, toJobkan, key("first"), []diffItem{landed, pick(e.diff(t, toJobkan), 10, "new")[0]})
	second := e.startImport(t, toJobkan, key("second"), []diffItem{landed, lost, pending})
	// As if a run of the second import had sent the first two writes and died.
	db := e.App.Store.DB
	if err := db.Model(&store.ImportResult{}).Where("import_id = ? AND position IN ?", second.ID, []int{0, 1}).
		Updates(map[string]any{"status": "writing", "action": "update", "changed_fields": "phone"}).Error; err != nil {
		t.Fatal(err)
	}
	if got := e.wait(t, first.ID, time.Minute); got.Status != "succeeded" {
		t.Fatalf("first import %+v", got)
	}
	got := e.wait(t, second.ID, time.Minute)
	if got.Status != "succeeded" || got.Counts.Updated != 3 {
		t.Fatalf("second import %+v", got)
	}
	writes := e.sb.Writes(sandbox.Jobkan).Employees
	for _, it := range sel {
		if w := writes[it.EmployeeNumber]; w.Updates != 1 || w.Creates != 0 {
			t.Errorf("%s written %+v, want one update", it.EmployeeNumber, w)
		}
	}
	if r := resultsBy(e.results(t, second.ID))[landed.EmployeeNumber]; r.Status != "updated" || strings.Join(r.ChangedFields, ",") != "phone" {
		t.Errorf("landed write recorded as %+v", r)
	}
}

// Two instances on one PostgreSQL share the jobs, and still never run two
// imports into one system at once (the advisory lock per target).
func TestTwoInstancesOnePostgres(t *testing.T) {
	e := start(t, store.Postgres, 200)
	e.limit(t, toSmartHR, 40, 20)
	other := apptest.Start(t, store.Postgres, func(c *config.Config) {
		c.DatabaseURL, c.Sandbox = e.Cfg.DatabaseURL, e.URL
	})
	other.App.Conns.TuneSmartHR = e.App.Conns.TuneSmartHR
	other.App.Conns.TuneJobkan = e.App.Conns.TuneJobkan
	otherAdmin := other.Login(t, apptest.AdminEmail, apptest.Password)

	items := pick(e.diff(t, toSmartHR), 36, "changed", "new")
	var ids []string
	for i := range 3 {
		part := items[i*12 : (i+1)*12]
		via := e.admin
		if i == 1 {
			via = otherAdmin
		}
		r := via.Do(t, "POST", "/api/v1/imports", body(toSmartHR, part), "Idempotency-Key", key("inst"))
		var imp importOut
		r.JSON(t, &imp)
		if r.Status != 202 {
			t.Fatalf("import via instance: %d %s", r.Status, r.Body)
		}
		ids = append(ids, imp.ID)
	}
	var ended []importOut
	for _, id := range ids {
		imp := e.wait(t, id, time.Minute)
		if imp.Status != "succeeded" || imp.Done != 12 {
			t.Errorf("import %+v", imp)
		}
		ended = append(ended, imp)
	}
	for i := range ended {
		for j := i + 1; j < len(ended); j++ {
			a, b := ended[i], ended[j]
			if a.StartedAt.Before(*b.FinishedAt) && b.StartedAt.Before(*a.FinishedAt) {
				t.Errorf("imports overlapped: %s–%s and %s–%s", a.StartedAt, a.FinishedAt, b.StartedAt, b.FinishedAt)
			}
		}
	}
	if w := e.sb.Writes(sandbox.SmartHR).Total; w.Creates+w.Updates != 36 {
		t.Errorf("writes %+v, want 36", w)
	}
}

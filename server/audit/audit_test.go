package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"hrbridge/server/audit"
	"hrbridge/server/auth"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

func TestRecordAndList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		l := audit.New(st)
		ctx := auth.WithClient(context.Background(), auth.Client{IP: "192.0.2.4"})
		l.Record(ctx, audit.SecretsRotated, "", nil) // no principal: the system
		ctx = auth.WithPrincipal(ctx, auth.Principal{Email: "a@example.com", Via: auth.ViaToken, TokenName: "ci"})
		for i := 0; i < 7; i++ {
			l.Record(ctx, audit.ImportStarted, fmt.Sprintf("imports/%d", i), map[string]any{
				"n": i, "password": "hunter2", "token": "hrb_x", "access_token_changed": true,
			})
		}
		var all []audit.Event
		cursor := ""
		for pages := 0; ; pages++ {
			evs, next, err := l.List(context.Background(), 3, cursor)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, evs...)
			if next == "" {
				if pages != 2 {
					t.Errorf("%d pages of 3 for 8 events", pages+1)
				}
				break
			}
			cursor = next
		}
		if len(all) != 8 {
			t.Fatalf("%d events", len(all))
		}
		if all[0].Target == nil || *all[0].Target != "imports/6" || all[7].Actor != audit.SystemActor || all[7].Target != nil {
			t.Errorf("order or fields: first %+v last %+v", all[0], all[7])
		}
		e := all[0]
		if e.Actor != "a@example.com (token: ci)" || e.IP == nil || *e.IP != "192.0.2.4" {
			t.Errorf("actor/ip: %+v", e)
		}
		if e.Detail["password"] != "[redacted]" || e.Detail["token"] != "[redacted]" || e.Detail["access_token_changed"] != true || e.Detail["n"] != float64(6) {
			t.Errorf("detail: %v", e.Detail)
		}
		if _, _, err := l.List(context.Background(), 3, "garbage"); err != audit.ErrBadCursor {
			t.Errorf("bad cursor: %v", err)
		}
		if strings.Contains(fmt.Sprint(all), "hunter2") {
			t.Error("a password reached the log")
		}
	})
}

func TestNilLogRecordsNothing(t *testing.T) {
	var l *audit.Log
	l.Record(context.Background(), audit.Logout, "", nil) // must not panic
}

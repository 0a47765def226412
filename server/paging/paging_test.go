package paging_test

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"hrbridge/server/paging"
)

func TestCursorRoundTrip(t *testing.T) {
	at := time.Date(2025, 4, 1, 9, 30, 0, 123456000, time.UTC)
	for _, c := range []paging.Cursor{
		paging.At(at, "0190a8f5-8a5e-7c4b-9b1a-2f4e5d6c7b8a"),
		paging.After(0), paging.After(41),
		{Kind: paging.Snapshot, Gen: at.UnixNano(), Pos: 7, Number: "00012", Source: "abc"},
	} {
		text, err := c.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		got, err := paging.Parse(string(text), c.Kind)
		if err != nil || !got.Time.Equal(c.Time) {
			t.Fatalf("%+v: %+v %v", c, got, err)
		}
		got.Time = c.Time
		if *got != c {
			t.Fatalf("%+v read back as %+v", c, *got)
		}
		for _, other := range []paging.Kind{paging.Keyset, paging.Position, paging.Snapshot} {
			if other != c.Kind {
				if _, err := paging.Parse(string(text), other); !errors.Is(err, paging.ErrBadCursor) {
					t.Errorf("%s cursor read as %s", c.Kind, other)
				}
			}
		}
	}
	if c, err := paging.Parse("", paging.Keyset); c != nil || err != nil {
		t.Fatalf("%v %v", c, err)
	}
}

func TestForgedCursors(t *testing.T) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, s := range []string{"AAAA", "!!", b64(`{}`), b64(`null`), b64(`{"k":"keyset"}`),
		b64(`{"k":"keyset","t":"2020-01-01T00:00:00Z","id":"not-an-id"}`),
		b64(`{"k":"keyset","t":"2999-01-01T00:00:00Z","id":"00000000-0000-4000-8000-000000000000"}`),
		b64(`{"k":"keyset","id":"00000000-0000-4000-8000-000000000000","t":"2020-01-01T00:00:00Z"}`), // not canonical
		b64(`{"k":"position","p":-1}`), b64(`{"k":"position","p":1,"x":1}`), b64(`{"k":"position","p":1}{}`),
		b64(`{"k":"position","p":1,"id":"00000000-0000-4000-8000-000000000000"}`),
		b64(`{"k":"snapshot","p":0,"g":1}`), b64(`{"k":"snapshot","p":-5,"g":1,"n":"1"}`),
		b64(`{"k":"snapshot","g":9999999999999999999,"n":"1","s":"1"}`), b64(`{"k":"other","p":1}`),
	} {
		var c paging.Cursor
		if err := c.UnmarshalText([]byte(s)); !errors.Is(err, paging.ErrBadCursor) {
			t.Errorf("%s accepted as %+v", s, c)
		}
	}
}

func TestFetch(t *testing.T) {
	rows := []int{1, 2, 3, 4, 5}
	fetch := func(n int) ([]int, error) { return rows[:min(n, len(rows))], nil }
	at := func(last int) paging.Cursor { return paging.After(last) }
	if got, next, _ := paging.Fetch(5, fetch, at); len(got) != 5 || next != "" {
		t.Fatalf("%v %q", got, next)
	}
	got, next, _ := paging.Fetch(2, fetch, at)
	c, err := paging.Parse(next, paging.Position)
	if len(got) != 2 || err != nil || c.Pos != 2 {
		t.Fatalf("%v %q %v", got, next, err)
	}
	if got := paging.List.Clamp(0); got != paging.List.Default {
		t.Fatal(got)
	}
	if got := paging.List.Clamp(10_000); got != paging.List.Max {
		t.Fatal(got)
	}
}

// The page sizes are openapi.yaml's.
func TestLimitsAreTheSpecs(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, s *openapi3.Schema, l paging.Limits) {
		t.Helper()
		if s.Default == nil || int(s.Default.(float64)) != l.Default || s.Max == nil || int(*s.Max) != l.Max {
			t.Errorf("%s: the spec says default %v, maximum %v; paging has %+v", what, s.Default, s.Max, l)
		}
	}
	check("components/parameters/Limit", doc.Components.Parameters["Limit"].Value.Schema.Value, paging.List)
	found := false
	for path, item := range doc.Paths.Map() {
		if item.Get == nil || len(path) < 6 || path[len(path)-6:] != "/diffs" {
			continue
		}
		for _, p := range item.Get.Parameters {
			if p.Value.Name == "limit" {
				check("GET "+path+" limit", p.Value.Schema.Value, paging.Diffs)
				found = true
			}
		}
	}
	if !found {
		t.Error("no limit on the diffs list")
	}
}

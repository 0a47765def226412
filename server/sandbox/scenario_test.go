package sandbox

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// same compares the way DESIGN.md §2 asks: form (width, hyphens, surrounding
// spaces) never counts.
func same(a, b string) bool {
	n := func(s string) string {
		s = norm.NFKC.String(s)
		for _, h := range append([]string{"-"}, hyphens...) {
			s = strings.ReplaceAll(s, norm.NFKC.String(h), "-")
		}
		return strings.TrimSpace(s)
	}
	return n(a) == n(b)
}

func TestScenarioDeterministic(t *testing.T) {
	a, b := generate(7, 300), generate(7, 300)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed and size gave different scenarios")
	}
	if reflect.DeepEqual(a, generate(8, 300)) {
		t.Fatal("another seed gave the same scenario")
	}
}

func TestScenarioSizes(t *testing.T) {
	for _, size := range []int{0, 1, 9, 10, 99, 100, 101, 200, 10000} {
		sc := generate(1, size)
		if len(sc.smarthr) != size || len(sc.jobkan) != size {
			t.Errorf("size %d: SmartHR %d, Jobkan %d records", size, len(sc.smarthr), len(sc.jobkan))
		}
	}
}

// The clean scenario (messy: false) has every special case; the planted
// mess is tested in planted_test.go.
func TestDefaultScenarioHasEveryCase(t *testing.T) {
	sc := generateWith(DefaultSeed, DefaultSize, false)
	hs := map[string][]person{}
	noCode := 0
	for _, p := range sc.smarthr {
		if p.number == "" {
			noCode++
			continue
		}
		hs[p.number] = append(hs[p.number], p)
	}
	dups := 0
	for _, ps := range hs {
		if len(ps) > 1 {
			dups++
		}
	}
	if noCode != 1 || dups != 1 {
		t.Errorf("want one crew without emp_code and one duplicated emp_code; got %d and %d", noCode, dups)
	}

	differs := map[string]int{}
	formOnly, identical, jobkanOnly, business := 0, 0, 0, 0
	js := map[string]bool{}
	for _, j := range sc.jobkan {
		js[j.number] = true
		ps := hs[j.number]
		if len(ps) == 0 {
			jobkanOnly++
			continue
		}
		h := ps[0]
		if h.businessLast != "" {
			business++
		}
		pairs := map[string][2]string{
			"last_name": {h.last, j.last}, "first_name": {h.first, j.first}, "hired_on": {h.hired, j.hired},
			"employment_type": {employmentTypes[h.workKind-1].name, employmentTypes[j.workKind-1].name},
			"phone":           {h.phone, j.phone}, "birth_date": {h.birth, j.birth}, "employment_status": {h.status, j.status},
		}
		real, form := false, false
		for f, v := range pairs {
			switch {
			case f == "last_name" && h.businessLast != "":
				if !same(h.businessLast, j.last) {
					real = true
				}
			case !same(v[0], v[1]):
				differs[f]++
				real = true
			case v[0] != v[1]:
				form = true
			}
		}
		switch {
		case real:
		case form:
			formOnly++
		default:
			identical++
		}
	}
	smartOnly := 0
	for n := range hs {
		if !js[n] {
			smartOnly++
		}
	}
	for _, f := range differingFields {
		if differs[f] == 0 {
			t.Errorf("no employee differs in %s", f)
		}
	}
	if formOnly == 0 || smartOnly == 0 || jobkanOnly == 0 || business == 0 || identical < DefaultSize/2 {
		t.Errorf("form-only %d, SmartHR-only %d, Jobkan-only %d, business names %d, identical %d",
			formOnly, smartOnly, jobkanOnly, business, identical)
	}
	t.Logf("differ %v; form-only %d; SmartHR-only %d; Jobkan-only %d; business names %d; identical %d",
		differs, formOnly, smartOnly, jobkanOnly, business, identical)
}

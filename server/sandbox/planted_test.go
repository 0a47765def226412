package sandbox

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Every kind planted in one round, with its count per round.
var plantedKinds = map[string]int{
	"number_trailing_space": 1, "number_leading_space": 1, "number_nbsp": 1, "number_fullwidth": 1,
	"number_zero_width": 1, "number_bom": 1, "number_leading_zeros": 2, "number_letter_case": 2,
	"name_zenkaku_space": 1, "name_halfwidth_kana": 1, "name_decomposed_dakuten": 1, "name_invisible": 1,
	"kanji_same_variant": 1, "name_only_invisible": 1, "kanji_taka": 1, "kanji_saki": 1, "kanji_tsuka": 1,
	"phone_plus81": 1, "phone_plus81_zero": 1, "phone_fullwidth": 1, "phone_parentheses": 1,
	"phone_long_vowel": 1, "phone_plus81_changed": 1, "date_timestamp": 1, "date_offset": 1,
	"date_slashes": 1, "date_timestamp_changed": 1, "rehire_same_number": 1, "email_holder": 1,
	"email_taken": 1, "new_number_fullwidth": 1, "new_name_invisible": 1, "new_number_bom": 1,
	"new_date_timestamp": 1,
}

func TestMessyScenarioSizesAndRounds(t *testing.T) {
	for _, c := range []struct{ size, rounds int }{
		{0, 0}, {10, 0}, {99, 0}, {100, 1}, {101, 1}, {200, 1}, {1999, 1}, {2000, 2}, {10000, 10}, {100000, 100},
	} {
		sc := generate(1, c.size)
		if len(sc.smarthr) != c.size || len(sc.jobkan) != c.size {
			t.Errorf("size %d: SmartHR %d, Jobkan %d records", c.size, len(sc.smarthr), len(sc.jobkan))
		}
		kinds := map[string]int{}
		for _, p := range sc.planted {
			kinds[p.Kind]++
		}
		for k, n := range plantedKinds {
			if kinds[k] != n*c.rounds {
				t.Errorf("size %d: %d of %s, want %d", c.size, kinds[k], k, n*c.rounds)
			}
		}
		if len(kinds) > len(plantedKinds) {
			t.Errorf("size %d: kinds %v, some not in the test's list", c.size, kinds)
		}
	}
}

func TestMessyScenarioDeterministic(t *testing.T) {
	a, b := generate(7, 300), generate(7, 300)
	if !reflect.DeepEqual(a, b) || len(a.planted) == 0 {
		t.Fatal("the same seed and size gave different messy scenarios")
	}
	if reflect.DeepEqual(a.planted, generate(8, 300).planted) {
		t.Fatal("another seed planted the same cases")
	}
	if !reflect.DeepEqual(Planted(7, 300), a.planted) {
		t.Fatal("Planted differs from the scenario's cases")
	}
}

// The mess touches the planted employees only: everyone else is as in the
// clean scenario of the same seed.
func TestMessyScenarioTouchesOnlyPlanted(t *testing.T) {
	for _, size := range []int{100, 200, 5000} {
		clean, messy := generateWith(3, size, false), generate(3, size)
		if len(clean.planted) != 0 {
			t.Fatalf("size %d: the clean scenario has planted cases", size)
		}
		planted := map[string]bool{}
		for _, p := range messy.planted {
			planted[p.Number] = true
			for _, n := range []string{p.SmartHR, p.Jobkan} {
				planted[clean0(n)] = true
			}
		}
		touched := func(a, b person) bool {
			return planted[clean0(a.number)] || planted[clean0(b.number)] || strings.HasPrefix(b.number, "A") || strings.HasPrefix(b.number, "a")
		}
		other := 0
		for i := range clean.smarthr {
			if a, b := clean.smarthr[i], messy.smarthr[i]; a != b {
				if !touched(a, b) {
					t.Errorf("size %d: SmartHR crew %d changed although not planted: %+v → %+v", size, i, a, b)
				}
			} else {
				other++
			}
		}
		for i := range clean.jobkan {
			if a, b := clean.jobkan[i], messy.jobkan[i]; a != b && !touched(a, b) {
				t.Errorf("size %d: Jobkan staff %d changed although not planted: %+v → %+v", size, i, a, b)
			}
		}
		if other < size/2 {
			t.Errorf("size %d: only %d crews untouched", size, other)
		}
	}
}

// clean0 is clean without the letter prefix of the letter-case case and
// the leading zeros, enough to find the employee in the clean scenario.
func clean0(n string) string {
	n = strings.TrimLeft(strings.ToUpper(clean(n)), "A")
	return strings.TrimLeft(n, "0")
}

// Each case's raw numbers are where it says, and its outcomes are whole.
func TestPlantedCasesAreWhereTheySay(t *testing.T) {
	sc := generate(DefaultSeed, DefaultSize)
	hs, js := map[string]int{}, map[string]int{}
	for _, p := range sc.smarthr {
		hs[p.number]++
	}
	for _, p := range sc.jobkan {
		js[p.number]++
	}
	for _, c := range sc.planted {
		if (c.SmartHR != "") != (c.ToJobkan.Status != "") || (c.Jobkan != "") != (c.ToSmartHR.Status != "") {
			t.Errorf("%v: an outcome for a side without the employee, or none for a side with it", c)
		}
		if c.SmartHR != "" && hs[c.SmartHR] == 0 || c.Jobkan != "" && js[c.Jobkan] != 1 {
			t.Errorf("%v: not in the simulators' data", c)
		}
		if c.Kind == "rehire_same_number" && hs[c.SmartHR] != 2 {
			t.Errorf("%v: %d SmartHR crews, want 2", c, hs[c.SmartHR])
		}
		for _, o := range []Outcome{c.ToSmartHR, c.ToJobkan} {
			if o.Status == "conflict" && o.Reason == "" || o.Status != "conflict" && o.Reason != "" {
				t.Errorf("%v: reason %q with status %q", c, o.Reason, o.Status)
			}
			if o.Status == "changed" && len(o.Written) == 0 {
				t.Errorf("%v: changed, but nothing to be written", c)
			}
		}
	}
	emails := map[string]int{}
	for _, p := range sc.jobkan {
		emails[strings.ToLower(p.email)]++
	}
	for e, n := range emails {
		if n > 1 {
			t.Errorf("the seeded Jobkan data uses %s %d times", e, n)
		}
	}
}

func TestControlResetMessy(t *testing.T) {
	e := newEnv(t, 200)
	hasNBSP := func() bool {
		for page := 1; page <= 3; page++ {
			var crews []map[string]any
			a := e.smarthr("GET", fmt.Sprintf("/v1/crews?per_page=100&page=%d", page), "")
			if err := json.Unmarshal(a.body, &crews); err != nil {
				t.Fatal(err)
			}
			for _, c := range crews {
				if s, _ := c["emp_code"].(string); strings.Contains(s, "\u00a0") {
					return true
				}
			}
		}
		return false
	}
	if !hasNBSP() {
		t.Fatal("the default scenario has no emp_code with an NBSP")
	}
	for body, want := range map[string]bool{`{"messy":false}`: false, `{"size":200}`: true, `{"messy":true,"size":200}`: true} {
		a := e.do("POST", SmartHRBase+"/_sandbox/reset", nil, body)
		if a.status != 200 || a.json(t)["messy"] != want {
			t.Fatalf("reset %s: %d %s", body, a.status, a.body)
		}
		if hasNBSP() != want {
			t.Errorf("after reset %s: messy data %v, want %v", body, !want, want)
		}
	}
	var planted struct{ Cases []PlantedCase }
	if err := json.Unmarshal(e.do("GET", JobkanBase+"/_sandbox/planted", nil, "").body, &planted); err != nil || !reflect.DeepEqual(planted.Cases, Planted(1, 200)) {
		t.Errorf("GET planted: %v %+v", err, planted.Cases)
	}
	e.sb.ResetScenario(1, 200, false)
	if hasNBSP() {
		t.Error("ResetScenario(messy false) loaded the mess")
	}
	clean := New(Options{Seed: 1, Size: 200, Clean: true})
	if sc := clean.smarthr.crews; len(sc) != 200 {
		t.Fatalf("%d crews", len(sc))
	}
	for _, c := range clean.smarthr.crews {
		if strings.Contains(c.attrs["emp_code"], "\u00a0") {
			t.Fatal("Options.Clean loaded the mess")
		}
	}
}

// Jobkan refuses a second staff member with an e-mail already used, on
// create and on update, with its own error.
func TestJobkanDuplicateEmail(t *testing.T) {
	e := newEnv(t, 20)
	tok := e.jobkanToken()
	a := e.jobkan(tok, "GET", "/employees?count=2", "")
	var list struct{ Employees []map[string]any }
	if err := json.Unmarshal(a.body, &list); err != nil || len(list.Employees) != 2 {
		t.Fatalf("list: %s", a.body)
	}
	taken := strings.ToUpper(list.Employees[0]["email"].(string))
	a = e.jobkan(tok, "POST", "/employees", `{"code":"N1","last_name":"山田","first_name":"花子","email":"`+taken+`"}`)
	if a.status != 409 || !strings.Contains(string(a.body), `"duplicate_email"`) || !strings.Contains(string(a.body), "既に他のスタッフが使用しています") {
		t.Fatalf("create with a used e-mail: %d %s", a.status, a.body)
	}
	code := list.Employees[1]["code"].(string)
	a = e.jobkan(tok, "PUT", "/employees/"+code, `{"email":"`+taken+`"}`)
	if a.status != 409 || !strings.Contains(string(a.body), `"duplicate_email"`) {
		t.Fatalf("update to a used e-mail: %d %s", a.status, a.body)
	}
	a = e.jobkan(tok, "PUT", "/employees/"+code, `{"email":"`+list.Employees[1]["email"].(string)+`","last_name":"田中"}`)
	if a.status != 200 {
		t.Fatalf("update keeping its own e-mail: %d %s", a.status, a.body)
	}
	if w := e.sb.Writes(Jobkan); w.Total != (WriteCount{Updates: 1}) {
		t.Fatalf("writes %+v, want only the one update", w)
	}
}

// BenchmarkScenario100k generates the 100,000-employee scenario (what a
// reset of the simulators does before loading it), clean and messy.
//
//	go test ./server/sandbox -run '^$' -bench Scenario100k -benchmem
func BenchmarkScenario100k(b *testing.B) {
	for _, messy := range []bool{false, true} {
		b.Run(fmt.Sprintf("messy=%v", messy), func(b *testing.B) {
			for b.Loop() {
				generateWith(1, 100_000, messy)
			}
		})
	}
}

package sync

// Real HR data cannot fool the match (DESIGN.md §2): the issue's inputs as
// table tests, then generators and properties for each kind of mess.

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ---------------------------------------------------------------------------
// The issue's inputs, through Diff.

// diffPair diffs one source against one target (or none) and returns the
// source's item.
func diffPair(t *testing.T, dir Direction, src Employee, tgt ...Employee) Item {
	t.Helper()
	r := Diff(dir, emps(src), tgt, DefaultSettings())
	if len(r.Items) != 1 {
		t.Fatalf("%d items", len(r.Items))
	}
	return r.Items[0]
}

// jk and sh give the employee as Jobkan and as SmartHR, with one field set.
func jk(number string, mods ...mod) Employee { return jobkanEmp(number, mods...) }
func sh(number string, mods ...mod) Employee { return smarthrEmp(number, mods...) }

// both runs a case in each direction: Jobkan's employee j and SmartHR's s.
type issueCase struct {
	name    string
	j, s    Employee
	j2s     diffCase // source j, target s
	s2j     diffCase // source s, target j
	skipJ2S bool
	skipS2J bool
}

func TestIssueInputsDiff(t *testing.T) {
	unchanged := diffCase{status: StatusUnchanged}
	lastChanged := func(want string) diffCase {
		return diffCase{status: StatusChanged, changed: []Field{FieldLastName}, write: []Field{FieldLastName},
			want: map[Field]string{FieldLastName: want}}
	}
	cases := []issueCase{
		{name: "trailing space in Jobkan's code matches; names differ: changed, never new",
			j: jk("E400 ", set(FieldLastName, "山本")), s: sh("E400"),
			j2s: lastChanged("山本"), s2j: lastChanged("山田")},
		{name: "trailing space in Jobkan's code, same person: unchanged",
			j: jk("E400 "), s: sh("E400"), j2s: unchanged, s2j: unchanged},
		{name: "full-width SmartHR number matches",
			j: jk("E400"), s: sh("Ｅ４００"), j2s: unchanged, s2j: unchanged},
		{name: "ZWSP in SmartHR's number matches",
			j: jk("K15"), s: sh("K15\u200b"), j2s: unchanged, s2j: unchanged},
		{name: "BOM and word joiner in Jobkan's number match",
			j: jk("\ufeffK15\u2060"), s: sh("K15"), j2s: unchanged, s2j: unchanged},
		{name: "first name made only of ZWSP is blank: SmartHR refuses, Jobkan too",
			j: jk("E1", set(FieldFirstName, "\u200b")), s: sh("E1"),
			j2s: diffCase{status: StatusConflict, reason: ReasonTargetRefusesBlank, detail: []string{"名"}},
			s2j: diffCase{status: StatusChanged, changed: []Field{FieldFirstName}, write: []Field{FieldFirstName},
				want: map[Field]string{FieldFirstName: "太郎"}}},
		{name: "format characters only (several kinds) in SmartHR's last name are blank",
			j: jk("E1"), s: sh("E1", set(FieldLastName, "\u200b\u200d\ufeff\u00ad \u3000")),
			j2s: diffCase{status: StatusChanged, changed: []Field{FieldLastName}, write: []Field{FieldLastName},
				want: map[Field]string{FieldLastName: "山田"}},
			s2j: diffCase{status: StatusConflict, reason: ReasonTargetRefusesBlank}},
		{name: "ZWSP inside a first name is ignored",
			j: jk("E1", set(FieldFirstName, "太\u200b郎")), s: sh("E1"), j2s: unchanged, s2j: unchanged},
		{name: "compatibility ideograph 塚 U+FA10 is a real change, written exactly",
			j: jk("E1", set(FieldLastName, "大塚")), s: sh("E1", set(FieldLastName, "大\uFA10")),
			j2s: lastChanged("大塚"), s2j: lastChanged("大\uFA10")},
		{name: "compatibility ideograph with a ZWSP: the ZWSP is not written, the ideograph is",
			j: jk("E1", set(FieldLastName, "大塚")), s: sh("E1", set(FieldLastName, "大\u200b\uFA10")),
			j2s: lastChanged("大塚"), s2j: lastChanged("大\uFA10")},
		{name: "+81 phone equals the domestic form",
			j: jk("E1", set(FieldPhone, "03-1234-5678")), s: sh("E1", set(FieldPhone, "+81 3-1234-5678")),
			j2s: unchanged, s2j: unchanged},
		{name: "+81 (0) and 010-81 phones equal the domestic form",
			j: jk("E1", set(FieldPhone, "010-81-3-1234-5678")), s: sh("E1", set(FieldPhone, "+81 (0)3-1234-5678")),
			j2s: unchanged, s2j: unchanged},
		{name: "full-width ＋８１ mobile equals the domestic form",
			j: jk("E1", set(FieldPhone, "090-1234-5678")), s: sh("E1", set(FieldPhone, "＋８１　９０ー１２３４ー５６７８")),
			j2s: unchanged, s2j: unchanged},
		{name: "+81 phone with another digit is a change",
			j: jk("E1", set(FieldPhone, "03-1234-5679")), s: sh("E1", set(FieldPhone, "+81 3-1234-5678")),
			j2s: diffCase{status: StatusChanged, changed: []Field{FieldPhone}, write: []Field{FieldPhone},
				want: map[Field]string{FieldPhone: "03-1234-5679"}},
			s2j: diffCase{status: StatusChanged, changed: []Field{FieldPhone}, write: []Field{FieldPhone},
				want: map[Field]string{FieldPhone: "+81 3-1234-5678"}}},
		{name: "timestamp at midnight in Japan equals that date",
			j: jk("E1", set(FieldHiredOn, "2024-04-01")), s: sh("E1", set(FieldHiredOn, "2024-03-31T15:00:00Z")),
			j2s: unchanged, s2j: unchanged},
		{name: "timestamp at midnight in Japan differs from the UTC date: written as the Japanese date",
			j: jk("E1", set(FieldHiredOn, "2024-03-31")), s: sh("E1", set(FieldHiredOn, "2024-03-31T15:00:00Z")),
			j2s: diffCase{status: StatusChanged, changed: []Field{FieldHiredOn}, write: []Field{FieldHiredOn},
				want: map[Field]string{FieldHiredOn: "2024-03-31"}},
			s2j: diffCase{status: StatusChanged, changed: []Field{FieldHiredOn}, write: []Field{FieldHiredOn},
				want: map[Field]string{FieldHiredOn: "2024-04-01"}}},
		{name: "birth date timestamp in Jobkan",
			j: jk("E1", set(FieldBirthDate, "1990-01-01T15:00:00Z")), s: sh("E1", set(FieldBirthDate, "1990-01-02")),
			j2s: unchanged, s2j: unchanged},
		{name: "birth date timestamp in Jobkan against the UTC date",
			j: jk("E1", set(FieldBirthDate, "1990-01-01T15:00:00Z")), s: sh("E1", set(FieldBirthDate, "1990-01-01")),
			j2s: diffCase{status: StatusChanged, changed: []Field{FieldBirthDate}, write: []Field{FieldBirthDate},
				want: map[Field]string{FieldBirthDate: "1990-01-02"}},
			s2j: diffCase{status: StatusChanged, changed: []Field{FieldBirthDate}, write: []Field{FieldBirthDate},
				want: map[Field]string{FieldBirthDate: "1990-01-01"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.skipJ2S {
				tc.j2s.name = "j2s"
				checkItem(t, tc.j2s, diffPair(t, JobkanToSmartHR, tc.j, tc.s))
			}
			if !tc.skipS2J {
				tc.s2j.name = "s2j"
				checkItem(t, tc.s2j, diffPair(t, SmartHRToJobkan, tc.s, tc.j))
			}
		})
	}
}

// A new employee whose number holds a ZWSP is created without it, and its
// e-mail address too.
func TestIssueNewNumberWithFormatCharacter(t *testing.T) {
	it := diffPair(t, SmartHRToJobkan, sh("K15\u200b", set(FieldLastName, "大\u200b塚"), set(FieldPhone, "\ufeff03-1234-5678")))
	checkItem(t, diffCase{status: StatusNew,
		changed: []Field{FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType, FieldPhone, FieldBirthDate, FieldEmail},
		write: []Field{FieldEmployeeNumber, FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType, FieldPhone,
			FieldBirthDate, FieldEmail},
		want: map[Field]string{FieldEmployeeNumber: "K15", FieldEmail: "K15@example.jp", FieldLastName: "大塚",
			FieldPhone: "03-1234-5678"}}, it)
	if it.EmployeeNumber != "K15" {
		t.Errorf("item number %q", it.EmployeeNumber)
	}
	it = diffPair(t, JobkanToSmartHR, jk("\u2060K15\u200b"))
	if it.Status != StatusNew || it.Want.EmployeeNumber != "K15" {
		t.Errorf("into SmartHR: %s %q", it.Status, it.Want.EmployeeNumber)
	}
	// A number made only of format characters is blank.
	it = diffPair(t, SmartHRToJobkan, sh("\u200b\ufeff"), jk("\u200b"))
	if it.Status != StatusConflict || it.ReasonCode != ReasonMissingEmployeeNumber {
		t.Errorf("blank number: %s %s", it.Status, it.ReasonCode)
	}
}

// A new employee whose number equals an existing one once leading zeros and
// case are ignored carries similar_employee_number naming it.
func TestIssueSimilarEmployeeNumber(t *testing.T) {
	for _, tc := range []struct {
		dir           Direction
		src, tgt      Employee
		wantSimilarTo string // "" for no warning
	}{
		{SmartHRToJobkan, sh("00123"), jk("123"), "123"},
		{SmartHRToJobkan, sh("e300"), jk("E300"), "E300"},
		{SmartHRToJobkan, sh("Ｅ００３００"), jk("e300"), "e300"},
		{JobkanToSmartHR, jk("123"), sh("00123"), "00123"},
		{JobkanToSmartHR, jk("E300"), sh("e300 "), "e300"},
		{JobkanToSmartHR, jk("A01-B002"), sh("a1-b2"), "a1-b2"},
		{SmartHRToJobkan, sh("E301"), jk("E300"), ""},  // an ordinary new employee
		{SmartHRToJobkan, sh("1230"), jk("123"), ""},   // a trailing zero is a digit
		{SmartHRToJobkan, sh("E0300"), jk("E30"), ""},  // only leading zeros go
		{JobkanToSmartHR, jk("K15"), sh("K015X"), ""},  // a suffix
		{JobkanToSmartHR, jk("E300"), sh("E300"), "-"}, // a match is not new
		{JobkanToSmartHR, jk("E300"), sh("Ｅ300"), "-"}, // nor is a match by form
	} {
		name := fmt.Sprintf("%s %q vs %q", tc.dir, tc.src.EmployeeNumber, tc.tgt.EmployeeNumber)
		// Alone, and among enough employees to be diffed in parallel.
		for _, pad := range []int{0, 2 * minChunk} {
			src, tgt := emps(tc.src), emps(tc.tgt)
			for i := range pad {
				j, s := jk(fmt.Sprintf("P%d", i)), sh(fmt.Sprintf("P%d", i))
				if tc.dir == SmartHRToJobkan {
					j, s = s, j
				}
				src, tgt = append(src, j), append(tgt, s)
			}
			r := Diff(tc.dir, src, tgt, DefaultSettings())
			i := slices.IndexFunc(r.Items, func(it Item) bool { return it.Source.ID == tc.src.ID })
			it := r.Items[i]
			for _, o := range r.Items {
				if o.Source.ID != tc.src.ID && len(o.Warnings) > 0 {
					t.Fatalf("%s: warnings on another item: %+v", name, o.Warnings)
				}
			}
			switch tc.wantSimilarTo {
			case "-":
				if it.Status == StatusNew || len(it.Warnings) > 0 {
					t.Errorf("%s (pad %d): %s %+v", name, pad, it.Status, it.Warnings)
				}
			case "":
				if it.Status != StatusNew || len(it.Warnings) > 0 {
					t.Errorf("%s (pad %d): %s with warnings %+v", name, pad, it.Status, it.Warnings)
				}
			default:
				if it.Status != StatusNew || len(it.Warnings) != 1 || it.Warnings[0].Code != WarningSimilarEmployeeNumber ||
					!strings.Contains(it.Warnings[0].Message, "「"+tc.wantSimilarTo+"」") {
					t.Errorf("%s (pad %d): %s with warnings %+v, want one %s naming %q", name, pad, it.Status, it.Warnings,
						WarningSimilarEmployeeNumber, tc.wantSimilarTo)
				}
			}
		}
	}
}

// Source IDs "9" and "10" in one duplicate group: After the "9" item is the
// "10" item, whatever the IDs' byte order.
func TestIssueAfterNaturalSourceIDs(t *testing.T) {
	source := emps(jk("E5"), jk("E7", withID("10")), jk("E7", withID("9")), jk("E7", withID("100")), jk("E8"))
	r := Diff(JobkanToSmartHR, source, nil, DefaultSettings())
	var got []string
	for _, it := range r.Items {
		got = append(got, it.EmployeeNumber+"/"+it.Source.ID)
	}
	if want := []string{"E5/j-E5", "E7/9", "E7/10", "E7/100", "E8/j-E8"}; !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	for _, tc := range []struct {
		number, id string
		want       int
	}{
		{"E7", "9", 2}, {"E7", "10", 3}, {"E7", "100", 4}, {"E7", "", 1}, {"E7", "11", 3}, {"E5", "j-E5", 1},
		{"E6", "x", 1}, {"", "", 0}, {"E9", "", 5},
	} {
		if got := r.After(tc.number, tc.id); got != tc.want {
			t.Errorf("After(%q, %q) = %d, want %d", tc.number, tc.id, got, tc.want)
		}
	}
}

// Items are sorted by CompareItems, and After agrees with a linear scan for
// any key, in the data and not.
func TestPropertyAfterAgreesWithOrder(t *testing.T) {
	r := newRand(41)
	for range 30 {
		var source []Employee
		for range 1 + r.IntN(60) {
			source = append(source, jk(fmt.Sprintf("E%d", r.IntN(12)), withID(strconv.Itoa(r.IntN(30)))))
		}
		res := Diff(JobkanToSmartHR, source, nil, DefaultSettings())
		if !slices.IsSortedFunc(res.Items, func(a, b Item) int { return CompareItems(&a, &b) }) {
			t.Fatal("items not sorted by CompareItems")
		}
		for range 50 {
			num, id := fmt.Sprintf("E%d", r.IntN(14)), strconv.Itoa(r.IntN(32))
			if r.IntN(3) == 0 {
				it := res.Items[r.IntN(len(res.Items))]
				num, id = it.EmployeeNumber, it.Source.ID
			}
			want := len(res.Items)
			for i, it := range res.Items {
				if compareItemKeys(it.EmployeeNumber, it.Source.ID, num, id) > 0 {
					want = i
					break
				}
			}
			if got := res.After(num, id); got != want {
				t.Fatalf("After(%q, %q) = %d, want %d", num, id, got, want)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Format characters (general category Cf).

// cfRunes is every rune of general category Cf, from the Unicode tables.
var cfRunes = func() []rune {
	var rs []rune
	for _, r16 := range unicode.Cf.R16 {
		for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
			rs = append(rs, r)
		}
	}
	for _, r32 := range unicode.Cf.R32 {
		for r := rune(r32.Lo); r <= rune(r32.Hi); r += rune(r32.Stride) {
			rs = append(rs, r)
		}
	}
	return rs
}()

// withFormat inserts 1..n random format characters at random positions.
func withFormat(r *rand.Rand, s string, n int) string {
	rs := []rune(s)
	for range 1 + r.IntN(n) {
		at := r.IntN(len(rs) + 1)
		rs = slices.Insert(rs, at, cfRunes[r.IntN(len(cfRunes))])
	}
	return string(rs)
}

func hasCf(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) >= 0
}

func TestIsFormatIsCategoryCf(t *testing.T) {
	if len(cfRunes) < 150 {
		t.Fatalf("only %d Cf runes", len(cfRunes))
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if IsFormat(r) != unicode.Is(unicode.Cf, r) {
			t.Errorf("IsFormat(U+%04X) = %v", r, IsFormat(r))
		}
	}
}

// randomValues are values of every field as the generators write them, with
// their form-only variations, plus awkward strings.
func randomValues(r *rand.Rand) map[Field]string {
	p := randPerson(r, r.IntN(1_000_000))
	e := vary(r, p.jobkan(1))
	if r.IntN(2) == 0 {
		e = vary(r, p.smarthr(1))
	}
	vs := map[Field]string{}
	for _, f := range allFields {
		vs[f] = e.Get(f)
	}
	vs[FieldEmail] = e.EmployeeNumber + "@example.jp"
	if r.IntN(4) == 0 { // anything from the normalisation alphabet
		vs[allFields[r.IntN(len(allFields))]] = randString(r, r.IntN(10))
	}
	return vs
}

func TestPropertyFormatCharactersNeverMatter(t *testing.T) {
	r := newRand(11)
	for range 20000 {
		for f, v := range randomValues(r) {
			polluted := withFormat(r, v, 4)
			if got, want := Normalise(f, polluted), Normalise(f, v); got != want {
				t.Fatalf("%s: %q normalises to %q, without its format characters %q to %q", f, polluted, got, v, want)
			}
			if hasCf(Normalise(f, polluted)) {
				t.Fatalf("%s: %q normalises to %q", f, polluted, Normalise(f, polluted))
			}
		}
	}
	spaces := []rune{' ', '\u3000', '\t', '\u00a0', '\n'}
	for range 5000 {
		var b strings.Builder
		for range r.IntN(8) {
			if r.IntN(3) == 0 {
				b.WriteRune(spaces[r.IntN(len(spaces))])
			} else {
				b.WriteRune(cfRunes[r.IntN(len(cfRunes))])
			}
		}
		for _, f := range allFields {
			if got := Normalise(f, b.String()); got != "" {
				t.Fatalf("%s: %q (format characters and spaces only) normalises to %q", f, b.String(), got)
			}
		}
	}
	for _, c := range cfRunes { // each one, alone and inside a name
		for _, f := range allFields {
			if got := Normalise(f, string(c)); got != "" {
				t.Errorf("%s: U+%04X normalises to %q", f, c, got)
			}
		}
		if got := Normalise(FieldLastName, "山"+string(c)+"田"); got != "山田" {
			t.Errorf("山 U+%04X 田 normalises to %q", c, got)
		}
	}
}

// Clean removes every Cf rune and nothing else.
func TestPropertyCleanRemovesExactlyCf(t *testing.T) {
	r := newRand(12)
	for range 20000 {
		var in []rune
		var want strings.Builder
		for range r.IntN(12) {
			var c rune
			switch r.IntN(3) {
			case 0:
				c = cfRunes[r.IntN(len(cfRunes))]
			case 1:
				c = alphabet[r.IntN(len(alphabet))]
			default:
				for c = r.Int32N(unicode.MaxRune + 1); !utf8.ValidRune(c); c = r.Int32N(unicode.MaxRune + 1) {
				}
			}
			in = append(in, c)
			if !unicode.Is(unicode.Cf, c) {
				want.WriteRune(c)
			}
		}
		if got := Clean(string(in)); got != want.String() {
			t.Fatalf("Clean(%+q) = %+q, want %+q", string(in), got, want.String())
		}
	}
}

// pollute inserts format characters into every value of e (rate: one in
// every).
func pollute(r *rand.Rand, e Employee, every int) Employee {
	for _, f := range allFields {
		if v := e.Get(f); r.IntN(every) == 0 {
			e.Set(f, withFormat(r, v, 3))
		}
	}
	return e
}

func TestPropertyFormatCharactersInDiff(t *testing.T) {
	for seed := range uint64(6) {
		r := newRand(100 + seed)
		jobkan, smarthr := genPairs(r, 400, 0, 0)
		pj, ps := slices.Clone(jobkan), slices.Clone(smarthr)
		for i := range pj {
			pj[i] = pollute(r, pj[i], 1)
		}
		for i := range ps {
			ps[i] = pollute(r, ps[i], 2)
		}
		for _, tc := range []struct {
			name           string
			dir            Direction
			source, target []Employee
		}{
			{"polluted source", JobkanToSmartHR, pj, smarthr}, {"polluted target", SmartHRToJobkan, smarthr, pj},
			{"polluted source", SmartHRToJobkan, ps, jobkan}, {"polluted target", JobkanToSmartHR, jobkan, ps},
			{"both polluted", JobkanToSmartHR, pj, ps}, {"both polluted", SmartHRToJobkan, ps, pj},
		} {
			res := Diff(tc.dir, tc.source, tc.target, DefaultSettings())
			if res.Summary.Unchanged != len(tc.source) {
				for _, it := range res.Items {
					if it.Status != StatusUnchanged {
						t.Fatalf("seed %d %s %s: %s is %s (%s) %+v", seed, tc.name, tc.dir, it.EmployeeNumber, it.Status,
							it.ReasonDetail, it.Fields)
					}
				}
			}
		}
		// Created from polluted values: nothing written holds a format
		// character, and what is written is the clean value.
		for _, tc := range []struct {
			dir           Direction
			clean, source []Employee
		}{{JobkanToSmartHR, jobkan, pj}, {SmartHRToJobkan, smarthr, ps}} {
			res := Diff(tc.dir, tc.source, nil, DefaultSettings())
			byID := map[string]Employee{}
			for _, e := range tc.clean {
				byID[e.ID] = e
			}
			for _, it := range res.Items {
				if it.Status != StatusNew {
					t.Fatalf("%s: %s is %s (%s)", tc.dir, it.EmployeeNumber, it.Status, it.ReasonDetail)
				}
				clean := byID[it.Source.ID]
				for _, f := range it.Write {
					v := it.Want.Get(f)
					if hasCf(v) {
						t.Fatalf("%s: writes %s %+q", tc.dir, f, v)
					}
					switch f {
					case FieldEmployeeNumber:
						if v != Normalise(f, clean.EmployeeNumber) {
							t.Fatalf("%s: number %q for %q", tc.dir, v, clean.EmployeeNumber)
						}
					case FieldEmail:
						if v != Normalise(FieldEmployeeNumber, clean.EmployeeNumber)+"@example.jp" {
							t.Fatalf("%s: e-mail %q for %q", tc.dir, v, clean.EmployeeNumber)
						}
					case FieldLastName, FieldFirstName, FieldPhone:
						if v != Clean(clean.Get(f)) {
							t.Fatalf("%s: writes %s %q, the clean value is %q", tc.dir, f, v, clean.Get(f))
						}
					case FieldEmploymentType, FieldEmploymentStatus: // mapped values
					default:
						if Normalise(f, v) != Normalise(f, clean.Get(f)) {
							t.Fatalf("%s: writes %s %q for %q", tc.dir, f, v, clean.Get(f))
						}
					}
				}
			}
		}
		// A name of format characters only is blank: never written over a
		// name, in either direction.
		for _, dir := range []Direction{JobkanToSmartHR, SmartHRToJobkan} {
			source, target := slices.Clone(jobkan), smarthr
			if dir == SmartHRToJobkan {
				source, target = slices.Clone(smarthr), jobkan
			}
			for i := range source {
				f := []Field{FieldLastName, FieldFirstName}[r.IntN(2)]
				source[i].Set(f, withFormat(r, "", 3))
			}
			for _, it := range Diff(dir, source, target, DefaultSettings()).Items {
				if it.Status != StatusConflict || it.ReasonCode != ReasonTargetRefusesBlank {
					t.Fatalf("%s: blank name gives %s (%s) %v", dir, it.Status, it.ReasonCode, it.Write)
				}
			}
		}
	}
}

// ---------------------------------------------------------------------------
// CJK ideographs.

// unifiedBlocks are the CJK unified ideograph blocks (extensions A to I).
var unifiedBlocks = [][2]rune{
	{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0x20000, 0x2A6DF}, {0x2A700, 0x2B73F}, {0x2B740, 0x2B81F},
	{0x2B820, 0x2CEAF}, {0x2CEB0, 0x2EBEF}, {0x2EBF0, 0x2EE5F}, {0x30000, 0x3134F}, {0x31350, 0x323AF},
}

var compatBlocks = [][2]rune{{0xF900, 0xFAFF}, {0x2F800, 0x2FA1F}}

func TestIdeographsAreNeverFolded(t *testing.T) {
	seen := map[string]rune{}
	var unified, compat, folds int
	check := func(c rune) {
		s := string(c)
		for _, f := range []Field{FieldLastName, FieldEmployeeNumber, FieldPhone} {
			if got := Normalise(f, s); got != s {
				t.Errorf("%s: U+%04X %s normalises to %q", f, c, s, got)
			}
		}
		if got := Normalise(FieldFirstName, "ｶﾞ"+s+"ＡＢ"); got != "ガ"+s+"AB" {
			t.Errorf("U+%04X among other folds: %q", c, got)
		}
		if prev, dup := seen[s]; dup {
			t.Errorf("U+%04X and U+%04X normalise equal", prev, c)
		}
		seen[s] = c
	}
	for _, b := range unifiedBlocks {
		for c := b[0]; c <= b[1]; c++ {
			if unicode.Is(unicode.Han, c) {
				check(c)
				unified++
			}
		}
	}
	for _, b := range compatBlocks {
		for c := b[0]; c <= b[1]; c++ {
			if norm.NFKC.String(string(c)) != string(c) {
				folds++ // NFKC would fold it
			}
			check(c)
			compat++
		}
	}
	if unified < 90000 || compat < 1000 || folds < 1000 {
		t.Fatalf("only %d unified and %d compatibility ideographs (%d NFKC folds)", unified, compat, folds)
	}
	// Each compatibility ideograph differs from its unified counterpart,
	// through Diff too.
	for c := rune(0xF900); c <= 0xFAFF; c += 37 {
		u := norm.NFKC.String(string(c))
		if u == string(c) {
			continue
		}
		it := diffPair(t, SmartHRToJobkan, sh("E1", set(FieldLastName, string(c))), jk("E1", set(FieldLastName, u)))
		if it.Status != StatusChanged || it.Want.LastName != string(c) {
			t.Errorf("U+%04X vs %s: %s %q", c, u, it.Status, it.Want.LastName)
		}
	}
}

// Every other NFKC fold still happens: radicals and other ideograph-like
// symbols become their unified ideograph, full-width letters ASCII,
// half-width kana full-width.
func TestOtherNFKCFoldsStay(t *testing.T) {
	n := 0
	for _, b := range [][2]rune{{0x2E80, 0x2EFF}, {0x2F00, 0x2FDF}, {0x3038, 0x303A}, {0x3200, 0x33FF}, {0xFF01, 0xFFEE}} {
		for c := b[0]; c <= b[1]; c++ {
			want := norm.NFKC.String(string(c))
			if want == string(c) {
				continue
			}
			n++
			if got := Normalise(FieldLastName, string(c)); got != strings.TrimSpace(want) {
				t.Errorf("U+%04X %c normalises to %q, NFKC to %q", c, c, got, want)
			}
		}
	}
	if n < 500 {
		t.Fatalf("only %d folds checked", n)
	}
	for c := rune(0x2F00); c <= 0x2FD5; c++ { // every Kangxi radical
		got := []rune(Normalise(FieldLastName, string(c)))
		if len(got) != 1 || !unicode.Is(unicode.Han, got[0]) || got[0] < 0x4E00 || got[0] > 0x9FFF {
			t.Errorf("Kangxi radical U+%04X normalises to %q, not a unified ideograph", c, string(got))
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"⼀", "一"}, {"⾦", "金"}, {"⺟", "母"}, {"〸", "十"}, {"㈱", "(株)"}, {"ｻﾄｳ", "サトウ"}, {"Ｓａｔｏ", "Sato"},
		{"㍻", "平成"}, {"\uFA10ｶﾞ\u2F00", "\uFA10ガ一"},
	} {
		if got := Normalise(FieldLastName, tc.in); got != tc.want {
			t.Errorf("Normalise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// ---------------------------------------------------------------------------
// Phones.

// jpNumber is a Japanese number in its domestic groups, area code first
// (with its 0).
type jpNumber struct{ area, mid, sub string }

func (n jpNumber) domestic() string { return n.area + n.mid + n.sub }

func digitsN(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func randJPNumber(r *rand.Rand) jpNumber {
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	switch r.IntN(6) {
	case 0: // fixed line, 2-digit area code
		return jpNumber{pick("03", "06"), digitsN(r, 4), digitsN(r, 4)}
	case 1: // fixed line, 3-digit area code
		return jpNumber{pick("011", "022", "045", "048", "052", "075", "078", "082", "092", "098"), digitsN(r, 3), digitsN(r, 4)}
	case 2: // fixed line, 4- and 5-digit area codes
		if r.IntN(2) == 0 {
			return jpNumber{pick("0123", "0134", "0267", "0554", "0776", "0985"), digitsN(r, 2), digitsN(r, 4)}
		}
		return jpNumber{pick("04992", "09802", "01267"), digitsN(r, 1), digitsN(r, 4)}
	case 3: // mobile
		return jpNumber{pick("090", "080", "070"), digitsN(r, 4), digitsN(r, 4)}
	case 4: // IP phone
		return jpNumber{"050", digitsN(r, 4), digitsN(r, 4)}
	default: // free dial
		return jpNumber{"0120", digitsN(r, 3), digitsN(r, 3)}
	}
}

var phoneDashes = []string{"-", "ー", "－", "‐", "‑", "‒", "–", "—", "―", "−", "ｰ", "﹣", "─"}

// forms renders n in the many ways people write it.
func (n jpNumber) forms(r *rand.Rand) []string {
	a, m, s := n.area, n.mid, n.sub
	na := a[1:] // the area code without the trunk prefix 0
	d := phoneDashes[r.IntN(len(phoneDashes))]
	fs := []string{
		a + "-" + m + "-" + s,
		a + d + m + d + s,
		a + " " + m + " " + s,
		a + "\u3000" + m + "\u3000" + s,
		n.domestic(),
		"(" + a + ")" + m + "-" + s,
		"(" + a + ") " + m + " " + s,
		a + "(" + m + ")" + s,
		"（" + a + "）" + m + "－" + s,
		" " + a + "." + m + "." + s + " ",
		"+81 " + na + "-" + m + "-" + s,
		"+81-" + na + "-" + m + "-" + s,
		"+81 " + na + " " + m + " " + s,
		"+81" + na + m + s,
		"+81 (0)" + na + "-" + m + "-" + s,
		"+81(0)" + na + m + s,
		"+81 (" + a + ") " + m + "-" + s,
		"+81 " + a + "-" + m + "-" + s, // the 0 kept by mistake
		"010-81-" + na + "-" + m + "-" + s,
		"010 81 " + na + " " + m + " " + s,
		"01081" + na + m + s,
		"＋８１　" + fullWidth(na) + "ー" + fullWidth(m) + "ー" + fullWidth(s),
		fullWidth("+81 (0)" + na + "-" + m + "-" + s),
		fullWidth(a + "-" + m + "-" + s),
		"+81 " + na + d + m + d + s,
	}
	return append(fs, withFormat(r, fs[r.IntN(len(fs))], 2))
}

func TestPropertyPhoneForms(t *testing.T) {
	r := newRand(21)
	for range 600 {
		n := randJPNumber(r)
		want := n.domestic()
		for _, f := range n.forms(r) {
			if got := Normalise(FieldPhone, f); got != want {
				t.Fatalf("%q normalises to %q, want %q", f, got, want)
			}
		}
		// One digit other than the trunk prefix changed: never equal.
		d := []byte(want)
		i := 1 + r.IntN(len(d)-1)
		d[i] = byte('0' + (int(d[i]-'0')+1+r.IntN(9))%10)
		other := string(d)
		split := jpNumber{other[:len(n.area)], other[len(n.area) : len(n.area)+len(n.mid)], other[len(n.area)+len(n.mid):]}
		for _, f := range split.forms(r) {
			if got := Normalise(FieldPhone, f); got == want {
				t.Fatalf("%q (%s) normalises to %q, as %s does", f, other, got, want)
			}
		}
	}
}

// Whatever libphonenumber makes of an international number, no digit, letter
// or extension may be dropped or changed silently.
func TestPhoneInternationalHidesNothing(t *testing.T) {
	for _, tc := range [][2]string{
		{"+81 3-1234-5678 ext. 12", "+81 3-1234-5678 ext. 13"},
		{"+81 3-1234-5678 ext. 12", "03-1234-5678"},
		{"+81 3-1234-5678 x12", "03-1234-5678"},
		{"+81 3-1234-5678#12", "03-1234-5678"},
		{"+81 3-1234-5678;ext=12", "03-1234-5678"},
		{"+81 3 1234 5678 A", "+81 3 1234 5678 B"},
		{"+81 3-1234-ABCD", "03-1234-2223"},
		{"01000000", "001000000"},
		{"0100", "00100"},
		{"01081101000000000", "+1000000000"}, // found by FuzzNormalise: +81 10… is no Japanese number
		{"+81 10-1234-5678", "010-1-234-5678"},
		{"010820000000", "+8200000"}, // found by FuzzNormalise: E.164 of E.164 stripped another 0
	} {
		a, b := Normalise(FieldPhone, tc[0]), Normalise(FieldPhone, tc[1])
		if a == b {
			t.Errorf("%q and %q both normalise to %q: a real difference is hidden", tc[0], tc[1], a)
		}
		for _, v := range tc {
			if n := Normalise(FieldPhone, v); Normalise(FieldPhone, n) != n {
				t.Errorf("%q: not idempotent", v)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Dates.

var jstZone = time.FixedZone("JST", 9*60*60)

var timestampLayouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05-07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05.000Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.000000-07:00",
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05.000Z0700",
}

// randInstant returns an instant between 1950 and 2050 in a random zone of
// offset −12:00…+14:00.
func randInstant(r *rand.Rand) time.Time {
	lo := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2050, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
	t := time.Unix(lo+r.Int64N(hi-lo), r.Int64N(1e9))
	off := -12*60 + 15*r.IntN((26*60)/15+1) // minutes, by quarter hours
	if r.IntN(5) == 0 {
		off = -12*60 + r.IntN(26*60+1)
	}
	if r.IntN(6) == 0 {
		off = 0
	}
	return t.In(time.FixedZone("", off*60))
}

func renderTimestamp(r *rand.Rand, t time.Time) string {
	s := t.Format(timestampLayouts[r.IntN(len(timestampLayouts))])
	switch r.IntN(8) {
	case 0:
		s = strings.ToLower(s) // t and z
	case 1:
		s = fullWidth(s)
	case 2:
		s = withFormat(r, s, 2)
	case 3:
		s = " " + s + "\u3000"
	}
	return s
}

func TestPropertyTimestampsAreDatesInJapan(t *testing.T) {
	r := newRand(31)
	for range 20000 {
		tm := randInstant(r)
		s := renderTimestamp(r, tm)
		want := tm.In(jstZone).Format(time.DateOnly)
		for _, f := range []Field{FieldHiredOn, FieldBirthDate} {
			if got := Normalise(f, s); got != want {
				t.Fatalf("%s: %q (%s) normalises to %q, want %q", f, s, tm.UTC(), got, want)
			}
		}
		// Without an offset: as written.
		local := tm.Format([]string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04:05.000"}[r.IntN(3)])
		if got := Normalise(FieldHiredOn, local); got != tm.Format(time.DateOnly) {
			t.Fatalf("%q normalises to %q, want the date as written", local, got)
		}
	}
}

// Settings.Zone decides the calendar date of a timestamp, through Diff.
func TestPropertyTimestampZoneThroughDiff(t *testing.T) {
	r := newRand(32)
	zones := []*time.Location{nil, jstZone, time.UTC, time.FixedZone("EST", -5*60*60), time.FixedZone("+14", 14*60*60)}
	var changed int
	for range 2000 {
		tm := randInstant(r)
		ts := renderTimestamp(r, tm)
		zone := zones[r.IntN(len(zones))]
		in := jstZone
		if zone != nil {
			in = zone
		}
		date, jst := tm.In(in).Format(time.DateOnly), tm.In(jstZone).Format(time.DateOnly)
		s := DefaultSettings()
		s.Zone = zone
		for _, dir := range []Direction{JobkanToSmartHR, SmartHRToJobkan} {
			src, tgt := jk("E1", set(FieldHiredOn, ts)), sh("E1", set(FieldHiredOn, date))
			if dir == SmartHRToJobkan {
				src, tgt = sh("E1", set(FieldHiredOn, ts)), jk("E1", set(FieldHiredOn, date))
			}
			if it := Diff(dir, emps(src), emps(tgt), s).Items[0]; it.Status != StatusUnchanged {
				t.Fatalf("zone %v: %q vs %q: %s %+v", zone, ts, date, it.Status, it.Fields)
			}
			if date == jst {
				continue
			}
			changed++
			tgt.HiredOn = jst
			it := Diff(dir, emps(src), emps(tgt), s).Items[0]
			if it.Status != StatusChanged || it.Want.HiredOn != date {
				t.Fatalf("zone %v: %q vs %q: %s, writes %q, want %q", zone, ts, jst, it.Status, it.Want.HiredOn, date)
			}
		}
	}
	if changed < 100 {
		t.Fatalf("only %d cases where the zone matters", changed)
	}
}

// ---------------------------------------------------------------------------
// Look-alike numbers.

var digitRun = regexp.MustCompile(`[0-9]+`)

// oracleLoose is the definition of "alike": lower case, and no leading
// zeros in any run of digits.
func oracleLoose(n string) string {
	n = digitRun.ReplaceAllStringFunc(n, func(d string) string {
		if t := strings.TrimLeft(d, "0"); t != "" {
			return t
		}
		return "0"
	})
	return strings.ToLower(n)
}

// lookAlike changes the case of some letters and adds leading zeros to some
// runs of digits.
func lookAlike(r *rand.Rand, n string) string {
	n = digitRun.ReplaceAllStringFunc(n, func(d string) string {
		return strings.Repeat("0", r.IntN(3)*r.IntN(2)) + d
	})
	b := []byte(n)
	for i, c := range b {
		if ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') && r.IntN(2) == 0 {
			b[i] ^= 0x20
		}
	}
	return string(b)
}

func randNumberBase(r *rand.Rand, i int) string {
	letters := "ABCDEFGHJKLMNPRSTUVWXYZ"
	var b strings.Builder
	for range r.IntN(3) {
		b.WriteByte(letters[r.IntN(len(letters))])
	}
	b.WriteString(strconv.Itoa(i + 1))
	if r.IntN(4) == 0 {
		b.WriteString("-")
		b.WriteByte(letters[r.IntN(len(letters))])
		b.WriteString(strconv.Itoa(1 + r.IntN(99)))
	}
	return b.String()
}

func TestPropertySimilarEmployeeNumbers(t *testing.T) {
	for _, n := range []int{400, 3 * minChunk} {
		r := newRand(uint64(51 + n))
		var smarthr, jobkan []Employee
		kinds := map[string]int{}
		for i := range n {
			base := randNumberBase(r, i)
			src := lookAlike(r, base)
			var tgt string
			switch k := r.IntN(4); k {
			case 0: // alike but not equal
				for tgt = lookAlike(r, base); tgt == src; tgt = lookAlike(r, base) {
				}
			case 1: // one digit differs
				d := []byte(base)
				idx := slices.IndexFunc(d, func(c byte) bool { return isDigit(c) })
				idx += r.IntN(len(strconv.Itoa(i + 1)))
				d[idx] = byte('0' + (int(d[idx]-'0')+1+r.IntN(9))%10)
				tgt = lookAlike(r, string(d))
			case 2: // the same number, in another form
				tgt = fullWidth(src)
			default: // only in the source
			}
			if r.IntN(5) == 0 {
				src = fullWidth(src)
			}
			smarthr = append(smarthr, sh(src, withID(fmt.Sprint("s", i))))
			if tgt != "" {
				jobkan = append(jobkan, jk(tgt, withID(fmt.Sprint("j", i))))
			}
		}
		loose := map[string][]string{}
		for _, e := range jobkan {
			k := Normalise(FieldEmployeeNumber, e.EmployeeNumber)
			loose[oracleLoose(k)] = append(loose[oracleLoose(k)], k)
		}
		res := Diff(SmartHRToJobkan, smarthr, jobkan, DefaultSettings())
		for _, it := range res.Items {
			alike := slices.Clone(loose[oracleLoose(it.EmployeeNumber)])
			slices.SortFunc(alike, CompareEmployeeNumbers)
			alike = slices.Compact(alike) // a duplicated target number is named once
			switch {
			case it.Status != StatusNew:
				if len(it.Warnings) != 0 {
					t.Fatalf("n %d: %s item %q warns %+v", n, it.Status, it.EmployeeNumber, it.Warnings)
				}
				kinds["matched"]++
			case len(alike) == 0:
				if len(it.Warnings) != 0 {
					t.Fatalf("n %d: new %q warns %+v", n, it.EmployeeNumber, it.Warnings)
				}
				kinds["new"]++
			default:
				if len(it.Warnings) != 1 || it.Warnings[0].Code != WarningSimilarEmployeeNumber {
					t.Fatalf("n %d: new %q, alike %q, warns %+v", n, it.EmployeeNumber, alike, it.Warnings)
				}
				if !strings.Contains(it.Warnings[0].Message, "「"+alike[0]+"」") || (len(alike) == 1) == strings.Contains(it.Warnings[0].Message, "ほか") {
					t.Fatalf("n %d: new %q, alike %q: %s", n, it.EmployeeNumber, alike, it.Warnings[0].Message)
				}
				kinds["similar"]++
			}
		}
		if kinds["matched"] < n/8 || kinds["new"] < n/8 || kinds["similar"] < n/8 {
			t.Fatalf("n %d: the data does not exercise the rule: %v", n, kinds)
		}
	}
}

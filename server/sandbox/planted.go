package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// The messy scenario: on top of the seeded data, every scenario of at least
// MessyMinSize employees carries the forms that people and CSV exports
// produce (issue 17), each planted on its own employee so that each case
// knows its outcome. They are listed by Planted and in docs/providers.md.

// MessyMinSize is the smallest scenario with planted cases: below it the
// scenario is clean (apart from the duplicated and the missing 社員番号).
const MessyMinSize = 100

// messyRound is how many employees (per side) carry one round of the planted
// cases: one round up to 1,999 employees, then one more per 1,000 (at
// 100,000 employees, 100 rounds: about 3.5% of the records).
const messyRound = 1000

// Directions, in hrbridge's words.
const (
	DirToSmartHR = "jobkan_to_smarthr"
	DirToJobkan  = "smarthr_to_jobkan"
)

// Outcome is what hrbridge's diff should show for a planted employee in one
// direction, and what an import of it should leave in the target.
type Outcome struct {
	// Status is unchanged, changed, new or conflict; "" when the source of
	// this direction has no employee of this number (no item).
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`  // conflicts: the reason code
	Warning string `json:"warning,omitempty"` // a warning code the item carries
	// Written are the target's values after importing the employee, by
	// canonical field name ("employee_number", "last_name", "phone",
	// "hired_on", "email"…), byte for byte.
	Written map[string]string `json:"written,omitempty"`
	// ImportError is the provider's own error code that the import of this
	// employee fails with ("" when it succeeds).
	ImportError string `json:"import_error,omitempty"`
}

// PlantedCase is one planted employee of the messy scenario.
type PlantedCase struct {
	Kind   string `json:"kind"`   // stable name of the kind, e.g. "number_nbsp"
	Number string `json:"number"` // the 社員番号 as hrbridge's diff shows it (normalised)
	// SmartHR and Jobkan are the raw 社員番号 each simulator holds ("" when
	// absent there; both when they differ only in form).
	SmartHR string `json:"smarthr"`
	Jobkan  string `json:"jobkan"`
	What    string `json:"what"` // what is planted, for people
	// ToSmartHR is the outcome of jobkan_to_smarthr (Jobkan is the
	// source), ToJobkan of smarthr_to_jobkan.
	ToSmartHR Outcome `json:"jobkan_to_smarthr"`
	ToJobkan  Outcome `json:"smarthr_to_jobkan"`
}

// In returns the outcome of one direction (DirToSmartHR or DirToJobkan).
func (c PlantedCase) In(direction string) Outcome {
	if direction == DirToSmartHR {
		return c.ToSmartHR
	}
	return c.ToJobkan
}

// Planted lists the planted cases of the default (messy) scenario of this
// seed and size, in the order they were planted; nil below MessyMinSize.
func Planted(seed int64, size int) []PlantedCase {
	size = min(size, MaxSize)
	return generate(seed, size).planted
}

var (
	unchanged = Outcome{Status: "unchanged"}
	absent    = Outcome{}
)

func changed(written map[string]string) Outcome {
	return Outcome{Status: "changed", Written: written}
}

// planter plants the cases of one scenario.
type planter struct {
	g      gen
	sc     *scenario
	shared []int // indexes into sc.jobkan of untouched employees on both sides
	shOnly []int // indexes into sc.smarthr of untouched SmartHR-only crews
	jkOnly []int // indexes into sc.jobkan of untouched Jobkan-only staff
	hs     map[string]int
}

func (p *planter) takeShared() (h, j *person) {
	i := p.shared[0]
	p.shared = p.shared[1:]
	j = &p.sc.jobkan[i]
	return &p.sc.smarthr[p.hs[j.number]], j
}

func (p *planter) takeSmartHROnly() *person {
	i := p.shOnly[0]
	p.shOnly = p.shOnly[1:]
	return &p.sc.smarthr[i]
}

func (p *planter) takeJobkanOnly() *person {
	i := p.jkOnly[0]
	p.jkOnly = p.jkOnly[1:]
	return &p.sc.jobkan[i]
}

// Per round: shared employees, SmartHR-only crews and Jobkan-only staff used.
const perRoundShared, perRoundSmartHR, perRoundJobkan = 29, 4, 2

// plant adds the planted cases. untouched lists the indexes into sc.jobkan
// of employees on both sides that nothing else has changed; the rest is
// found from the numbers.
func plant(seed int64, size int, sc *scenario, untouched []int) {
	if size < MessyMinSize {
		return
	}
	// A generator of its own, so that the clean scenario of a seed stays
	// the same whether or not the mess is planted on top.
	g := gen{rng: rand.New(rand.NewPCG(uint64(seed), 0x6d65_7373_7921_0017))}
	p := &planter{g: g, sc: sc, hs: make(map[string]int, len(sc.smarthr))}
	count := map[string]int{}
	for i, h := range sc.smarthr {
		p.hs[h.number] = i
		count[h.number]++
	}
	inJobkan := make(map[string]bool, len(sc.jobkan))
	for i, j := range sc.jobkan {
		inJobkan[j.number] = true
		if _, ok := p.hs[j.number]; !ok {
			p.jkOnly = append(p.jkOnly, i)
		}
	}
	for i, h := range sc.smarthr {
		if h.number != "" && !inJobkan[h.number] && count[h.number] == 1 {
			p.shOnly = append(p.shOnly, i)
		}
	}
	for _, i := range untouched {
		if count[sc.jobkan[i].number] == 1 { // not the duplicated emp_code
			p.shared = append(p.shared, i)
		}
	}
	g.rng.Shuffle(len(p.shared), func(a, b int) { p.shared[a], p.shared[b] = p.shared[b], p.shared[a] })
	g.rng.Shuffle(len(p.shOnly), func(a, b int) { p.shOnly[a], p.shOnly[b] = p.shOnly[b], p.shOnly[a] })
	g.rng.Shuffle(len(p.jkOnly), func(a, b int) { p.jkOnly[a], p.jkOnly[b] = p.jkOnly[b], p.jkOnly[a] })

	rounds := max(1, size/messyRound)
	rounds = min(rounds, len(p.shared)/perRoundShared, len(p.shOnly)/perRoundSmartHR, len(p.jkOnly)/perRoundJobkan)
	for range rounds {
		p.round()
	}
}

// round plants one of each kind.
func (p *planter) round() {
	add := func(c PlantedCase) { p.sc.planted = append(p.sc.planted, c) }
	both := func(kind, what string, h, j *person, toSmartHR, toJobkan Outcome) {
		add(PlantedCase{Kind: kind, Number: clean(h.number), SmartHR: h.number, Jobkan: j.number, What: what,
			ToSmartHR: toSmartHR, ToJobkan: toJobkan})
	}
	form := func(kind, what string, change func(h, j *person)) {
		h, j := p.takeShared()
		change(h, j)
		both(kind, what, h, j, unchanged, unchanged)
	}

	// 社員番号 that differ only in form: the same employee, 差分なし.
	form("number_trailing_space", "Jobkan 従業員コード with a trailing space", func(h, j *person) { j.number += " " })
	form("number_leading_space", "SmartHR emp_code with a leading space", func(h, j *person) { h.number = " " + h.number })
	form("number_nbsp", "SmartHR emp_code ending in a no-break space (U+00A0)", func(h, j *person) { h.number += "\u00a0" })
	form("number_fullwidth", "SmartHR emp_code in full-width digits", func(h, j *person) { h.number = fullWidth(h.number) })
	form("number_zero_width", "SmartHR emp_code with a zero-width space (U+200B)", func(h, j *person) { h.number += "\u200b" })
	form("number_bom", "Jobkan 従業員コード starting with a BOM (U+FEFF), as a CSV import leaves it", func(h, j *person) {
		j.number = "\ufeff" + j.number
	})

	// Look-alike numbers: two records, never matched; new, with a warning.
	{
		h, j := p.takeShared()
		if strings.HasPrefix(h.number, "0") {
			j.number = strings.TrimLeft(h.number, "0")
		} else {
			h.number = "0" + h.number
		}
		j.email = j.number + "@example.jp"
		warn := Outcome{Status: "new", Warning: "similar_employee_number"}
		add(PlantedCase{Kind: "number_leading_zeros", Number: h.number, SmartHR: h.number,
			What:      "the same employee: SmartHR emp_code with leading zeros, Jobkan's without (" + j.number + ")",
			ToSmartHR: absent, ToJobkan: warn})
		add(PlantedCase{Kind: "number_leading_zeros", Number: j.number, Jobkan: j.number,
			What:      "the same employee: Jobkan 従業員コード without the leading zeros of SmartHR's (" + h.number + ")",
			ToSmartHR: warn, ToJobkan: absent})

		h, j = p.takeShared()
		n := h.number
		h.number, j.number = "A"+n, "a"+n
		j.email = j.number + "@example.jp"
		add(PlantedCase{Kind: "number_letter_case", Number: h.number, SmartHR: h.number,
			What:      "the same employee: SmartHR emp_code in upper case, Jobkan's in lower case (" + j.number + ")",
			ToSmartHR: absent, ToJobkan: warn})
		add(PlantedCase{Kind: "number_letter_case", Number: j.number, Jobkan: j.number,
			What:      "the same employee: Jobkan 従業員コード in lower case, SmartHR's in upper case (" + h.number + ")",
			ToSmartHR: warn, ToJobkan: absent})
	}

	// Names that differ only in form.
	form("name_zenkaku_space", "Jobkan 姓 with a trailing 全角スペース (U+3000)", func(h, j *person) { j.last += "　" })
	form("name_halfwidth_kana", "名 in katakana: SmartHR full-width ジュン, Jobkan half-width ｼﾞｭﾝ", func(h, j *person) {
		h.first, h.firstKana, j.first = "ジュン", "ジュン", "ｼﾞｭﾝ"
	})
	form("name_decomposed_dakuten", "名 ジョージ: SmartHR precomposed, Jobkan with combining dakuten (U+3099), as macOS files it", func(h, j *person) {
		h.first, h.firstKana, j.first = "ジョージ", "ジョージ", "シ\u3099ョーシ\u3099"
	})
	form("name_invisible", "Jobkan 姓 with a zero-width space between its characters", func(h, j *person) {
		if _, n := utf8.DecodeRuneInString(j.last); n < len(j.last) {
			j.last = j.last[:n] + "\u200b" + j.last[n:]
		} else {
			j.last += "\u2060" // word joiner
		}
	})
	form("kanji_same_variant", "姓 大塚 with 塚 as the compatibility ideograph U+FA10 on both sides", func(h, j *person) {
		h.last, h.lastKana, j.last = "大\ufa10", "オオツカ", "大\ufa10"
	})

	// A name made only of an invisible character: blank, never written.
	{
		h, j := p.takeShared()
		j.first = "\u200b"
		both("name_only_invisible", "Jobkan 名 is only a zero-width space; SmartHR's is "+h.first, h, j,
			Outcome{Status: "conflict", Reason: "target_refuses_blank"},
			changed(map[string]string{"first_name": h.first}))
	}

	// 異体字: real changes, in both directions, written byte for byte.
	kanji := func(kind, what, sh, jk, kana string) {
		h, j := p.takeShared()
		h.last, h.lastKana, j.last = sh, kana, jk
		both(kind, what, h, j, changed(map[string]string{"last_name": jk}), changed(map[string]string{"last_name": sh}))
	}
	kanji("kanji_taka", "姓 SmartHR 髙橋 (U+9AD9), Jobkan 高橋 (U+9AD8)", "髙橋", "高橋", "タカハシ")
	kanji("kanji_saki", "姓 SmartHR 山崎 (U+5D0E), Jobkan 山﨑 (compatibility ideograph U+FA11)", "山崎", "山\ufa11", "ヤマザキ")
	kanji("kanji_tsuka", "姓 SmartHR 大塚 with U+FA10 (compatibility), Jobkan 大塚 with U+585A (unified)", "大\ufa10", "大塚", "オオツカ")

	// Phone numbers that differ only in form.
	phone := func(kind, what string, sh, jk func(mobile string) string) {
		form(kind, what, func(h, j *person) {
			m := "090-" + p.g.digits(4) + "-" + p.g.digits(4)
			h.phone, j.phone = sh(m), jk(m)
		})
	}
	same := func(m string) string { return m }
	phone("phone_plus81", "SmartHR +81 90-…, Jobkan 090-…", func(m string) string { return "+81 " + m[1:] }, same)
	phone("phone_plus81_zero", "SmartHR +81 (0)3-…, Jobkan 03-…",
		func(m string) string { return "+81 (0)3" + m[3:] }, func(m string) string { return "03" + m[3:] })
	phone("phone_fullwidth", "Jobkan in full-width digits and hyphens (０９０－…)", same,
		func(m string) string { return fullWidth(strings.ReplaceAll(m, "-", "－")) })
	phone("phone_parentheses", "SmartHR 03(1234)5678, Jobkan 03-1234-5678",
		func(m string) string { return "03(" + m[4:8] + ")" + m[9:] }, func(m string) string { return "03" + m[3:] })
	phone("phone_long_vowel", "Jobkan with long-vowel marks for hyphens (090ー…), SmartHR without separators",
		func(m string) string { return strings.ReplaceAll(m, "-", "") }, func(m string) string { return strings.ReplaceAll(m, "-", "ー") })
	{
		h, j := p.takeShared()
		h.phone = "+81 90-" + p.g.digits(4) + "-" + p.g.digits(4)
		j.phone = "090-" + p.g.digits(4) + "-" + p.g.digits(4)
		both("phone_plus81_changed", "a really different number: SmartHR "+h.phone+", Jobkan "+j.phone, h, j,
			changed(map[string]string{"phone": j.phone}), changed(map[string]string{"phone": h.phone}))
	}

	// Dates as the providers send them.
	form("date_timestamp", "SmartHR 入社年月日 as the timestamp 2024-03-31T15:00:00Z (midnight of 1 April in Japan), Jobkan 2024-04-01",
		func(h, j *person) { h.hired, j.hired = "2024-03-31T15:00:00Z", "2024-04-01" })
	form("date_offset", "Jobkan 入社日 as a timestamp with +09:00", func(h, j *person) { j.hired += "T00:00:00+09:00" })
	form("date_slashes", "Jobkan 生年月日 written YYYY/MM/DD", func(h, j *person) { j.birth = strings.ReplaceAll(j.birth, "-", "/") })
	{
		h, j := p.takeShared()
		h.hired, j.hired = "2024-03-31T15:00:00Z", "2024-03-31"
		both("date_timestamp_changed", "SmartHR 入社年月日 2024-03-31T15:00:00Z (1 April in Japan), Jobkan 2024-03-31: a day apart", h, j,
			changed(map[string]string{"hired_on": "2024-03-31"}), changed(map[string]string{"hired_on": "2024-04-01"}))
	}

	// A re-hire: SmartHR has a new crew with the old 社員番号 beside the
	// retired one (emp_code is not unique there).
	{
		h, j := p.takeShared()
		again := p.takeSmartHROnly()
		crewID := again.crewID
		*again = *h
		again.crewID = crewID
		again.hired, again.status = "2025-04-01", "employed"
		h.status = "retired"
		j.hired, j.status = "2025-04-01", "employed"
		dup := Outcome{Status: "conflict", Reason: "duplicate_employee_number"}
		both("rehire_same_number", "re-hired: two SmartHR crews with one emp_code (the retired one and the new one), one Jobkan staff member", h, j, dup, dup)
	}

	// An e-mail already used by another Jobkan staff member: the one that
	// hrbridge generates for a new employee (<社員番号>@example.jp).
	{
		n := p.takeSmartHROnly()
		h, j := p.takeShared()
		j.email = clean(n.number) + "@example.jp"
		both("email_holder", "Jobkan staff member whose e-mail is "+j.email+", the address generated for "+clean(n.number), h, j, unchanged, unchanged)
		add(PlantedCase{Kind: "email_taken", Number: clean(n.number), SmartHR: n.number,
			What:      "SmartHR only; the e-mail hrbridge generates for it is already used by Jobkan staff member " + clean(h.number),
			ToSmartHR: absent, ToJobkan: Outcome{Status: "new", ImportError: "duplicate_email"}})
	}

	// New employees whose values are messy: written cleanly.
	{
		n := p.takeSmartHROnly()
		num := n.number
		n.number = fullWidth(num)
		add(PlantedCase{Kind: "new_number_fullwidth", Number: num, SmartHR: n.number, What: "SmartHR only, emp_code in full-width digits",
			ToSmartHR: absent, ToJobkan: Outcome{Status: "new", Written: map[string]string{"employee_number": num, "email": num + "@example.jp"}}})

		n = p.takeSmartHROnly()
		first := n.first
		_, k := utf8.DecodeRuneInString(first)
		n.first = first[:k] + "\u200b" + first[k:]
		add(PlantedCase{Kind: "new_name_invisible", Number: n.number, SmartHR: n.number, What: "SmartHR only, 名 with a zero-width space inside",
			ToSmartHR: absent, ToJobkan: Outcome{Status: "new", Written: map[string]string{"first_name": first}}})

		j := p.takeJobkanOnly()
		num = j.number
		j.number = "\ufeff" + num
		add(PlantedCase{Kind: "new_number_bom", Number: num, Jobkan: j.number, What: "Jobkan only, 従業員コード starting with a BOM",
			ToSmartHR: Outcome{Status: "new", Written: map[string]string{"employee_number": num}}, ToJobkan: absent})

		j = p.takeJobkanOnly()
		j.hired = "2024-03-31T15:00:00Z"
		add(PlantedCase{Kind: "new_date_timestamp", Number: j.number, Jobkan: j.number, What: "Jobkan only, 入社日 as the timestamp 2024-03-31T15:00:00Z",
			ToSmartHR: Outcome{Status: "new", Written: map[string]string{"hired_on": "2024-04-01"}}, ToJobkan: absent})
	}
}

// clean is a 社員番号 as the planted cases are written: the simulators'
// numbers are ASCII digits and letters, so removing spaces and format
// characters and narrowing digits is all hrbridge's normalisation does to
// them.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune(r - '０' + '0')
		case r == ' ' || r == '\u00a0' || r == '\u3000' || r == '\u200b' || r == '\ufeff' || r == '\u2060':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// String is the case in one line, for test logs.
func (c PlantedCase) String() string {
	return fmt.Sprintf("%s %q (SmartHR %q, Jobkan %q)", c.Kind, c.Number, c.SmartHR, c.Jobkan)
}

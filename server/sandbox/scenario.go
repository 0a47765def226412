package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// person is one employee as one provider holds them, in neutral form.
type person struct {
	number       string // "" for the SmartHR crew without emp_code
	last, first  string
	lastKana     string
	firstKana    string
	businessLast string // SmartHR ビジネスネーム, usually ""
	gender       string
	birth, hired string // YYYY-MM-DD
	workKind     int    // 1..8, see employmentTypes
	phone        string
	status       string // employed, absent, retired
	email        string // Jobkan only
	crewID       string // SmartHR only
}

// scenario is both providers' data, generated together from one seed so that
// they overlap the way real tenants do.
type scenario struct {
	smarthr []person
	jobkan  []person
	planted []PlantedCase // the messy cases, see planted.go
}

// synced fields that the scenario makes differ, one group of employees each.
var differingFields = []string{"last_name", "first_name", "hired_on", "employment_type", "phone", "birth_date", "employment_status"}

// generate builds a scenario with exactly size records on each side:
//   - most employees on both sides, identical;
//   - for each synced field, some employees that differ in it (size/50 each);
//   - some that differ only by form: full-width digits, other hyphens,
//     surrounding spaces (size/20) — these must not count as differences;
//   - some whose SmartHR crew has a business name, which Jobkan uses (size/100);
//   - some on SmartHR only and some on Jobkan only (about size/20 each);
//   - on SmartHR, one crew whose emp_code duplicates another's, and one crew
//     without emp_code.
//
// Below 10 employees there are no special cases: everyone is on both sides.
//
// This is the default, messy scenario: from MessyMinSize employees on, the
// cases of planted.go are planted on top (see Planted). generateWith(seed,
// size, false) is the same scenario without them.
func generate(seed int64, size int) scenario { return generateWith(seed, size, true) }

func generateWith(seed int64, size int, messy bool) scenario {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_4b2d_1a3c_9e77))
	g := gen{rng: rng}
	if size <= 0 {
		return scenario{}
	}
	special := size >= 10
	extras, smartOnly := 0, 0
	if special {
		extras, smartOnly = 2, size/20
	}
	shared := size - smartOnly - extras
	jobkanOnly := size - shared
	total := shared + smartOnly + jobkanOnly

	people := make([]person, total)
	for i := range people {
		people[i] = g.person(i + 1)
	}
	// Roles are scattered over the numbers, as hires and leavers are.
	role := make([]byte, total) // 's' shared, 'h' SmartHR only, 'j' Jobkan only
	for k, i := range rng.Perm(total) {
		switch {
		case k < shared:
			role[i] = 's'
		case k < shared+smartOnly:
			role[i] = 'h'
		default:
			role[i] = 'j'
		}
	}

	// Both sides start as copies; variations then touch one side or both.
	jobkanSide := make(map[int]*person)
	var sc scenario
	var sharedIdx []int
	for i := range people {
		if role[i] != 'j' {
			p := people[i]
			p.crewID = g.uuid()
			sc.smarthr = append(sc.smarthr, p)
		}
		if role[i] != 'h' {
			p := people[i]
			p.email = p.number + "@example.jp"
			if p.status == "" {
				p.status = "employed"
			}
			sc.jobkan = append(sc.jobkan, p)
		}
	}
	// Index the shared ones on both sides.
	hs := make(map[string]*person, len(sc.smarthr))
	for i := range sc.smarthr {
		hs[sc.smarthr[i].number] = &sc.smarthr[i]
	}
	for i := range sc.jobkan {
		if _, ok := hs[sc.jobkan[i].number]; ok {
			jobkanSide[i] = &sc.jobkan[i]
			sharedIdx = append(sharedIdx, i)
		}
	}

	if special {
		order := rng.Perm(len(sharedIdx))
		next := 0
		take := func(n int) []int {
			var out []int
			for ; n > 0 && next < len(order); n-- {
				out = append(out, sharedIdx[order[next]])
				next++
			}
			return out
		}
		perField := max(1, size/50)
		for _, f := range differingFields {
			for _, i := range take(perField) {
				j := jobkanSide[i]
				g.differ(f, j)
			}
		}
		for _, i := range take(max(1, size/20)) {
			j := jobkanSide[i]
			g.differInForm(hs[j.number], j)
		}
		for _, i := range take(max(1, size/100)) {
			j := jobkanSide[i]
			h := hs[j.number]
			// Known at work by the name Jobkan has; the legal name is another.
			h.businessLast = h.last
			for h.last == h.businessLast {
				s := g.pick(surnames)
				h.last, h.lastKana = s.kanji, s.kana
			}
		}

		// A second crew with someone else's number, typed by hand.
		dup := g.person(total + 1)
		dup.number = sc.jobkan[sharedIdx[rng.IntN(len(sharedIdx))]].number
		dup.crewID = g.uuid()
		// A crew nobody gave a number yet.
		none := g.person(total + 2)
		none.number = ""
		none.crewID = g.uuid()
		sc.smarthr = append(sc.smarthr, dup, none)

		if messy {
			untouched := make([]int, 0, len(order)-next)
			for _, k := range order[next:] {
				untouched = append(untouched, sharedIdx[k])
			}
			plant(seed, size, &sc, untouched)
		}
	}
	return sc
}

type gen struct{ rng *rand.Rand }

func (g gen) pick(names []name) name { return names[g.rng.IntN(len(names))] }

func (g gen) person(n int) person {
	s := g.pick(surnames)
	f := givenNames[g.rng.IntN(len(givenNames))]
	birth := date(1960, 1, 1).AddDate(0, 0, g.rng.IntN(45*365))
	earliest := birth.AddDate(18, 0, 0)
	if earliest.Before(date(1990, 4, 1)) {
		earliest = date(1990, 4, 1)
	}
	span := int(date(2025, 10, 1).Sub(earliest).Hours() / 24)
	hired := earliest.AddDate(0, 0, g.rng.IntN(max(span, 1)))
	if g.rng.IntN(10) < 4 { // 新卒: April 1st
		hired = date(hired.Year(), 4, 1)
		if hired.Before(earliest) {
			hired = hired.AddDate(1, 0, 0)
		}
	}
	status := "employed"
	switch r := g.rng.IntN(100); {
	case r < 3:
		status = "absent"
	case r < 10:
		status = "retired"
	}
	return person{
		number: fmt.Sprintf("%05d", n),
		last:   s.kanji, lastKana: s.kana,
		first: f.kanji, firstKana: f.kana,
		gender:   f.gender,
		birth:    birth.Format(time.DateOnly),
		hired:    hired.Format(time.DateOnly),
		workKind: g.workKind(),
		phone:    g.phone(),
		status:   status,
	}
}

func (g gen) workKind() int {
	r := g.rng.IntN(100)
	for _, t := range employmentTypes {
		if r < t.weight {
			return t.code
		}
		r -= t.weight
	}
	return 1
}

func (g gen) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.rng.IntN(10)))
	}
	return b.String()
}

// phone writes numbers the ways people do: mobile and landline, with and
// without hyphens, sometimes in full-width, sometimes not at all.
func (g gen) phone() string {
	mobile := func() string { return fmt.Sprintf("0%d0-%s-%s", 7+g.rng.IntN(3), g.digits(4), g.digits(4)) }
	switch r := g.rng.IntN(100); {
	case r < 50:
		return mobile()
	case r < 65:
		return strings.ReplaceAll(mobile(), "-", "")
	case r < 75:
		return "03-" + g.digits(4) + "-" + g.digits(4)
	case r < 80:
		return "06-" + g.digits(4) + "-" + g.digits(4)
	case r < 85:
		return "045-" + g.digits(3) + "-" + g.digits(4)
	case r < 90:
		return fullWidth(strings.ReplaceAll(mobile(), "-", "－"))
	}
	return ""
}

// differ makes p (the Jobkan side) really differ from its SmartHR twin in f.
func (g gen) differ(f string, p *person) {
	switch f {
	case "last_name":
		old := p.last
		for p.last == old {
			s := g.pick(surnames) // married, or a typo fixed on one side
			p.last, p.lastKana = s.kanji, s.kana
		}
	case "first_name":
		old := p.first
		for p.first == old {
			n := givenNames[g.rng.IntN(len(givenNames))]
			p.first, p.firstKana = n.kanji, n.kana
		}
	case "hired_on":
		p.hired = shiftDate(p.hired, 1+g.rng.IntN(60))
	case "employment_type":
		p.workKind = (p.workKind+g.rng.IntN(7))%8 + 1 // any other of 1..8
	case "phone":
		old := p.phone
		for p.phone == old || p.phone == "" {
			p.phone = g.phone()
		}
	case "birth_date":
		p.birth = shiftDate(p.birth, -1-g.rng.IntN(400))
	case "employment_status":
		p.status = map[string]string{"employed": "retired", "absent": "employed", "retired": "employed"}[p.status]
	}
}

// differInForm changes how h's or j's values are written, never what they are.
func (g gen) differInForm(h, j *person) {
	if h.phone == "" {
		h.phone = "090-" + g.digits(4) + "-" + g.digits(4)
		j.phone = h.phone
	}
	for h.phone == j.phone && h.last == j.last && h.first == j.first {
		g.reform(h, j)
	}
}

func (g gen) reform(h, j *person) {
	switch g.rng.IntN(5) {
	case 0:
		j.phone = fullWidth(h.phone)
	case 1:
		j.phone = strings.ReplaceAll(h.phone, "-", hyphens[g.rng.IntN(len(hyphens))])
	case 2:
		h.last = " " + h.last + " "
	case 3:
		j.first = j.first + "　" // a trailing full-width space
	case 4:
		h.phone = " " + h.phone
		j.phone = fullWidth(strings.ReplaceAll(j.phone, "-", "－"))
	}
}

func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '０'
		}
		return r
	}, s)
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func shiftDate(s string, days int) string {
	t, _ := time.Parse(time.DateOnly, s)
	return t.AddDate(0, 0, days).Format(time.DateOnly)
}

// uuid makes a deterministic version-4-shaped id.
func (g gen) uuid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x",
		a>>32, (a>>16)&0xffff, a&0xfff, 0x8000|(b>>48)&0x3fff, b&0xffffffffffff)
}

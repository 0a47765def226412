package sync

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"strings"
	gosync "sync"
	"unicode"
	"unicode/utf8"
)

// Status is where one source employee stands against the target.
type Status string

const (
	StatusUnchanged Status = "unchanged" // 差分なし
	StatusChanged   Status = "changed"   // 差分あり
	StatusNew       Status = "new"       // 新規登録
	StatusConflict  Status = "conflict"  // cannot be imported safely; see ReasonCode
)

// Reason codes of a conflict (the API's reason).
const (
	ReasonMissingEmployeeNumber   = "missing_employee_number"
	ReasonDuplicateEmployeeNumber = "duplicate_employee_number"
	ReasonUnmappedEmploymentType  = "unmapped_employment_type"
	ReasonTargetRefusesBlank      = "target_refuses_blank"
	ReasonInvalidValue            = "invalid_value"
	// ReasonSourceNotFound is only given by DiffOne, when the employee is no
	// longer in the source.
	ReasonSourceNotFound = "source_not_found"
)

// FieldDiff is one field of one employee. Old is the target's value and New
// the source's, both for display: the employment type is shown by its name
// (through the value map) in both directions, a date that reads as one as
// YYYY-MM-DD (a timestamp as its date in Japan), other fields as the
// providers hold them.
type FieldDiff struct {
	Field   Field
	Old     string
	New     string
	Changed bool
}

// Item is one source employee in a diff.
type Item struct {
	// EmployeeNumber is the normalised 社員番号: the match key, and the key
	// by which imports name the employee.
	EmployeeNumber string
	DisplayName    string // the source's "姓 名"
	Status         Status
	// Fingerprint identifies everything the diff compared for this
	// employee; an import re-diffs and skips the employee if it differs.
	Fingerprint  string
	Fields       []FieldDiff
	ReasonCode   string // conflicts only
	ReasonDetail string // conflicts only: every problem found, in Japanese

	Source Employee
	// Target is the one target employee matched, pointing into the slice
	// given to Diff; nil for new employees and when several match.
	Target *Employee
	// Want is the target record to write, in the target's representation
	// (employment type as a name for SmartHR, a code for Jobkan; dates as
	// YYYY-MM-DD; other values as the source holds them): for new employees
	// the source's values, with the normalised number and, into Jobkan, the
	// generated e-mail; for changed ones a copy of *Target with the changed
	// fields replaced. Zero for unchanged employees and conflicts.
	Want Employee
	// Write names the fields of Want to send: every field with a value
	// (employee_number included) to create, the changed fields to update,
	// none otherwise.
	Write []Field
	// Warnings are advisory: the item can still be imported, but the
	// administrator should look first (e.g. similar_employee_number).
	Warnings []Warning
}

// Warning is one advisory note on an item; Code is stable (the API's
// warnings[].code), Message is for people, in Japanese.
type Warning struct {
	Code    string
	Message string
}

// Warning codes.
const (
	// WarningSimilarEmployeeNumber: a new employee's 社員番号 equals an
	// existing target number once leading zeros and letter case are ignored
	// ("00123" and "123", "e300" and "E300"): maybe the same person.
	WarningSimilarEmployeeNumber = "similar_employee_number"
)

// Summary counts the items by status.
type Summary struct {
	Unchanged, Changed, New, Conflict, Total int
}

// Result is a whole diff. Items are sorted by employee number (see
// CompareEmployeeNumbers), then by source ID.
type Result struct {
	Items   []Item
	Summary Summary
}

// Diff compares every source employee with the target employee of the same
// normalised 社員番号, by the rules of DESIGN.md §2. It is pure and
// deterministic (large diffs use every CPU; the result does not depend on
// it). dir must be valid.
//
// Compared, both ways: last_name, first_name, hired_on, employment_type
// (through the value map), phone, birth_date; jobkan_to_smarthr also
// employment_status, except that a source that is absent (休職) or blank is
// left out of comparison and writing. smarthr_to_jobkan creates employees
// with email "<number>@example.jp" and never compares email.
//
// A source value compared blank against a target value is a change (it
// blanks the target), unless the target refuses it: SmartHR a name or a
// birth date, Jobkan a name; no one is created without both names
// (target_refuses_blank). Values that cannot be written safely make the
// employee a conflict: a blank or duplicated number (on either side), a
// source employment type outside the map, a source date that is not a date,
// an unknown source employment_status, or a number that makes no e-mail
// local part (invalid_value). ReasonCode is the first problem found;
// ReasonDetail lists them all.
func Diff(dir Direction, source, target []Employee, s Settings) Result {
	e := newEngine(dir, s)
	skeys := make([]string, len(source))
	for i := range source {
		skeys[i] = normText(source[i].EmployeeNumber)
	}
	order := sortOrder(source, skeys)

	// Targets by number: heads holds the first index, next chains the rest
	// in input order (-1 ends), so that one map serves duplicates too.
	heads := make(map[string]int32, len(target))
	next := make([]int32, len(target))
	for j := len(target) - 1; j >= 0; j-- {
		k := normText(target[j].EmployeeNumber)
		if k == "" {
			continue // a blank number matches nothing
		}
		next[j] = -1
		if h, ok := heads[k]; ok {
			next[j] = h
		}
		heads[k] = int32(j)
	}

	n, per := len(source), e.slots()
	items := make([]Item, n)
	fds := make([]FieldDiff, n*per)
	// build diffs the items order[lo:hi]; lo and hi are group boundaries.
	build := func(e *engine, lo, hi int) {
		for k := lo; k < hi; {
			key := skeys[order[k]]
			end := k + 1
			for end < hi && skeys[order[end]] == key {
				end++
			}
			nsrc := end - k
			var tg []Employee
			if key == "" {
				nsrc = 1 // each blank number is a conflict of its own
			} else if h, ok := heads[key]; ok {
				if next[h] < 0 {
					tg = target[h : h+1 : h+1]
				} else {
					for j := h; j >= 0; j = next[j] {
						tg = append(tg, target[j])
					}
				}
			}
			for ; k < end; k++ {
				e.build(&items[k], &source[order[k]], key, nsrc, tg, fds[k*per:k*per:(k+1)*per])
			}
		}
	}

	// Items are independent once grouped, so large diffs are shared among
	// the CPUs; each item lands at its own index, so the result is the same.
	workers := min(runtime.GOMAXPROCS(0), n/minChunk)
	if workers <= 1 {
		build(e, 0, n)
	} else {
		var wg gosync.WaitGroup
		lo := 0
		for w := 1; w <= workers; w++ {
			hi := n * w / workers
			for hi < n && hi > lo && skeys[order[hi]] == skeys[order[hi-1]] {
				hi++ // never split a group
			}
			from := lo
			wg.Go(func() { build(e.clone(), from, hi) })
			lo = hi
		}
		wg.Wait()
	}
	warnSimilar(e, items, target)
	return Result{Items: items, Summary: summarise(items)}
}

// warnSimilar adds similar_employee_number to every new item whose number
// equals a target number once leading zeros and letter case are ignored.
// New items are few: they are indexed, and the targets are scanned once
// against that index without allocating.
func warnSimilar(e *engine, items []Item, target []Employee) {
	var news map[string][]int // loose number → indexes of new items
	var buf []byte
	for i := range items {
		if items[i].Status == StatusNew && items[i].EmployeeNumber != "" {
			if news == nil {
				news = map[string][]int{}
			}
			buf = appendLoose(buf[:0], items[i].EmployeeNumber)
			news[string(buf)] = append(news[string(buf)], i)
		}
	}
	if news == nil {
		return
	}
	similar := map[int][]string{} // item index → the target numbers alike
	for j := range target {
		k := normText(target[j].EmployeeNumber)
		if k == "" {
			continue
		}
		buf = appendLoose(buf[:0], k)
		for _, i := range news[string(buf)] {
			similar[i] = append(similar[i], k)
		}
	}
	for i, numbers := range similar {
		items[i].Warnings = append(items[i].Warnings, e.similarWarning(numbers))
	}
}

// WarnSimilar gives items, the items of a whole diff in dir, the
// similar_employee_number warnings that Diff would give them against every
// target row; it is for a diff patched in part (only some 社員番号 diffed
// again), since a look-alike may sit in another group. Items' Warnings
// slices are replaced, never appended to in place.
func WarnSimilar(dir Direction, items []Item, target []Employee) {
	for i := range items {
		var keep []Warning
		for _, w := range items[i].Warnings {
			if w.Code != WarningSimilarEmployeeNumber {
				keep = append(keep, w)
			}
		}
		items[i].Warnings = keep
	}
	warnSimilar(newEngine(dir, Settings{}), items, target)
}

// appendLoose appends the normalised 社員番号 k with letters in lower case
// and each run of digits without leading zeros: "E00123" and "e123" are
// alike.
func appendLoose(dst []byte, k string) []byte {
	runStart := true // the next digit would start a run of digits
	for i := 0; i < len(k); {
		c := k[i]
		if isDigit(c) {
			if !(runStart && c == '0' && i+1 < len(k) && isDigit(k[i+1])) {
				dst = append(dst, c) // not a leading zero (or the run's last digit)
				runStart = false
			}
			i++
			continue
		}
		runStart = true
		switch {
		case 'A' <= c && c <= 'Z':
			dst = append(dst, c+'a'-'A')
		case c < utf8.RuneSelf:
			dst = append(dst, c)
		default:
			r, n := utf8.DecodeRuneInString(k[i:])
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
			i += n
			continue
		}
		i++
	}
	return dst
}

func (e *engine) similarWarning(numbers []string) Warning {
	slices.SortFunc(numbers, CompareEmployeeNumbers)
	numbers = slices.Compact(numbers)
	list := "「" + numbers[0] + "」"
	if len(numbers) > 1 {
		list += fmt.Sprintf("ほか%d人", len(numbers)-1)
	}
	return Warning{Code: WarningSimilarEmployeeNumber, Message: fmt.Sprintf(
		"%sに、社員番号が似ている従業員%sがいます。同じ人の場合は、社員番号をそろえてから取り込んでください",
		e.tgtName, list)}
}

// minChunk is the fewest items worth a goroutine of their own.
const minChunk = 4096

// sortOrder returns the indexes of source sorted by number key (see
// CompareEmployeeNumbers), then by ID, then by position. Comparing encoded
// keys bytewise is several times faster than the natural comparison.
func sortOrder(source []Employee, skeys []string) []int32 {
	type entry struct {
		nat string
		i   int32
	}
	arena := make([]byte, 0, 16*len(skeys))
	offs := make([]int, len(skeys)+1)
	for i, k := range skeys {
		arena = appendNatKey(arena, k)
		offs[i+1] = len(arena)
	}
	all := string(arena)
	entries := make([]entry, len(skeys))
	for i := range entries {
		entries[i] = entry{all[offs[i]:offs[i+1]], int32(i)}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := strings.Compare(a.nat, b.nat); c != 0 {
			return c
		}
		if c := strings.Compare(skeys[a.i], skeys[b.i]); c != 0 {
			return c
		}
		if c := CompareEmployeeNumbers(source[a.i].ID, source[b.i].ID); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int32, len(entries))
	for k, en := range entries {
		order[k] = en.i
	}
	return order
}

// appendNatKey appends a key whose bytewise order is the natural order of
// CompareEmployeeNumbers before its tie-break: each run of digits becomes
// '0', its length without leading zeros (4 bytes) and those digits. '0'
// sorts against other bytes as any digit does.
func appendNatKey(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			dst = append(dst, s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		run := strings.TrimLeft(s[i:j], "0")
		dst = binary.BigEndian.AppendUint32(append(dst, '0'), uint32(len(run)))
		dst = append(dst, run...)
		i = j
	}
	return dst
}

// DiffOne diffs a single employee by the same rules, for an import that
// re-reads one employee before writing it. sourceMatches and targetMatches
// must hold every employee of each side whose normalised number equals that
// of sourceMatches[0] (others are ignored); more than one is a duplicate.
// The item is the one Diff gives for sourceMatches[0].
func DiffOne(dir Direction, sourceMatches, targetMatches []Employee, s Settings) Item {
	e := newEngine(dir, s)
	if len(sourceMatches) == 0 {
		return Item{Status: StatusConflict, ReasonCode: ReasonSourceNotFound,
			ReasonDetail: e.srcName + "に従業員が見つかりません"}
	}
	src := &sourceMatches[0]
	key := normText(src.EmployeeNumber)
	nsrc := 1
	var tg []Employee
	if key != "" {
		nsrc = 0
		for i := range sourceMatches {
			if normText(sourceMatches[i].EmployeeNumber) == key {
				nsrc++
			}
		}
		tg = targetMatches
		for j := range targetMatches {
			if normText(targetMatches[j].EmployeeNumber) != key {
				tg = nil // some do not match: keep only those that do
				for j := range targetMatches {
					if normText(targetMatches[j].EmployeeNumber) == key {
						tg = append(tg, targetMatches[j])
					}
				}
				break
			}
		}
	}
	per := e.slots()
	var it Item
	e.build(&it, src, key, nsrc, tg, make([]FieldDiff, 0, per))
	return it
}

// Find returns the first item whose employee number equals number once
// normalised.
func (r Result) Find(number string) (Item, bool) {
	key := normText(number)
	i, ok := slices.BinarySearchFunc(r.Items, key, func(it Item, k string) int {
		return CompareEmployeeNumbers(it.EmployeeNumber, k)
	})
	if !ok {
		return Item{}, false
	}
	return r.Items[i], true
}

// CompareItems is the order of a diff's items: by employee number, then by
// source record ID, both compared by CompareEmployeeNumbers (so source IDs
// "9" < "10"). Diff sorts by it; After resumes by it.
func CompareItems(a, b *Item) int {
	return compareItemKeys(a.EmployeeNumber, a.Source.ID, b.EmployeeNumber, b.Source.ID)
}

func compareItemKeys(numA, idA, numB, idB string) int {
	if c := CompareEmployeeNumbers(numA, numB); c != 0 {
		return c
	}
	return CompareEmployeeNumbers(idA, idB)
}

// After returns the index of the first item ordered after the item with
// this normalised number and source ID (which need not be in r), for
// resuming a listing from another diff of the same data.
func (r Result) After(number, sourceID string) int {
	lo, hi := 0, len(r.Items)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if compareItemKeys(r.Items[m].EmployeeNumber, r.Items[m].Source.ID, number, sourceID) <= 0 {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// CompareEmployeeNumbers orders normalised employee numbers naturally, runs
// of digits by their value ("E2" < "E10"), and breaks ties bytewise
// ("E01" < "E1"), so that it is a total order.
func CompareEmployeeNumbers(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if isDigit(a[i]) && isDigit(b[j]) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			da, db := strings.TrimLeft(a[si:i], "0"), strings.TrimLeft(b[sj:j], "0")
			if c := cmp.Compare(len(da), len(db)); c != 0 {
				return c
			}
			if c := strings.Compare(da, db); c != 0 {
				return c
			}
			continue
		}
		if c := cmp.Compare(a[i], b[j]); c != 0 {
			return c
		}
		i++
		j++
	}
	if c := cmp.Compare(len(a)-i, len(b)-j); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func summarise(items []Item) Summary {
	s := Summary{Total: len(items)}
	for i := range items {
		switch items[i].Status {
		case StatusUnchanged:
			s.Unchanged++
		case StatusChanged:
			s.Changed++
		case StatusNew:
			s.New++
		case StatusConflict:
			s.Conflict++
		}
	}
	return s
}

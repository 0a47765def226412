package sync

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// engine holds what one diff needs besides the employees: the rules of its
// direction, the indexed value map and a scratch buffer for fingerprints.
// It is not safe for concurrent use.
type engine struct {
	dir       Direction
	fields    []Field
	srcJobkan bool // the source is Jobkan (else the target is)
	srcName   string
	tgtName   string
	types     typeMap
	zone      *time.Location
	buf       []byte
}

func newEngine(dir Direction, s Settings) *engine {
	if !dir.Valid() {
		panic(fmt.Sprintf("sync: invalid direction %q", dir))
	}
	e := &engine{dir: dir, fields: ComparedFields(dir), types: newTypeMap(s), zone: s.Zone, buf: make([]byte, 0, 512)}
	e.srcJobkan = dir == JobkanToSmartHR
	e.srcName, e.tgtName = "SmartHR", "ジョブカン"
	if e.srcJobkan {
		e.srcName, e.tgtName = e.tgtName, e.srcName
	}
	return e
}

// clone returns an engine for another goroutine.
func (e *engine) clone() *engine {
	c := *e
	c.buf = make([]byte, 0, cap(e.buf))
	return &c
}

// slots is the most FieldDiffs an item can have.
func (e *engine) slots() int {
	if e.dir == SmartHRToJobkan {
		return len(e.fields) + 1 // email
	}
	return len(e.fields)
}

type problem struct{ code, detail string }

// cmpField is one field of one employee compared.
type cmpField struct {
	changed        bool   // the comparison keys differ
	skip           bool   // left out of comparison and writing
	blankS, blankT bool   // a comparison key is blank
	newV, oldV     string // display values
	want           string // the source's value in the target's representation
	prob           problem
}

// build fills it for src against the targets that share its number key.
// fds is an empty slice with room for every field.
func (e *engine) build(it *Item, src *Employee, key string, nsrc int, targets []Employee, fds []FieldDiff) {
	*it = Item{EmployeeNumber: key, DisplayName: displayName(src), Source: *src}
	var tgt *Employee
	if len(targets) == 1 {
		tgt = &targets[0]
		it.Target = tgt
	}
	isNew := len(targets) == 0

	var probs []problem
	if key == "" {
		probs = append(probs, problem{ReasonMissingEmployeeNumber, LabelJa(FieldEmployeeNumber) + "が空です"})
	}
	if nsrc > 1 || len(targets) > 1 {
		probs = append(probs, e.duplicate(key, nsrc, len(targets)))
	}

	e.fpStart(key, nsrc, len(targets))
	var want Employee
	var wr []Field
	if isNew {
		wr = make([]Field, 1, e.slots()+1)
		wr[0] = FieldEmployeeNumber
	}
	for _, f := range e.fields {
		var w string
		if tgt != nil {
			w = tgt.Get(f)
		}
		c := e.compare(f, src.Get(f), w)
		if len(targets) > 1 {
			for j := range targets {
				e.fpKey(f, targets[j].Get(f), !e.srcJobkan)
			}
		}
		if c.skip {
			continue
		}
		if c.prob.code != "" {
			probs = append(probs, c.prob)
		}
		if p, ok := e.refusesBlank(f, c, isNew, tgt != nil); ok {
			probs = append(probs, p)
		}
		fds = append(fds, FieldDiff{Field: f, Old: c.oldV, New: c.newV, Changed: c.changed})
		if c.changed {
			if wr == nil { // the first change to an existing employee
				if tgt != nil {
					want = *tgt
				}
				wr = make([]Field, 0, len(e.fields))
			}
			want.Set(f, Clean(c.want)) // format characters are never written
			wr = append(wr, f)
		}
	}
	if isNew && key != "" && e.dir == SmartHRToJobkan {
		// Jobkan needs an e-mail address; the original generates one.
		email := key + "@example.jp"
		if !validLocalPart(key) {
			probs = append(probs, problem{ReasonInvalidValue, fmt.Sprintf(
				"%s「%s」からは%sを作れません", LabelJa(FieldEmployeeNumber), key, LabelJa(FieldEmail))})
		}
		fds = append(fds, FieldDiff{Field: FieldEmail, New: email, Changed: true})
		want.Email = email
		wr = append(wr, FieldEmail)
	}
	it.Fields = fds[:len(fds):len(fds)]
	it.Fingerprint = e.fpSum()

	switch {
	case len(probs) > 0:
		it.Status = StatusConflict
		it.ReasonCode = probs[0].code
		details := make([]string, len(probs))
		for i, p := range probs {
			details[i] = p.detail
		}
		it.ReasonDetail = strings.Join(details, " / ")
	case isNew:
		it.Status = StatusNew
		// The match key is written as compared: normalised, as in the e-mail.
		want.EmployeeNumber = key
		it.Want, it.Write = want, wr[:len(wr):len(wr)]
	case wr != nil:
		it.Status = StatusChanged
		it.Want, it.Write = want, wr[:len(wr):len(wr)]
	default:
		it.Status = StatusUnchanged
	}
}

// compare compares field f of a source value v with a target value w, and
// adds both comparison keys to the fingerprint.
func (e *engine) compare(f Field, v, w string) cmpField {
	c := cmpField{newV: v, oldV: w, want: v}
	s0 := e.fpOpen()
	si, dateOK := e.appendKey(f, v, e.srcJobkan)
	s1 := e.fpClose(s0)
	t0 := e.fpOpen()
	ti, tDateOK := e.appendKey(f, w, !e.srcJobkan)
	t1 := e.fpClose(t0)
	sk, tk := e.buf[s0+4:s1], e.buf[t0+4:t1]
	c.blankS, c.blankT = len(sk) == 0, len(tk) == 0
	c.changed = string(sk) != string(tk)

	switch f {
	case FieldEmploymentType:
		c.want = ""
		if si >= 0 {
			c.newV, c.want = e.types.names[si], e.typeValue(si)
		} else if !c.blankS {
			c.prob = problem{ReasonUnmappedEmploymentType, fmt.Sprintf(
				"%s「%s」は連携設定の対応表にありません", e.typeLabel(e.srcJobkan), strings.TrimSpace(v))}
		}
		if ti >= 0 {
			c.oldV = e.types.names[ti]
		}
	case FieldHiredOn, FieldBirthDate:
		// Dates are written, and shown, as YYYY-MM-DD: a timestamp would
		// otherwise be shown as sent ("2024-03-31T15:00:00Z" for 1 April).
		if string(sk) != v && c.changed {
			c.want = string(sk)
		}
		if dateOK && string(sk) != v { // the comparison does not allocate
			c.newV = string(sk)
		}
		if tDateOK && string(tk) != w {
			c.oldV = string(tk)
		}
		if !dateOK && !c.blankS {
			c.prob = problem{ReasonInvalidValue, fmt.Sprintf("%s「%s」は日付として読めません", LabelJa(f), sk)}
		}
	case FieldEmploymentStatus:
		switch string(sk) {
		case StatusEmployed:
			c.want = StatusEmployed
		case StatusRetired:
			c.want = StatusRetired
		case StatusAbsent, "":
			c.skip = true // 休職 is not sent (DESIGN.md §2)
		default:
			c.prob = problem{ReasonInvalidValue, fmt.Sprintf("%s「%s」は不明な値です", LabelJa(f), sk)}
		}
	}
	return c
}

// appendKey appends the comparison key of v, held by Jobkan (jobkan) or
// SmartHR, to the fingerprint buffer. For the employment type it returns
// the mapping's index (or -1); for a date, whether v is one.
func (e *engine) appendKey(f Field, v string, jobkan bool) (idx int, dateOK bool) {
	switch f {
	case FieldEmploymentType:
		idx = e.types.lookup(v, jobkan)
		if idx >= 0 {
			e.buf = append(e.buf, e.types.keys[idx]...)
			return idx, false
		}
		// Unmapped: a key that no mapped value can equal.
		if n := normText(v); n != "" {
			e.buf = append(e.buf, 0)
			if c, ok := parseCode(n); jobkan && ok {
				e.buf = strconv.AppendInt(e.buf, int64(c), 10) // "03" and "3" are one code
			} else {
				e.buf = append(e.buf, n...)
			}
		}
		return -1, false
	case FieldHiredOn, FieldBirthDate:
		e.buf, dateOK = appendDate(e.buf, v, e.zone)
		return -1, dateOK
	case FieldPhone:
		e.buf = appendPhone(e.buf, v)
	default:
		e.buf = appendText(e.buf, v)
	}
	return -1, false
}

// typeValue is mapping i in the target's representation.
func (e *engine) typeValue(i int) string {
	if e.srcJobkan {
		return e.types.names[i]
	}
	return e.types.codes[i]
}

func (e *engine) typeLabel(jobkan bool) string {
	if jobkan {
		return "スタッフ種別"
	}
	return LabelJa(FieldEmploymentType)
}

// refusesBlank applies target_refuses_blank: SmartHR may not blank a name or
// a birth date once set; Jobkan needs names too (it does on create), and no
// one may be created without them.
func (e *engine) refusesBlank(f Field, c cmpField, isNew, hasTarget bool) (problem, bool) {
	if !c.blankS {
		return problem{}, false
	}
	name := f == FieldLastName || f == FieldFirstName
	switch {
	case isNew && name:
		return problem{ReasonTargetRefusesBlank, fmt.Sprintf("%sが空のため%sに新規登録できません", LabelJa(f), e.tgtName)}, true
	case hasTarget && !c.blankT && (name || f == FieldBirthDate && e.srcJobkan):
		return problem{ReasonTargetRefusesBlank, fmt.Sprintf("%sでは%sを空にできません", e.tgtName, LabelJa(f))}, true
	}
	return problem{}, false
}

func (e *engine) duplicate(key string, nsrc, ntgt int) problem {
	var parts []string
	if nsrc > 1 {
		parts = append(parts, fmt.Sprintf("%s（取り込み元）に%d件", e.srcName, nsrc))
	}
	if ntgt > 1 {
		parts = append(parts, fmt.Sprintf("%s（取り込み先）に%d件", e.tgtName, ntgt))
	}
	return problem{ReasonDuplicateEmployeeNumber, fmt.Sprintf("%s「%s」の従業員が%sあります",
		LabelJa(FieldEmployeeNumber), key, strings.Join(parts, "、"))}
}

// The fingerprint hashes the direction, the number, how many employees share
// it on each side and every comparison key, each length-prefixed so that no
// two inputs run together.
func (e *engine) fpStart(key string, nsrc, ntgt int) {
	e.buf = e.buf[:0]
	e.fpString(string(e.dir))
	e.fpString(key)
	e.buf = binary.BigEndian.AppendUint32(e.buf, uint32(nsrc))
	e.buf = binary.BigEndian.AppendUint32(e.buf, uint32(ntgt))
}

func (e *engine) fpString(s string) {
	e.buf = binary.BigEndian.AppendUint32(e.buf, uint32(len(s)))
	e.buf = append(e.buf, s...)
}

// fpOpen reserves a length prefix; fpClose fills it in and returns the end.
func (e *engine) fpOpen() int {
	e.buf = append(e.buf, 0, 0, 0, 0)
	return len(e.buf) - 4
}

func (e *engine) fpClose(at int) int {
	binary.BigEndian.PutUint32(e.buf[at:], uint32(len(e.buf)-at-4))
	return len(e.buf)
}

func (e *engine) fpKey(f Field, v string, jobkan bool) {
	at := e.fpOpen()
	e.appendKey(f, v, jobkan)
	e.fpClose(at)
}

func (e *engine) fpSum() string {
	sum := sha256.Sum256(e.buf)
	var h [32]byte
	hex.Encode(h[:], sum[:16])
	return string(h[:])
}

func displayName(e *Employee) string {
	last, first := strings.TrimSpace(Clean(e.LastName)), strings.TrimSpace(Clean(e.FirstName))
	switch {
	case last == "":
		return first
	case first == "":
		return last
	}
	return last + " " + first
}

// validLocalPart reports whether s is an RFC 5322 dot-atom, as an e-mail
// local part must be, of at most 64 bytes.
func validLocalPart(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.':
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

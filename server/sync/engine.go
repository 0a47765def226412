package sync

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
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
	buf       []byte
}

func newEngine(dir Direction, s Settings) *engine {
	if !dir.Valid() {
		panic(fmt.Sprintf("sync: invalid direction %q", dir))
	}
	e := &engine{dir: dir, fields: ComparedFields(dir), types: newTypeMap(s), buf: make([]byte, 0, 512)}
	e.srcJobkan = dir == JobkanToSmartHR
	e.srcName, e.tgtName = "SmartHR", "ジョブカン"
	if e.srcJobkan {
		e.srcName, e.tgtName = e.tgtName, e.srcName
	}
	return e
}

// slots is the most FieldDiffs an item can have.
func (e *engine) slots() int { return len(e.fields) + 1 }

type problem struct{ code, detail string }

// cmpField is one field of one employee compared.
type cmpField struct {
	sk, tk     string // comparison keys of the source and the target value
	newV, oldV string // display values
	want       string // the source's value in the target's representation
	skip       bool   // left out of comparison and writing
	prob       problem
}

// build fills it for src against the targets that share its number key.
// fds and wr are empty slices with room for every field.
func (e *engine) build(it *Item, src *Employee, key string, nsrc int, targets []Employee, fds []FieldDiff, wr []Field) {
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
	if tgt != nil {
		want = *tgt
	}
	if isNew {
		wr = append(wr, FieldEmployeeNumber)
	}
	changed := false
	for _, f := range e.fields {
		var w string
		if tgt != nil {
			w = tgt.Get(f)
		}
		c := e.compare(f, src.Get(f), w)
		e.fpString(c.sk)
		if len(targets) > 1 {
			for j := range targets {
				e.fpString(e.key(f, targets[j].Get(f), !e.srcJobkan))
			}
		} else {
			e.fpString(c.tk)
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
		d := c.sk != c.tk // a new row compares with blanks
		fds = append(fds, FieldDiff{Field: f, Old: c.oldV, New: c.newV, Changed: d})
		if d {
			changed = true
			want.Set(f, c.want)
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
		it.Want = want
		it.Write = wr[:len(wr):len(wr)]
	case changed:
		it.Status = StatusChanged
		it.Want = want
		it.Write = wr[:len(wr):len(wr)]
	default:
		it.Status = StatusUnchanged
		it.Want = want
	}
}

// compare compares field f of a source value v with a target value w.
func (e *engine) compare(f Field, v, w string) cmpField {
	c := cmpField{newV: v, oldV: w, want: v}
	switch f {
	case FieldEmploymentType:
		si := e.types.lookup(v, e.srcJobkan)
		c.sk = e.typeKey(si, v, e.srcJobkan)
		c.want = ""
		if si >= 0 {
			c.newV, c.want = e.types.names[si], e.typeValue(si)
		} else if c.sk != "" {
			c.prob = problem{ReasonUnmappedEmploymentType, fmt.Sprintf(
				"%s「%s」は連携設定の対応表にありません", e.typeLabel(e.srcJobkan), strings.TrimSpace(v))}
		}
		ti := e.types.lookup(w, !e.srcJobkan)
		c.tk = e.typeKey(ti, w, !e.srcJobkan)
		if ti >= 0 {
			c.oldV = e.types.names[ti]
		}
	case FieldHiredOn, FieldBirthDate:
		var ok bool
		c.sk, ok = normDate(v)
		c.tk, _ = normDate(w)
		c.want = c.sk // dates are written as YYYY-MM-DD
		if !ok && c.sk != "" {
			c.prob = problem{ReasonInvalidValue, fmt.Sprintf("%s「%s」は日付として読めません", LabelJa(f), c.sk)}
		}
	case FieldEmploymentStatus:
		c.sk, c.tk = normText(v), normText(w)
		switch c.sk {
		case StatusEmployed, StatusRetired:
			c.want = c.sk
		case StatusAbsent, "":
			c.skip = true // 休職 is not sent (DESIGN.md §2)
		default:
			c.prob = problem{ReasonInvalidValue, fmt.Sprintf("%s「%s」は不明な値です", LabelJa(f), c.sk)}
		}
	default:
		c.sk, c.tk = e.key(f, v, e.srcJobkan), e.key(f, w, !e.srcJobkan)
	}
	return c
}

// key is the comparison key of a value held by Jobkan (jobkan) or SmartHR.
func (e *engine) key(f Field, v string, jobkan bool) string {
	switch f {
	case FieldEmploymentType:
		return e.typeKey(e.types.lookup(v, jobkan), v, jobkan)
	case FieldHiredOn, FieldBirthDate:
		d, _ := normDate(v)
		return d
	}
	return Normalise(f, v)
}

// typeKey is the comparison key of an employment type: the mapping's key
// when mapped, else a key that no mapped value can equal.
func (e *engine) typeKey(i int, v string, jobkan bool) string {
	if i >= 0 {
		return e.types.keys[i]
	}
	n := normText(v)
	if n == "" {
		return ""
	}
	if c, ok := parseCode(n); jobkan && ok {
		n = strconv.Itoa(c) // "03" and "3" are one code
	}
	return "\x00" + n
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
	if c.sk != "" {
		return problem{}, false
	}
	name := f == FieldLastName || f == FieldFirstName
	switch {
	case isNew && name:
		return problem{ReasonTargetRefusesBlank, fmt.Sprintf("%sが空のため%sに新規登録できません", LabelJa(f), e.tgtName)}, true
	case hasTarget && c.tk != "" && (name || f == FieldBirthDate && e.srcJobkan):
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
	e.buf = binary.AppendUvarint(e.buf, uint64(nsrc))
	e.buf = binary.AppendUvarint(e.buf, uint64(ntgt))
}

func (e *engine) fpString(s string) {
	e.buf = binary.AppendUvarint(e.buf, uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *engine) fpSum() string {
	sum := sha256.Sum256(e.buf)
	var h [32]byte
	hex.Encode(h[:], sum[:16])
	return string(h[:])
}

func displayName(e *Employee) string {
	last, first := strings.TrimSpace(e.LastName), strings.TrimSpace(e.FirstName)
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

package sync

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalise returns the form of v used to compare field f, so that values that
// differ only in form (width, surrounding or repeated spaces, phone
// separators, date formats) compare equal while every real difference (letter
// case, digits, kana) survives. It is idempotent. It returns v itself, without
// allocating, when v is already normal, which is the common case.
//
// Text is NFKC-normalised (full-width digits and Latin → ASCII, half-width
// katakana → full-width), trimmed, and each run of white space (U+3000
// included) becomes one ASCII space. Phones also lose every hyphen, dash,
// minus and prolonged-sound mark, space, parenthesis and dot. Dates in any
// accepted format become YYYY-MM-DD; a date that does not parse is returned
// as normalised text.
func Normalise(f Field, v string) string {
	switch f {
	case FieldPhone:
		return normPhone(v)
	case FieldHiredOn, FieldBirthDate:
		d, _ := normDate(v)
		return d
	}
	return normText(v)
}

// normText is the text normalisation shared by every field.
func normText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			if isPlainJapanese(s[i:]) && clean && s[len(s)-1] != ' ' {
				return s
			}
			return collapseSpace(norm.NFKC.String(s))
		}
		if isASCIISpace(c) && (c != ' ' || i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			clean = false
		}
	}
	if clean {
		return s
	}
	return collapseSpace(s)
}

// isPlainJapanese reports whether s holds only characters that NFKC leaves
// alone whatever their neighbours (kana, kanji, printable ASCII), with single
// inner spaces: the common case of a Japanese name, checked without the
// tables of the norm package.
func isPlainJapanese(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < ' ' || c == 0x7f || c == ' ' && (i+1 == len(s) || s[i+1] == ' ') {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isPlainJapaneseRune(r) {
			return false
		}
		i += n
	}
	return true
}

// isPlainJapaneseRune: hiragana, katakana (with ・ and ー), 々〆〇 and the CJK
// unified ideographs. Marks that combine with kana (゙ ゚ ゛ ゜) and the
// iteration marks ゞ ヾ that decompose are left out.
func isPlainJapaneseRune(r rune) bool {
	return 0x3041 <= r && r <= 0x3096 || 0x30A1 <= r && r <= 0x30FC ||
		0x3005 <= r && r <= 0x3007 || 0x3400 <= r && r <= 0x4DBF || 0x4E00 <= r && r <= 0x9FFF
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// collapseSpace trims s and turns each inner run of white space into one
// ASCII space. Invalid UTF-8 bytes are kept as they are.
func collapseSpace(s string) string {
	if !needsCollapse(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			pending = b.Len() > 0
			i += n
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}

func needsCollapse(s string) bool {
	prevSpace := true // a leading space needs trimming
	for _, r := range s {
		if unicode.IsSpace(r) {
			if r != ' ' || prevSpace {
				return true
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return prevSpace && s != "" // a trailing space
}

// normPhone drops every separator from a phone number after normalising text.
func normPhone(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		if c == '-' || c == '(' || c == ')' || c == '.' || isASCIISpace(c) {
			return dropPhoneSeps(s)
		}
	}
	if ascii {
		return s
	}
	return dropPhoneSeps(norm.NFKC.String(s))
}

// dropPhoneSeps removes separators and spaces from NFKC text.
func dropPhoneSeps(t string) string {
	var b strings.Builder
	b.Grow(len(t))
	nonASCII := false
	for i := 0; i < len(t); {
		r, n := utf8.DecodeRuneInString(t[i:])
		if !isPhoneSep(r) && !unicode.IsSpace(r) {
			b.WriteString(t[i : i+n])
			nonASCII = nonASCII || t[i] >= utf8.RuneSelf
		}
		i += n
	}
	out := b.String()
	if nonASCII {
		// Dropping a separator may leave a base and a combining mark side by
		// side; compose them so that Normalise stays idempotent.
		out = norm.NFKC.String(out)
	}
	return out
}

// isPhoneSep reports whether r separates digit groups in a phone number.
func isPhoneSep(r rune) bool {
	switch r {
	case '(', ')', '.':
		return true
	}
	return isDash(r)
}

// isDash covers the hyphens, dashes and minus signs people type between digit
// groups, including the katakana prolonged sound mark an IME gives for "-".
func isDash(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '-'
	}
	switch r {
	case 'ー', 'ｰ', '─', '━', '⁃', '˗', '‐', '‑', '‒', '–', '—', '―', '−', '－', '﹣', '﹘':
		return true
	}
	return unicode.Is(unicode.Dash, r)
}

// normDate returns the date in v as YYYY-MM-DD and true, or v as normalised
// text and false when v is blank or not a date.
func normDate(v string) (string, bool) {
	if isISODate(v) {
		return v, true
	}
	t := normText(v)
	if d, ok := parseDate(t); ok {
		return d, true
	}
	return t, false
}

// isISODate reports whether s is already a valid YYYY-MM-DD date.
func isISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	y, ok1 := atoi(s[0:4])
	m, ok2 := atoi(s[5:7])
	d, ok3 := atoi(s[8:10])
	return ok1 && ok2 && ok3 && validYMD(y, m, d)
}

// parseDate accepts 2006-01-02, 2006/1/2, 2006.1.2 (and any dash as the
// separator), 20060102, 2006年1月2日 and RFC 3339 timestamps, whose date is
// taken as written, in the timestamp's own offset. s is normalised text.
func parseDate(s string) (string, bool) {
	if len(s) == 8 {
		y, ok1 := atoi(s[0:4])
		m, ok2 := atoi(s[4:6])
		d, ok3 := atoi(s[6:8])
		if ok1 && ok2 && ok3 {
			return formatYMD(y, m, d)
		}
		// fall through: 2006/1/2 is also 8 bytes long
	}
	if len(s) > 10 && s[10] == 'T' {
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return "", false
		}
		return parseDate(s[:10])
	}
	y, rest, ok := digits(s, 4, 4)
	if !ok {
		return "", false
	}
	sep1, n := utf8.DecodeRuneInString(rest)
	m, rest, ok := digits(rest[n:], 1, 2)
	if !ok {
		return "", false
	}
	sep2, n := utf8.DecodeRuneInString(rest)
	d, rest, ok := digits(rest[n:], 1, 2)
	if !ok {
		return "", false
	}
	switch {
	case sep1 == '年' && sep2 == '月' && rest == "日":
	case isDateSep(sep1) && isDateSep(sep2) && rest == "":
	default:
		return "", false
	}
	return formatYMD(y, m, d)
}

func isDateSep(r rune) bool { return r == '/' || r == '.' || isDash(r) }

// digits reads between min and max ASCII digits from the start of s.
func digits(s string, min, max int) (int, string, bool) {
	n := 0
	for n < len(s) && n < max && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n < min {
		return 0, s, false
	}
	v, _ := atoi(s[:n])
	return v, s[n:], true
}

// atoi parses a non-empty run of ASCII digits.
func atoi(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func validYMD(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= daysIn(y, m)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func formatYMD(y, m, d int) (string, bool) {
	if !validYMD(y, m, d) {
		return "", false
	}
	b := [10]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-',
		byte('0' + d/10), byte('0' + d%10),
	}
	return string(b[:]), true
}

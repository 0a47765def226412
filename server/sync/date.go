package sync

import (
	"strings"
	"time"
	"unicode/utf8"
)

// JST is Japan Standard Time, the default zone in which a timestamp sent
// for a date-only field is read (Japan has kept UTC+9 without daylight
// saving since 1951).
var JST = time.FixedZone("Asia/Tokyo", 9*60*60)

// normDate returns the date in v as YYYY-MM-DD and true, or v as normalised
// text and false when v is blank or not a date. A timestamp is read in loc
// (nil: JST).
func normDate(v string, loc *time.Location) (string, bool) {
	if isISODate(v) {
		return v, true
	}
	t := normText(v)
	if y, m, d, ok := parseDate(t, loc); ok {
		return string(appendYMD(nil, y, m, d)), true
	}
	return t, false
}

// appendDate appends the normalised date v to dst; ok is false when v is
// blank or not a date, and then what is appended is v as normalised text.
func appendDate(dst []byte, v string, loc *time.Location) ([]byte, bool) {
	if isISODate(v) {
		return append(dst, v...), true
	}
	t := normText(v)
	if y, m, d, ok := parseDate(t, loc); ok {
		return appendYMD(dst, y, m, d), true
	}
	return append(dst, t...), false
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

// parseDate accepts, in normalised text, 2006-01-02, 2006/1/2, 2006.1.2
// (any dash may separate too), 20060102, 2006年1月2日, and timestamps
// (RFC 3339, or with a space for the T): one with an offset is the calendar
// date of that instant in loc (nil: JST), so that "2024-03-31T15:00:00Z",
// midnight in Japan, is 2024-04-01; one without an offset is the date as
// written.
func parseDate(s string, loc *time.Location) (y, m, d int, ok bool) {
	if len(s) == 8 {
		y, ok1 := atoi(s[0:4])
		m, ok2 := atoi(s[4:6])
		d, ok3 := atoi(s[6:8])
		if ok1 && ok2 && ok3 {
			return y, m, d, validYMD(y, m, d)
		}
		// 2006/1/2 is 8 bytes long too
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == 't' || s[10] == ' ') {
		return parseTimestamp(s, loc)
	}
	y, rest, ok := digits(s, 4, 4)
	if !ok {
		return 0, 0, 0, false
	}
	sep1, n := utf8.DecodeRuneInString(rest)
	if m, rest, ok = digits(rest[n:], 1, 2); !ok {
		return 0, 0, 0, false
	}
	sep2, n := utf8.DecodeRuneInString(rest)
	if d, rest, ok = digits(rest[n:], 1, 2); !ok {
		return 0, 0, 0, false
	}
	switch {
	case sep1 == '年' && sep2 == '月' && rest == "日":
	case isDateSep(sep1) && isDateSep(sep2) && rest == "":
	default:
		return 0, 0, 0, false
	}
	return y, m, d, validYMD(y, m, d)
}

// parseTimestamp reads a timestamp whose date part is s[:10] and s[10] is
// 'T', 't' or ' ' (RFC 3339 allows all three, and z for Z).
func parseTimestamp(s string, loc *time.Location) (y, m, d int, ok bool) {
	if loc == nil {
		loc = JST
	}
	u := s[:10] + "T" + strings.TrimSuffix(s[11:], "z")
	if len(u) < len(s) {
		u += "Z"
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, u); err == nil {
			t = t.In(loc)
			return t.Year(), int(t.Month()), t.Day(), true
		}
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", u); err == nil { // no offset: as written
		return t.Year(), int(t.Month()), t.Day(), true
	}
	return 0, 0, 0, false
}

func isDateSep(r rune) bool { return r == '/' || r == '.' || isDash(r) }

// digits reads between min and max ASCII digits from the start of s.
func digits(s string, min, max int) (int, string, bool) {
	n := 0
	for n < len(s) && n < max && isDigit(s[n]) {
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
		if !isDigit(s[i]) {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func validYMD(y, m, d int) bool {
	return 1 <= y && y <= 9999 && 1 <= m && m <= 12 && 1 <= d && d <= daysIn(y, m)
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

// appendYMD appends a valid date as YYYY-MM-DD.
func appendYMD(dst []byte, y, m, d int) []byte {
	return append(dst,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+d/10), byte('0'+d%10))
}

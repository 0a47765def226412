package sync

import (
	"time"
	"unicode/utf8"
)

// normDate returns the date in v as YYYY-MM-DD and true, or v as normalised
// text and false when v is blank or not a date.
func normDate(v string) (string, bool) {
	if isISODate(v) {
		return v, true
	}
	t := normText(v)
	if y, m, d, ok := parseDate(t); ok {
		return string(appendYMD(nil, y, m, d)), true
	}
	return t, false
}

// appendDate appends the normalised date v to dst; ok is false when v is
// blank or not a date, and then what is appended is v as normalised text.
func appendDate(dst []byte, v string) ([]byte, bool) {
	if isISODate(v) {
		return append(dst, v...), true
	}
	t := normText(v)
	if y, m, d, ok := parseDate(t); ok {
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
// (any dash may separate too), 20060102, 2006年1月2日, and RFC 3339
// timestamps, whose date is taken as written, in the timestamp's own offset
// (a date-only field sent as midnight JST stays that day).
func parseDate(s string) (y, m, d int, ok bool) {
	if len(s) == 8 {
		y, ok1 := atoi(s[0:4])
		m, ok2 := atoi(s[4:6])
		d, ok3 := atoi(s[6:8])
		if ok1 && ok2 && ok3 {
			return y, m, d, validYMD(y, m, d)
		}
		// 2006/1/2 is 8 bytes long too
	}
	if len(s) > 10 && s[10] == 'T' {
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return 0, 0, 0, false
		}
		return parseDate(s[:10])
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

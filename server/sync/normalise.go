package sync

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/unicode/norm"
)

// Normalise returns the form of v used to compare field f, so that values that
// differ only in form (width, surrounding or repeated spaces, phone
// separators, date formats) compare equal while every real difference (letter
// case, digits, kana) survives. It is idempotent, and returns v itself,
// without allocating, when v is already normal, the common case.
//
// Text loses every format character (general category Cf: zero-width
// spaces and joiners, word joiner, BOM, soft hyphen…), is NFKC-normalised
// (full-width digits and Latin → ASCII, half-width katakana → full-width)
// except that CJK compatibility ideographs (U+F900–U+FAFF,
// U+2F800–U+2FA1F), which are registered 異体字, are kept as they are; it is
// trimmed, and each run of white space (U+3000 and NBSP included) becomes
// one ASCII space. Phones also lose every hyphen, dash, minus and prolonged
// sound mark, space, parenthesis and dot, and a Japanese number in
// international form (+81…, with or without "(0)") becomes its domestic
// form (see phoneKey). Dates in an accepted format (see parseDate) become
// YYYY-MM-DD, a timestamp read in Japan time; a date that does not parse is
// returned as normalised text.
func Normalise(f Field, v string) string {
	switch f {
	case FieldPhone:
		return normPhone(v)
	case FieldHiredOn, FieldBirthDate:
		d, _ := normDate(v, nil)
		return d
	}
	return normText(v)
}

// Clean returns v without its format characters (general category Cf), the
// form in which a value is written to a provider: nobody can see them, and
// they would make two equal values differ there. v is returned as is, without
// allocating, when it has none.
func Clean(v string) string {
	if !hasFormat(v) {
		return v
	}
	return strings.Map(func(r rune) rune {
		if isFormat(r) {
			return -1
		}
		return r
	}, v)
}

// IsFormat reports whether r is a Unicode format character (general
// category Cf), which never makes a difference (DESIGN.md §2).
func IsFormat(r rune) bool { return isFormat(r) }

func isFormat(r rune) bool {
	// No format character lies below U+00AD or between U+2070 and U+FEFE,
	// where Japanese text is: most runes are answered without the tables.
	if r < 0xAD || 0x2070 <= r && r < 0xFEFF {
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

// hasFormat reports whether s holds a format character; every one is
// outside ASCII, so ASCII text is answered without decoding.
func hasFormat(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isFormat(r) {
			return true
		}
		i += n
	}
	return false
}

// isCompatIdeograph reports a CJK compatibility ideograph, which NFKC would
// fold into a unified one although it is a different registered character
// (e.g. 塚 U+FA10 and 塚 U+585A).
func isCompatIdeograph(r rune) bool {
	return 0xF900 <= r && r <= 0xFAFF || 0x2F800 <= r && r <= 0x2FA1F
}

// normText is the text normalisation shared by every field.
func normText(s string) string {
	if isNormalText(s) {
		return s
	}
	return string(appendText(nil, s))
}

// appendText appends the normalised text of s to dst.
func appendText(dst []byte, s string) []byte {
	if isNormalText(s) {
		return append(dst, s...)
	}
	if d, ok := appendFold(dst, s, false); ok {
		return d
	}
	return appendCollapsed(dst, nfkc(s))
}

// nfkc drops format characters, then applies NFKC to everything but the CJK
// compatibility ideographs. Invalid UTF-8, which no API sends (JSON decoding
// replaces it) and which could otherwise join into a rune once a separator
// between its bytes is dropped, is replaced first.
func nfkc(s string) string {
	s = Clean(strings.ToValidUTF8(s, "\uFFFD"))
	at := strings.IndexFunc(s, isCompatIdeograph)
	if at < 0 {
		return norm.NFKC.String(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for at >= 0 {
		b.WriteString(norm.NFKC.String(s[:at]))
		_, n := utf8.DecodeRuneInString(s[at:])
		b.WriteString(s[at : at+n])
		s = s[at+n:]
		at = strings.IndexFunc(s, isCompatIdeograph)
	}
	b.WriteString(norm.NFKC.String(s))
	return b.String()
}

// normPhone normalises text and drops every separator from a phone number.
func normPhone(s string) string {
	if isNormalPhone(s) {
		return s
	}
	return string(appendPhone(nil, s))
}

// appendPhone appends the normalised phone number s to dst.
func appendPhone(dst []byte, s string) []byte {
	if isNormalPhone(s) {
		return append(dst, s...)
	}
	start := len(dst)
	dst = appendPhoneChars(dst, s)
	if k := dst[start:]; isInternational(k) {
		dst = append(dst[:start], phoneKey(string(k))...)
	}
	return dst
}

// isInternational reports a number dialled internationally: "+…", or from
// Japan with its international prefix 010, which no domestic number has.
func isInternational(k []byte) bool {
	return len(k) > 0 && k[0] == '+' || len(k) > 3 && string(k[:3]) == "010"
}

// phoneKey turns an international number into the form it is compared in:
// a Japanese number becomes its domestic form (+81 3-1234-5678, +81 (0)3…
// and 010-81-3… are all 0312345678), any other its E.164 form. The rules are
// libphonenumber's (its Go port), which knows each country's prefixes; a
// number it cannot read is left as it is, and so is one with anything but
// digits after the prefix, since libphonenumber would drop an extension or
// trailing text and read letters as digits, hiding a difference.
func phoneKey(k string) string {
	n := strings.TrimPrefix(k, "+")
	if len(n) == len(k) {
		n = k[len("010"):] // dialled with the international prefix
	}
	if n == "" || strings.TrimLeft(n, "0123456789") != "" {
		return k
	}
	num, err := phonenumbers.Parse("+"+n, "JP")
	if err != nil {
		return k
	}
	if num.GetCountryCode() == 81 {
		if d := "0" + phonenumbers.GetNationalSignificantNumber(num); !strings.HasPrefix(d, "010") {
			return d
		}
		return k // no Japanese number begins with 010, the international prefix
	}
	// E.164, unless reading that again would strip another digit (a
	// national prefix after the country code): then the digits as dialled,
	// so that Normalise stays idempotent.
	e := phonenumbers.Format(num, phonenumbers.E164)
	if again, err := phonenumbers.Parse(e, "JP"); err != nil || phonenumbers.Format(again, phonenumbers.E164) != e {
		return "+" + n
	}
	return e
}

// appendPhoneChars appends s normalised as text, without separators.
func appendPhoneChars(dst []byte, s string) []byte {
	if d, ok := appendFold(dst, s, true); ok {
		return d
	}
	start := len(dst)
	nonASCII := false
	t := nfkc(s)
	for i := 0; i < len(t); {
		r, n := utf8.DecodeRuneInString(t[i:])
		if !isPhoneSep(r) && !unicode.IsSpace(r) {
			dst = append(dst, t[i:i+n]...)
			nonASCII = nonASCII || t[i] >= utf8.RuneSelf
		}
		i += n
	}
	if nonASCII {
		// Dropping a separator may leave a base and a combining mark side by
		// side; compose them so that Normalise stays idempotent.
		out := nfkc(string(dst[start:])) // compatibility ideographs kept
		dst = append(dst[:start], out...)
	}
	return dst
}

// isNormalText reports whether s holds only printable ASCII and plain
// Japanese, with single inner spaces: the common case, checked without the
// tables of the norm package.
func isNormalText(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < ' ' || c == 0x7f || c == ' ' && s[i+1] == ' ' {
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

// isNormalPhone reports whether s is ASCII without separators or spaces,
// and not in international form.
func isNormalPhone(s string) bool {
	if isInternational([]byte(s)) { // does not allocate
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == '-' || c == '(' || c == ')' || c == '.' || isASCIISpace(c) {
			return false
		}
	}
	return true
}

// isPlainJapaneseRune: hiragana, katakana (with ・ and ー), 々〆〇 and the CJK
// unified ideographs, which NFKC leaves alone whatever their neighbours.
// The marks that combine with kana (゙ ゚ ゛ ゜) and the iteration marks ゞ ヾ,
// which decompose, are left out.
func isPlainJapaneseRune(r rune) bool {
	return 0x3041 <= r && r <= 0x3096 || 0x30A1 <= r && r <= 0x30FC ||
		0x3005 <= r && r <= 0x3007 || 0x3400 <= r && r <= 0x4DBF || 0x4E00 <= r && r <= 0x9FFF
}

// appendFold does what NFKC and the white space rules (for a phone, the
// separator rules) do, in one pass and without the norm tables, when every
// rune of s is ASCII, full-width ASCII, U+3000 or plain Japanese (for a
// phone, also any dash). Otherwise it reports false and dst is unchanged.
func appendFold(dst []byte, s string, phone bool) ([]byte, bool) {
	start := len(dst)
	pending := false
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		i += n
		switch {
		case 0xFF01 <= r && r <= 0xFF5E:
			r -= 0xFF01 - '!'
		case r == 0x3000:
			r = ' '
		case r < utf8.RuneSelf || isPlainJapaneseRune(r):
		case phone && isDash(r): // NFKC maps a dash to a dash
			continue
		default:
			return dst[:start], false
		}
		if r < utf8.RuneSelf && isASCIISpace(byte(r)) {
			pending = len(dst) > start
			continue
		}
		if phone && isPhoneSep(r) {
			continue
		}
		if pending && !phone {
			dst = append(dst, ' ')
		}
		pending = false
		dst = utf8.AppendRune(dst, r)
	}
	return dst, true
}

func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// appendCollapsed appends s trimmed, each inner run of white space made one
// ASCII space.
func appendCollapsed(dst []byte, s string) []byte {
	start := len(dst)
	pending := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			pending = len(dst) > start
		} else {
			if pending {
				dst = append(dst, ' ')
				pending = false
			}
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return dst
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

package sync

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalise returns the form of v used to compare field f, so that values that
// differ only in form (width, surrounding or repeated spaces, phone
// separators, date formats) compare equal while every real difference (letter
// case, digits, kana) survives. It is idempotent, and returns v itself,
// without allocating, when v is already normal, the common case.
//
// Text is NFKC-normalised (full-width digits and Latin → ASCII, half-width
// katakana → full-width), trimmed, and each run of white space (U+3000
// included) becomes one ASCII space. Phones also lose every hyphen, dash,
// minus and prolonged sound mark, space, parenthesis and dot. Dates in an
// accepted format (see parseDate) become YYYY-MM-DD; a date that does not
// parse is returned as normalised text.
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

// nfkc is NFKC after replacing invalid UTF-8, which no API sends (JSON
// decoding replaces it) and which could otherwise join into a rune once a
// separator between its bytes is dropped.
func nfkc(s string) string {
	return norm.NFKC.String(strings.ToValidUTF8(s, "\uFFFD"))
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
		out := norm.NFKC.String(string(dst[start:]))
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

// isNormalPhone reports whether s is ASCII without separators or spaces.
func isNormalPhone(s string) bool {
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

package sync

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormaliseText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"山田", "山田"},
		{"  山田 ", "山田"},
		{"\u3000山田\u3000", "山田"},
		{"山田\u3000\u3000太郎", "山田 太郎"},
		{"Emma \t Smith", "Emma Smith"},
		{"ＡＢＣ１２３", "ABC123"},
		{"Ｅ０００１", "E0001"},
		{"ｶﾞｲｼｬ", "ガイシャ"}, // half-width katakana with a voiced mark
		{"ﾊﾟｰﾄ・ｱﾙﾊﾞｲﾄ", "パート・アルバイト"}, // and ｰ
		{"ﾊﾟｰﾄ･ｱﾙﾊﾞｲﾄ", "パート・アルバイト"}, // half-width middle dot
		{"e\u0301", "é"},    // canonical composition
		{"a\u00a0b", "a b"}, // no-break space
		{"正社員\n", "正社員"},
		{"employed", "employed"},
	} {
		if got := Normalise(FieldLastName, tc.in); got != tc.want {
			t.Errorf("Normalise(last_name, %q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNormalisePhone(t *testing.T) {
	for _, in := range []string{
		"03-1234-5678", "０３ー１２３４ー５６７８", "(03)1234 5678", "03 1234 5678", "0312345678",
		"03‐1234‐5678", "03‑1234‑5678", "03‒1234‒5678", "03–1234–5678", "03—1234—5678", "03―1234―5678",
		"03−1234−5678", "03－1234－5678", "03ｰ1234ｰ5678", "03﹣1234﹣5678", "03.1234.5678",
		"（０３）１２３４－５６７８", "０３　１２３４　５６７８", " 03-1234-5678 ", "03 - 1234 - 5678",
	} {
		if got := Normalise(FieldPhone, in); got != "0312345678" {
			t.Errorf("Normalise(phone, %q) = %q, want 0312345678", in, got)
		}
	}
	if got := Normalise(FieldPhone, "+1 (415) 555-2671"); got != "+14155552671" {
		t.Errorf("international: got %q", got)
	}
	if got := Normalise(FieldPhone, "03-1234-5678 内線12"); got != "0312345678内線12" {
		t.Errorf("extension: got %q", got)
	}
}

func TestNormaliseDate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2006-01-02", "2006-01-02"},
		{"2006/01/02", "2006-01-02"},
		{"2006/1/2", "2006-01-02"},
		{"2006.1.2", "2006-01-02"},
		{"2006-1-2", "2006-01-02"},
		{"20060102", "2006-01-02"},
		{"2006年1月2日", "2006-01-02"},
		{"２００６年１月２日", "2006-01-02"},
		{"２００６／０１／０２", "2006-01-02"},
		{"２００６－０１－０２", "2006-01-02"},
		{" 2006-01-02\u3000", "2006-01-02"},
		// Timestamps: the calendar date in Japan.
		{"2006-01-02T15:04:05Z", "2006-01-03"},
		{"2006-01-02T14:59:59Z", "2006-01-02"},
		{"2024-03-31T15:00:00Z", "2024-04-01"}, // midnight in Japan
		{"2024-03-31 15:00:00+00:00", "2024-04-01"},
		{"2024-03-31t15:00:00z", "2024-04-01"},
		{"2024-03-31T15:00:00.000+0000", "2024-04-01"},
		{"2006-01-02T00:00:00+09:00", "2006-01-02"},
		{"2006-01-02T23:59:59.999-05:00", "2006-01-03"},
		{"2006-01-02T23:59:59", "2006-01-02"}, // no offset: as written
		{"２０２４－０３－３１Ｔ１５：００：００Ｚ", "2024-04-01"},
		{"2024-02-29", "2024-02-29"},
		{"2000/2/29", "2000-02-29"},
		// Not dates: kept as normalised text.
		{"", ""},
		{"2023-02-29", "2023-02-29"},
		{"1900/2/29", "1900/2/29"},
		{"2023/13/01", "2023/13/01"},
		{"2023-04-31", "2023-04-31"},
		{"0000-01-01", "0000-01-01"},
		{"令和5年4月1日", "令和5年4月1日"},
		{"2006-01-02T25:00:00Z", "2006-01-02T25:00:00Z"},
		{"2006-01-02 15:04", "2006-01-02 15:04"},
		{"06/01/02", "06/01/02"},
		{"２００６　年", "2006 年"},
		{"unknown", "unknown"},
	} {
		for _, f := range []Field{FieldHiredOn, FieldBirthDate} {
			if got := Normalise(f, tc.in); got != tc.want {
				t.Errorf("Normalise(%s, %q) = %q, want %q", f, tc.in, got, tc.want)
			}
		}
	}
}

// Real changes must survive normalisation.
func TestNormaliseKeepsRealChanges(t *testing.T) {
	for _, tc := range []struct {
		f    Field
		a, b string
	}{
		{FieldLastName, "yamada", "Yamada"},
		{FieldLastName, "ＹＡＭＡＤＡ", "yamada"},
		{FieldLastName, "カ", "ガ"},
		{FieldLastName, "ｶ", "ガ"},
		{FieldLastName, "ア", "ァ"},
		{FieldLastName, "あ", "ア"},
		{FieldLastName, "高橋", "髙橋"},
		{FieldLastName, "斉藤", "斎藤"},
		{FieldLastName, "山田太郎", "山田 太郎"},
		{FieldEmployeeNumber, "001", "1"},
		{FieldEmployeeNumber, "E001", "e001"},
		{FieldPhone, "03-1234-5678", "03-1234-5679"},
		{FieldPhone, "０３ー１２３４ー５６７８", "03-1234-5670"},
		{FieldPhone, "+81312345678", "81312345678"},
		{FieldPhone, "+81 3-1234-5678", "03-1234-5679"},
		{FieldPhone, "+81 3-1234-5678", "+1 3-1234-5678"},
		{FieldLastName, "大\uFA10", "大塚"}, // 塚 compatibility vs unified: real 異体字
		{FieldLastName, "\uFA11", "\u5D0E"},
		{FieldEmployeeNumber, "K15\u200b", "K16"},
		{FieldHiredOn, "2020-04-01", "2020-04-02"},
		{FieldHiredOn, "2020/4/1", "2021/4/1"},
		{FieldBirthDate, "2020年4月1日", "2020-01-04"},
		{FieldEmploymentStatus, "employed", "retired"},
	} {
		if Normalise(tc.f, tc.a) == Normalise(tc.f, tc.b) {
			t.Errorf("%s: %q and %q normalise equal (%q): a real change is hidden", tc.f, tc.a, tc.b, Normalise(tc.f, tc.a))
		}
	}
}

// Normal values are returned as they are, without allocating.
func TestNormaliseNoAllocWhenNormal(t *testing.T) {
	for _, tc := range []struct {
		f Field
		v string
	}{
		{FieldEmployeeNumber, "E000123"},
		{FieldLastName, "佐々木"},
		{FieldFirstName, "まこと"},
		{FieldFirstName, "Emma Rose"},
		{FieldEmploymentType, "パート・アルバイト"},
		{FieldPhone, "0312345678"},
		{FieldHiredOn, "2020-04-01"},
		{FieldBirthDate, ""},
		{FieldEmploymentStatus, "employed"},
	} {
		if got := Normalise(tc.f, tc.v); got != tc.v {
			t.Errorf("Normalise(%s, %q) = %q, want it unchanged", tc.f, tc.v, got)
		}
		if n := testing.AllocsPerRun(100, func() { Normalise(tc.f, tc.v) }); n != 0 {
			t.Errorf("Normalise(%s, %q) allocates %v times", tc.f, tc.v, n)
		}
	}
}

// The fast paths skip the norm tables only for runes that NFKC leaves alone
// and that never combine with what precedes them; the fast paths hand a
// string that holds anything else (a combining mark above all) to NFKC.
func TestPlainJapaneseRunesAreNFKCStable(t *testing.T) {
	for r := rune(' '); r <= 0xFFFF; r++ {
		if !isPlainJapaneseRune(r) && r >= 0x7f {
			continue
		}
		s := string(r)
		if norm.NFKC.String(s) != s || !norm.NFKC.PropertiesString(s).BoundaryBefore() {
			t.Errorf("U+%04X %s is treated as plain but NFKC may change it", r, s)
		}
	}
}

// slowText and slowPhone are the definitions the fast paths must agree with.
func slowText(s string) string { return string(appendCollapsed(nil, slowNFKC(s))) }

func slowPhone(s string) string {
	var b strings.Builder
	for _, r := range slowNFKC(s) {
		if !isPhoneSep(r) && !strings.ContainsRune(" \t\n\v\f\r\u0085\u00a0\u3000", r) {
			b.WriteRune(r)
		}
	}
	k := slowNFKC(b.String())
	if isInternational([]byte(k)) {
		return phoneKey(k)
	}
	return k
}

// slowNFKC is NFKC of s without its format characters (general category Cf),
// the CJK compatibility ideographs left as they are.
func slowNFKC(s string) string {
	var b, seg strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cf, r):
		case 0xF900 <= r && r <= 0xFAFF || 0x2F800 <= r && r <= 0x2FA1F:
			b.WriteString(norm.NFKC.String(seg.String()))
			seg.Reset()
			b.WriteRune(r)
		default:
			seg.WriteRune(r)
		}
	}
	b.WriteString(norm.NFKC.String(seg.String()))
	return b.String()
}

// alphabet mixes what the fast paths handle with what they must hand over.
var alphabet = []rune("aZ09 -()./\t\u3000ＡＺａｚ０９－（）．　山田あア・ーｶﾞﾟｰ\u3099\u0301é‐—−〜①㈱\u00a0")

func randString(r *rand.Rand, n int) string {
	rs := make([]rune, n)
	for i := range rs {
		rs[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(rs)
}

func TestFastPathsMatchNFKC(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		s := randString(r, r.IntN(12))
		if got, want := Normalise(FieldLastName, s), slowText(s); got != want {
			t.Fatalf("text %q: fast %q, NFKC %q", s, got, want)
		}
		if got, want := Normalise(FieldPhone, s), slowPhone(s); got != want {
			t.Fatalf("phone %q: fast %q, NFKC %q", s, got, want)
		}
	}
}

// Properties over random strings: idempotent, and full width is only form.
func TestNormaliseProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		s := randString(r, r.IntN(12))
		if r.IntN(4) == 0 { // date-like input
			s = []string{"2020-04-01", "2020/4/1", "20200401", "2020年4月1日", "2020-4-31"}[r.IntN(5)] + s[:min(len(s), r.IntN(2))]
		}
		checkNormalise(t, s)
	}
}

var allFields = []Field{FieldEmployeeNumber, FieldLastName, FieldFirstName, FieldHiredOn,
	FieldEmploymentType, FieldPhone, FieldBirthDate, FieldEmploymentStatus, FieldEmail}

func checkNormalise(t *testing.T, s string) {
	t.Helper()
	for _, f := range allFields {
		n := Normalise(f, s)
		if again := Normalise(f, n); again != n {
			t.Fatalf("%s: not idempotent on %q: %q then %q", f, s, n, again)
		}
		if hasCf(n) {
			t.Fatalf("%s: %q normalises to %+q, with a format character", f, s, n)
		}
		if utf8.ValidString(s) {
			if fw := Normalise(f, fullWidth(s)); fw != n {
				t.Fatalf("%s: full width of %q normalises to %q, half width to %q", f, s, fw, n)
			}
		}
	}
}

func FuzzNormalise(f *testing.F) {
	for _, s := range []string{"", " 山田　太郎 ", "ＡＢＣ", "ｶﾞｲｼｬ", "０３ー１２３４ー５６７８", "(03)1234 5678",
		"2006年1月2日", "2006/1/2", "20060102", "2006-01-02T00:00:00+09:00", "e\u0301", "-\u0301", "\xff\xfe", "\u3000\t\n",
		"K15\u200b", "\u200b", "太\u200d郎", "\ufeff山田\u2060", "大\uFA10", "\U0002F800", "+81 (0)3-1234-5678",
		"010-81-90-1234-5678", "＋８１　３ー１２３４ー５６７８", "+81 3-1234-5678 ext. 12", "2024-03-31T15:00:00Z",
		"\u00ad\U000E0041"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkNormalise(t, s)
		if utf8.ValidString(s) {
			// A format character anywhere changes nothing.
			rs := []rune(s)
			at := len(rs) / 2
			z := string(rs[:at]) + "\u200b" + string(rs[at:]) + "\ufeff"
			for _, f := range allFields {
				if Normalise(f, z) != Normalise(f, s) {
					t.Fatalf("%s: %+q normalises to %q, %+q to %q", f, z, Normalise(f, z), s, Normalise(f, s))
				}
			}
			if got, want := Normalise(FieldLastName, s), slowText(s); got != want {
				t.Fatalf("text %q: fast %q, NFKC %q", s, got, want)
			}
			if got, want := Normalise(FieldPhone, s), slowPhone(s); got != want {
				t.Fatalf("phone %q: fast %q, NFKC %q", s, got, want)
			}
		}
	})
}

package sync

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Test data: realistic people rendered as each provider would hold them.

var (
	lastNames        = []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水", "髙橋", "齋藤", "渡邊", "長谷川", "アンダーソン"}
	firstNames       = []string{"翔太", "陽菜", "蓮", "結衣", "大翔", "さくら", "悠真", "美咲", "湊", "葵", "健一", "由美子", "まこと", "ひろし", "ゆうき", "Emma", "太郎", "花子", "一郎", "恵"}
	defaultTypeNames = []string{"正社員", "契約社員", "パート・アルバイト", "役員", "非常勤役員", "派遣社員", "業務委託", "その他"}
)

// person is one employee in canonical form.
type person struct {
	number, last, first, hired, phone, birth, status string
	typ                                              int // Jobkan code of DefaultSettings, 1..8
}

func randPerson(r *rand.Rand, i int) person {
	p := person{
		number: fmt.Sprintf("E%06d", i),
		last:   lastNames[r.IntN(len(lastNames))],
		first:  firstNames[r.IntN(len(firstNames))],
		hired:  fmt.Sprintf("%04d-%02d-%02d", 2000+r.IntN(25), 1+r.IntN(12), 1+r.IntN(28)),
		phone:  fmt.Sprintf("0%d-%04d-%04d", []int{3, 6, 90, 80, 70}[r.IntN(5)], r.IntN(10000), r.IntN(10000)),
		birth:  fmt.Sprintf("%04d-%02d-%02d", 1960+r.IntN(45), 1+r.IntN(12), 1+r.IntN(28)),
		status: []string{StatusEmployed, StatusEmployed, StatusEmployed, StatusRetired, StatusAbsent}[r.IntN(5)],
		typ:    1 + r.IntN(8),
	}
	if r.IntN(20) == 0 {
		p.phone = ""
	}
	return p
}

func (p person) jobkan(id int) Employee {
	return Employee{ID: strconv.Itoa(id), EmployeeNumber: p.number, LastName: p.last, FirstName: p.first,
		HiredOn: p.hired, EmploymentType: strconv.Itoa(p.typ), Phone: p.phone, BirthDate: p.birth,
		EmploymentStatus: p.status}
}

func (p person) smarthr(id int) Employee {
	return Employee{ID: fmt.Sprintf("crew-%d", id), EmployeeNumber: p.number, LastName: p.last, FirstName: p.first,
		HiredOn: p.hired, EmploymentType: defaultTypeNames[p.typ-1], Phone: p.phone, BirthDate: p.birth,
		EmploymentStatus: p.status}
}

// fullWidth turns printable ASCII into its full-width form (space → U+3000).
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ':
			b.WriteRune('\u3000')
		case r > ' ' && r < 0x7f:
			b.WriteRune(r - 0x21 + 0xFF01)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// vary changes the form, never the meaning, of some of e's values. The
// messier forms of real data (format characters, international phones,
// timestamps) come at a few percent, so that BenchmarkDiff100k stays
// representative.
func vary(r *rand.Rand, e Employee) Employee {
	if r.IntN(50) == 0 && strings.HasPrefix(e.Phone, "0") { // international form
		rest := e.Phone[1:]
		e.Phone = []string{"+81 " + rest, "+81 (0)" + rest, "+81" + strings.ReplaceAll(rest, "-", ""), "010-81-" + rest}[r.IntN(4)]
	}
	if r.IntN(4) == 0 { // 全角 and ー in phones, as typed with an IME
		e.Phone = strings.ReplaceAll(fullWidth(e.Phone), "－", "ー")
	}
	if r.IntN(8) == 0 {
		e.Phone = strings.ReplaceAll(e.Phone, "-", " ")
	}
	if r.IntN(10) == 0 && e.HiredOn != "" {
		y, m, d := e.HiredOn[:4], e.HiredOn[5:7], e.HiredOn[8:]
		e.HiredOn = fmt.Sprintf("%s/%s/%s", y, strings.TrimLeft(m, "0"), strings.TrimLeft(d, "0"))
	}
	if r.IntN(10) == 0 && e.BirthDate != "" {
		e.BirthDate = fullWidth(e.BirthDate[:4]) + "年" + strings.TrimLeft(e.BirthDate[5:7], "0") + "月" + e.BirthDate[8:] + "日"
	}
	if r.IntN(15) == 0 {
		e.LastName = " " + e.LastName + "\u3000"
	}
	if r.IntN(20) == 0 {
		e.EmployeeNumber = fullWidth(e.EmployeeNumber)
	}
	// Timestamps for dates: an instant whose date in Japan is the date.
	if r.IntN(50) == 0 && isISODate(e.HiredOn) {
		e.HiredOn = timestampOn(r, e.HiredOn)
	}
	if r.IntN(50) == 0 && isISODate(e.BirthDate) {
		e.BirthDate = timestampOn(r, e.BirthDate)
	}
	// Invisible format characters (ZWSP, BOM, soft hyphen…) and stray
	// spaces, as pasted from spreadsheets and web pages.
	if r.IntN(50) == 0 {
		e.EmployeeNumber = withFormat(r, e.EmployeeNumber, 2)
	}
	if r.IntN(50) == 0 {
		e.EmployeeNumber += []string{" ", "\u00a0", "\u3000", " \u00a0"}[r.IntN(4)]
	}
	if r.IntN(50) == 0 {
		e.LastName = withFormat(r, e.LastName, 2)
	}
	if r.IntN(50) == 0 {
		e.FirstName = withFormat(r, e.FirstName, 2)
	}
	return e
}

// timestampOn renders an instant on the date d (YYYY-MM-DD) in Japan as a
// timestamp with a random offset and layout.
func timestampOn(r *rand.Rand, d string) string {
	day, err := time.ParseInLocation(time.DateOnly, d, jstZone)
	if err != nil {
		panic(err)
	}
	t := day.Add(time.Duration(r.Int64N(int64(24 * time.Hour))))
	off := -12*60 + 15*r.IntN((26*60)/15+1)
	return renderTimestamp(r, t.In(time.FixedZone("", off*60)))
}

// genPairs returns n people as Jobkan and as SmartHR employees, in shuffled
// order, each side with form-only variations. changeRate of them differ for
// real; newRate exist only in Jobkan and as many only in SmartHR; one in
// 1,000 is in SmartHR twice (a duplicate 社員番号).
func genPairs(r *rand.Rand, n int, changeRate, newRate float64) (jobkan, smarthr []Employee) {
	jobkan = make([]Employee, 0, n)
	smarthr = make([]Employee, 0, n)
	for i := range n {
		p := randPerson(r, i+1)
		switch x := r.Float64(); {
		case x < newRate:
			jobkan = append(jobkan, vary(r, p.jobkan(i+1)))
			continue
		case x < 2*newRate:
			smarthr = append(smarthr, vary(r, p.smarthr(i+1)))
			continue
		}
		jobkan = append(jobkan, vary(r, p.jobkan(i+1)))
		if r.Float64() < changeRate {
			switch r.IntN(4) {
			case 0:
				p.phone = fmt.Sprintf("050-%04d-%04d", r.IntN(10000), r.IntN(10000))
			case 1:
				p.last = lastNames[r.IntN(len(lastNames))] + "野"
			case 2:
				p.typ = 1 + (p.typ % 8)
			case 3:
				p.hired = "2024-04-01"
			}
		}
		smarthr = append(smarthr, vary(r, p.smarthr(i+1)))
		if i%1000 == 999 {
			smarthr = append(smarthr, vary(r, p.smarthr(n+i+1)))
		}
	}
	r.Shuffle(len(jobkan), func(i, j int) { jobkan[i], jobkan[j] = jobkan[j], jobkan[i] })
	r.Shuffle(len(smarthr), func(i, j int) { smarthr[i], smarthr[j] = smarthr[j], smarthr[i] })
	return jobkan, smarthr
}

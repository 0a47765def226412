package sync

import (
	"slices"
	"strings"
	"testing"
)

type mod func(*Employee)

func set(f Field, v string) mod { return func(e *Employee) { e.Set(f, v) } }
func withID(id string) mod      { return func(e *Employee) { e.ID = id } }

// jobkanEmp and smarthrEmp are the same person as each system holds them.
func jobkanEmp(number string, mods ...mod) Employee {
	e := Employee{ID: "j-" + number, EmployeeNumber: number, LastName: "山田", FirstName: "太郎",
		HiredOn: "2020-04-01", EmploymentType: "1", Phone: "03-1234-5678", BirthDate: "1990-01-02",
		EmploymentStatus: StatusEmployed, Email: "taro@example.com"}
	for _, m := range mods {
		m(&e)
	}
	return e
}

func smarthrEmp(number string, mods ...mod) Employee {
	e := Employee{ID: "s-" + number, EmployeeNumber: number, LastName: "山田", FirstName: "太郎",
		HiredOn: "2020-04-01", EmploymentType: "正社員", Phone: "03-1234-5678", BirthDate: "1990-01-02",
		EmploymentStatus: StatusEmployed}
	for _, m := range mods {
		m(&e)
	}
	return e
}

func emps(es ...Employee) []Employee { return es }

type diffCase struct {
	name           string
	source, target []Employee
	status         Status
	reason         string           // conflicts: the reason code
	detail         []string         // conflicts: substrings of the detail
	changed        []Field          // the fields flagged Changed
	write          []Field          // Item.Write
	want           map[Field]string // values of Item.Want
	noField        Field            // a field that must not be listed
	display        map[Field][2]string
}

func runDiffCases(t *testing.T, dir Direction, cases []diffCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Diff(dir, tc.source, tc.target, DefaultSettings())
			if len(r.Items) != len(tc.source) {
				t.Fatalf("%d items for %d source employees", len(r.Items), len(tc.source))
			}
			for _, it := range r.Items {
				checkItem(t, tc, it)
			}
		})
	}
}

func checkItem(t *testing.T, tc diffCase, it Item) {
	t.Helper()
	if it.Status != tc.status || it.ReasonCode != tc.reason {
		t.Fatalf("status %s (%s: %s), want %s (%s)", it.Status, it.ReasonCode, it.ReasonDetail, tc.status, tc.reason)
	}
	for _, d := range tc.detail {
		if !strings.Contains(it.ReasonDetail, d) {
			t.Errorf("detail %q does not contain %q", it.ReasonDetail, d)
		}
	}
	if tc.status != StatusConflict && (it.ReasonDetail != "" || it.ReasonCode != "") {
		t.Errorf("reason on a %s item: %s %s", it.Status, it.ReasonCode, it.ReasonDetail)
	}
	var changed []Field
	for _, fd := range it.Fields {
		if fd.Changed {
			changed = append(changed, fd.Field)
		}
		if fd.Field == tc.noField {
			t.Errorf("field %s listed: %+v", fd.Field, fd)
		}
		if d, ok := tc.display[fd.Field]; ok && (fd.Old != d[0] || fd.New != d[1]) {
			t.Errorf("%s displayed %q → %q, want %q → %q", fd.Field, fd.Old, fd.New, d[0], d[1])
		}
	}
	if tc.status != StatusConflict && !slices.Equal(changed, tc.changed) {
		t.Errorf("changed fields %v, want %v", changed, tc.changed)
	}
	if !slices.Equal(it.Write, tc.write) {
		t.Errorf("write %v, want %v", it.Write, tc.write)
	}
	for f, v := range tc.want {
		if got := it.Want.Get(f); got != v {
			t.Errorf("want.%s = %q, want %q", f, got, v)
		}
	}
	switch it.Status {
	case StatusConflict, StatusUnchanged:
		if it.Want != (Employee{}) || it.Write != nil {
			t.Errorf("%s item writes: %+v %v", it.Status, it.Want, it.Write)
		}
	case StatusChanged:
		if it.Target == nil || it.Want.ID != it.Target.ID {
			t.Errorf("changed item does not address its target: %+v", it.Want)
		}
	case StatusNew:
		if it.Target != nil || it.Want.ID != "" {
			t.Errorf("new item has a target: %+v", it.Target)
		}
	}
	if len(it.Fingerprint) != 32 {
		t.Errorf("fingerprint %q", it.Fingerprint)
	}
}

var allJS = []Field{FieldEmployeeNumber, FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType,
	FieldPhone, FieldBirthDate, FieldEmploymentStatus}

func TestDiffJobkanToSmartHR(t *testing.T) {
	runDiffCases(t, JobkanToSmartHR, []diffCase{
		{name: "unchanged: identical", source: emps(jobkanEmp("E001")), target: emps(smarthrEmp("E001")),
			status: StatusUnchanged},
		{name: "unchanged: form-only differences on both sides",
			source: emps(jobkanEmp("Ｅ001", set(FieldPhone, "０３ー１２３４ー５６７８"), set(FieldHiredOn, "2020/4/1"),
				set(FieldLastName, " 山田 "), set(FieldEmploymentType, "01"))),
			target: emps(smarthrEmp("E001 ", set(FieldBirthDate, "1990年1月2日"), set(FieldFirstName, "太郎\u3000"),
				set(FieldEmploymentType, "正社員　"), set(FieldPhone, "(03)1234 5678"))),
			status: StatusUnchanged},
		{name: "changed: last name, the source's value written as is",
			source: emps(jobkanEmp("E001", set(FieldLastName, "山田 "))), target: emps(smarthrEmp("E001", set(FieldLastName, "山本"))),
			status: StatusChanged, changed: []Field{FieldLastName}, write: []Field{FieldLastName},
			want:    map[Field]string{FieldLastName: "山田 ", FieldFirstName: "太郎", FieldPhone: "03-1234-5678"},
			display: map[Field][2]string{FieldLastName: {"山本", "山田 "}}},
		{name: "changed: phone digits",
			source: emps(jobkanEmp("E001", set(FieldPhone, "090-0000-1111"))), target: emps(smarthrEmp("E001")),
			status: StatusChanged, changed: []Field{FieldPhone}, write: []Field{FieldPhone},
			want: map[Field]string{FieldPhone: "090-0000-1111"}},
		{name: "changed: hire date written as YYYY-MM-DD",
			source: emps(jobkanEmp("E001", set(FieldHiredOn, "2021/4/1"))), target: emps(smarthrEmp("E001")),
			status: StatusChanged, changed: []Field{FieldHiredOn}, write: []Field{FieldHiredOn},
			want:    map[Field]string{FieldHiredOn: "2021-04-01"},
			display: map[Field][2]string{FieldHiredOn: {"2020-04-01", "2021-04-01"}}},
		{name: "changed: birth date",
			source: emps(jobkanEmp("E001", set(FieldBirthDate, "1991-01-02"))), target: emps(smarthrEmp("E001")),
			status: StatusChanged, changed: []Field{FieldBirthDate}, write: []Field{FieldBirthDate},
			want: map[Field]string{FieldBirthDate: "1991-01-02"}},
		{name: "changed: employment type code written as its name",
			source: emps(jobkanEmp("E001", set(FieldEmploymentType, "2"))), target: emps(smarthrEmp("E001")),
			status: StatusChanged, changed: []Field{FieldEmploymentType}, write: []Field{FieldEmploymentType},
			want:    map[Field]string{FieldEmploymentType: "契約社員"},
			display: map[Field][2]string{FieldEmploymentType: {"正社員", "契約社員"}}},
		{name: "changed: target employment type outside the map is overwritten",
			source: emps(jobkanEmp("E001")), target: emps(smarthrEmp("E001", set(FieldEmploymentType, "嘱託"))),
			status: StatusChanged, changed: []Field{FieldEmploymentType}, write: []Field{FieldEmploymentType},
			want:    map[Field]string{FieldEmploymentType: "正社員"},
			display: map[Field][2]string{FieldEmploymentType: {"嘱託", "正社員"}}},
		{name: "changed: retired",
			source: emps(jobkanEmp("E001", set(FieldEmploymentStatus, StatusRetired))), target: emps(smarthrEmp("E001")),
			status: StatusChanged, changed: []Field{FieldEmploymentStatus}, write: []Field{FieldEmploymentStatus},
			want: map[Field]string{FieldEmploymentStatus: StatusRetired}},
		{name: "changed: employed over absent",
			source: emps(jobkanEmp("E001")), target: emps(smarthrEmp("E001", set(FieldEmploymentStatus, StatusAbsent))),
			status: StatusChanged, changed: []Field{FieldEmploymentStatus}, write: []Field{FieldEmploymentStatus},
			want: map[Field]string{FieldEmploymentStatus: StatusEmployed}},
		{name: "unchanged: absent is not sent",
			source: emps(jobkanEmp("E001", set(FieldEmploymentStatus, StatusAbsent))), target: emps(smarthrEmp("E001")),
			status: StatusUnchanged, noField: FieldEmploymentStatus},
		{name: "changed: absent left out, other fields written",
			source: emps(jobkanEmp("E001", set(FieldEmploymentStatus, StatusAbsent), set(FieldPhone, "03-9999-0000"))),
			target: emps(smarthrEmp("E001", set(FieldEmploymentStatus, StatusRetired))),
			status: StatusChanged, changed: []Field{FieldPhone}, write: []Field{FieldPhone}, noField: FieldEmploymentStatus,
			want: map[Field]string{FieldEmploymentStatus: StatusRetired}},
		{name: "changed: blanking phone and hire date is allowed",
			source: emps(jobkanEmp("E001", set(FieldPhone, ""), set(FieldHiredOn, " "))), target: emps(smarthrEmp("E001")),
			status: StatusChanged, changed: []Field{FieldHiredOn, FieldPhone}, write: []Field{FieldHiredOn, FieldPhone},
			want: map[Field]string{FieldPhone: "", FieldHiredOn: ""}},
		{name: "changed: a target birth date that is not a date is overwritten",
			source: emps(jobkanEmp("E001")), target: emps(smarthrEmp("E001", set(FieldBirthDate, "不明"))),
			status: StatusChanged, changed: []Field{FieldBirthDate}, write: []Field{FieldBirthDate}},
		{name: "changed: several fields, in canonical order",
			source: emps(jobkanEmp("E001", set(FieldBirthDate, "1991-01-02"), set(FieldLastName, "佐藤"))),
			target: emps(smarthrEmp("E001")),
			status: StatusChanged, changed: []Field{FieldLastName, FieldBirthDate}, write: []Field{FieldLastName, FieldBirthDate}},
		{name: "new: every value written",
			source: emps(jobkanEmp("E001", set(FieldBirthDate, "1990年1月2日"))), target: emps(smarthrEmp("E002")),
			status: StatusNew, changed: allJS[1:], write: allJS,
			want: map[Field]string{FieldEmployeeNumber: "E001", FieldLastName: "山田", FieldEmploymentType: "正社員",
				FieldBirthDate: "1990-01-02", FieldEmploymentStatus: StatusEmployed, FieldEmail: ""},
			display: map[Field][2]string{FieldEmploymentType: {"", "正社員"}, FieldLastName: {"", "山田"}}},
		{name: "new: blanks and absent are not written",
			source: emps(jobkanEmp("E001", set(FieldPhone, ""), set(FieldEmploymentStatus, StatusAbsent))),
			status: StatusNew, changed: []Field{FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType, FieldBirthDate},
			write:   []Field{FieldEmployeeNumber, FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType, FieldBirthDate},
			noField: FieldEmploymentStatus},
		{name: "new: employee number written normalised",
			source: emps(jobkanEmp("Ｅ００１ ")), status: StatusNew, changed: allJS[1:], write: allJS,
			want: map[Field]string{FieldEmployeeNumber: "E001"}},
		{name: "conflict: blank employee number",
			source: emps(jobkanEmp("\u3000")), target: emps(smarthrEmp("")),
			status: StatusConflict, reason: ReasonMissingEmployeeNumber, detail: []string{"社員番号が空です"}},
		{name: "conflict: duplicate in the source, every row",
			source: emps(jobkanEmp("E001", withID("1")), jobkanEmp("Ｅ001", withID("2"))), target: emps(smarthrEmp("E001")),
			status: StatusConflict, reason: ReasonDuplicateEmployeeNumber, detail: []string{"ジョブカン（取り込み元）に2件"}},
		{name: "conflict: duplicate in the target",
			source: emps(jobkanEmp("E001")), target: emps(smarthrEmp("E001", withID("a")), smarthrEmp("E001 ", withID("b"))),
			status: StatusConflict, reason: ReasonDuplicateEmployeeNumber, detail: []string{"SmartHR（取り込み先）に2件"}},
		{name: "conflict: duplicate on both sides",
			source: emps(jobkanEmp("E001", withID("1")), jobkanEmp("E001", withID("2")), jobkanEmp("E001", withID("3"))),
			target: emps(smarthrEmp("E001", withID("a")), smarthrEmp("E001", withID("b"))),
			status: StatusConflict, reason: ReasonDuplicateEmployeeNumber, detail: []string{"ジョブカン（取り込み元）に3件", "SmartHR（取り込み先）に2件"}},
		{name: "conflict: unmapped work_kind code",
			source: emps(jobkanEmp("E001", set(FieldEmploymentType, "9"))), target: emps(smarthrEmp("E001")),
			status: StatusConflict, reason: ReasonUnmappedEmploymentType, detail: []string{"スタッフ種別「9」"}},
		{name: "conflict: work_kind that is not a code",
			source: emps(jobkanEmp("E001", set(FieldEmploymentType, "正社員"))), target: emps(smarthrEmp("E001")),
			status: StatusConflict, reason: ReasonUnmappedEmploymentType, detail: []string{"「正社員」"}},
		{name: "conflict: unmapped type of a new employee",
			source: emps(jobkanEmp("E001", set(FieldEmploymentType, "0"))),
			status: StatusConflict, reason: ReasonUnmappedEmploymentType},
		{name: "conflict: SmartHR refuses a blank last name",
			source: emps(jobkanEmp("E001", set(FieldLastName, "　"))), target: emps(smarthrEmp("E001")),
			status: StatusConflict, reason: ReasonTargetRefusesBlank, detail: []string{"SmartHRでは姓を空にできません"}},
		{name: "conflict: SmartHR refuses a blank first name",
			source: emps(jobkanEmp("E001", set(FieldFirstName, ""))), target: emps(smarthrEmp("E001")),
			status: StatusConflict, reason: ReasonTargetRefusesBlank, detail: []string{"名を空に"}},
		{name: "conflict: SmartHR refuses a blank birth date",
			source: emps(jobkanEmp("E001", set(FieldBirthDate, ""))), target: emps(smarthrEmp("E001")),
			status: StatusConflict, reason: ReasonTargetRefusesBlank, detail: []string{"生年月日を空に"}},
		{name: "unchanged: birth date blank on both sides",
			source: emps(jobkanEmp("E001", set(FieldBirthDate, ""))), target: emps(smarthrEmp("E001", set(FieldBirthDate, ""))),
			status: StatusUnchanged},
		{name: "conflict: new employee without a last name",
			source: emps(jobkanEmp("E001", set(FieldLastName, ""))),
			status: StatusConflict, reason: ReasonTargetRefusesBlank, detail: []string{"姓が空のためSmartHRに新規登録できません"}},
		{name: "new: a blank birth date may be created",
			source: emps(jobkanEmp("E001", set(FieldBirthDate, ""))),
			status: StatusNew, changed: []Field{FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType, FieldPhone, FieldEmploymentStatus},
			write: []Field{FieldEmployeeNumber, FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType, FieldPhone, FieldEmploymentStatus}},
		{name: "conflict: hire date that is not a date",
			source: emps(jobkanEmp("E001", set(FieldHiredOn, "2020-13-01"))), target: emps(smarthrEmp("E001")),
			status: StatusConflict, reason: ReasonInvalidValue, detail: []string{"入社年月日「2020-13-01」"}},
		{name: "conflict: unknown employment status",
			source: emps(jobkanEmp("E001", set(FieldEmploymentStatus, "working"))), target: emps(smarthrEmp("E001")),
			status: StatusConflict, reason: ReasonInvalidValue, detail: []string{"在籍状況「working」"}},
		{name: "conflict: every problem in the detail, the first as the reason",
			source: emps(jobkanEmp("E001", set(FieldEmploymentType, "99"), set(FieldBirthDate, "昨日"), set(FieldLastName, ""))),
			target: emps(smarthrEmp("E001")),
			status: StatusConflict, reason: ReasonTargetRefusesBlank, detail: []string{"姓を空に", "「99」", "生年月日「昨日」"}},
	})
}

var allSJ = []Field{FieldEmployeeNumber, FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType,
	FieldPhone, FieldBirthDate, FieldEmail}

func TestDiffSmartHRToJobkan(t *testing.T) {
	runDiffCases(t, SmartHRToJobkan, []diffCase{
		{name: "unchanged: identical", source: emps(smarthrEmp("E001")), target: emps(jobkanEmp("E001")),
			status: StatusUnchanged},
		{name: "unchanged: form-only differences on both sides",
			source: emps(smarthrEmp("E001", set(FieldPhone, "０３－１２３４－５６７８"), set(FieldEmploymentType, "正社員 "),
				set(FieldHiredOn, "20200401"))),
			target: emps(jobkanEmp("Ｅ００１", set(FieldEmploymentType, "０１"), set(FieldBirthDate, "1990.1.2"),
				set(FieldLastName, "山田\t"))),
			status: StatusUnchanged},
		{name: "unchanged: employment status and e-mail are not compared",
			source: emps(smarthrEmp("E001", set(FieldEmploymentStatus, StatusRetired), set(FieldEmail, "a@b.jp"))),
			target: emps(jobkanEmp("E001")),
			status: StatusUnchanged, noField: FieldEmploymentStatus},
		{name: "changed: employment type name written as its code",
			source: emps(smarthrEmp("E001", set(FieldEmploymentType, "契約社員"))), target: emps(jobkanEmp("E001")),
			status: StatusChanged, changed: []Field{FieldEmploymentType}, write: []Field{FieldEmploymentType},
			want:    map[Field]string{FieldEmploymentType: "2", FieldEmail: "taro@example.com"},
			display: map[Field][2]string{FieldEmploymentType: {"正社員", "契約社員"}}},
		{name: "changed: Jobkan code outside the map is overwritten",
			source: emps(smarthrEmp("E001")), target: emps(jobkanEmp("E001", set(FieldEmploymentType, "42"))),
			status: StatusChanged, changed: []Field{FieldEmploymentType}, write: []Field{FieldEmploymentType},
			want:    map[Field]string{FieldEmploymentType: "1"},
			display: map[Field][2]string{FieldEmploymentType: {"42", "正社員"}}},
		{name: "changed: first name",
			source: emps(smarthrEmp("E001", set(FieldFirstName, "次郎"))), target: emps(jobkanEmp("E001")),
			status: StatusChanged, changed: []Field{FieldFirstName}, write: []Field{FieldFirstName},
			want: map[Field]string{FieldFirstName: "次郎"}},
		{name: "changed: blanking a birth date is allowed in Jobkan",
			source: emps(smarthrEmp("E001", set(FieldBirthDate, ""))), target: emps(jobkanEmp("E001")),
			status: StatusChanged, changed: []Field{FieldBirthDate}, write: []Field{FieldBirthDate},
			want: map[Field]string{FieldBirthDate: ""}},
		{name: "new: every value written, with a generated e-mail",
			source: emps(smarthrEmp("E001", set(FieldHiredOn, "2020-04-01T00:00:00+09:00"))), target: emps(jobkanEmp("E002")),
			status: StatusNew, changed: allSJ[1:], write: allSJ,
			want: map[Field]string{FieldEmployeeNumber: "E001", FieldEmploymentType: "1", FieldEmail: "E001@example.jp",
				FieldHiredOn: "2020-04-01", FieldEmploymentStatus: ""},
			display: map[Field][2]string{FieldEmail: {"", "E001@example.jp"}, FieldEmploymentType: {"", "正社員"}}},
		{name: "new: e-mail from the normalised number",
			source: emps(smarthrEmp("Ｅ－００１")), status: StatusNew, changed: allSJ[1:], write: allSJ,
			want: map[Field]string{FieldEmployeeNumber: "E-001", FieldEmail: "E-001@example.jp"}},
		{name: "conflict: a number that makes no e-mail address",
			source: emps(smarthrEmp("山田01")),
			status: StatusConflict, reason: ReasonInvalidValue, detail: []string{"社員番号「山田01」からはメールアドレスを作れません"}},
		{name: "conflict: a number with a space makes no e-mail address",
			source: emps(smarthrEmp("E 001")), status: StatusConflict, reason: ReasonInvalidValue},
		{name: "changed: a number that makes no e-mail address is fine for an update",
			source: emps(smarthrEmp("山田01", set(FieldPhone, "03"))), target: emps(jobkanEmp("山田01")),
			status: StatusChanged, changed: []Field{FieldPhone}, write: []Field{FieldPhone}},
		{name: "conflict: Jobkan refuses a blank last name",
			source: emps(smarthrEmp("E001", set(FieldLastName, ""))), target: emps(jobkanEmp("E001")),
			status: StatusConflict, reason: ReasonTargetRefusesBlank, detail: []string{"ジョブカンでは姓を空にできません"}},
		{name: "conflict: new employee without a first name",
			source: emps(smarthrEmp("E001", set(FieldFirstName, " "))),
			status: StatusConflict, reason: ReasonTargetRefusesBlank, detail: []string{"名が空のためジョブカンに新規登録できません"}},
		{name: "conflict: unmapped employment type name",
			source: emps(smarthrEmp("E001", set(FieldEmploymentType, "嘱託"))), target: emps(jobkanEmp("E001")),
			status: StatusConflict, reason: ReasonUnmappedEmploymentType, detail: []string{"雇用形態「嘱託」"}},
		{name: "conflict: duplicate in Jobkan",
			source: emps(smarthrEmp("E001")), target: emps(jobkanEmp("E001", withID("1")), jobkanEmp("E001", withID("2"))),
			status: StatusConflict, reason: ReasonDuplicateEmployeeNumber, detail: []string{"ジョブカン（取り込み先）に2件"}},
		{name: "conflict: duplicate in SmartHR",
			source: emps(smarthrEmp("E001", withID("1")), smarthrEmp("E001", withID("2"))),
			status: StatusConflict, reason: ReasonDuplicateEmployeeNumber, detail: []string{"SmartHR（取り込み元）に2件"}},
		{name: "conflict: blank employee number",
			source: emps(smarthrEmp("")), status: StatusConflict, reason: ReasonMissingEmployeeNumber},
		{name: "conflict: birth date that is not a date",
			source: emps(smarthrEmp("E001", set(FieldBirthDate, "1990-02-30"))), target: emps(jobkanEmp("E001")),
			status: StatusConflict, reason: ReasonInvalidValue, detail: []string{"生年月日「1990-02-30」"}},
	})
}

func TestDiffFieldsListed(t *testing.T) {
	for _, tc := range []struct {
		dir    Direction
		source Employee
		target []Employee
		want   []Field
	}{
		{JobkanToSmartHR, jobkanEmp("E1"), emps(smarthrEmp("E1")), allJS[1:]},
		{JobkanToSmartHR, jobkanEmp("E1"), nil, allJS[1:]},
		{SmartHRToJobkan, smarthrEmp("E1"), emps(jobkanEmp("E1")), allSJ[1 : len(allSJ)-1]},
		{SmartHRToJobkan, smarthrEmp("E1"), nil, allSJ[1:]},
	} {
		it := Diff(tc.dir, emps(tc.source), tc.target, DefaultSettings()).Items[0]
		var got []Field
		for _, fd := range it.Fields {
			got = append(got, fd.Field)
			if it.Status == StatusNew && fd.Old != "" {
				t.Errorf("%s new: old value %q", fd.Field, fd.Old)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s (%s): fields %v, want %v", tc.dir, it.Status, got, tc.want)
		}
	}
}

func TestDiffItemBasics(t *testing.T) {
	src := jobkanEmp(" Ｅ001 ", set(FieldLastName, " 山田"), set(FieldFirstName, "太郎　"))
	tgt := smarthrEmp("E001", set(FieldLastName, "山本"))
	target := emps(tgt)
	it := Diff(JobkanToSmartHR, emps(src), target, DefaultSettings()).Items[0]
	if it.EmployeeNumber != "E001" || it.DisplayName != "山田 太郎" || it.Source != src || it.Target != &target[0] {
		t.Errorf("item %q %q %+v %p", it.EmployeeNumber, it.DisplayName, it.Source, it.Target)
	}
	for _, tc := range []struct{ last, first, want string }{{"", "太郎", "太郎"}, {"山田", "", "山田"}, {"", "", ""}} {
		e := jobkanEmp("E1", set(FieldLastName, tc.last), set(FieldFirstName, tc.first))
		if got := Diff(JobkanToSmartHR, emps(e), nil, DefaultSettings()).Items[0].DisplayName; got != tc.want {
			t.Errorf("display name %q", got)
		}
	}
}

func TestDiffSortAndSummary(t *testing.T) {
	source := emps(
		jobkanEmp("E10"), jobkanEmp("E9"), jobkanEmp("10", withID("9")), jobkanEmp("10", withID("10")),
		jobkanEmp("9"), jobkanEmp("", withID("b")), jobkanEmp("", withID("a")), jobkanEmp("E09"), jobkanEmp("e1"),
	)
	target := emps(smarthrEmp("E10"), smarthrEmp("E9", set(FieldPhone, "0")), smarthrEmp("e1"))
	r := Diff(JobkanToSmartHR, source, target, DefaultSettings())
	var got []string
	for _, it := range r.Items {
		got = append(got, it.EmployeeNumber+"/"+it.Source.ID)
	}
	want := []string{"/a", "/b", "9/j-9", "10/9", "10/10", "E09/j-E09", "E9/j-E9", "E10/j-E10", "e1/j-e1"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if want := (Summary{Unchanged: 2, Changed: 1, New: 2, Conflict: 4, Total: 9}); r.Summary != want {
		t.Errorf("summary %+v, want %+v", r.Summary, want)
	}
	for _, num := range []string{"E9", "Ｅ９", " E9 "} {
		if it, ok := r.Find(num); !ok || it.Source.ID != "j-E9" {
			t.Errorf("Find(%q) = %v, %v", num, it.Source.ID, ok)
		}
	}
	if it, ok := r.Find("10"); !ok || it.Source.ID != "9" {
		t.Errorf("Find(10) gives %q, want the first of the duplicates", it.Source.ID)
	}
	for _, num := range []string{"E1", "E010", "11"} {
		if _, ok := r.Find(num); ok {
			t.Errorf("Find(%q) found something", num)
		}
	}
}

func TestCompareEmployeeNumbers(t *testing.T) {
	ordered := []string{"", "0", "00", "01", "1", "2", "10", "A", "A01", "A1", "A2", "A10", "A10B", "AB", "a", "山田"}
	for i, a := range ordered {
		for j, b := range ordered {
			want := cmpInt(i, j)
			if got := CompareEmployeeNumbers(a, b); got != want {
				t.Errorf("CompareEmployeeNumbers(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// The sort keys of Diff must order as CompareEmployeeNumbers does, which
// Find's binary search relies on.
func TestNatKeyAgreesWithCompare(t *testing.T) {
	gen := []string{"", "0", "00", "007", "7", "70", "A", "A0", "A00", "A7", "A07", "-", "/", ":", "7A", "07A", "A7B7", "A7B07", "é", "山"}
	key := func(s string) string { return string(appendNatKey(nil, s)) }
	for _, a := range gen {
		for _, b := range gen {
			for _, x := range []string{a + b, b + a, a, b} {
				for _, y := range []string{a, b + a, a + b + a} {
					want := CompareEmployeeNumbers(x, y)
					got := strings.Compare(key(x), key(y))
					if got == 0 {
						got = strings.Compare(x, y)
					}
					if got != want {
						t.Fatalf("%q vs %q: keys give %d, CompareEmployeeNumbers %d", x, y, got, want)
					}
				}
			}
		}
	}
}

func TestFingerprint(t *testing.T) {
	s := DefaultSettings()
	fp := func(dir Direction, src Employee, tgt ...Employee) string {
		return Diff(dir, emps(src), tgt, s).Items[0].Fingerprint
	}
	base := fp(JobkanToSmartHR, jobkanEmp("E1"), smarthrEmp("E1"))
	if again := fp(JobkanToSmartHR, jobkanEmp("E1"), smarthrEmp("E1")); again != base {
		t.Fatal("fingerprint is not deterministic")
	}
	// Form only: same fingerprint.
	for name, pair := range map[string][2]Employee{
		"source phone width": {jobkanEmp("E1", set(FieldPhone, "０３ー１２３４ー５６７８")), smarthrEmp("E1")},
		"target date format": {jobkanEmp("E1"), smarthrEmp("E1", set(FieldHiredOn, "2020年4月1日"))},
		"spaces":             {jobkanEmp(" E1", set(FieldLastName, "山田　")), smarthrEmp("E1")},
		"code form":          {jobkanEmp("E1", set(FieldEmploymentType, "01")), smarthrEmp("E1")},
		"ids and e-mail":     {jobkanEmp("E1", withID("x"), set(FieldEmail, "x@y")), smarthrEmp("E1", withID("y"))},
	} {
		if got := fp(JobkanToSmartHR, pair[0], pair[1]); got != base {
			t.Errorf("%s: fingerprint changed for a form-only difference", name)
		}
	}
	// Anything compared, on either side: a new fingerprint.
	seen := map[string]string{base: "base"}
	distinct := func(name, f string) {
		if prev, dup := seen[f]; dup {
			t.Errorf("%s: same fingerprint as %s", name, prev)
		}
		seen[f] = name
	}
	for _, f := range ComparedFields(JobkanToSmartHR) {
		v := map[Field]string{FieldEmploymentType: "2", FieldEmploymentStatus: StatusRetired, FieldHiredOn: "2001-01-01", FieldBirthDate: "2001-01-01"}[f]
		if v == "" {
			v = "x"
		}
		distinct("source "+string(f), fp(JobkanToSmartHR, jobkanEmp("E1", set(f, v)), smarthrEmp("E1")))
		if f == FieldEmploymentType {
			v = "契約社員"
		}
		distinct("target "+string(f), fp(JobkanToSmartHR, jobkanEmp("E1"), smarthrEmp("E1", set(f, v))))
	}
	distinct("absent", fp(JobkanToSmartHR, jobkanEmp("E1", set(FieldEmploymentStatus, StatusAbsent)), smarthrEmp("E1")))
	distinct("number", fp(JobkanToSmartHR, jobkanEmp("E2"), smarthrEmp("E2")))
	distinct("no target", fp(JobkanToSmartHR, jobkanEmp("E1")))
	distinct("blank target", fp(JobkanToSmartHR, jobkanEmp("E1"), Employee{EmployeeNumber: "E1"}))
	distinct("two targets", fp(JobkanToSmartHR, jobkanEmp("E1"), smarthrEmp("E1"), smarthrEmp("E1")))
	distinct("direction", fp(SmartHRToJobkan, smarthrEmp("E1"), jobkanEmp("E1")))
	distinct("case", fp(JobkanToSmartHR, jobkanEmp("E1", set(FieldFirstName, "Taro")), smarthrEmp("E1", set(FieldFirstName, "taro"))))

	// A changed value map changes what is written, so the fingerprint too.
	other := DefaultSettings()
	other.EmploymentTypes[0].JobkanCode = 11
	a := Diff(SmartHRToJobkan, emps(smarthrEmp("E1")), emps(jobkanEmp("E1", set(FieldEmploymentType, "5"))), s).Items[0]
	b := Diff(SmartHRToJobkan, emps(smarthrEmp("E1")), emps(jobkanEmp("E1", set(FieldEmploymentType, "5"))), other).Items[0]
	if a.Fingerprint == b.Fingerprint || a.Want.EmploymentType == b.Want.EmploymentType {
		t.Errorf("value map change: %s %q, %s %q", a.Fingerprint, a.Want.EmploymentType, b.Fingerprint, b.Want.EmploymentType)
	}
}

func TestDiffOne(t *testing.T) {
	s := DefaultSettings()
	it := DiffOne(JobkanToSmartHR, nil, emps(smarthrEmp("E1")), s)
	if it.Status != StatusConflict || it.ReasonCode != ReasonSourceNotFound {
		t.Errorf("no source: %s %s", it.Status, it.ReasonCode)
	}
	// Rows of other numbers are ignored, on both sides.
	it = DiffOne(JobkanToSmartHR, emps(jobkanEmp("E1"), jobkanEmp("E2")),
		emps(smarthrEmp("E3"), smarthrEmp("Ｅ1", set(FieldPhone, "0")), smarthrEmp("E10")), s)
	if it.Status != StatusChanged || it.Target == nil || it.Target.EmployeeNumber != "Ｅ1" || !slices.Equal(it.Write, []Field{FieldPhone}) {
		t.Errorf("filtered: %s %+v %v", it.Status, it.Target, it.Write)
	}
	it = DiffOne(JobkanToSmartHR, emps(jobkanEmp("E1"), jobkanEmp("E1 ")), nil, s)
	if it.ReasonCode != ReasonDuplicateEmployeeNumber {
		t.Errorf("duplicate source: %s", it.ReasonCode)
	}
}

// DiffOne gives, for every employee, the item Diff gives: an import that
// re-diffs one employee sees the fingerprint the user saw.
func TestDiffOneMatchesDiff(t *testing.T) {
	jobkan, smarthr := genPairs(newRand(7), 3*minChunk, 0.1, 0.05) // enough to be diffed in parallel
	jobkan = append(jobkan, jobkanEmp(""), jobkanEmp("E000001"), jobkanEmp("E9", set(FieldEmploymentType, "9")))
	s := DefaultSettings()
	for _, tc := range []struct {
		dir            Direction
		source, target []Employee
	}{{JobkanToSmartHR, jobkan, smarthr}, {SmartHRToJobkan, smarthr, jobkan}} {
		r := Diff(tc.dir, tc.source, tc.target, s)
		bySrc := groupByNumber(tc.source)
		byTgt := groupByNumber(tc.target)
		counts := map[Status]int{}
		for _, it := range r.Items {
			counts[it.Status]++
			srcs := bySrc[it.EmployeeNumber]
			if it.EmployeeNumber == "" {
				srcs = emps(it.Source)
			}
			// The item's own source first, as an import would re-read it.
			i := slices.IndexFunc(srcs, func(e Employee) bool { return e == it.Source })
			srcs = append(emps(srcs[i]), append(slices.Clone(srcs[:i]), srcs[i+1:]...)...)
			one := DiffOne(tc.dir, srcs, byTgt[it.EmployeeNumber], s)
			if !itemsEqual(one, it) {
				t.Fatalf("%s %s: DiffOne %+v\nDiff %+v", tc.dir, it.EmployeeNumber, one, it)
			}
		}
		for _, st := range []Status{StatusUnchanged, StatusChanged, StatusNew, StatusConflict} {
			if counts[st] == 0 {
				t.Errorf("%s: no %s items: the data does not exercise the rules", tc.dir, st)
			}
		}
	}
}

func groupByNumber(es []Employee) map[string][]Employee {
	m := map[string][]Employee{}
	for _, e := range es {
		k := Normalise(FieldEmployeeNumber, e.EmployeeNumber)
		m[k] = append(m[k], e)
	}
	return m
}

func itemsEqual(a, b Item) bool {
	if (a.Target == nil) != (b.Target == nil) || a.Target != nil && *a.Target != *b.Target {
		return false
	}
	a.Target, b.Target = nil, nil
	return a.EmployeeNumber == b.EmployeeNumber && a.DisplayName == b.DisplayName && a.Status == b.Status &&
		a.Fingerprint == b.Fingerprint && slices.Equal(a.Fields, b.Fields) && a.ReasonCode == b.ReasonCode &&
		a.ReasonDetail == b.ReasonDetail && a.Source == b.Source && a.Want == b.Want && slices.Equal(a.Write, b.Write)
}

func TestDiffLeavesInputAlone(t *testing.T) {
	jobkan, smarthr := genPairs(newRand(8), 300, 0.2, 0.1)
	j0, s0 := slices.Clone(jobkan), slices.Clone(smarthr)
	r := Diff(JobkanToSmartHR, jobkan, smarthr, DefaultSettings())
	if !slices.Equal(jobkan, j0) || !slices.Equal(smarthr, s0) {
		t.Fatal("Diff modified its input")
	}
	for _, it := range r.Items {
		if it.Write != nil && cap(it.Write) != len(it.Write) || cap(it.Fields) != len(it.Fields) {
			t.Fatal("an item's slices have room to append into a neighbour")
		}
	}
}

func TestDiffInvalidDirectionPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	Diff("sideways", nil, nil, DefaultSettings())
}

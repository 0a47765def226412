package sync

import (
	"slices"
	"testing"
)

func TestFields(t *testing.T) {
	want := []FieldInfo{
		{FieldEmployeeNumber, "社員番号", "Employee number"},
		{FieldLastName, "姓", "Last name"},
		{FieldFirstName, "名", "First name"},
		{FieldHiredOn, "入社年月日", "Hire date"},
		{FieldEmploymentType, "雇用形態", "Employment type"},
		{FieldPhone, "電話番号", "Phone"},
		{FieldBirthDate, "生年月日", "Birth date"},
		{FieldEmploymentStatus, "在籍状況", "Employment status"},
		{FieldEmail, "メールアドレス", "Email"},
	}
	got := Fields()
	if !slices.Equal(got, want) {
		t.Fatalf("Fields() = %v, want %v", got, want)
	}
	got[0].LabelJa = "changed"
	if Fields()[0].LabelJa != "社員番号" {
		t.Error("Fields() shares its slice with callers")
	}
	for _, fi := range want {
		if LabelJa(fi.Name) != fi.LabelJa || LabelEn(fi.Name) != fi.LabelEn {
			t.Errorf("labels of %s: %q %q", fi.Name, LabelJa(fi.Name), LabelEn(fi.Name))
		}
	}
	if LabelJa("nope") != "nope" {
		t.Error("unknown field label")
	}
}

func TestComparedFields(t *testing.T) {
	both := []Field{FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType, FieldPhone, FieldBirthDate}
	if got := ComparedFields(SmartHRToJobkan); !slices.Equal(got, both) {
		t.Errorf("smarthr_to_jobkan: %v", got)
	}
	if got := ComparedFields(JobkanToSmartHR); !slices.Equal(got, append(both, FieldEmploymentStatus)) {
		t.Errorf("jobkan_to_smarthr: %v", got)
	}
	if !JobkanToSmartHR.Valid() || !SmartHRToJobkan.Valid() || Direction("x").Valid() {
		t.Error("Direction.Valid")
	}
}

package sync

import "slices"

// FieldInfo describes one synced field for display.
type FieldInfo struct {
	Name    Field
	LabelJa string
	LabelEn string
}

// fieldInfos is the canonical order of the synced fields (DESIGN.md §2); the
// diff lists fields, and writes them, in this order.
var fieldInfos = [...]FieldInfo{
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

// Fields returns the synced fields in canonical order. The slice is a copy.
func Fields() []FieldInfo { return slices.Clone(fieldInfos[:]) }

// LabelJa returns the Japanese label of f, or f itself if it is unknown.
func LabelJa(f Field) string {
	for _, fi := range fieldInfos {
		if fi.Name == f {
			return fi.LabelJa
		}
	}
	return string(f)
}

// LabelEn returns the English label of f, or f itself if it is unknown.
func LabelEn(f Field) string {
	for _, fi := range fieldInfos {
		if fi.Name == f {
			return fi.LabelEn
		}
	}
	return string(f)
}

// Valid reports whether d is one of the two known directions.
func (d Direction) Valid() bool { return d == JobkanToSmartHR || d == SmartHRToJobkan }

// ComparedFields returns the fields the diff compares in direction d, in
// canonical order. The match key (employee_number) is not among them, nor is
// email, which is only generated when creating a Jobkan employee.
func ComparedFields(d Direction) []Field {
	fs := []Field{FieldLastName, FieldFirstName, FieldHiredOn, FieldEmploymentType, FieldPhone, FieldBirthDate}
	if d == JobkanToSmartHR {
		fs = append(fs, FieldEmploymentStatus)
	}
	return fs
}

package smarthr

import hrsync "hrbridge/server/sync"

// crew is the part of SmartHR's crew resource that hrbridge reads. Nulls read
// as "".
type crew struct {
	ID                string          `json:"id"`
	EmpCode           string          `json:"emp_code"`
	LastName          string          `json:"last_name"`
	FirstName         string          `json:"first_name"`
	BusinessLastName  string          `json:"business_last_name"`
	BusinessFirstName string          `json:"business_first_name"`
	EnteredAt         string          `json:"entered_at"`
	EmploymentType    *EmploymentType `json:"employment_type"`
	TelNumber         string          `json:"tel_number"`
	BirthAt           string          `json:"birth_at"`
	EmpStatus         string          `json:"emp_status"`
}

// EmploymentType is one of the tenant's 雇用形態.
type EmploymentType struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	PresetType string `json:"preset_type,omitempty"`
}

func (c *Client) employee(w crew) hrsync.Employee {
	e := hrsync.Employee{
		ID:               w.ID,
		EmployeeNumber:   w.EmpCode,
		LastName:         w.LastName,
		FirstName:        w.FirstName,
		HiredOn:          w.EnteredAt,
		Phone:            w.TelNumber,
		BirthDate:        w.BirthAt,
		EmploymentStatus: w.EmpStatus,
	}
	if c.opts.UseBusinessName {
		// The business name is optional in SmartHR; people without one go by
		// their legal name.
		if w.BusinessLastName != "" {
			e.LastName = w.BusinessLastName
		}
		if w.BusinessFirstName != "" {
			e.FirstName = w.BusinessFirstName
		}
	}
	if w.EmploymentType != nil {
		e.EmploymentType = w.EmploymentType.Name
	}
	return e
}

// keys are the crew attributes each synced field writes. Email is not synced
// to SmartHR (DESIGN.md §2).
func (c *Client) keys(f hrsync.Field) []string {
	switch f {
	case hrsync.FieldEmployeeNumber:
		return []string{"emp_code"}
	case hrsync.FieldLastName:
		if c.opts.UseBusinessName {
			return []string{"business_last_name"}
		}
		return []string{"last_name"}
	case hrsync.FieldFirstName:
		if c.opts.UseBusinessName {
			return []string{"business_first_name"}
		}
		return []string{"first_name"}
	case hrsync.FieldHiredOn:
		return []string{"entered_at"}
	case hrsync.FieldEmploymentType:
		return []string{"employment_type_id"}
	case hrsync.FieldPhone:
		return []string{"tel_number"}
	case hrsync.FieldBirthDate:
		return []string{"birth_at"}
	case hrsync.FieldEmploymentStatus:
		return []string{"emp_status"}
	}
	return nil
}

// nullable sends a blank value as JSON null, which is how SmartHR clears an
// attribute.
func nullable(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// wireFields are the crew attributes hrbridge reads or writes, by synced
// field, as SmartHR's errors name them.
var wireFields = map[string]hrsync.Field{
	"emp_code": hrsync.FieldEmployeeNumber, "last_name": hrsync.FieldLastName, "first_name": hrsync.FieldFirstName,
	"business_last_name": hrsync.FieldLastName, "business_first_name": hrsync.FieldFirstName,
	"entered_at": hrsync.FieldHiredOn, "employment_type_id": hrsync.FieldEmploymentType, "employment_type": hrsync.FieldEmploymentType,
	"tel_number": hrsync.FieldPhone, "birth_at": hrsync.FieldBirthDate, "emp_status": hrsync.FieldEmploymentStatus,
}

// FieldOfWire is the synced field a SmartHR attribute name (as an error's
// "field" names it) carries, so that people read 電話番号, not tel_number.
func FieldOfWire(name string) (hrsync.Field, bool) {
	f, ok := wireFields[name]
	return f, ok
}

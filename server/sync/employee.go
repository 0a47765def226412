// Package sync is the pure domain of hrbridge: the canonical employee, the
// synced fields, normalisation and the diff engine. It does no I/O.
package sync

import "context"

// Direction names which system is the source of an import.
type Direction string

const (
	JobkanToSmartHR Direction = "jobkan_to_smarthr"
	SmartHRToJobkan Direction = "smarthr_to_jobkan"
)

// Employment statuses, canonical (SmartHR's words). Jobkan's
// working/leave/retired map to employed/absent/retired in its connector.
const (
	StatusEmployed = "employed"
	StatusAbsent   = "absent"
	StatusRetired  = "retired"
)

// Employee is one person as either provider holds them, in canonical form
// (DESIGN.md §2). Values are as the provider returned them (not normalised):
// what is written is always the source's own value.
//
// Dates are "YYYY-MM-DD" or "" when unset. EmploymentType is the provider's
// own representation: SmartHR's employment type name, or Jobkan's work_kind
// code in decimal; the value map in Settings translates between them.
type Employee struct {
	ID               string // provider's record id (SmartHR crew id, Jobkan id); never compared
	EmployeeNumber   string
	LastName         string
	FirstName        string
	HiredOn          string
	EmploymentType   string
	Phone            string
	BirthDate        string
	EmploymentStatus string
	Email            string
}

// Field is a canonical synced field name (DESIGN.md §2); the API uses the same names.
type Field string

const (
	FieldEmployeeNumber   Field = "employee_number"
	FieldLastName         Field = "last_name"
	FieldFirstName        Field = "first_name"
	FieldHiredOn          Field = "hired_on"
	FieldEmploymentType   Field = "employment_type"
	FieldPhone            Field = "phone"
	FieldBirthDate        Field = "birth_date"
	FieldEmploymentStatus Field = "employment_status"
	FieldEmail            Field = "email"
)

// Get returns the value of f.
func (e Employee) Get(f Field) string {
	switch f {
	case FieldEmployeeNumber:
		return e.EmployeeNumber
	case FieldLastName:
		return e.LastName
	case FieldFirstName:
		return e.FirstName
	case FieldHiredOn:
		return e.HiredOn
	case FieldEmploymentType:
		return e.EmploymentType
	case FieldPhone:
		return e.Phone
	case FieldBirthDate:
		return e.BirthDate
	case FieldEmploymentStatus:
		return e.EmploymentStatus
	case FieldEmail:
		return e.Email
	}
	return ""
}

// Set stores v in f.
func (e *Employee) Set(f Field, v string) {
	switch f {
	case FieldEmployeeNumber:
		e.EmployeeNumber = v
	case FieldLastName:
		e.LastName = v
	case FieldFirstName:
		e.FirstName = v
	case FieldHiredOn:
		e.HiredOn = v
	case FieldEmploymentType:
		e.EmploymentType = v
	case FieldPhone:
		e.Phone = v
	case FieldBirthDate:
		e.BirthDate = v
	case FieldEmploymentStatus:
		e.EmploymentStatus = v
	case FieldEmail:
		e.Email = v
	}
}

// Connector is what the import and diff code need from a provider. Each
// provider package implements it over HTTP.
//
// FindByNumber returns the records whose number is exactly number (no
// normalisation: a provider cannot search by our comparison key).
//
// Reread reads the record current addresses again, the same record Update
// would write (SmartHR: by crew id; Jobkan: by its code as listed); found
// is false when it no longer exists. An import that is unsure whether an
// update landed rereads the record it previewed, rather than searching by
// number, so that an update can never turn into a create.
//
// Update sends only the named fields of want (the target's own representation);
// current is the record as last read (its ID addresses it).
type Connector interface {
	List(ctx context.Context) ([]Employee, error)
	FindByNumber(ctx context.Context, number string) ([]Employee, error)
	Reread(ctx context.Context, current Employee) (e Employee, found bool, err error)
	Create(ctx context.Context, want Employee) (Employee, error)
	Update(ctx context.Context, current Employee, want Employee, fields []Field) error
}

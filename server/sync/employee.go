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

// Personal reports a field whose value is personal data that only those who
// may import see in a diff (電話番号, 生年月日); the others identify the
// employee or describe their employment.
func (f Field) Personal() bool { return f == FieldPhone || f == FieldBirthDate }

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
// provider package implements it over HTTP, and every implementation runs the
// conformance suite in server/providers/connectortest against its simulator.
// The contract:
//
// List returns every record the provider holds, each once, in the provider's
// own representation (values as sent, not normalised). A record may have no
// number, and a number may be held by several records.
//
// FindByNumber returns the records whose number is exactly number — zero
// (an empty, possibly nil, slice and a nil error), one, or many where the
// provider does not keep numbers unique (SmartHR's emp_code). There is no
// normalisation: a provider cannot search by our comparison key, so a number
// that equals another only once normalised (full-width digits, spaces) is
// not found; callers that need the normalised match use List.
//
// Reread reads the record current addresses again, the same record Update
// would write (SmartHR: by crew id; Jobkan: by its code as listed); found
// is false, with a nil error, when it no longer exists. An import that is
// unsure whether an update landed rereads the record it previewed, rather
// than searching by number, so that an update can never turn into a create.
//
// Create adds want and returns the record as stored, with its ID.
//
// Update sends only the named fields of want (the target's own representation);
// a field not named is never sent, even if want's value differs. current is
// the record as last read (it addresses the record). No fields: nothing is sent.
//
// Errors, and whether the write may have landed:
//   - a value the connector cannot express on the wire (a field not synced to
//     that provider, an unmapped employment type) fails before anything is
//     sent: nothing landed;
//   - a 4xx answer (*httpx.Error with HTTPStatus 400..499) means the provider
//     refused the request: nothing landed. A 409 on Create means the number
//     (or another unique value, such as Jobkan's e-mail) already exists —
//     possibly because an earlier attempt of this very create landed;
//   - a 5xx answer, a timeout, or a connection reset after the request was
//     sent may have landed: the provider may have applied it and lost the
//     answer. Callers find out by Reread (update) or FindByNumber (create).
//     The connectors' HTTP layer retries such a PATCH/PUT (it sets values,
//     so a repeat changes nothing) but never such a POST.
type Connector interface {
	List(ctx context.Context) ([]Employee, error)
	FindByNumber(ctx context.Context, number string) ([]Employee, error)
	Reread(ctx context.Context, current Employee) (e Employee, found bool, err error)
	Create(ctx context.Context, want Employee) (Employee, error)
	Update(ctx context.Context, current Employee, want Employee, fields []Field) error
}

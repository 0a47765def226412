// Package sync is the pure domain of hrbridge: the canonical employee, the
// synced fields, normalisation and the diff engine. It does no I/O.
package sync

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

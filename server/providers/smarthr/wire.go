package smarthr

// Every name SmartHR puts on the wire lives in this file — paths, query
// parameters, headers, JSON field names and the error body — as Jobkan's do
// in server/providers/jobkan/wire.go. SmartHR's API is public
// (https://developer.smarthr.jp, DESIGN.md §3); the simulator keeps its own
// copy in server/sandbox/smarthr*.go.

import (
	"encoding/json"
	"net/url"
	"regexp"

	"hrbridge/server/providers/httpx"
	hrsync "hrbridge/server/sync"
)

// API paths.
const (
	pathCrews           = "/v1/crews" // + "/{id}" for one crew
	pathEmploymentTypes = "/v1/employment_types"
)

// Query parameters and paging.
const (
	paramPage    = "page"
	paramPerPage = "per_page"
	paramEmpCode = "emp_code" // exact emp_code filter of GET /v1/crews
	pageSize     = 100        // the API's maximum per_page
)

// Headers.
const (
	headerAuthorization = "Authorization" // "Bearer <access token>"
	bearerPrefix        = "Bearer "
	headerTotalCount    = "X-Total-Count"
	headerLink          = "Link" // rel="next" etc.
)

// nextLink finds the page number of the Link header's rel="next".
var nextLink = regexp.MustCompile(`<[^>]*[?&]page=(\d+)[^>]*>\s*;\s*rel="?next"?`)

// Crew attribute names, as written (and as an error's "field" names them).
const (
	keyEmpCode           = "emp_code"
	keyLastName          = "last_name"
	keyFirstName         = "first_name"
	keyBusinessLastName  = "business_last_name"
	keyBusinessFirstName = "business_first_name"
	keyEnteredAt         = "entered_at"
	keyEmploymentTypeID  = "employment_type_id"
	keyEmploymentType    = "employment_type" // read as {id, name, ...}
	keyTelNumber         = "tel_number"
	keyBirthAt           = "birth_at"
	keyEmpStatus         = "emp_status"
)

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
		return []string{keyEmpCode}
	case hrsync.FieldLastName:
		if c.opts.UseBusinessName {
			return []string{keyBusinessLastName}
		}
		return []string{keyLastName}
	case hrsync.FieldFirstName:
		if c.opts.UseBusinessName {
			return []string{keyBusinessFirstName}
		}
		return []string{keyFirstName}
	case hrsync.FieldHiredOn:
		return []string{keyEnteredAt}
	case hrsync.FieldEmploymentType:
		return []string{keyEmploymentTypeID}
	case hrsync.FieldPhone:
		return []string{keyTelNumber}
	case hrsync.FieldBirthDate:
		return []string{keyBirthAt}
	case hrsync.FieldEmploymentStatus:
		return []string{keyEmpStatus}
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
	keyEmpCode: hrsync.FieldEmployeeNumber, keyLastName: hrsync.FieldLastName, keyFirstName: hrsync.FieldFirstName,
	keyBusinessLastName: hrsync.FieldLastName, keyBusinessFirstName: hrsync.FieldFirstName,
	keyEnteredAt: hrsync.FieldHiredOn, keyEmploymentTypeID: hrsync.FieldEmploymentType, keyEmploymentType: hrsync.FieldEmploymentType,
	keyTelNumber: hrsync.FieldPhone, keyBirthAt: hrsync.FieldBirthDate, keyEmpStatus: hrsync.FieldEmploymentStatus,
}

// FieldOfWire is the synced field a SmartHR attribute name (as an error's
// "field" names it) carries, so that people read 電話番号, not tel_number.
func FieldOfWire(name string) (hrsync.Field, bool) {
	f, ok := wireFields[name]
	return f, ok
}

// errorBody is SmartHR's error:
// {"code": 1..9, "type": "...", "message": "...", "errors": [{message, resource, field}] | null}.
type errorBody struct {
	Code    json.Number        `json:"code"`
	Type    string             `json:"type"`
	Message string             `json:"message"`
	Errors  []httpx.FieldError `json:"errors"`
}

func crewPath(id string) string { return pathCrews + "/" + url.PathEscape(id) }

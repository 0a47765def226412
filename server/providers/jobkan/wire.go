package jobkan

// Every name Jobkan puts on the wire lives in this file, so that it can be
// corrected against the official reference in one edit.
//
// MODELLED, NOT VERIFIED. Jobkan's employee schema is not public. Known from
// public material (DESIGN.md §3): the OAuth2 client-credentials token
// exchange, keyset listing GET /master/v1/employees?last_id=&count= answering
// {"employees": [...]}, the fields id, last_name, first_name, work_kind, and
// 429 for rate limiting. Everything else here — code, email, tel, hire_date,
// birth_date, status and its words, GET/PUT /master/v1/employees/{code}, POST
// /master/v1/employees, the {"employee": ...} wrapper, the employees.write
// scope and the {"error": {"code", "message"}} error body — is our model.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	hrsync "hrbridge/server/sync"
)

// API paths and query parameters.
const (
	pathEmployees = "/master/v1/employees" // + "/{code}" for one employee
	paramLastID   = "last_id"
	paramCount    = "count"
	pageSize      = 100 // largest count the API accepts
)

// OAuth2 token request (form body, client credentials in Basic auth).
const (
	formGrantType = "grant_type"
	formScope     = "scope"
	grantType     = "client_credentials"
	scopes        = "employees.read employees.write"
)

// token is the token endpoint's answer.
type token struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"` // seconds
}

// employee is Jobkan's employee record as read. Nulls read as "".
type employee struct {
	ID        int64  `json:"id"`
	Code      string `json:"code"`
	LastName  string `json:"last_name"`
	FirstName string `json:"first_name"`
	HireDate  string `json:"hire_date"`
	WorkKind  *int   `json:"work_kind"`
	Tel       string `json:"tel"`
	BirthDate string `json:"birth_date"`
	Status    string `json:"status"`
	Email     string `json:"email"`
}

// list is one page of the keyset listing.
type list struct {
	Employees []employee `json:"employees"`
}

// one is a single-employee answer, wrapped as {"employee": {...}} or bare:
// the wrapper is part of the model, so both are read.
type one struct{ employee }

func (o *one) UnmarshalJSON(b []byte) error {
	var w struct {
		Employee *employee `json:"employee"`
	}
	if err := json.Unmarshal(b, &w); err == nil && w.Employee != nil {
		o.employee = *w.Employee
		return nil
	}
	return json.Unmarshal(b, &o.employee)
}

// Write-body keys of the synced fields.
var keys = map[hrsync.Field]string{
	hrsync.FieldEmployeeNumber:   "code",
	hrsync.FieldLastName:         "last_name",
	hrsync.FieldFirstName:        "first_name",
	hrsync.FieldHiredOn:          "hire_date",
	hrsync.FieldEmploymentType:   "work_kind",
	hrsync.FieldPhone:            "tel",
	hrsync.FieldBirthDate:        "birth_date",
	hrsync.FieldEmploymentStatus: "status",
	hrsync.FieldEmail:            "email",
}

// Status words: Jobkan's ⇔ hrbridge's canonical (SmartHR's) ones.
var statusFromWire = map[string]string{
	"working": hrsync.StatusEmployed,
	"leave":   hrsync.StatusAbsent,
	"retired": hrsync.StatusRetired,
}

func statusToWire(s string) (string, error) {
	for w, c := range statusFromWire {
		if c == s {
			return w, nil
		}
	}
	return "", fmt.Errorf("Jobkan: the employment status %q has no Jobkan equivalent (employed, absent, retired)", s)
}

// wireValue converts one canonical value to its JSON value; blanks clear.
func wireValue(f hrsync.Field, v string) (any, error) {
	if v == "" {
		return nil, nil
	}
	switch f {
	case hrsync.FieldEmploymentType:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("Jobkan: work_kind must be a number, got %q", v)
		}
		return n, nil
	case hrsync.FieldEmploymentStatus:
		return statusToWire(v)
	}
	return v, nil
}

func (w employee) canonical() hrsync.Employee {
	e := hrsync.Employee{
		ID:             strconv.FormatInt(w.ID, 10),
		EmployeeNumber: w.Code,
		LastName:       w.LastName,
		FirstName:      w.FirstName,
		HiredOn:        w.HireDate,
		Phone:          w.Tel,
		BirthDate:      w.BirthDate,
		Email:          w.Email,
	}
	if w.WorkKind != nil {
		e.EmploymentType = strconv.Itoa(*w.WorkKind)
	}
	e.EmploymentStatus = w.Status
	if s, ok := statusFromWire[w.Status]; ok {
		e.EmploymentStatus = s
	}
	return e
}

// ErrorDuplicateEmail is the error code of a write refused because another
// staff member has the e-mail address (Jobkan's help centre: an e-mail may
// belong to one staff member only; the code's name is modelled).
const ErrorDuplicateEmail = "duplicate_email"

// errorBody is the API's error, {"error": {"code", "message"}}, or the token
// endpoint's RFC 6749 one, {"error": "invalid_client", "error_description"}.
type errorBody struct {
	Error            json.RawMessage `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

type errorDetail struct {
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
}

// FieldOfWire is the synced field a Jobkan attribute name carries (as a
// provider error may name it), so that people read 電話番号, not tel.
func FieldOfWire(name string) (hrsync.Field, bool) {
	for f, k := range keys {
		if k == name {
			return f, true
		}
	}
	return "", false
}

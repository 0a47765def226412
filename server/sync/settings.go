package sync

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// EmploymentTypeMapping pairs a SmartHR employment type name with the Jobkan
// work_kind code it corresponds to.
type EmploymentTypeMapping struct {
	Name       string
	JobkanCode int
}

// Settings are the parts of the connection settings that the diff uses.
//
// UseBusinessName (SmartHR's business_last_name/business_first_name instead
// of the legal names) is applied by the SmartHR connector when it fills
// Employee; the diff itself does not look at it.
type Settings struct {
	EmploymentTypes []EmploymentTypeMapping
	UseBusinessName bool
	// Zone is where a timestamp sent for a date-only field is read as a
	// calendar date (HRBRIDGE_TIME_ZONE); nil is JST.
	Zone *time.Location
}

// DefaultSettings returns the default value map, the same names and codes
// the sandbox simulators use.
func DefaultSettings() Settings {
	return Settings{EmploymentTypes: []EmploymentTypeMapping{
		{"正社員", 1},
		{"契約社員", 2},
		{"パート・アルバイト", 3},
		{"役員", 4},
		{"非常勤役員", 5},
		{"派遣社員", 6},
		{"業務委託", 7},
		{"その他", 8},
	}}
}

// Validate reports every problem with the value map: blank names, codes that
// are not positive, and names (compared normalised) or codes used twice.
func (s Settings) Validate() error {
	var errs []error
	names := make(map[string]int, len(s.EmploymentTypes))
	codes := make(map[int]int, len(s.EmploymentTypes))
	for i, m := range s.EmploymentTypes {
		name := normText(m.Name)
		if name == "" {
			errs = append(errs, fmt.Errorf("employment_types[%d]: name is blank", i))
		} else if j, dup := names[name]; dup {
			errs = append(errs, fmt.Errorf("employment_types[%d]: name %q is already used by employment_types[%d]", i, m.Name, j))
		} else {
			names[name] = i
		}
		if m.JobkanCode <= 0 {
			errs = append(errs, fmt.Errorf("employment_types[%d]: jobkan_code %d must be greater than 0", i, m.JobkanCode))
		} else if j, dup := codes[m.JobkanCode]; dup {
			errs = append(errs, fmt.Errorf("employment_types[%d]: jobkan_code %d is already used by employment_types[%d]", i, m.JobkanCode, j))
		} else {
			codes[m.JobkanCode] = i
		}
	}
	return errors.Join(errs...)
}

// JobkanCode returns the Jobkan code mapped to a SmartHR employment type name,
// comparing names normalised.
func (s Settings) JobkanCode(name string) (int, bool) {
	n := normText(name)
	if n == "" {
		return 0, false
	}
	for _, m := range s.EmploymentTypes {
		if normText(m.Name) == n {
			return m.JobkanCode, true
		}
	}
	return 0, false
}

// EmploymentTypeName returns the SmartHR employment type name mapped to a
// Jobkan work_kind code given in decimal.
func (s Settings) EmploymentTypeName(code string) (string, bool) {
	c, ok := parseCode(code)
	if !ok {
		return "", false
	}
	for _, m := range s.EmploymentTypes {
		if m.JobkanCode == c {
			return m.Name, true
		}
	}
	return "", false
}

// parseCode reads a Jobkan work_kind code: a positive decimal, in any width.
func parseCode(v string) (int, bool) {
	c, err := strconv.Atoi(normText(v))
	return c, err == nil && c > 0
}

// typeMap is Settings.EmploymentTypes indexed for the diff's hot loop.
type typeMap struct {
	names  []string       // display names, as configured
	codes  []string       // Jobkan codes in decimal
	keys   []string       // comparison keys, unique per mapping
	byName map[string]int // normalised name → index
	byCode map[int]int    // Jobkan code → index
}

func newTypeMap(s Settings) typeMap {
	t := typeMap{byName: map[string]int{}, byCode: map[int]int{}}
	for _, m := range s.EmploymentTypes {
		name := normText(m.Name)
		if _, dup := t.byName[name]; dup || name == "" {
			continue // invalid settings: the first mapping wins
		}
		if _, dup := t.byCode[m.JobkanCode]; dup || m.JobkanCode <= 0 {
			continue
		}
		i := len(t.names)
		t.names = append(t.names, m.Name)
		t.codes = append(t.codes, strconv.Itoa(m.JobkanCode))
		// The key names both sides of the mapping, so that a changed map
		// changes the fingerprints of the rows it affects.
		t.keys = append(t.keys, "\x01"+name+"\x00"+strconv.Itoa(m.JobkanCode))
		t.byName[name] = i
		t.byCode[m.JobkanCode] = i
	}
	return t
}

// lookup returns the mapping index of v, a Jobkan code if jobkan is true,
// else a SmartHR name; -1 if v is blank or unmapped.
func (t *typeMap) lookup(v string, jobkan bool) int {
	if jobkan {
		c, ok := parseCode(v)
		if !ok {
			return -1
		}
		if i, ok := t.byCode[c]; ok {
			return i
		}
		return -1
	}
	if i, ok := t.byName[normText(v)]; ok {
		return i
	}
	return -1
}

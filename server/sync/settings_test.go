package sync

import (
	"strings"
	"testing"
)

func TestDefaultSettings(t *testing.T) {
	s := DefaultSettings()
	if err := s.Validate(); err != nil {
		t.Fatalf("default settings invalid: %v", err)
	}
	want := map[string]int{"正社員": 1, "契約社員": 2, "パート・アルバイト": 3, "役員": 4, "非常勤役員": 5, "派遣社員": 6, "業務委託": 7, "その他": 8}
	if len(s.EmploymentTypes) != len(want) {
		t.Fatalf("got %d mappings, want %d", len(s.EmploymentTypes), len(want))
	}
	for _, m := range s.EmploymentTypes {
		if want[m.Name] != m.JobkanCode {
			t.Errorf("%s → %d, want %d", m.Name, m.JobkanCode, want[m.Name])
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		types []EmploymentTypeMapping
		want  []string // substrings of the error; none means valid
	}{
		{"empty map", nil, nil},
		{"blank name", []EmploymentTypeMapping{{"　", 1}}, []string{"[0]: name is blank"}},
		{"zero code", []EmploymentTypeMapping{{"正社員", 0}}, []string{"[0]: jobkan_code 0 must be greater than 0"}},
		{"negative code", []EmploymentTypeMapping{{"正社員", -1}}, []string{"greater than 0"}},
		{"duplicate code", []EmploymentTypeMapping{{"正社員", 1}, {"契約社員", 1}}, []string{"[1]: jobkan_code 1 is already used by employment_types[0]"}},
		{"duplicate name", []EmploymentTypeMapping{{"正社員", 1}, {"正社員", 2}}, []string{`[1]: name "正社員" is already used`}},
		{"names equal once normalised", []EmploymentTypeMapping{{"ﾊﾟｰﾄ", 1}, {" パート ", 2}}, []string{"[1]: name"}},
		{"every problem reported", []EmploymentTypeMapping{{"", 0}, {"a", 3}, {"a", 3}}, []string{"[0]: name", "[0]: jobkan_code", "[2]: name", "[2]: jobkan_code"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Settings{EmploymentTypes: tc.types}.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestSettingsLookups(t *testing.T) {
	s := DefaultSettings()
	for name, code := range map[string]int{"正社員": 1, " 正社員　": 1, "ﾊﾟｰﾄ・ｱﾙﾊﾞｲﾄ": 3, "その他": 8} {
		if got, ok := s.JobkanCode(name); !ok || got != code {
			t.Errorf("JobkanCode(%q) = %d, %v; want %d", name, got, ok, code)
		}
	}
	for _, name := range []string{"", "嘱託", "正社員A"} {
		if _, ok := s.JobkanCode(name); ok {
			t.Errorf("JobkanCode(%q) found a code", name)
		}
	}
	for code, name := range map[string]string{"1": "正社員", "03": "パート・アルバイト", "３": "パート・アルバイト", " 8 ": "その他"} {
		if got, ok := s.EmploymentTypeName(code); !ok || got != name {
			t.Errorf("EmploymentTypeName(%q) = %q, %v; want %q", code, got, ok, name)
		}
	}
	for _, code := range []string{"", "0", "9", "-1", "x"} {
		if _, ok := s.EmploymentTypeName(code); ok {
			t.Errorf("EmploymentTypeName(%q) found a name", code)
		}
	}
}

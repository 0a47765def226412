package sync

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// Identical people on both sides, however each side writes them, are all
// unchanged, in both directions.
func TestPropertyIdenticalSidesUnchanged(t *testing.T) {
	for seed := range uint64(20) {
		jobkan, smarthr := genPairs(newRand(seed), 500, 0, 0)
		for _, tc := range []struct {
			dir            Direction
			source, target []Employee
		}{{JobkanToSmartHR, jobkan, smarthr}, {SmartHRToJobkan, smarthr, jobkan}} {
			r := Diff(tc.dir, tc.source, tc.target, DefaultSettings())
			if r.Summary.Unchanged != len(tc.source) {
				for _, it := range r.Items {
					if it.Status != StatusUnchanged {
						t.Fatalf("seed %d %s: %s is %s (%s) %+v\nsource %+v\ntarget %+v", seed, tc.dir, it.EmployeeNumber,
							it.Status, it.ReasonDetail, it.Fields, it.Source, *it.Target)
					}
				}
			}
		}
	}
}

// Writing Want's Write fields into the target and diffing again leaves
// nothing to do: every item is unchanged except the conflicts, which stay as
// they were.
func TestPropertyApplyThenUnchanged(t *testing.T) {
	for seed := range uint64(20) {
		jobkan, smarthr := genPairs(newRand(seed), 500, 0.3, 0.1)
		// Some trouble: conflicts must not be written.
		jobkan = append(jobkan, jobkanEmp("X1", set(FieldEmploymentType, "99")), jobkanEmp(""), jobkanEmp("X2"), jobkanEmp("X2"))
		smarthr = append(smarthr, smarthrEmp("X3", set(FieldLastName, "")), smarthrEmp("X1"))
		for _, tc := range []struct {
			dir            Direction
			source, target []Employee
		}{{JobkanToSmartHR, jobkan, smarthr}, {SmartHRToJobkan, smarthr, jobkan}} {
			checkApply(t, tc.dir, tc.source, tc.target, DefaultSettings())
		}
	}
}

func checkApply(t *testing.T, dir Direction, source, target []Employee, s Settings) {
	t.Helper()
	before := Diff(dir, source, target, s)
	after := Diff(dir, source, apply(before, target), s)
	for i, it := range after.Items {
		prev := before.Items[i]
		if prev.Status == StatusConflict {
			if it.Status != StatusConflict || it.Fingerprint != prev.Fingerprint {
				t.Fatalf("%s: conflict %s became %s", dir, prev.EmployeeNumber, it.Status)
			}
			continue
		}
		if it.Status != StatusUnchanged {
			t.Fatalf("%s: %s still %s after applying %v of %+v: %+v\nsource %+v", dir, it.EmployeeNumber, it.Status,
				prev.Write, prev.Want, it.Fields, it.Source)
		}
	}
}

// apply writes the diff into a copy of target, as a connector would.
func apply(r Result, target []Employee) []Employee {
	out := slices.Clone(target)
	for i, it := range r.Items {
		switch it.Status {
		case StatusNew:
			e := Employee{ID: "created-" + strconv.Itoa(i)}
			for _, f := range it.Write {
				e.Set(f, it.Want.Get(f))
			}
			out = append(out, e)
		case StatusChanged:
			j := slices.IndexFunc(out, func(e Employee) bool { return e.ID == it.Target.ID })
			for _, f := range it.Write {
				out[j].Set(f, it.Want.Get(f))
			}
		}
	}
	return out
}

func FuzzDiffApply(f *testing.F) {
	f.Add(true, "E001", "山田", "太郎", "2020/4/1", "1", "03-1234-5678", "1990年1月2日", "employed",
		true, "Ｅ００１", "山本", "太郎", "2020-04-01", "正社員", "０３ー１２３４ー５６７８", "", "absent")
	f.Add(false, "E001", "山田", "太郎", "2020-04-01", "契約社員", "(03)1234 5678", "1990-01-02", "retired",
		true, "E001", "山田", "", "20200401", "7", "", "1990-01-02", "employed")
	f.Add(true, "e 1", "", "x", "2020-13-01", "9", "", "", "absent", false, "", "", "", "", "", "", "", "")
	f.Add(false, "山田", "A", "B", "", "ﾊﾟｰﾄ・ｱﾙﾊﾞｲﾄ", "", "", "", false, "", "", "", "", "", "", "", "")
	f.Add(true, "1", "a", "b", "2020-02-29T10:00:00+09:00", "03", "-", "x", "working", true, "01", "a", "b", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, j2s bool, sNum, sLast, sFirst, sHired, sType, sPhone, sBirth, sStatus string,
		hasTarget bool, tNum, tLast, tFirst, tHired, tType, tPhone, tBirth, tStatus string) {
		dir := SmartHRToJobkan
		if j2s {
			dir = JobkanToSmartHR
		}
		src := Employee{ID: "s", EmployeeNumber: sNum, LastName: sLast, FirstName: sFirst, HiredOn: sHired,
			EmploymentType: sType, Phone: sPhone, BirthDate: sBirth, EmploymentStatus: sStatus}
		var target []Employee
		if hasTarget {
			target = emps(Employee{ID: "t", EmployeeNumber: tNum, LastName: tLast, FirstName: tFirst, HiredOn: tHired,
				EmploymentType: tType, Phone: tPhone, BirthDate: tBirth, EmploymentStatus: tStatus})
		}
		s := DefaultSettings()
		r := Diff(dir, emps(src), target, s)
		if r.Summary.Total != 1 || len(r.Items) != 1 {
			t.Fatalf("summary %+v", r.Summary)
		}
		it := r.Items[0]
		if one := DiffOne(dir, emps(src), target, s); !itemsEqual(one, it) {
			t.Fatalf("DiffOne %+v\nDiff %+v", one, it)
		}
		if it.Status == StatusConflict && it.ReasonCode == "" || it.Status != StatusConflict && it.ReasonCode != "" {
			t.Fatalf("status %s with reason %q", it.Status, it.ReasonCode)
		}
		checkApply(t, dir, emps(src), target, s)
	})
}

package diffs

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"hrbridge/server/sync"
)

// rows are both systems' employees, in each one's own representation.
type rows struct{ smarthr, jobkan []sync.Employee }

// sides are the source and target rows of dir.
func (r rows) sides(dir sync.Direction) (src, tgt []sync.Employee) {
	if dir == sync.SmartHRToJobkan {
		return r.smarthr, r.jobkan
	}
	return r.jobkan, r.smarthr
}

// written applies ws as a provider would: the record replaces the row of
// the same ID in the import's target, or is added.
func (r rows) written(ws []Write) rows {
	out := rows{slices.Clone(r.smarthr), slices.Clone(r.jobkan)}
	for _, w := range ws {
		side := &out.smarthr
		if w.Direction == sync.SmartHRToJobkan {
			side = &out.jobkan
		}
		i := slices.IndexFunc(*side, func(e sync.Employee) bool { return e.ID == w.Record.ID })
		if i < 0 {
			*side = append(*side, w.Record)
		} else {
			(*side)[i] = w.Record
		}
	}
	return out
}

var listed = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

func snap(dir sync.Direction, r rows) *Snapshot {
	src, tgt := r.sides(dir)
	return newSnapshot(dir, slices.Clone(src), slices.Clone(tgt), sync.DefaultSettings(), listed, listed.Add(time.Second))
}

// sameAsDiff fails unless got holds exactly the items and summary of a whole
// new diff of r, and its items' targets point into its own target rows.
func sameAsDiff(t *testing.T, got *Snapshot, r rows) {
	t.Helper()
	src, tgt := r.sides(got.Direction)
	want := sync.Diff(got.Direction, src, tgt, sync.DefaultSettings())
	if got.Result.Summary != want.Summary {
		t.Errorf("%s: summary %+v, a new diff gives %+v", got.Direction, got.Result.Summary, want.Summary)
	}
	if len(got.Result.Items) != len(want.Items) {
		t.Fatalf("%s: %d items, a new diff gives %d", got.Direction, len(got.Result.Items), len(want.Items))
	}
	for i := range want.Items {
		g, w := got.Result.Items[i], want.Items[i]
		if (g.Target == nil) != (w.Target == nil) || g.Target != nil && *g.Target != *w.Target {
			t.Errorf("%s: item %d (%s) target %v, want %v", got.Direction, i, g.EmployeeNumber, g.Target, w.Target)
		}
		if g.Target != nil {
			found := false
			for j := range got.targets {
				found = found || &got.targets[j] == g.Target
			}
			if !found {
				t.Errorf("%s: item %d (%s) points outside the snapshot's target rows", got.Direction, i, g.EmployeeNumber)
			}
		}
		g.Target, w.Target = nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s: item %d\n got  %+v\n want %+v", got.Direction, i, g, w)
		}
	}
}

func emp(id, number, last, first, typ, phone string) sync.Employee {
	return sync.Employee{ID: id, EmployeeNumber: number, LastName: last, FirstName: first, HiredOn: "2020-04-01",
		EmploymentType: typ, Phone: phone, BirthDate: "1990-01-02", EmploymentStatus: sync.StatusEmployed}
}

// The cases the preview meets after an import, in both directions of the
// snapshots: an update, a creation (a new target row here, a new source
// item in the other direction), a number held twice, and order and counts
// kept.
func TestApplyWrites(t *testing.T) {
	base := rows{
		smarthr: []sync.Employee{
			emp("s1", "E1", "山田", "太郎", "正社員", "03-1111-1111"),
			emp("s2", "E2", "佐藤", "花子", "契約社員", "03-2222-2222"), // changed against j2
			emp("s10", "E10", "鈴木", "一郎", "正社員", ""),            // new in Jobkan
			emp("s5a", "E5", "田中", "次郎", "正社員", ""),             // E5 twice in SmartHR
			emp("s5b", "E5", "田中", "三郎", "正社員", ""),
		},
		jobkan: []sync.Employee{
			emp("j1", "E1", "山田", "太郎", "1", "03-1111-1111"),
			emp("j2", "E2", "佐藤", "花子", "2", "03-9999-9999"),
			emp("j3", "E3", "高橋", "美咲", "3", ""), // new in SmartHR
			emp("j5", "E5", "田中", "次郎", "1", ""),
		},
	}
	// An import into Jobkan updates E2 and creates E10; one into SmartHR
	// creates E3 and renames one of the E5s.
	j2 := base.jobkan[1]
	j2.Phone = "03-2222-2222"
	j10 := emp("j10", "E10", "鈴木", "一郎", "1", "")
	j10.Email = "E10@example.jp"
	s3 := emp("s3", "E3", "高橋", "美咲", "パート・アルバイト", "")
	s5b := base.smarthr[4]
	s5b.FirstName = "三郎さん"
	ws := []Write{
		{Key: "a/1", Direction: sync.SmartHRToJobkan, Record: j2},
		{Key: "a/2", Direction: sync.SmartHRToJobkan, Record: j10},
		{Key: "b/1", Direction: sync.JobkanToSmartHR, Record: s3},
		{Key: "b/2", Direction: sync.JobkanToSmartHR, Record: s5b},
	}
	after := base.written(ws)
	for _, dir := range []sync.Direction{sync.SmartHRToJobkan, sync.JobkanToSmartHR} {
		t.Run(string(dir), func(t *testing.T) {
			before := snap(dir, base)
			got := before.apply(ws)
			sameAsDiff(t, got, after)
			sameAsDiff(t, before, base) // the old one is unchanged
			if got.identity() == before.identity() || !got.GeneratedAt.Equal(before.GeneratedAt) {
				t.Errorf("identity %d (was %d), generated at %s (was %s)", got.identity(), before.identity(), got.GeneratedAt, before.GeneratedAt)
			}
			status := map[string]sync.Status{}
			for _, it := range got.Result.Items {
				status[it.EmployeeNumber] = it.Status
			}
			want := map[string]sync.Status{"E1": sync.StatusUnchanged, "E2": sync.StatusUnchanged, "E3": sync.StatusUnchanged,
				"E5": sync.StatusConflict, "E10": sync.StatusUnchanged}
			if !reflect.DeepEqual(status, want) {
				t.Errorf("statuses %v, want %v", status, want)
			}
			if apply := got.apply(nil); apply != got {
				t.Error("applying nothing made a new snapshot")
			}
		})
	}
}

// Random rows and writes: the patched snapshot is always the whole new diff.
func TestApplyWritesMatchesWholeDiff(t *testing.T) {
	types := map[bool][]string{false: {"正社員", "契約社員", "役員", "謎"}, true: {"1", "2", "4", "99"}}
	numbers := []string{"E1", "E2", "e2", "Ｅ３", "E4", "E5", "E10", "E11", "007", "7", " E12", ""}
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 1))
		row := func(jobkan bool, id int) sync.Employee {
			prefix := "s"
			if jobkan {
				prefix = "j"
			}
			e := emp(fmt.Sprintf("%s%d", prefix, id), numbers[rng.IntN(len(numbers))], "山田", []string{"太郎", "花子"}[rng.IntN(2)],
				types[jobkan][rng.IntN(4)], []string{"", "03-1111-1111", "0311111111"}[rng.IntN(3)])
			if rng.IntN(5) == 0 {
				e.EmploymentStatus = sync.StatusRetired
			}
			return e
		}
		var r rows
		for i := range rng.IntN(12) {
			r.smarthr = append(r.smarthr, row(false, i))
		}
		for i := range rng.IntN(12) {
			r.jobkan = append(r.jobkan, row(true, i))
		}
		var ws []Write
		for k := range rng.IntN(8) {
			d := []sync.Direction{sync.SmartHRToJobkan, sync.JobkanToSmartHR}[rng.IntN(2)]
			jobkan := d == sync.SmartHRToJobkan
			side := r.smarthr
			if jobkan {
				side = r.jobkan
			}
			var rec sync.Employee
			if len(side) > 0 && rng.IntN(2) == 0 { // an update: same ID, mostly the same number
				rec = row(jobkan, 0)
				old := side[rng.IntN(len(side))]
				rec.ID = old.ID
				if rng.IntN(4) > 0 {
					rec.EmployeeNumber = old.EmployeeNumber
				}
			} else { // a creation
				rec = row(jobkan, 100+k)
			}
			ws = append(ws, Write{Key: fmt.Sprint(k), Direction: d, Record: rec})
		}
		after := r.written(ws)
		for _, dir := range []sync.Direction{sync.SmartHRToJobkan, sync.JobkanToSmartHR} {
			// Applied at once, and one by one.
			sameAsDiff(t, snap(dir, r).apply(ws), after)
			sn := snap(dir, r)
			for i := range ws {
				sn = sn.apply(ws[i : i+1])
			}
			sameAsDiff(t, sn, after)
		}
		if t.Failed() {
			t.Fatalf("seed %d: rows %+v writes %+v", seed, r, ws)
		}
	}
}

// Pages of a patched snapshot use its own identity; a cursor of the older
// one resumes after the same employee.
func TestApplyWritesCursor(t *testing.T) {
	base := rows{smarthr: []sync.Employee{emp("s1", "E1", "山田", "太郎", "正社員", ""), emp("s2", "E2", "佐藤", "花子", "正社員", ""),
		emp("s3", "E3", "鈴木", "一郎", "正社員", "")}}
	before := snap(sync.SmartHRToJobkan, base)
	first, next, err := before.Page(Query{Limit: 1})
	if err != nil || len(first) != 1 || next == "" {
		t.Fatal(first, next, err)
	}
	// E0 is created in SmartHR (by an import the other way): a new item
	// before the cursor's index.
	got := before.apply([]Write{{Key: "x", Direction: sync.JobkanToSmartHR, Record: emp("s0", "E0", "高橋", "美咲", "正社員", "")}})
	rest, _, err := got.Page(Query{Limit: 10, Cursor: next})
	if err != nil {
		t.Fatal(err)
	}
	var nums []string
	for _, it := range rest {
		nums = append(nums, it.EmployeeNumber)
	}
	if !slices.Equal(nums, []string{"E2", "E3"}) {
		t.Errorf("resumed with %v", nums)
	}
}

// Applying 10 writes (5 updates, 5 creations, one import's worth of a
// second) to a snapshot of 100,000 employees per side.
func BenchmarkApplyWrites100k(b *testing.B) {
	const n = 100_000
	var r rows
	for i := range n {
		num := fmt.Sprintf("E%d", i)
		r.smarthr = append(r.smarthr, emp(fmt.Sprintf("s%d", i), num, "山田", "太郎", "正社員", ""))
		if i%10 != 0 {
			r.jobkan = append(r.jobkan, emp(fmt.Sprintf("j%d", i), num, "山田", "太郎", "1", "03-0000-0000"))
		}
	}
	var ws []Write
	for k := range 5 {
		upd := r.jobkan[k*1000+1]
		upd.Phone = ""
		ws = append(ws, Write{Key: fmt.Sprint(k), Direction: sync.SmartHRToJobkan, Record: upd},
			Write{Key: fmt.Sprint(k + 5), Direction: sync.SmartHRToJobkan,
				Record: emp(fmt.Sprintf("jn%d", k), fmt.Sprintf("E%d", k*10000), "山田", "太郎", "1", "")})
	}
	for _, dir := range []sync.Direction{sync.SmartHRToJobkan, sync.JobkanToSmartHR} {
		b.Run(string(dir), func(b *testing.B) {
			sn := snap(dir, r)
			b.ReportAllocs()
			for b.Loop() {
				sn.apply(ws)
			}
		})
	}
}

package sync

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// BenchmarkDiff100k diffs 100,000 realistic pairs in each direction: Japanese
// names, phones and dates in mixed widths and formats, 5% real changes, 1%
// new on each side, 0.1% duplicates. It also reports the heap the Result keeps alive (retained-MB).
func BenchmarkDiff100k(b *testing.B) {
	const n = 100_000
	jobkan, smarthr := genPairs(rand.New(rand.NewPCG(1, 2)), n, 0.05, 0.01)
	s := DefaultSettings()
	for _, tc := range []struct {
		dir            Direction
		source, target []Employee
	}{
		{JobkanToSmartHR, jobkan, smarthr},
		{SmartHRToJobkan, smarthr, jobkan},
	} {
		b.Run(string(tc.dir), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := Diff(tc.dir, tc.source, tc.target, s)
				if r.Summary.Total != len(tc.source) || r.Summary.Changed == 0 || r.Summary.New == 0 || r.Summary.Conflict == 0 {
					b.Fatalf("unexpected summary %+v", r.Summary)
				}
			}
			b.ReportMetric(retainedMB(func() any { return Diff(tc.dir, tc.source, tc.target, s) }), "retained-MB")
		})
	}
}

// retainedMB returns how much heap the value made by f keeps alive.
func retainedMB(f func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := f()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / 1e6
}

// Command benchtable reads `go test -bench` output on stdin and prints one
// Markdown table: a row per benchmark, its time per op and every metric it
// reported (custom metrics such as ratio_to_bound or diffs_p99_ms included).
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	type row struct {
		name    string
		metrics [][2]string
	}
	var rows []row
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	pkg := ""
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimPrefix(p, "hrbridge/")
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		r := row{name: pkg + " " + strings.TrimPrefix(f[0], "Benchmark")}
		for i := 2; i+1 < len(f); i += 2 { // f[1] is the iteration count
			r.metrics = append(r.metrics, [2]string{f[i+1], f[i]})
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark lines on stdin")
		os.Exit(1)
	}
	fmt.Println("| benchmark | figures |")
	fmt.Println("|---|---|")
	for _, r := range rows {
		parts := make([]string, 0, len(r.metrics))
		for _, m := range r.metrics {
			parts = append(parts, m[1]+" "+m[0])
		}
		fmt.Printf("| %s | %s |\n", r.name, strings.Join(parts, ", "))
	}
}

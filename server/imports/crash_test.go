package imports_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"hrbridge/server/app/apptest"
	"hrbridge/server/sandbox"
	"hrbridge/server/store"
	"hrbridge/server/store/storetest"
)

// The server is killed (SIGKILL) in the middle of an import and started
// again: the import resumes and finishes, every selected employee is
// written exactly once (as the simulator counts), and the target ends as
// expected. The simulators run in their own process (hrbridge sandbox), as
// the providers would. Again with 20% 429s and 5% 5xx injected.
func TestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs processes")
	}
	bin := filepath.Join(t.TempDir(), "hrbridge")
	build := exec.Command("go", "build", "-o", bin, "hrbridge/server")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cases := []struct {
		name   string
		faults map[string]any
		sig    syscall.Signal
	}{
		{"clean", map[string]any{"latency_ms": 20}, syscall.SIGKILL},
		{"faults", map[string]any{"latency_ms": 20, "rate429": 0.2, "error_rate": 0.05}, syscall.SIGKILL},
	}
	for _, d := range storetest.Dialects {
		for _, c := range cases {
			t.Run(string(d)+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				crashAndResume(t, bin, d, c.faults, c.sig)
			})
		}
	}
	// A graceful stop (SIGTERM) hands the import over at once: the next
	// start resumes it without waiting for River's rescue.
	t.Run("sqlite/sigterm", func(t *testing.T) {
		t.Parallel()
		crashAndResume(t, bin, store.SQLite, cases[0].faults, syscall.SIGTERM)
	})
}

func crashAndResume(t *testing.T, bin string, d store.Dialect, faults map[string]any, sig syscall.Signal) {
	dir := t.TempDir()
	sbURL := "http://" + freeAddr(t)
	startProcess(t, bin, dir, "sandbox", []string{"HRBRIDGE_ADDR=" + strings.TrimPrefix(sbURL, "http://"), "HRBRIDGE_SANDBOX_SIZE=400"})
	waitHTTP(t, sbURL+sandbox.SmartHRBase+"/_sandbox/faults")
	for _, p := range []string{sandbox.SmartHRBase, sandbox.JobkanBase} {
		control(t, "PUT", sbURL+p+"/_sandbox/faults", faults)
	}

	dbURL := storetest.URL(t, d)
	addr := freeAddr(t)
	vars := []string{
		"HRBRIDGE_ADDR=" + addr,
		"HRBRIDGE_DATABASE_URL=" + dbURL,
		"HRBRIDGE_SANDBOX=" + sbURL,
		"HRBRIDGE_JOB_RESCUE_AFTER=4s",
		"HRBRIDGE_ADMIN_EMAIL=" + apptest.AdminEmail,
		"HRBRIDGE_ADMIN_PASSWORD=" + apptest.Password,
		"HRBRIDGE_SECRET_KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	}
	server := startProcess(t, bin, dir, "serve", vars)
	base := "http://" + addr
	waitHTTP(t, base+"/readyz")
	e := &env{Env: &apptest.Env{URL: base}}
	e.admin = e.Env.Login(t, apptest.AdminEmail, apptest.Password)

	// Jobkan → SmartHR: SmartHR's own limit (10/s, which hrbridge keeps to)
	// makes the import take several seconds.
	items := pick(e.diff(t, toSmartHR), -1, "new", "changed")
	if len(items) < 50 {
		t.Fatalf("only %d employees to import", len(items))
	}
	imp := e.startImport(t, toSmartHR, key("crash"), items)
	deadline := time.Now().Add(time.Minute)
	for e.get(t, imp.ID).Done < len(items)/4 {
		if time.Now().After(deadline) {
			t.Fatalf("no progress: %+v", e.get(t, imp.ID))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := server.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	_ = server.Wait()
	before := e.getDB(t, d, dbURL, imp.ID)
	t.Logf("stopped (%s) with %d of %d done", sig, before, len(items))
	if before >= len(items) {
		t.Fatalf("the import ended before the kill; make it slower")
	}

	startProcess(t, bin, dir, "serve", vars)
	waitHTTP(t, base+"/readyz")
	restarted := time.Now()
	got := e.wait(t, imp.ID, 90*time.Second)
	t.Logf("ended %s after the restart", time.Since(restarted).Round(100*time.Millisecond))
	if sig == syscall.SIGTERM && time.Since(restarted) > 15*time.Second {
		t.Errorf("after a graceful stop the import took %s to end", time.Since(restarted))
	}
	if got.Status != "succeeded" || got.Done != len(items) || got.Counts.Created+got.Counts.Updated != len(items) {
		t.Fatalf("after the restart the import ended %+v", got)
	}

	var writes sandbox.Writes
	control(t, "GET", sbURL+sandbox.SmartHRBase+"/_sandbox/writes", nil, &writes)
	if w := writes.Total.Creates + writes.Total.Updates; w != len(items) {
		t.Errorf("%d writes for %d employees", w, len(items))
	}
	for _, it := range items {
		w := writes.Employees[it.EmployeeNumber]
		want := sandbox.WriteCount{Updates: 1}
		if it.Status == "new" {
			want = sandbox.WriteCount{Creates: 1}
		}
		if w != want {
			t.Errorf("%s (%s) written %+v", it.EmployeeNumber, it.Status, w)
		}
	}
	after := byNumber(e.diff(t, toSmartHR))
	for _, it := range items {
		if s := after[it.EmployeeNumber].Status; s != "unchanged" {
			t.Errorf("%s is %s after the import", it.EmployeeNumber, s)
		}
	}
}

// getDB reads an import's progress from the database (the server is down).
func (e *env) getDB(t *testing.T, d store.Dialect, url, id string) int {
	t.Helper()
	st, err := store.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var imp store.Import
	if err := st.DB.Take(&imp, "id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	return imp.Done
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startProcess runs `hrbridge <cmd>` with env until t ends; its output goes
// to a log file shown when the test fails.
func startProcess(t *testing.T, bin, dir, cmd string, env []string) *exec.Cmd {
	t.Helper()
	logPath := filepath.Join(dir, fmt.Sprintf("%s-%d.log", cmd, time.Now().UnixNano()))
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	c := exec.Command(bin, cmd)
	c.Dir = dir
	c.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	c.Stdout, c.Stderr = logFile, logFile
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c.ProcessState == nil {
			_ = c.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = c.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				_ = c.Process.Kill()
				<-done
			}
		}
		logFile.Close()
		if t.Failed() || os.Getenv("HRBRIDGE_TEST_LOGS") != "" {
			out, _ := os.ReadFile(logPath)
			lines := strings.Split(string(out), "\n")
			var keep []string
			for _, l := range lines {
				if !strings.Contains(l, `"msg":"http request"`) {
					keep = append(keep, l)
				}
			}
			t.Logf("%s log (without requests):\n%s", cmd, strings.Join(keep[max(0, len(keep)-60):], "\n"))
		}
	})
	return c
}

func waitHTTP(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// control calls a simulator's control surface.
func control(t *testing.T, method, url string, in any, out ...any) {
	t.Helper()
	var body bytes.Buffer
	if in != nil {
		_ = json.NewEncoder(&body).Encode(in)
	}
	req, _ := http.NewRequest(method, url, &body)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s: %d", method, url, resp.StatusCode)
	}
	if len(out) > 0 {
		if err := json.NewDecoder(resp.Body).Decode(out[0]); err != nil {
			t.Fatal(err)
		}
	}
}

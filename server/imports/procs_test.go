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
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"hrbridge/server/app/apptest"
	"hrbridge/server/sandbox"
)

// Helpers of the tests that run hrbridge as processes (crash_test.go,
// multi_instance_test.go): the binary, `hrbridge sandbox` and `hrbridge
// serve`, and the simulators' control surface over HTTP.

var binary struct {
	once gosync.Once
	dir  string
	path string
	err  error
}

// hrbridgeBinary builds the binary once for the whole package run
// (removed by TestMain).
func hrbridgeBinary(t *testing.T) string {
	t.Helper()
	binary.once.Do(func() {
		if binary.dir, binary.err = os.MkdirTemp("", "hrbridge-test-bin-"); binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "hrbridge")
		build := exec.Command("go", "build", "-o", binary.path, "hrbridge/server")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// removeBinary deletes what hrbridgeBinary built.
func removeBinary() {
	if binary.dir != "" {
		_ = os.RemoveAll(binary.dir)
	}
}

// testSecretKey is the HRBRIDGE_SECRET_KEY of every process (instances on
// one database must share it).
const testSecretKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// startSandbox runs `hrbridge sandbox` with a scenario of size employees,
// sets faults on both simulators, and returns its URL.
func startSandbox(t *testing.T, bin, dir string, size int, faults map[string]any) string {
	t.Helper()
	sbURL := "http://" + freeAddr(t)
	startProcess(t, bin, dir, "sandbox", []string{"HRBRIDGE_ADDR=" + strings.TrimPrefix(sbURL, "http://"), fmt.Sprintf("HRBRIDGE_SANDBOX_SIZE=%d", size)})
	waitHTTP(t, sbURL+sandbox.SmartHRBase+"/_sandbox/faults")
	for _, p := range []string{sandbox.SmartHRBase, sandbox.JobkanBase} {
		control(t, "PUT", sbURL+p+"/_sandbox/faults", faults)
	}
	return sbURL
}

// serveVars is the environment of `hrbridge serve` at addr on dbURL, using
// the simulators at sbURL, with the test administrator.
func serveVars(addr, dbURL, sbURL string, rescueAfter time.Duration) []string {
	return []string{
		"HRBRIDGE_ADDR=" + addr,
		"HRBRIDGE_DATABASE_URL=" + dbURL,
		"HRBRIDGE_SANDBOX=" + sbURL,
		"HRBRIDGE_JOB_RESCUE_AFTER=" + rescueAfter.String(),
		"HRBRIDGE_ADMIN_EMAIL=" + apptest.AdminEmail,
		"HRBRIDGE_ADMIN_PASSWORD=" + apptest.Password,
		"HRBRIDGE_SECRET_KEY=" + testSecretKey,
	}
}

// remote is an env for a server in another process, the administrator
// signed in (no in-process App, simulators or provider clients).
func remote(t *testing.T, base string) *env {
	t.Helper()
	e := &env{Env: &apptest.Env{URL: base}}
	e.admin = e.Env.Login(t, apptest.AdminEmail, apptest.Password)
	return e
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

// proc is a process started by startProcess.
type proc struct {
	*exec.Cmd
	Log string // the file holding its output
}

// startProcess runs `hrbridge <cmd>` with env until t ends; its output goes
// to a log file shown when the test fails.
func startProcess(t *testing.T, bin, dir, cmd string, env []string) *proc {
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
			_ = c.Process.Signal(syscall.SIGCONT) // in case a test stopped it
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
	return &proc{Cmd: c, Log: logPath}
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
	req.Header.Set(sandbox.ControlHeader, "1")
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

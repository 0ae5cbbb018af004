//go:build unix

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// buildHaven builds the haven binary into a temporary directory.
func buildHaven(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the signal test needs the go command: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "haven")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goTool, append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// withoutHavenEnv is the test's environment without HAVEN_* settings, so
// only the flags configure the child.
func withoutHavenEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HAVEN_") {
			env = append(env, kv)
		}
	}
	return env
}

// loadStats counts what the load generator saw.
type loadStats struct {
	mu                sync.Mutex
	okBefore, okAfter int      // 200s before and after SIGTERM
	refused, reset    int      // errors on new connections once shutdown began
	failures          []string // anything else: non-200s, errors before SIGTERM
}

func (s *loadStats) fail(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failures) < 20 {
		s.failures = append(s.failures, fmt.Sprintf(format, args...))
	}
}

func (s *loadStats) ok() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.okBefore + s.okAfter
}

// TestGracefulShutdown sends SIGTERM to a real haven process under load. No
// request it accepted may fail, a request it had half-read must still be
// answered, and it must exit 0 within 10 s.
func TestGracefulShutdown(t *testing.T) {
	bin := buildHaven(t)
	dbPath := filepath.Join(t.TempDir(), "haven.db")

	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", "sqlite:"+dbPath, "--demo")
	cmd.Env = withoutHavenEnv()
	stdout, stderr := newSyncBuffer(), newSyncBuffer()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error // read only once exited is closed
	go func() { waitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	})

	m := stdout.waitFor(runningRE, exited, startWithin)
	if m == nil {
		t.Fatalf("haven did not start\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	base := m[1]
	u, err := url.Parse(base)
	if err != nil || !strings.HasPrefix(u.Host, "127.0.0.1:") {
		t.Fatalf("haven is running at %q, want a loopback address", base)
	}

	// Each request on a new connection, so that once the listener closes a
	// request can only fail to connect, never fail on a reused connection.
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{DisableKeepAlives: true},
	}
	var (
		stats     loadStats
		signalled atomic.Bool
		stopLoad  = make(chan struct{})
		workers   sync.WaitGroup
	)
	const nWorkers, maxPerWorker = 8, 3000
	for w := range nWorkers {
		workers.Go(func() {
			for i := 0; i < maxPerWorker; i++ {
				select {
				case <-stopLoad:
					return
				default:
				}
				var req *http.Request
				if (w+i)%2 == 0 {
					req, _ = http.NewRequest(http.MethodGet, base+"/", nil)
				} else {
					req, _ = http.NewRequest(http.MethodPost, base+"/find-a-practice", strings.NewReader("area=leeds"))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				res, err := client.Do(req)
				if err != nil {
					switch {
					case !signalled.Load():
						stats.fail("%s %s before SIGTERM: %v", req.Method, req.URL.Path, err)
					case errors.Is(err, syscall.ECONNREFUSED):
						stats.mu.Lock()
						stats.refused++
						stats.mu.Unlock()
					case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
						// A new connection whose request the server had not read
						// when shutdown began (still in the accept queue, or
						// accepted but unread): net/http closes those unanswered.
						stats.mu.Lock()
						stats.reset++
						stats.mu.Unlock()
					default:
						stats.fail("%s %s after SIGTERM: %v", req.Method, req.URL.Path, err)
					}
					time.Sleep(5 * time.Millisecond) // don't spin on refused connections
					continue
				}
				_, readErr := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				switch {
				case res.StatusCode != http.StatusOK:
					stats.fail("%s %s = %d", req.Method, req.URL.Path, res.StatusCode)
				case readErr != nil:
					stats.fail("%s %s: reading the body: %v", req.Method, req.URL.Path, readErr)
				default:
					stats.mu.Lock()
					if signalled.Load() {
						stats.okAfter++
					} else {
						stats.okBefore++
					}
					stats.mu.Unlock()
				}
			}
		})
	}
	stopWorkers := sync.OnceFunc(func() { close(stopLoad); workers.Wait() })
	defer stopWorkers()

	// Let the load build up before the signal.
	for deadline := time.Now().Add(10 * time.Second); stats.ok() < 200 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := stats.ok(); n < 20 {
		t.Fatalf("only %d requests succeeded before SIGTERM\nstderr:\n%s", n, stderr)
	}

	// A request in its handler when the signal comes: its headers are in
	// and the handler is waiting for the rest of the body. (net/http drops
	// requests whose headers arrive after shutdown begins, so a half-sent
	// header would prove nothing.)
	inflight, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer inflight.Close()
	const head = "POST /find-a-practice HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\narea="
	if _, err := fmt.Fprintf(inflight, head, u.Host); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // long enough for the handler to start reading the body

	signalled.Store(true)
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// Finish the request only once the listener has closed, so that it is
	// certainly in flight during the shutdown.
	for deadline := time.Now().Add(5 * time.Second); ; {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("haven still accepts connections 5 s after SIGTERM")
		}
		time.Sleep(5 * time.Millisecond)
	}
	inflight.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(inflight, "leeds"); err != nil {
		t.Errorf("finishing the in-flight request: %v", err)
	} else if res, err := http.ReadResponse(bufio.NewReader(inflight), nil); err != nil {
		t.Errorf("in-flight request got no response: %v", err)
	} else {
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || len(practiceNames(string(body))) == 0 {
			t.Errorf("in-flight request = %d, want 200 with the Leeds demo Practice\n%s", res.StatusCode, body)
		}
	}

	select {
	case <-exited:
	case <-time.After(10*time.Second - time.Since(sent)):
		t.Fatalf("haven did not exit within 10 s of SIGTERM\nstderr:\n%s", stderr)
	}
	exitedIn := time.Since(sent)
	if waitErr != nil {
		t.Errorf("haven exited with %v, want exit code 0\nstderr:\n%s", waitErr, stderr)
	}
	stopWorkers()

	stats.mu.Lock()
	defer stats.mu.Unlock()
	t.Logf("exited %v after SIGTERM; %d responses before it and %d after, all 200; then %d connections refused, %d reset",
		exitedIn.Round(time.Millisecond), stats.okBefore, stats.okAfter, stats.refused, stats.reset)
	for _, f := range stats.failures {
		t.Errorf("failed request: %s", f)
	}
	if !strings.Contains(stderr.String(), `"msg":"stopped"`) {
		t.Errorf("haven did not log that it stopped cleanly\nstderr:\n%s", stderr)
	}
}

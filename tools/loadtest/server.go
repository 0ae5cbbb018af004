package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver for direct checks
	_ "modernc.org/sqlite"             // SQLite driver for direct checks
)

// dataset is the national data Haven serves, and a direct connection to it
// for counting audit rows and timing hand-written SQL.
type dataset struct {
	url    string // Haven's --db
	direct *sql.DB
	close  func()
	dbCPU  func() time.Duration // PostgreSQL's processes, all of them; nil on SQLite
}

func prepareDataset(ctx context.Context, o options, out io.Writer) (*dataset, error) {
	switch o.db {
	case "sqlite":
		path, err := filepath.Abs(filepath.Join(o.dataDir, "national.db"))
		if err != nil {
			return nil, err
		}
		dbURL := "sqlite:" + path
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return nil, err
			}
			if err := generate(ctx, o, dbURL, out); err != nil {
				os.Remove(path)
				return nil, err
			}
		} else {
			fmt.Fprintf(out, "dataset: reusing %s (delete it to regenerate)\n", path)
		}
		direct, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
		if err != nil {
			return nil, err
		}
		return &dataset{url: dbURL, direct: direct, close: func() { direct.Close() }}, nil
	case "postgres":
		cl, err := startPostgres(ctx, o.pgStatements > 0)
		if err != nil {
			return nil, err
		}
		if err := generate(ctx, o, cl.url, out); err != nil {
			cl.stop()
			return nil, err
		}
		direct, err := sql.Open("pgx", cl.url)
		if err != nil {
			cl.stop()
			return nil, err
		}
		// Measure a settled database, not one still writing out a fresh
		// 1.9-million-row import: vacuum (which also sets the visibility map
		// for index-only scans) and checkpoint before any clock starts.
		fmt.Fprintln(out, "dataset: VACUUM ANALYZE and CHECKPOINT after the load")
		for _, q := range []string{"VACUUM ANALYZE", "CHECKPOINT"} {
			if _, err := direct.ExecContext(ctx, q); err != nil {
				direct.Close()
				cl.stop()
				return nil, fmt.Errorf("%s: %w", q, err)
			}
		}
		if o.pgStatements > 0 {
			if _, err := direct.ExecContext(ctx, "CREATE EXTENSION pg_stat_statements"); err != nil {
				direct.Close()
				cl.stop()
				return nil, err
			}
		}
		return &dataset{url: cl.url, direct: direct, close: func() { direct.Close(); cl.stop() }, dbCPU: cl.cpuTime}, nil
	}
	return nil, fmt.Errorf("unknown -db %q", o.db)
}

// generate loads the national dataset with Haven's own command and shows its output.
func generate(ctx context.Context, o options, dbURL string, out io.Writer) error {
	fmt.Fprintln(out, "dataset: generating the national dataset (haven demo --scale national)")
	cmd := exec.CommandContext(ctx, o.bin, "demo", "--scale", "national", "--db", dbURL) // #nosec G204 -- the haven binary under test, named by -bin
	cmd.Stdout, cmd.Stderr = out, out
	return cmd.Run()
}

// server is Haven running pinned to one core.
type server struct {
	cmd  *exec.Cmd
	base string
	log  *os.File

	mu      sync.Mutex
	peakRSS int64 // KiB, sampled while load runs
}

// startServer starts Haven on its core; extra are more serve flags.
func startServer(ctx context.Context, o options, dbURL string, extra ...string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logf, err := os.CreateTemp("", "haven-loadtest-*.log")
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args := []string{"-c", strconv.Itoa(o.serverCPU), o.bin, "serve", "--db", dbURL, "--addr", addr, "--migrate"}
	args = append(args, extra...)
	cmd := exec.Command("taskset", args...) // #nosec G204 -- the haven binary under test (-bin), pinned to a core
	cmd.Env = append(append(os.Environ(), "HAVEN_PPROF_ADDR="+o.pprof), o.serverEnv...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start haven under taskset: %w", err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, log: logf}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(s.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			s.stop()
			return nil, fmt.Errorf("haven did not become ready; see %s", logf.Name())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// logged returns the lines of Haven's log that mention event.
func (s *server) logged(event string) ([]string, error) {
	f, err := os.Open(s.log.Name())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if strings.Contains(sc.Text(), event) {
			out = append(out, sc.Text())
		}
	}
	return out, sc.Err()
}

func (s *server) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
		}
	}
	s.log.Close()
	os.Remove(s.log.Name())
}

// sampleRSS records Haven's resident memory every 100 ms until the returned
// function is called. taskset execs Haven, so the PID is Haven's own.
func (s *server) sampleRSS() func() {
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if kb := rssKiB(s.cmd.Process.Pid); kb > 0 {
				s.mu.Lock()
				s.peakRSS = max(s.peakRSS, kb)
				s.mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(stop); <-done }
}

func (s *server) peakMiB() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return float64(s.peakRSS) / 1024
}

func rssKiB(pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// cpuTime is the processor time Haven has used so far (user and system),
// from /proc: divided by requests served it is the cost of a request,
// whatever else the machine is doing.
func (s *server) cpuTime() time.Duration {
	t, _ := procCPU(s.cmd.Process.Pid)
	return t.own
}

// procTimes is a process's processor time (user and system) and that of its
// children that have ended.
type procTimes struct {
	own, children time.Duration
	ppid          int
}

func procCPU(pid int) (procTimes, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procTimes{}, err
	}
	// Fields after the command name, which is in brackets and may hold spaces.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 15 {
		return procTimes{}, fmt.Errorf("short /proc/%d/stat", pid)
	}
	n := func(i int) time.Duration {
		v, _ := strconv.ParseInt(f[i], 10, 64)
		return time.Duration(v) * time.Second / 100 // clock ticks; USER_HZ is 100 on Linux
	}
	ppid, _ := strconv.Atoi(f[1])
	return procTimes{own: n(11) + n(12), children: n(13) + n(14), ppid: ppid}, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// pgCluster is a throwaway PostgreSQL with production durability settings
// (fsync and synchronous_commit on), unlike the test suite's fast cluster.
type pgCluster struct {
	url        string
	stop       func()
	postmaster int
}

// cpuTime is the processor time of the whole cluster: the postmaster, its
// live backends and workers, and those that have ended. Its processes are
// not pinned, so this is the only way to see what a request costs there.
func (c *pgCluster) cpuTime() time.Duration {
	root, err := procCPU(c.postmaster)
	if err != nil {
		return 0
	}
	total := root.own + root.children
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == c.postmaster {
			continue
		}
		if t, err := procCPU(pid); err == nil && t.ppid == c.postmaster {
			total += t.own
		}
	}
	return total
}

func startPostgres(ctx context.Context, statements bool) (*pgCluster, error) {
	bin, err := pgBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "haven-loadtest-pg-")
	if err != nil {
		return nil, err
	}
	as := func(name string, args ...string) *exec.Cmd {
		path := filepath.Join(bin, name)
		if os.Geteuid() == 0 {
			return exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", path}, args...)...) // #nosec G204 -- PostgreSQL's own programs from the installed version's bin folder
		}
		return exec.CommandContext(ctx, path, args...) // #nosec G204 -- PostgreSQL's own programs from the installed version's bin folder
	}
	if os.Geteuid() == 0 {
		pu, err := user.Lookup("postgres")
		if err != nil {
			return nil, err
		}
		uid, _ := strconv.Atoi(pu.Uid)
		gid, _ := strconv.Atoi(pu.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := as("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	opts := "-k " + dir + " -c listen_addresses='' -c shared_buffers=256MB -c max_connections=100"
	if statements {
		opts += " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on"
	}
	if out, err := as("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	stop := func() {
		as("pg_ctl", "-D", data, "-m", "fast", "-w", "stop").Run()
		os.RemoveAll(dir)
	}
	admin := "postgres://postgres@/postgres?host=" + url.QueryEscape(dir) + "&sslmode=disable"
	db, err := sql.Open("pgx", admin)
	if err == nil {
		_, err = db.ExecContext(ctx, "CREATE DATABASE haven_national")
		db.Close()
	}
	if err != nil {
		stop()
		return nil, err
	}
	pidFile, err := os.ReadFile(filepath.Join(data, "postmaster.pid")) // #nosec G304 -- the PostgreSQL cluster's folder that the load test made
	if err != nil {
		stop()
		return nil, err
	}
	postmaster, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(pidFile), "\n", 2)[0]))
	return &pgCluster{url: "postgres://postgres@/haven_national?host=" + url.QueryEscape(dir) + "&sslmode=disable", stop: stop, postmaster: postmaster}, nil
}

func pgBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("PostgreSQL is not installed (no initdb)")
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pquerna/otp/totp"
)

// env is what every test gets: the binary, its own temporary directory, a
// seeded random source and the run's settings.
type env struct {
	bin     string
	dir     string
	rng     *rand.Rand
	short   bool
	cycles  int // 0 means the test's own default
	verbose bool
	out     io.Writer
}

// logf prints a figure; every line names the test so interleaved output stays readable.
func (e *env) logf(format string, args ...any) {
	fmt.Fprintf(e.out, "  "+format+"\n", args...)
}

func (e *env) debugf(format string, args ...any) {
	if e.verbose {
		e.logf(format, args...)
	}
}

// pick returns short when -short is given, full otherwise, unless -cycles overrides both.
func (e *env) pick(short, full int) int {
	if e.cycles > 0 {
		return e.cycles
	}
	if e.short {
		return short
	}
	return full
}

// size returns short when -short is given and full otherwise; -cycles does
// not change it (it is for durations, not counts).
func (e *env) size(short, full int) int {
	if e.short {
		return short
	}
	return full
}

// syncBuffer collects a child's output while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	w   io.Writer // a copy on disk, for the post-mortem
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.w != nil {
		b.w.Write(p)
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is one haven child process.
type server struct {
	cmd     *exec.Cmd
	addr    string // host:port
	base    string // http://host:port
	db      string // the SQLite file
	stdout  *syncBuffer
	stderr  *syncBuffer
	exited  chan struct{}
	waitErr error // read only after exited is closed
	started time.Time
	readyIn time.Duration // from exec to the first 200 on /readyz
}

// freeAddr finds a loopback port nobody is listening on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// childEnv is the driver's environment without HAVEN_* settings, so only the flags configure the child.
func childEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HAVEN_") {
			out = append(out, kv)
		}
	}
	return out
}

// startServer runs `haven serve` on addr against the SQLite file db (which
// may carry URL options such as ?max_page_count=N) and waits for /readyz to
// answer 200.
func startServer(e *env, addr, db string, demo bool, extra ...string) (*server, error) {
	args := []string{"serve", "--addr", addr, "--db", "sqlite:" + db}
	db, _, _ = strings.Cut(db, "?")
	if demo {
		args = append(args, "--demo")
	}
	args = append(args, extra...)
	logFile, err := os.OpenFile(filepath.Join(filepath.Dir(db), "haven.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	s := &server{addr: addr, base: "http://" + addr, db: db,
		stdout: &syncBuffer{}, stderr: &syncBuffer{w: logFile}, exited: make(chan struct{})}
	s.cmd = exec.Command(e.bin, args...) // #nosec G204 -- the haven binary under test, named by -bin or built by the harness
	s.cmd.Env = childEnv()
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	s.started = time.Now()
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	go func() { s.waitErr = s.cmd.Wait(); logFile.Close(); close(s.exited) }()
	client := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); {
		select {
		case <-s.exited:
			return nil, fmt.Errorf("haven exited before it was ready: %v\nstderr:\n%s", s.waitErr, tail(s.stderr.String(), 2000))
		default:
		}
		res, err := client.Get(s.base + "/readyz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				s.readyIn = time.Since(s.started)
				return s, nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.kill()
	return nil, fmt.Errorf("haven was not ready within 90 s\nstderr:\n%s", tail(s.stderr.String(), 2000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	select {
	case <-s.exited:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}

// waitExit waits up to d for the process to exit by itself.
func (s *server) waitExit(d time.Duration) bool {
	select {
	case <-s.exited:
		return true
	case <-time.After(d):
		return false
	}
}

// account is one demo account, as `haven serve --demo` prints it.
type account struct {
	Role, Tenant, Email, Password, TOTPSecret, APIToken string
}

var accountLine = regexp.MustCompile(`^demo account: role=(\S+) tenant=(\S+) email=(\S+) password=(\S+) totp-secret=(\S+) api-token=(\S+)$`)

// parseAccounts reads the demo account lines from serve's output.
func parseAccounts(out string) []account {
	var accts []account
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if m := accountLine.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil {
			accts = append(accts, account{m[1], m[2], m[3], m[4], m[5], m[6]})
		}
	}
	return accts
}

// findAccount returns the first account with the role in the tenant ("" for any tenant).
func findAccount(accts []account, role, tenant string) (account, bool) {
	for _, a := range accts {
		if a.Role == role && (tenant == "" || a.Tenant == tenant) {
			return a, true
		}
	}
	return account{}, false
}

// newClient is an HTTP client that does not follow redirects, so a 303 can be checked.
func newClient(timeout time.Duration, keepAlive bool) *http.Client {
	tr := &http.Transport{DisableKeepAlives: !keepAlive, MaxIdleConnsPerHost: 64}
	return &http.Client{Timeout: timeout, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// apiClient calls the JSON API with a bearer token.
type apiClient struct {
	http  *http.Client
	base  string
	token string
}

// do sends a JSON request and decodes a JSON answer into out (if not nil).
func (c *apiClient) do(ctx context.Context, method, path string, body any, header http.Header, out any) (int, http.Header, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, res.Header, err
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			return res.StatusCode, res.Header, fmt.Errorf("decoding %s %s: %w", method, path, err)
		}
	}
	return res.StatusCode, res.Header, nil
}

// apiPerson is the part of GET /api/v1/people/{ref} the tests use.
type apiPerson struct {
	Ref            string `json:"ref"`
	FirstName      string `json:"firstName"`
	LastName       string `json:"lastName"`
	PreferredName  string `json:"preferredName"`
	Pronouns       string `json:"pronouns"`
	DateOfBirth    string `json:"dateOfBirth"`
	LocalAuthority string `json:"localAuthority"`
	Version        int64  `json:"version"`
}

func (c *apiClient) people(ctx context.Context) ([]apiPerson, error) {
	var page struct {
		People []apiPerson `json:"people"`
	}
	st, _, err := c.do(ctx, http.MethodGet, "/api/v1/people?limit=500", nil, nil, &page)
	if err == nil && st != http.StatusOK {
		err = fmt.Errorf("GET /api/v1/people = %d", st)
	}
	return page.People, err
}

func (c *apiClient) person(ctx context.Context, ref string) (apiPerson, error) {
	var p apiPerson
	st, _, err := c.do(ctx, http.MethodGet, "/api/v1/people/"+ref, nil, nil, &p)
	if err == nil && st != http.StatusOK {
		err = fmt.Errorf("GET /api/v1/people/%s = %d", ref, st)
	}
	return p, err
}

// browser is a signed-in web session. The session cookie is Secure, so a
// standard cookie jar would not send it over plain loopback HTTP; this keeps
// the cookies itself.
type browser struct {
	http    *http.Client
	base    string
	mu      sync.Mutex
	cookies map[string]string
	debugf  func(format string, args ...any) // nil: quiet
}

func newBrowser(base string) *browser {
	return &browser{http: newClient(15*time.Second, true), base: base, cookies: map[string]string{}}
}

// do sends a request with the browser's cookies and keeps any it is given.
func (b *browser) do(ctx context.Context, method, path string, form url.Values) (int, http.Header, string, error) {
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, rd)
	if err != nil {
		return 0, nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	b.mu.Lock()
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v}) // #nosec G124 -- a client sending back the cookies the server set; attributes are the server's to set
	}
	b.mu.Unlock()
	res, err := b.http.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	b.mu.Lock()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	b.mu.Unlock()
	return res.StatusCode, res.Header, string(body), err
}

// signIn goes through the password and TOTP steps. A code is refused if its
// step was already used, so on refusal it waits for the next step once.
func (b *browser) signIn(ctx context.Context, a account) error {
	st, h, body, err := b.do(ctx, http.MethodPost, "/sign-in", url.Values{"email": {a.Email}, "password": {a.Password}})
	if err != nil {
		return err
	}
	if st != http.StatusSeeOther || h.Get("Location") != "/sign-in/code" {
		return fmt.Errorf("sign-in as %s = %d %s\n%s", a.Email, st, h.Get("Location"), tail(body, 500))
	}
	for try := 0; try < 2; try++ {
		code, err := totp.GenerateCode(a.TOTPSecret, time.Now())
		if err != nil {
			return err
		}
		st, h, _, err = b.do(ctx, http.MethodPost, "/sign-in/code", url.Values{"code": {code}})
		if err != nil {
			return err
		}
		if st == http.StatusSeeOther && h.Get("Location") == "/home" {
			return nil
		}
		if b.debugf != nil {
			b.debugf("security code for %s refused (%d); waiting for the next step", a.Email, st)
		}
		// Wait for the next 30-second step.
		time.Sleep(time.Until(time.Now().Truncate(30 * time.Second).Add(30*time.Second + 200*time.Millisecond)))
	}
	return fmt.Errorf("the security code for %s was refused twice (last status %d)", a.Email, st)
}

// personForm is the person details form as the tests fill it in.
type personForm struct {
	FirstName, LastName, PreferredName, Pronouns string
	DOB                                          string // YYYY-MM-DD
	LACode, CommunicationNeeds                   string
	Version                                      int64
}

func (f personForm) values() url.Values {
	v := url.Values{"firstName": {f.FirstName}, "lastName": {f.LastName}, "preferredName": {f.PreferredName},
		"pronouns": {f.Pronouns}, "laCode": {f.LACode}, "communicationNeeds": {f.CommunicationNeeds},
		"version": {strconv.FormatInt(f.Version, 10)}}
	if y, md, ok := strings.Cut(f.DOB, "-"); ok {
		m, d, _ := strings.Cut(md, "-")
		v.Set("dateOfBirth-year", y)
		v.Set("dateOfBirth-month", strings.TrimLeft(m, "0"))
		v.Set("dateOfBirth-day", strings.TrimLeft(d, "0"))
	}
	return v
}

// hash is the SHA-256 of the fields the form saves, in the form stored rows are hashed in.
func (f personForm) hash() string {
	return payloadHash(f.FirstName, f.LastName, f.PreferredName, f.Pronouns, f.DOB, f.LACode, "unknown", "false", f.CommunicationNeeds)
}

func formFromPerson(p apiPerson) personForm {
	return personForm{FirstName: p.FirstName, LastName: p.LastName, PreferredName: p.PreferredName, Pronouns: p.Pronouns,
		DOB: p.DateOfBirth, LACode: p.LocalAuthority, Version: p.Version}
}

// payloadHash is the SHA-256 of the fields, each ended by a unit separator.
func payloadHash(fields ...string) string {
	h := sha256.New()
	for _, f := range fields {
		io.WriteString(h, f)
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sessionInput is the body of POST /api/v1/people/{ref}/sessions.
type sessionInput struct {
	Date          string `json:"date"`
	Type          string `json:"type"`
	Minutes       int    `json:"minutes"`
	InitiatedBy   string `json:"initiatedBy"`
	Note          string `json:"note"`
	PracticalHelp string `json:"practicalHelp"`
	Agencies      string `json:"agencies"`
}

func (s sessionInput) hash() string {
	return payloadHash(s.Date, s.Type, strconv.Itoa(s.Minutes), s.InitiatedBy, s.Note, s.PracticalHelp, s.Agencies)
}

// goalInput is the body of POST /api/v1/people/{ref}/goals.
type goalInput struct {
	Domain string `json:"domain"`
	Words  string `json:"words"`
	Steps  string `json:"steps"`
}

func (g goalInput) hash() string { return payloadHash(g.Domain, g.Words, g.Steps) }

var (
	sessionTypes = []string{"home-visit", "accompanied", "phone-or-text", "video", "group"}
	initiators   = []string{"her", "practitioner", "other"}
	goalDomains  = []string{"housing", "mental-health", "money", "education-work", "physical-health"}
)

// newSession makes a synthetic session whose note carries the request ID,
// so a row committed without an answer can still be traced to its request.
func newSession(rng *rand.Rand, reqID string, today time.Time) sessionInput {
	return sessionInput{
		Date:          today.AddDate(0, 0, -rng.IntN(30)).Format(time.DateOnly),
		Type:          sessionTypes[rng.IntN(len(sessionTypes))],
		Minutes:       15 + rng.IntN(120),
		InitiatedBy:   initiators[rng.IntN(len(initiators))],
		Note:          fmt.Sprintf("Chaos test note %s. Talked through the week; %d things went well.", reqMarker(reqID), rng.IntN(9)),
		PracticalHelp: []string{"", "Bus fare", "Helped with a form"}[rng.IntN(3)],
	}
}

func newGoal(rng *rand.Rand, reqID string) goalInput {
	return goalInput{Domain: goalDomains[rng.IntN(len(goalDomains))],
		Words: fmt.Sprintf("Chaos test goal %s: feel settled at home", reqMarker(reqID)),
		Steps: fmt.Sprintf("Step %d", rng.IntN(100))}
}

func reqMarker(reqID string) string { return "[req=" + reqID + "]" }

var reqMarkerRE = regexp.MustCompile(`\[req=([A-Za-z0-9_-]+)\]`)

// markerIn returns the request ID a stored text carries, if any.
func markerIn(s string) string {
	if m := reqMarkerRE.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// ledgerEntry is one acknowledged write.
type ledgerEntry struct {
	Test     string    `json:"test"`
	Cycle    int       `json:"cycle"`
	ReqID    string    `json:"reqId"`
	Kind     string    `json:"kind"` // session, goal, person
	Person   string    `json:"person"`
	RecordID int64     `json:"recordId"`
	Version  int64     `json:"version"`
	SHA256   string    `json:"sha256"`
	At       time.Time `json:"at"`
}

// ledger is the client-side record of acknowledged writes: each entry is on
// disk (fsync'd) before the writer moves on.
type ledger struct {
	mu      sync.Mutex
	f       *os.File
	entries []ledgerEntry
}

func openLedger(path string) (*ledger, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600) // #nosec G304 -- a file of the harness's own temporary folder
	if err != nil {
		return nil, err
	}
	return &ledger{f: f}, nil
}

func (l *ledger) add(e ledgerEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.f.Write(append(b, '\n')); err != nil {
		return err
	}
	if err := l.f.Sync(); err != nil {
		return err
	}
	l.entries = append(l.entries, e)
	return nil
}

// snapshot returns the entries so far.
func (l *ledger) snapshot() []ledgerEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ledgerEntry(nil), l.entries...)
}

func (l *ledger) close() error { return l.f.Close() }

// readLedger loads a ledger file, for checking a ledger written by an earlier run.
func readLedger(r io.Reader) ([]ledgerEntry, error) {
	var out []ledgerEntry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var e ledgerEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return out, fmt.Errorf("ledger line %d: %w", n, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// reqIDs makes request IDs unique within a run.
type reqIDs struct {
	mu     sync.Mutex
	prefix string
	n      int
}

func (r *reqIDs) next() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	return fmt.Sprintf("%s-%06d", r.prefix, r.n)
}

// percentile returns the p-th percentile (0..100) of ds by nearest rank; ds is sorted in place.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sortDurations(ds)
	rank := int(float64(len(ds))*p/100+0.999999) - 1
	rank = max(0, min(rank, len(ds)-1))
	return ds[rank]
}

func sortDurations(ds []time.Duration) { slices.Sort(ds) }

// procStatus reads a field (in kB) from /proc/PID/status, e.g. VmRSS or VmHWM.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// openFDs counts the process's open file descriptors.
func openFDs(pid int) (int, error) {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(ents), err
}

// isConnLoss reports whether err is what a client sees when the server goes away mid-request.
func isConnLoss(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.EPIPE)
}

// newRand is a random source derived from one seed.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) } // #nosec G404 -- a run must repeat from its -seed; nothing here is a secret

// procCPU returns the CPU time a process has used, from /proc/PID/stat
// (user plus system, in clock ticks of 10 ms).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may hold spaces; the fields after it are plain.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * 10 * time.Millisecond
}

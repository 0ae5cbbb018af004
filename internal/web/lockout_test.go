package web_test

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// instance is another Haven over the same database and clock: a restart, or
// a second instance behind a load balancer. Its throttles start empty.
func (e *authEnv) instance(t *testing.T) *authEnv {
	t.Helper()
	s, err := web.NewServer(web.Options{Store: e.db, Now: e.clock.Now, HTTPS: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(s)
	t.Cleanup(ts.Close)
	other := *e
	other.ts = ts
	return &other
}

// lock locks the account in the database, as ten failures on any instance would.
func (e *authEnv) lock(t *testing.T, userID int64) time.Time {
	t.Helper()
	until, err := e.db.RecordFailedLogin(t.Context(), userID, 1, 15*time.Minute)
	if err != nil || until.IsZero() {
		t.Fatalf("lock user %d: %v, until %v", userID, err, until)
	}
	return until
}

// varying is what differs between two renderings of the same page: the
// request's reference and the values typed.
var varying = regexp.MustCompile(`Reference: <strong>[^<]*</strong>|value="[^"]*"`)

func samePage(a, b response) bool {
	return a.status == b.status && varying.ReplaceAllString(a.body, "") == varying.ReplaceAllString(b.body, "")
}

// S6, S7: ten failures spread over two instances lock the account in the
// database. While it is locked, the right password is refused exactly as a
// wrong one is, on those instances and on one started afterwards; the lock
// runs out at the time stored, and not a moment before.
func TestS6S7StoredLockoutHoldsAcrossInstances(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		a := e.account(access.RolePractitioner)
		b := e.instance(t)
		signIn := func(env *authEnv, password string) response {
			return send(t, env.browser(), "POST", env.ts.URL+"/sign-in", url.Values{"email": {a.Email}, "password": {password}})
		}
		// Five on each instance: neither instance's own throttle has made anyone wait yet.
		for _, env := range []*authEnv{e, b} {
			for i := range 5 {
				if res := signIn(env, "not-the-password-1"); res.status != 401 {
					t.Fatalf("failure %d: %d, want 401", i+1, res.status)
				}
			}
		}
		acct, err := db.Account(t.Context(), a.UserID)
		if err != nil {
			t.Fatal(err)
		}
		lockedAt := e.clock.Now()
		if want := lockedAt.Add(15 * time.Minute); !acct.LockedUntil.Equal(want) {
			t.Fatalf("after ten failures on two instances: locked until %v, want %v", acct.LockedUntil, want)
		}
		evs, err := db.SearchAudit(t.Context(), store.AuditFilter{UserID: a.UserID, Action: string(audit.LockedOut)})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Section != "15m0s" {
			t.Errorf("locked-out audit rows: %+v, want one for 15m0s", evs)
		}

		fresh := e.instance(t)
		unknown := send(t, fresh.browser(), "POST", fresh.ts.URL+"/sign-in", url.Values{"email": {"nobody@demo.haven.invalid"}, "password": {"not-the-password-1"}})
		for name, env := range map[string]*authEnv{"the first instance": e, "the second instance": b, "an instance started since": e.instance(t)} {
			right := signIn(env, a.Password)
			wrong := signIn(e.instance(t), "not-the-password-2")
			if right.status != 401 || !strings.Contains(right.body, "Enter a correct email address and password") {
				t.Errorf("S6: the right password on %s while locked: %d, want 401 with the sign-in error", name, right.status)
			}
			if !samePage(right, wrong) || !samePage(right, unknown) {
				t.Errorf("S7: on %s, the right password while locked is told apart from a wrong password or an unknown email", name)
			}
			if sessionCookie(right) != nil {
				t.Errorf("S6: the right password on %s while locked started a session", name)
			}
		}

		// Still locked a second before the end, on a fresh instance...
		e.clock.Add(lockedAt.Add(15*time.Minute).Sub(e.clock.Now()) - time.Second)
		if res := signIn(e.instance(t), a.Password); res.status != 401 {
			t.Errorf("a second before the lock ends: %d, want 401", res.status)
		}
		// ...and free once it has run out, though the failures during the lock went on being counted.
		e.clock.Add(time.Second)
		e.instance(t).signIn(t, a)
		if acct, _ := db.Account(t.Context(), a.UserID); acct.FailedLogins != 0 || !acct.LockedUntil.IsZero() {
			t.Errorf("after signing in: %d failures, locked until %v; want both cleared", acct.FailedLogins, acct.LockedUntil)
		}
	})
}

// S6, S7: a lock that starts after the password step is enforced at every
// later step of signing in: the TOTP code, a recovery code, setting up an
// authenticator app, and re-authentication. Each refuses the right answer
// exactly as it refuses a wrong one, and spends nothing.
func TestS6S7LockHoldsAtEveryStep(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	ctx := t.Context()
	a := e.account(access.RolePracticeLead)
	t.Run("code", func(t *testing.T) {
		c := e.browser()
		send(t, c, "POST", e.ts.URL+"/sign-in", url.Values{"email": {a.Email}, "password": {a.Password}})
		wrong := send(t, c, "POST", e.ts.URL+"/sign-in/code", url.Values{"code": {"000000"}})
		e.lock(t, a.UserID)
		right := send(t, c, "POST", e.ts.URL+"/sign-in/code", url.Values{"code": {e.clock.code(a.TOTPSecret)}})
		if right.status != 401 || !samePage(right, wrong) {
			t.Errorf("S6, S7: the right code while locked: %d, want 401 and the wrong-code page", right.status)
		}
		if res := send(t, c, "GET", e.ts.URL+"/account", nil); res.status != 303 {
			t.Errorf("S6: signed in past the lock: %d", res.status)
		}
		unlock(t, e, a.UserID)
		// The code was not spent by the refusal: it still signs in once the lock is gone.
		if res := send(t, c, "POST", e.ts.URL+"/sign-in/code", url.Values{"code": {e.clock.code(a.TOTPSecret)}}); res.status != 303 {
			t.Errorf("the same code after unlocking: %d, want 303", res.status)
		}
		e.clock.Add(30 * time.Second)
	})

	t.Run("recovery code", func(t *testing.T) {
		code := "abcde-fghij"
		acct, err := e.db.Account(ctx, a.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.db.EnrolMFA(ctx, cliAudit(), a.UserID, acct.TOTPSecret, acct.TOTPLastStep, []string{auth.HashToken(code)}); err != nil {
			t.Fatal(err)
		}
		c := e.browser()
		send(t, c, "POST", e.ts.URL+"/sign-in", url.Values{"email": {a.Email}, "password": {a.Password}})
		wrong := send(t, c, "POST", e.ts.URL+"/sign-in/recovery", url.Values{"code": {"zzzzz-zzzzz"}})
		e.lock(t, a.UserID)
		right := send(t, c, "POST", e.ts.URL+"/sign-in/recovery", url.Values{"code": {code}})
		if right.status != 401 || !samePage(right, wrong) {
			t.Errorf("S6, S7: the right recovery code while locked: %d, want 401 and the wrong-code page", right.status)
		}
		if n, _ := e.db.RecoveryCodesLeft(ctx, a.UserID); n != 1 {
			t.Errorf("the refused recovery code was spent: %d left, want 1", n)
		}
		unlock(t, e, a.UserID)
		if res := send(t, c, "POST", e.ts.URL+"/sign-in/recovery", url.Values{"code": {code}}); res.status != 303 {
			t.Errorf("the recovery code after unlocking: %d, want 303", res.status)
		}
	})

	t.Run("re-authentication", func(t *testing.T) {
		c := e.signIn(t, a)
		e.clock.Add(6 * time.Minute)
		form := func(password, code string) url.Values {
			return url.Values{"password": {password}, "code": {code}, "next": {"/account/password"}}
		}
		wrong := send(t, c, "POST", e.ts.URL+"/reauth", form("not-the-password-1", e.clock.code(a.TOTPSecret)))
		e.lock(t, a.UserID)
		right := send(t, c, "POST", e.ts.URL+"/reauth", form(a.Password, e.clock.code(a.TOTPSecret)))
		if right.status != 401 || !samePage(right, wrong) {
			t.Errorf("S6, S7: the right password and code while locked: %d, want 401 and the wrong-password page", right.status)
		}
		unlock(t, e, a.UserID)
		if res := send(t, c, "POST", e.ts.URL+"/reauth", form(a.Password, e.clock.code(a.TOTPSecret))); res.status != 303 {
			t.Errorf("re-authentication after unlocking: %d, want 303", res.status)
		}
		e.clock.Add(30 * time.Second)
	})

	t.Run("authenticator set-up", func(t *testing.T) {
		p := e.account(access.RolePractitioner)
		if err := e.db.ResetMFA(ctx, cliAudit(), p.UserID); err != nil {
			t.Fatal(err)
		}
		c := e.browser()
		if res := send(t, c, "POST", e.ts.URL+"/sign-in", url.Values{"email": {p.Email}, "password": {p.Password}}); res.header.Get("Location") != "/account/mfa/setup" {
			t.Fatalf("password step after an MFA reset: %d to %q", res.status, res.header.Get("Location"))
		}
		key := regexp.MustCompile(`haven-secret">([A-Z2-7 ]+)<`).FindStringSubmatch(send(t, c, "GET", e.ts.URL+"/account/mfa/setup", nil).body)
		if key == nil {
			t.Fatal("no key on the set-up page")
		}
		secret := strings.ReplaceAll(key[1], " ", "")
		wrong := send(t, c, "POST", e.ts.URL+"/account/mfa/setup", url.Values{"code": {"000000"}})
		e.lock(t, p.UserID)
		right := send(t, c, "POST", e.ts.URL+"/account/mfa/setup", url.Values{"code": {e.clock.code(secret)}})
		if right.status != 422 || !samePage(right, wrong) {
			t.Errorf("S6, S7: the right set-up code while locked: %d, want 422 and the wrong-code page", right.status)
		}
		if acct, _ := e.db.Account(ctx, p.UserID); acct.MFAEnrolled {
			t.Error("S6: the authenticator was enrolled while the account was locked")
		}
	})
}

// unlock clears a lock as the administrator's Unlock button does.
func unlock(t *testing.T, e *authEnv, userID int64) {
	t.Helper()
	if err := e.db.UnlockAccount(t.Context(), cliAudit(), userID); err != nil {
		t.Fatal(err)
	}
}

// S6: failures at the code step count towards the stored lock too, so
// knowing the password does not buy unlimited guesses at the code across
// restarts; and a right password does not wipe out those failures.
func TestS6CodeFailuresLockTheAccount(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	a := e.account(access.RolePractitioner)
	for i := range 10 {
		env := e.instance(t) // a fresh instance each time: its throttle in memory has seen nothing
		c := env.browser()
		if res := send(t, c, "POST", env.ts.URL+"/sign-in", url.Values{"email": {a.Email}, "password": {a.Password}}); res.status != 303 {
			t.Fatalf("password step %d: %d", i+1, res.status)
		}
		if res := send(t, c, "POST", env.ts.URL+"/sign-in/code", url.Values{"code": {"000000"}}); res.status != 401 {
			t.Fatalf("wrong code %d: %d, want 401", i+1, res.status)
		}
	}
	acct, err := e.db.Account(t.Context(), a.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if !acct.LockedUntil.Equal(e.clock.Now().Add(15 * time.Minute)) {
		t.Fatalf("after ten wrong codes: locked until %v, want 15 minutes from now", acct.LockedUntil)
	}
	env := e.instance(t)
	if res := send(t, env.browser(), "POST", env.ts.URL+"/sign-in", url.Values{"email": {a.Email}, "password": {a.Password}}); res.status != 401 {
		t.Errorf("the right password after ten wrong codes: %d, want 401", res.status)
	}
}

// S6: an administrator can unlock an account at once from its page, which
// says it is locked; the unlock is audited.
func TestS6AdminUnlocks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		admin := e.signIn(t, e.account(access.RoleAdmin))
		a := e.account(access.RolePractitioner)
		page := e.ts.URL + "/admin/users/" + itoa(a.UserID)
		if res := send(t, admin, "GET", page, nil); strings.Contains(res.body, "Unlock account") || strings.Contains(res.body, "Locked until") {
			t.Error("an account that is not locked offers Unlock")
		}
		e.lock(t, a.UserID)
		res := send(t, admin, "GET", page, nil)
		if !strings.Contains(res.body, "Locked until") || !strings.Contains(res.body, `action="/admin/users/`+itoa(a.UserID)+`/unlock"`) {
			t.Fatalf("a locked account's page does not say so or offer Unlock: %d", res.status)
		}
		res = send(t, admin, "POST", page+"/unlock", url.Values{})
		if res.status != 303 || res.header.Get("Location") != "/admin/users/"+itoa(a.UserID) {
			t.Fatalf("unlock: %d to %q", res.status, res.header.Get("Location"))
		}
		if res := send(t, admin, "GET", page, nil); !strings.Contains(res.body, "Account unlocked") {
			t.Error("no notice after unlocking")
		}
		e.signIn(t, a)
		evs, err := db.SearchAudit(t.Context(), store.AuditFilter{Action: string(audit.AccountUnlock), RecordType: "user", RecordID: itoa(a.UserID)})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].UserID != e.account(access.RoleAdmin).UserID {
			t.Errorf("unlock audit rows: %+v, want one by the administrator", evs)
		}
		if res := send(t, admin, "POST", e.ts.URL+"/admin/users/999999/unlock", url.Values{}); res.status != 404 {
			t.Errorf("unlocking an account that does not exist: %d, want 404", res.status)
		}
	})
}

// S7: a locked account given the right password takes as long to refuse as
// a wrong password, locked or not. The three kinds of trial run in a shuffled
// order, each set up by the same writes and timed alone after a garbage
// collection, so that load and order fall on all three alike; the medians
// must be within 0.8 to 1.25 of each other. The password hash is made costly
// enough that skipping it would show. A round that misses is tried again,
// twice at most: a real difference misses every time, a noisy neighbour on
// a busy machine does not.
func TestS7LockedTakesAsLongAsAWrongPassword(t *testing.T) {
	if testing.Short() {
		t.Skip("timing trials")
	}
	e := newAuthEnv(t, storetest.SQLite(t))
	ctx := t.Context()
	a := e.account(access.RolePractitioner)
	hash, err := (&auth.Hasher{Memory: 8 << 10, Time: 2}).Hash(a.Password)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetPassword(ctx, cliAudit(), a.UserID, hash, store.KeepTokens); err != nil {
		t.Fatal(err)
	}
	c := e.browser()
	type kind struct {
		name     string
		locked   bool
		password string
	}
	kinds := []kind{{"the right password while locked", true, a.Password}, {"a wrong password while locked", true, "not-the-password-1"},
		{"a wrong password while not locked", false, "not-the-password-2"}}
	trial := func(k kind) float64 {
		t.Helper()
		e.clock.Add(61 * time.Minute) // the throttles forgive an hour-old failure, and the last lock has run out
		if err := e.db.ClearFailedLogins(ctx, a.UserID); err != nil {
			t.Fatal(err)
		}
		lockAfter := 1 // the same write either way; only the threshold differs
		if !k.locked {
			lockAfter = 1000
		}
		if _, err := e.db.RecordFailedLogin(ctx, a.UserID, lockAfter, 15*time.Minute); err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		start := time.Now()
		res := send(t, c, "POST", e.ts.URL+"/sign-in", url.Values{"email": {a.Email}, "password": {k.password}})
		d := time.Since(start)
		if res.status != 401 {
			t.Fatalf("%s: status %d, want 401", k.name, res.status)
		}
		return float64(d)
	}
	median := func(xs []float64) float64 { slices.Sort(xs); return xs[len(xs)/2] }
	var problems []string
	for round := range 3 {
		var order []int
		for range 51 {
			order = append(order, 0, 1, 2)
		}
		rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		times := make([][]float64, len(kinds))
		for _, k := range order {
			times[k] = append(times[k], trial(kinds[k]))
		}
		right := median(times[0])
		problems = nil
		for k := 1; k < len(kinds); k++ {
			if r := right / median(times[k]); r < 0.8 || r > 1.25 {
				problems = append(problems, fmt.Sprintf("%s takes %.2f times as long as %s", kinds[0].name, r, kinds[k].name))
			}
		}
		if len(problems) == 0 {
			return
		}
		t.Logf("round %d: %v", round+1, problems)
	}
	t.Errorf("S7: in every round, %v; want 0.8 to 1.25", problems)
}

// S6: an enrolment link is the administrator's way in for someone new, so
// guessing at the invited address must not keep them out: setting the
// password through the link clears a lock, and the person goes on to set up
// their authenticator app.
func TestS6EnrolmentClearsALock(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	ctx := t.Context()
	practice, err := e.db.ResolveTenant(ctx, access.TenantPractice, "demo-harbour")
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.db.CreateAccount(ctx, cliAudit(), access.User{Email: "locked.starter@demo.haven.invalid", DisplayName: "Locked Starter"},
		[]store.Grant{{Role: access.RolePractitioner, Tenant: practice}})
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		env := e.instance(t) // fresh throttles: only the stored count stops the guessing
		send(t, env.browser(), "POST", env.ts.URL+"/sign-in", url.Values{"email": {"locked.starter@demo.haven.invalid"}, "password": {"a-guess-at-it-1"}})
	}
	if acct, _ := e.db.Account(ctx, u.ID); !e.clock.Now().Before(acct.LockedUntil) {
		t.Fatalf("ten guesses at an invited address did not lock it: locked until %v", acct.LockedUntil)
	}
	token := auth.NewToken()
	if err := e.db.CreateEnrolmentToken(ctx, u.ID, auth.HashToken(token), e.clock.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	c := e.browser()
	send(t, c, "GET", e.ts.URL+"/enrol/"+token, nil)
	res := send(t, c, "POST", e.ts.URL+"/enrol", url.Values{"password": {"marble-kettle-orchard"}, "confirm": {"marble-kettle-orchard"}})
	if res.status != 303 || res.header.Get("Location") != "/account/mfa/setup" {
		t.Fatalf("enrolling while locked: %d to %q, want 303 to the authenticator set-up", res.status, res.header.Get("Location"))
	}
	if acct, _ := e.db.Account(ctx, u.ID); !acct.LockedUntil.IsZero() || acct.FailedLogins != 0 {
		t.Errorf("after enrolling: locked until %v with %d failures, want neither", acct.LockedUntil, acct.FailedLogins)
	}
}

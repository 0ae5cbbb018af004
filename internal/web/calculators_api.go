package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"haven/internal/calculator"
)

// The calculators' JSON API (issue 19, item 3): the same query parameters as
// the pages, every amount in whole pence, every rate in hundredths of a
// percent, no sign-in. Nothing here touches the database, so a public
// calculator costs Haven only arithmetic; a per-address rate limit keeps
// one client from taking all of that.

// calculatorLinks are where the same scenario lives as a page and as downloads.
type calculatorLinks struct {
	Page string `json:"page"`
	XLSX string `json:"xlsx"`
	CSV  string `json:"csv"`
	API  string `json:"api"`
}

func linksFor(calc, query string) calculatorLinks {
	return calculatorLinks{Page: "/calculators/" + calc + "?" + query, XLSX: "/calculators/" + calc + ".xlsx?" + query,
		CSV: "/calculators/" + calc + ".csv?" + query, API: "/api/v1/calculators/" + calc + "?" + query}
}

// apiReturnHome is GET /api/v1/calculators/return-home's answer: every
// output of calculator.ReturnHomeResult (its JSON names), and the links.
type apiReturnHome struct {
	Calculator string `json:"calculator"`
	Query      string `json:"query"`
	calculator.ReturnHomeResult
	Links calculatorLinks `json:"links"`
}

// apiInfantCare is GET /api/v1/calculators/infant-care's answer.
type apiInfantCare struct {
	Calculator string `json:"calculator"`
	Query      string `json:"query"`
	calculator.InfantCareResult
	Links calculatorLinks `json:"links"`
}

// apiCalculatorError is a 400: the API's error shape (code, message, fields,
// reference), and the problems again in the form's order, each naming its
// field by its query parameter.
type apiCalculatorError struct {
	apiError
	Errors calculator.Problems `json:"errors"`
}

func (s *Server) writeCalculatorProblems(w http.ResponseWriter, r *http.Request, ps calculator.Problems) {
	e := apiCalculatorError{apiError: apiError{Code: apiCodes[http.StatusBadRequest], Message: "Check the inputs: " + problemsText(ps),
		Fields: map[string]string{}, Ref: infoFrom(r.Context()).id}, Errors: ps}
	for _, p := range ps {
		if _, seen := e.Fields[p.Field]; !seen {
			e.Fields[p.Field] = p.Message
		}
	}
	writeJSON(w, http.StatusBadRequest, e)
}

// apiReturnHomeCalc is GET /api/v1/calculators/return-home.
func (s *Server) apiReturnHomeCalc(lim *rateLimit, cache *answerCache) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.limitCalculations(w, r, lim); err != nil {
			return err
		}
		in, ps := calculator.ParseReturnHome(r.URL.Query())
		if len(ps) > 0 {
			s.writeCalculatorProblems(w, r, ps)
			return nil
		}
		q := in.Query().Encode()
		return cache.serve(w, "return-home", in, func() any {
			res := in.Calculate()
			if res.Warnings == nil {
				res.Warnings = []string{}
			}
			return apiReturnHome{Calculator: "return-home", Query: q, ReturnHomeResult: res, Links: linksFor("return-home", q)}
		})
	}
}

// apiInfantCareCalc is GET /api/v1/calculators/infant-care: unlike the
// page, both costs are always required, as there is no form to show first.
func (s *Server) apiInfantCareCalc(lim *rateLimit, cache *answerCache) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.limitCalculations(w, r, lim); err != nil {
			return err
		}
		in, ps := calculator.ParseInfantCareAPI(r.URL.Query())
		if len(ps) > 0 {
			s.writeCalculatorProblems(w, r, ps)
			return nil
		}
		q := in.Query().Encode()
		return cache.serve(w, "infant-care", in, func() any {
			return apiInfantCare{Calculator: "infant-care", Query: q, InfantCareResult: in.Calculate(), Links: linksFor("infant-care", q)}
		})
	}
}

// answerCache keeps the JSON answers to the scenarios asked for lately,
// by the inputs as read (so two spellings of the same inputs share one
// answer; the inputs, not Query(), since the answer echoes even those an
// input's mode leaves unused, such as the average cost under "by need"). An answer depends on nothing but its inputs,
// so it never goes stale; exact arithmetic over many discounted years
// costs far more than sending bytes, and shared scenario links are asked
// for again and again. At most max answers are kept (one of them, chosen
// by Go's map order, makes way for a new one), so memory stays bounded:
// an answer is at most about 15 KB.
type answerCache struct {
	max int
	mu  sync.Mutex
	m   map[string][]byte
}

func newAnswerCache(max int) *answerCache { return &answerCache{max: max, m: map[string][]byte{}} }

// serve sends the answer for the calculator's inputs, working it out with
// make if it is not kept.
func (c *answerCache) serve(w http.ResponseWriter, calc string, inputs any, make func() any) error {
	in, err := json.Marshal(inputs)
	if err != nil {
		return err
	}
	key := calc + string(in)
	c.mu.Lock()
	body, ok := c.m[key]
	c.mu.Unlock()
	if !ok {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(true)
		if err := enc.Encode(make()); err != nil {
			return err
		}
		body = b.Bytes()
		c.mu.Lock()
		if len(c.m) >= c.max {
			for k := range c.m {
				delete(c.m, k)
				break
			}
		}
		c.m[key] = body
		c.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // the client has gone; nothing to tell it
	return nil
}

func (c *answerCache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// limitCalculations answers 429 with Retry-After once the client's address
// has used its allowance.
func (s *Server) limitCalculations(w http.ResponseWriter, r *http.Request, lim *rateLimit) error {
	wait, ok := lim.allow(clientKey(r), s.now())
	if ok {
		return nil
	}
	secs := max(int64((wait+time.Second-1)/time.Second), 1)
	w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	after := "a second"
	if secs > 1 {
		after = strconv.FormatInt(secs, 10) + " seconds"
	}
	return &statusError{http.StatusTooManyRequests, "There have been too many calculations from your address. Wait " + after + ", then try again."}
}

// clientKey is the address a limit counts against: the client's IPv4
// address, or its IPv6 /64, since one household or device is given a whole
// /64 and could otherwise step round the limit.
func clientKey(r *http.Request) string {
	ip, err := netip.ParseAddr(clientIP(r))
	if err != nil {
		return clientIP(r)
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// rateLimit is a token bucket for each client address, kept as the time at
// which its bucket will be full again (the generic cell rate algorithm): a
// request costs one interval; a client may be up to burst intervals ahead
// of the clock. An entry whose time has passed is a full bucket and is
// forgotten, so memory stays bounded by the clients active in the last
// burst × interval (six seconds), and by max entries at most.
type rateLimit struct {
	interval time.Duration
	burst    int64
	max      int

	mu    sync.Mutex
	full  map[string]time.Time // when each client's bucket is full again
	swept time.Time
}

// The calculators' limit: 10 a second for each address, in bursts of up to 60.
func newCalculatorLimit() *rateLimit {
	return &rateLimit{interval: 100 * time.Millisecond, burst: 60, max: 100_000, full: map[string]time.Time{}}
}

// allow takes a token for key at now, or says how long until one is free.
func (l *rateLimit) allow(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > 10*time.Second || len(l.full) >= l.max {
		l.sweep(now)
	}
	at, seen := l.full[key]
	if !seen && len(l.full) >= l.max {
		// Every slot belongs to a client active in the last few seconds:
		// a newcomer waits rather than memory growing without bound.
		return l.interval, false
	}
	if at.Before(now) {
		at = now
	}
	next := at.Add(l.interval)
	if ahead := next.Sub(now); ahead > time.Duration(l.burst)*l.interval {
		return ahead - time.Duration(l.burst)*l.interval, false
	}
	l.full[key] = next
	return 0, true
}

func (l *rateLimit) sweep(now time.Time) {
	for k, at := range l.full {
		if !at.After(now) {
			delete(l.full, k)
		}
	}
	l.swept = now
}

// size is how many clients the limit remembers, for tests.
func (l *rateLimit) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.full)
}

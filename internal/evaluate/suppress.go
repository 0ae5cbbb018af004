// Package evaluate holds the rules for figures that leave a Practice. This
// file is small-number suppression: counts of 1 to 4 are never shown, and
// nor is anything that would let a reader work one out.
package evaluate

import (
	"math"
	"slices"
	"strconv"
)

// MinThreshold is the smallest count shown unless a deployment sets a larger
// one: counts from 1 to 4 never leave a Practice, whatever the setting.
// MaxThreshold is the largest a deployment may set. A table's Threshold
// (a per-deployment setting, passed in as a value) may only raise it.
//
// Zero is shown. It describes nobody, so it cannot identify anyone, and a
// report that hid every zero would hide most of a small Practice's figures.
// Because zero is shown, a hidden cell is never zero: the auditor below
// counts on that, as a reader could.
const (
	MinThreshold = 5
	MaxThreshold = 50
)

// ClampThreshold is the threshold in force for a setting: never below
// MinThreshold (an unset setting is 0), never above MaxThreshold.
func ClampThreshold(n int) int { return min(max(n, MinThreshold), MaxThreshold) }

// Reason says whether a cell is shown and, if not, why.
type Reason uint8

const (
	Shown     Reason = iota
	Small            // primary: the count is from 1 to the threshold less one
	Protected        // secondary: shown, it would let a reader work out a small count; see Suppress
)

// Hidden reports whether the cell is not shown.
func (r Reason) Hidden() bool { return r != Shown }

// Text is what a reader sees in place of a hidden number, under the
// threshold in force.
func (r Reason) Text(threshold int) string {
	n := strconv.Itoa(ClampThreshold(threshold))
	switch r {
	case Small:
		return "not shown (fewer than " + n + ")"
	case Protected:
		return "not shown (so that a number under " + n + " cannot be worked out)"
	}
	return ""
}

// Sum says that one cell of a table is the sum of others: a row or column
// total, or the "M" of "N of M" (N plus the unprinted rest). A sum with one
// part says two cells hold the same number, as when one count is printed twice.
type Sum struct {
	Total int
	Parts []int
}

// Table is every number a set of reports could show, and every way a reader
// could add them up. Cells are indexes into Values.
type Table struct {
	Values []int
	Sums   []Sum
	// Threshold is the smallest count shown: the deployment's setting.
	// Zero, or anything below MinThreshold, is MinThreshold.
	Threshold int
}

// Least is the smallest count the table shows.
func (t Table) Least() int { return ClampThreshold(t.Threshold) }

// Cell adds a cell and returns its index.
func (t *Table) Cell(v int) int {
	t.Values = append(t.Values, v)
	return len(t.Values) - 1
}

// AddSum records that total is the sum of parts.
func (t *Table) AddSum(total int, parts ...int) {
	t.Sums = append(t.Sums, Sum{Total: total, Parts: slices.Clone(parts)})
}

// small is the primary rule.
func (t Table) small(v int) bool { return v > 0 && v < t.Least() }

// Suppress decides which cells of t are shown. Primary suppression hides every
// count from 1 to the threshold less one (1 to 4 unless set higher). Secondary suppression then repeats until nothing changes:
//
//   - every sum (row, column, total, or "N of M") with exactly one hidden
//     member hides its smallest shown non-zero member as well, since a lone
//     hidden member is the total less the rest;
//   - every hidden cell that Suppress cannot prove safe has the smallest
//     shown non-zero member of one of its sums (or, failing that, of a sum
//     beside them) hidden too. A cell is proved
//     safe by a second filling of the table: another whole number for it,
//     with other hidden cells changed to match, that agrees with every shown
//     cell, every sum and every reason (unprotected). No reader, however
//     clever, can tell the two fillings apart.
//
// A zero is never hidden to protect another cell: the reader knows a hidden
// cell is not zero, so it would protect nothing.
//
// When a small cell is given away by its own label and nothing is left to
// hide (four Practices each "fewer than 5" in an organisation "fewer than 5"
// are each 1), the small cells so exposed take the secondary label instead:
// it is true of them too, and it says only that the cell is not zero. So a
// reader may take a cell with the secondary label to be any count from 1 up,
// and that is all Suppress and Bounds assume.
func Suppress(t Table) []Reason {
	why := make([]Reason, len(t.Values))
	for i, v := range t.Values {
		if t.small(v) {
			why[i] = Small
		}
	}
	in := t.sumsOf()
	for {
		complement(t, why)
		// Each cell a reader could still work out gets one more hidden
		// beside it; a cell beside one just protected waits for the next
		// round, as that may already be enough.
		exposed, protected := false, false
		near := map[int]bool{} // sums given a new hidden cell this round
		for i, open := range unprotected(t, why) {
			if !open {
				continue
			}
			exposed = true
			if slices.ContainsFunc(in[i], func(s int) bool { return near[s] }) {
				protected = true
				continue
			}
			if c, ok := protector(t, why, in, i); ok {
				why[c], protected = Protected, true
				for _, s := range in[c] {
					near[s] = true
				}
			}
		}
		if exposed && !protected {
			// Nothing left to hide: the small cells given away by their
			// label take the label that does not give them away.
			for i, open := range unprotected(t, why) {
				if open && why[i] == Small {
					why[i], protected = Protected, true
				}
			}
		}
		if !exposed || !protected {
			return why // done, or nothing more to do (the caller's audit reports it)
		}
	}
}

// sumsOf lists, for each cell, the sums it is a member of.
func (t Table) sumsOf() [][]int {
	in := make([][]int, len(t.Values))
	for k, s := range t.Sums {
		for _, c := range s.members() {
			in[c] = append(in[c], k)
		}
	}
	return in
}

// better reports whether cell a is a better cell to hide than b (−1 for
// none): the smaller, so that as little as possible is lost.
func better(t Table, a, b int) bool { return b < 0 || t.Values[a] < t.Values[b] }

// complement applies the "exactly one hidden member" rule until it holds everywhere.
func complement(t Table, why []Reason) {
	for changed := true; changed; {
		changed = false
		for _, s := range t.Sums {
			hidden, best := 0, -1
			for _, c := range s.members() {
				switch {
				case why[c].Hidden():
					hidden++
				case t.Values[c] > 0 && better(t, c, best):
					best = c
				}
			}
			if hidden == 1 && best >= 0 {
				why[best], changed = Protected, true
			}
		}
	}
}

// protector is the cell to hide so that cell i can no longer be worked out:
// the best shown non-zero member of a sum holding i or, failing that, of a
// sum holding a hidden cell beside it, and so on outwards. It reports false
// when there is none.
func protector(t Table, why []Reason, in [][]int, i int) (int, bool) {
	frontier, seenCell, seenSum := []int{i}, map[int]bool{i: true}, map[int]bool{}
	for len(frontier) > 0 {
		best := -1
		var next []int
		for _, c := range frontier {
			for _, k := range in[c] {
				if seenSum[k] {
					continue
				}
				seenSum[k] = true
				for _, m := range t.Sums[k].members() {
					switch {
					case !why[m].Hidden():
						if t.Values[m] > 0 && better(t, m, best) {
							best = m
						}
					case !seenCell[m]:
						seenCell[m] = true
						next = append(next, m)
					}
				}
			}
		}
		if best >= 0 {
			return best, true
		}
		frontier = next
	}
	return 0, false
}

func (s Sum) members() []int { return append([]int{s.Total}, s.Parts...) }

// Interval is what a reader can tell about a hidden cell: Lo to Hi, or Lo and
// upwards when Open.
type Interval struct {
	Lo, Hi int
	Open   bool
}

// Exact reports whether the reader can work out the number.
func (iv Interval) Exact() bool { return !iv.Open && iv.Lo == iv.Hi }

// Bounds is the reader's attack on a suppressed table: what can be worked out
// about each hidden cell from the shown cells, the sums, and the reasons
// (a "fewer than 5" cell is 1 to 4; a cell hidden to protect another is 1
// or more, since zero is always shown).
// It eliminates the sums against each other (Gaussian elimination), which
// finds every cell the sums alone decide, then narrows each cell's interval
// through every sum and every eliminated row until nothing moves. Shown
// cells get their own value. Suppress does not rely on it (its proof is
// stronger); the tests attack every published table with it.
func Bounds(t Table, why []Reason) []Interval {
	n := len(t.Values)
	lo, hi := make([]float64, n), make([]float64, n)
	for i, v := range t.Values {
		switch why[i] {
		case Shown:
			lo[i], hi[i] = float64(v), float64(v)
		case Small:
			lo[i], hi[i] = 1, float64(t.Least()-1)
		default:
			lo[i], hi[i] = 1, math.Inf(1)
		}
	}
	groups, sums := components(t, why)
	for g := range groups {
		narrow(t, groups[g], sums[g], lo, hi)
	}
	out := make([]Interval, n)
	for i := range out {
		out[i] = Interval{Lo: int(lo[i])}
		if math.IsInf(hi[i], 1) {
			out[i].Open = true
		} else {
			out[i].Hi = int(hi[i])
		}
	}
	return out
}

// narrow works out what a reader can about one group of hidden cells, vars,
// joined by the sums numbered in sums, narrowing lo and hi in place.
func narrow(t Table, vars, sums []int, lo, hi []float64) {
	col := make(map[int]int, len(vars))
	for k, v := range vars {
		col[v] = k
	}
	// Each sum is an equation over the hidden cells:
	// total − Σ parts = 0, with the shown cells moved to the right.
	type row struct {
		a   []float64 // by hidden cell
		rhs float64
	}
	var rows []row
	for _, k := range sums {
		s := t.Sums[k]
		r := row{a: make([]float64, len(vars))}
		add := func(c int, sign float64) {
			if k, ok := col[c]; ok {
				r.a[k] += sign
			} else {
				r.rhs -= sign * float64(t.Values[c])
			}
		}
		add(s.Total, 1)
		for _, p := range s.Parts {
			add(p, -1)
		}
		rows = append(rows, r)
	}
	// Reduced row echelon form of the equations, added to them: a row with
	// one unknown left is a cell the sums decide outright, and the others
	// combine sums for the narrowing below.
	const eps = 1e-9
	m := make([]row, len(rows))
	for i, r := range rows {
		m[i] = row{a: slices.Clone(r.a), rhs: r.rhs}
	}
	pr := 0
	for c := 0; c < len(vars) && pr < len(m); c++ {
		p := -1
		for i := pr; i < len(m); i++ {
			if math.Abs(m[i].a[c]) > eps && (p < 0 || math.Abs(m[i].a[c]) > math.Abs(m[p].a[c])) {
				p = i
			}
		}
		if p < 0 {
			continue
		}
		m[pr], m[p] = m[p], m[pr]
		f := m[pr].a[c]
		for k := range m[pr].a {
			m[pr].a[k] /= f
		}
		m[pr].rhs /= f
		for i := range m {
			if i == pr || math.Abs(m[i].a[c]) <= eps {
				continue
			}
			g := m[i].a[c]
			for k := range m[i].a {
				m[i].a[k] -= g * m[pr].a[k]
			}
			m[i].rhs -= g * m[pr].rhs
		}
		pr++
	}
	rows = append(rows, m[:pr]...)
	// Narrow each hidden cell through every row until nothing moves. Bounds
	// are whole numbers, so each move is at least 1 and this ends; the cap
	// only guards against a table with enormous counts.
	type term struct {
		k int
		a float64
	}
	sparse := make([][]term, len(rows))
	for i, r := range rows {
		for k, a := range r.a {
			if math.Abs(a) > eps {
				sparse[i] = append(sparse[i], term{k, a})
			}
		}
	}
	// least and most are one term's smallest and largest contribution a·x.
	least := func(t term) float64 {
		if t.a > 0 {
			return t.a * lo[vars[t.k]]
		}
		return t.a * hi[vars[t.k]]
	}
	most := func(t term) float64 {
		if t.a > 0 {
			return t.a * hi[vars[t.k]]
		}
		return t.a * lo[vars[t.k]]
	}
	for pass := 0; pass < 10000; pass++ {
		moved := false
		for i, terms := range sparse {
			// The row's least and most, with the infinite terms counted apart.
			minS, maxS, minInf, maxInf := 0.0, 0.0, 0, 0
			for _, t := range terms {
				if l := least(t); math.IsInf(l, 0) {
					minInf++
				} else {
					minS += l
				}
				if h := most(t); math.IsInf(h, 0) {
					maxInf++
				} else {
					maxS += h
				}
			}
			for _, t := range terms {
				// a·x = rhs − (the other terms), so a·x ≥ rhs − their most, ≤ rhs − their least.
				restMax, restMin := math.Inf(1), math.Inf(-1)
				if h := most(t); math.IsInf(h, 0) {
					if maxInf == 1 {
						restMax = maxS
					}
				} else if maxInf == 0 {
					restMax = maxS - h
				}
				if l := least(t); math.IsInf(l, 0) {
					if minInf == 1 {
						restMin = minS
					}
				} else if minInf == 0 {
					restMin = minS - l
				}
				a, b := (rows[i].rhs-restMax)/t.a, (rows[i].rhs-restMin)/t.a
				if t.a < 0 {
					a, b = b, a
				}
				v := vars[t.k]
				if nl := math.Ceil(a - 1e-6); nl > lo[v] {
					lo[v], moved = nl, true
				}
				if nh := math.Floor(b + 1e-6); nh < hi[v] {
					hi[v], moved = nh, true
				}
			}
		}
		if !moved {
			break
		}
	}
}

// components splits the hidden cells into groups joined by sums, each with
// the sums (by number) that join it: each can be worked on alone.
func components(t Table, why []Reason) (groups, sums [][]int) {
	n := len(t.Values)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	for _, s := range t.Sums {
		first := -1
		for _, c := range s.members() {
			if !why[c].Hidden() {
				continue
			}
			if first < 0 {
				first = c
			} else {
				parent[find(c)] = find(first)
			}
		}
	}
	index := map[int]int{}
	for i := range n {
		if why[i].Hidden() {
			r := find(i)
			g, ok := index[r]
			if !ok {
				g = len(groups)
				index[r] = g
				groups, sums = append(groups, nil), append(sums, nil)
			}
			groups[g] = append(groups[g], i)
		}
	}
	for k, s := range t.Sums {
		if c := slices.IndexFunc(s.members(), func(c int) bool { return why[c].Hidden() }); c >= 0 {
			g := index[find(s.members()[c])]
			sums[g] = append(sums[g], k)
		}
	}
	return groups, sums
}

// coefficients is each sum as a row over the hidden cells vars: +1 for the
// total, −1 for each part, as total − parts = 0.
func coefficients(t Table, vars, sums []int) [][]float64 {
	col := make(map[int]int, len(vars))
	for k, v := range vars {
		col[v] = k
	}
	rows := make([][]float64, len(sums))
	for r, k := range sums {
		rows[r] = make([]float64, len(vars))
		s := t.Sums[k]
		if c, ok := col[s.Total]; ok {
			rows[r][c]++
		}
		for _, p := range s.Parts {
			if c, ok := col[p]; ok {
				rows[r][c]--
			}
		}
	}
	return rows
}

// nullBasis is a basis of the ways the hidden cells can all move together
// and leave every sum as it is: solutions d of rows·d = 0, one for each
// column without a pivot in the reduced row echelon form.
func nullBasis(rows [][]float64, n int) [][]float64 {
	const eps = 1e-9
	m := make([][]float64, len(rows))
	for i, r := range rows {
		m[i] = slices.Clone(r)
	}
	var pivots []int // column of each pivot row
	pr := 0
	for c := 0; c < n && pr < len(m); c++ {
		p := -1
		for i := pr; i < len(m); i++ {
			if math.Abs(m[i][c]) > eps && (p < 0 || math.Abs(m[i][c]) > math.Abs(m[p][c])) {
				p = i
			}
		}
		if p < 0 {
			continue
		}
		m[pr], m[p] = m[p], m[pr]
		f := m[pr][c]
		for k := range m[pr] {
			m[pr][k] /= f
		}
		for i := range m {
			if g := m[i][c]; i != pr && math.Abs(g) > eps {
				for k := range m[i] {
					m[i][k] -= g * m[pr][k]
				}
			}
		}
		pivots = append(pivots, c)
		pr++
	}
	var basis [][]float64
	for f := range n {
		if slices.Contains(pivots, f) {
			continue
		}
		b := make([]float64, n)
		b[f] = 1
		for r, c := range pivots {
			b[c] = -m[r][f]
		}
		basis = append(basis, b)
	}
	return basis
}

// unprotected reports the hidden cells with no second filling that Suppress
// can find: another whole number for the cell, the other hidden cells moved
// to match, agreeing with every shown cell, every sum and every reason (1 to
// 4 for "fewer than 5", 1 or more for a cell hidden to protect another). It
// tries each basic way the cells can move together, in whole steps either
// way, and when one goes out of bounds, that way mended by one other.
func unprotected(t Table, why []Reason) []bool {
	const eps = 1e-6
	out := make([]bool, len(t.Values))
	groups, sums := components(t, why)
	for g, vars := range groups {
		basis := nullBasis(coefficients(t, vars, sums[g]), len(vars))
		// fits reports whether moving by d gives whole numbers within every
		// cell's bounds, and lists the cells that go out if not.
		fits := func(d []float64) (bool, []int) {
			var out []int
			for k, v := range vars {
				x := float64(t.Values[v]) + d[k]
				if math.Abs(x-math.Round(x)) > eps {
					return false, nil
				}
				lo, hi := float64(1), float64(t.Least()-1)
				if why[v] == Protected {
					lo, hi = 1, math.Inf(1)
				}
				if x < lo-eps || x > hi+eps {
					out = append(out, k)
				}
			}
			return len(out) == 0, out
		}
		// whole scales b to whole steps, or nil.
		whole := func(b []float64) []float64 {
			for q := 1.0; q <= 12; q++ {
				ok := true
				for _, x := range b {
					if math.Abs(q*x-math.Round(q*x)) > eps {
						ok = false
						break
					}
				}
				if ok {
					d := make([]float64, len(b))
					for k, x := range b {
						d[k] = math.Round(q * x)
					}
					return d
				}
			}
			return nil
		}
		combine := func(a []float64, sa float64, b []float64, sb float64) []float64 {
			d := make([]float64, len(a))
			for k := range a {
				d[k] = sa * a[k]
				if b != nil {
					d[k] += sb * b[k]
				}
			}
			return d
		}
		// Each basic way, a whole step either way; a way that takes cells
		// out of bounds is mended, once, by another way that moves the
		// first few of them. Every move that fits proves each cell it moves.
		safe := make([]bool, len(vars))
		proves := func(d []float64) {
			for k, x := range d {
				if math.Abs(x) > eps {
					safe[k] = true
				}
			}
		}
		type miss struct {
			f   int
			d   []float64
			bad []int
		}
		var misses []miss
		for f, b := range basis {
			for _, sign := range []float64{1, -1} {
				d := whole(combine(b, sign, nil, 0))
				if d == nil {
					break
				}
				if ok, bad := fits(d); ok {
					proves(d)
				} else if bad != nil {
					misses = append(misses, miss{f, d, bad})
				}
			}
		}
		for _, ms := range misses {
			// Only worth mending for a cell it moves that is not yet proved.
			worth := false
			for k, x := range ms.d {
				worth = worth || (!safe[k] && math.Abs(x) > eps)
			}
			if !worth {
				continue
			}
			for _, i := range ms.bad[:min(len(ms.bad), 3)] {
				for gi, c := range basis {
					if gi == ms.f || math.Abs(c[i]) < eps {
						continue
					}
					for _, s2 := range []float64{1, -1} {
						if e := whole(combine(ms.d, 1, c, s2)); e != nil {
							if ok, _ := fits(e); ok {
								proves(e)
							}
						}
					}
				}
			}
		}
		for k, v := range vars {
			out[v] = !safe[k]
		}
	}
	return out
}

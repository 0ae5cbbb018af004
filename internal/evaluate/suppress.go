// Package evaluate holds the rules for figures that leave a Practice. This
// file is small-number suppression: counts of 1 to 4 are never shown, and
// nor is anything that would let a reader work one out.
package evaluate

import (
	"math"
	"slices"
)

// Threshold is the smallest count shown: counts from 1 to Threshold−1 never
// leave a Practice.
//
// Zero is shown. It describes nobody, so it cannot identify anyone, and a
// report that hid every zero would hide most of a small Practice's figures.
// Because zero is shown, a hidden cell is never zero: the auditor below
// counts on that, as a reader could.
const Threshold = 5

// Reason says whether a cell is shown and, if not, why.
type Reason uint8

const (
	Shown     Reason = iota
	Small            // primary: the count is from 1 to 4
	Protected        // secondary: shown, it would let a reader work out a small count
)

// Hidden reports whether the cell is not shown.
func (r Reason) Hidden() bool { return r != Shown }

// Text is what a reader sees in place of a hidden number.
func (r Reason) Text() string {
	switch r {
	case Small:
		return "not shown: fewer than 5"
	case Protected:
		return "not shown, so that a number under 5 cannot be worked out"
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
}

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
func small(v int) bool { return v > 0 && v < Threshold }

// Suppress decides which cells of t are shown. Primary suppression hides every
// count from 1 to 4. Secondary suppression then repeats until nothing changes:
//
//   - every sum (row, column, total, or "N of M") with exactly one hidden
//     member hides its smallest shown non-zero member as well, since a lone
//     hidden member is the total less the rest;
//   - every hidden cell a reader could still work out, by combining the sums
//     and knowing what each reason implies (Bounds), has the smallest shown
//     non-zero member of one of its sums hidden too.
//
// A zero is never hidden to protect another cell: the reader knows a hidden
// cell is not zero, so it would protect nothing.
func Suppress(t Table) []Reason {
	why := make([]Reason, len(t.Values))
	for i, v := range t.Values {
		if small(v) {
			why[i] = Small
		}
	}
	for {
		complement(t, why)
		exposed := false
		for i, b := range Bounds(t, why) {
			if why[i].Hidden() && b.Exact() {
				exposed = true
				if !protect(t, why, i) {
					return why // nothing left to hide; the caller's audit reports it
				}
				break // one at a time: each new hidden cell changes what a reader can work out
			}
		}
		if !exposed {
			return why
		}
	}
}

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
				case t.Values[c] > 0 && (best < 0 || t.Values[c] < t.Values[best]):
					best = c
				}
			}
			if hidden == 1 && best >= 0 {
				why[best], changed = Protected, true
			}
		}
	}
}

// protect hides one more cell so that cell i can no longer be worked out:
// the smallest shown non-zero member of a sum holding i, or failing that of
// any sum holding a hidden cell. It reports false when there is none.
func protect(t Table, why []Reason, i int) bool {
	pick := func(holds func(Sum) bool) bool {
		best := -1
		for _, s := range t.Sums {
			if !holds(s) {
				continue
			}
			for _, c := range s.members() {
				if !why[c].Hidden() && t.Values[c] > 0 && (best < 0 || t.Values[c] < t.Values[best]) {
					best = c
				}
			}
		}
		if best < 0 {
			return false
		}
		why[best] = Protected
		return true
	}
	return pick(func(s Sum) bool { return slices.Contains(s.members(), i) }) ||
		pick(func(s Sum) bool { return slices.ContainsFunc(s.members(), func(c int) bool { return why[c].Hidden() }) })
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
// (a "fewer than 5" cell is 1 to 4; a cell hidden to protect another is 5 or
// more, since zero and 1 to 4 would have been shown or hidden as small).
// It eliminates the sums against each other (Gaussian elimination), which
// finds every cell the sums alone decide, then narrows each cell's interval
// through every sum and every eliminated row until nothing moves. Shown
// cells get their own value.
func Bounds(t Table, why []Reason) []Interval {
	n := len(t.Values)
	lo, hi := make([]float64, n), make([]float64, n)
	var vars []int // the hidden cells, numbered for the equations
	col := make([]int, n)
	for i, v := range t.Values {
		col[i] = -1
		switch why[i] {
		case Shown:
			lo[i], hi[i] = float64(v), float64(v)
		case Small:
			lo[i], hi[i] = 1, Threshold-1
			col[i] = len(vars)
			vars = append(vars, i)
		default:
			lo[i], hi[i] = Threshold, math.Inf(1)
			col[i] = len(vars)
			vars = append(vars, i)
		}
	}
	// Each sum with a hidden member is an equation over the hidden cells:
	// total − Σ parts = 0, with the shown cells moved to the right.
	type row struct {
		a   []float64 // by hidden cell
		rhs float64
	}
	var rows []row
	for _, s := range t.Sums {
		r := row{a: make([]float64, len(vars))}
		has := false
		add := func(c int, sign float64) {
			if col[c] >= 0 {
				r.a[col[c]] += sign
				has = true
			} else {
				r.rhs -= sign * float64(t.Values[c])
			}
		}
		add(s.Total, 1)
		for _, p := range s.Parts {
			add(p, -1)
		}
		if has {
			rows = append(rows, r)
		}
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

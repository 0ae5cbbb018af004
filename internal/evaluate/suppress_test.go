package evaluate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// grid builds a table of rows with a total for each row, each column and
// the whole, as a report prints them: the last column and row are the totals.
func grid(rows ...[]int) Table {
	var t Table
	nr, nc := len(rows), len(rows[0])
	cell := make([][]int, nr+1)
	for r := range cell {
		cell[r] = make([]int, nc+1)
	}
	for r := 0; r <= nr; r++ {
		for c := 0; c <= nc; c++ {
			v := 0
			switch {
			case r < nr && c < nc:
				v = rows[r][c]
			case r < nr:
				for _, x := range rows[r] {
					v += x
				}
			case c < nc:
				for _, row := range rows {
					v += row[c]
				}
			default:
				for _, row := range rows {
					for _, x := range row {
						v += x
					}
				}
			}
			cell[r][c] = t.Cell(v)
		}
	}
	for r := 0; r <= nr; r++ {
		t.AddSum(cell[r][nc], cell[r][:nc]...)
	}
	for c := 0; c <= nc; c++ {
		var parts []int
		for r := 0; r < nr; r++ {
			parts = append(parts, cell[r][c])
		}
		t.AddSum(cell[nr][c], parts...)
	}
	return t
}

// of is "num of den" with the unprinted rest: cells num, rest, den.
func of(num, den int) Table {
	var t Table
	n, r, d := t.Cell(num), t.Cell(den-num), t.Cell(den)
	t.AddSum(d, n, r)
	return t
}

const (
	S = Shown
	F = Small
	P = Protected
)

func TestSuppress(t *testing.T) {
	tests := []struct {
		name  string
		table Table
		want  []Reason
	}{
		// The bug in issue 15: "12 of 15" with the 12 hidden showed the 3.
		{"12 of 15: the 12 is hidden too, for the 3 it would reveal", of(12, 15), []Reason{P, F, S}},
		{"3 of 15", of(3, 15), []Reason{F, P, S}},
		{"0 of 12: zero and all shown", of(0, 12), []Reason{S, S, S}},
		{"3 of 3: the zero rest is shown", of(3, 3), []Reason{F, S, F}},
		{"0 of 0", of(0, 0), []Reason{S, S, S}},
		{"20 of 30", of(20, 30), []Reason{S, S, S}},
		// 1 of 6: a reader who knows the 5 is hidden to protect (so is 5 or
		// more) works out the 1 from the 6; the 6 goes too.
		{"1 of 6", of(1, 6), []Reason{F, P, S}},
		// Four parts "fewer than 5" in a total "fewer than 5" are each 1,
		// and there is nothing else to hide: they take the other label.
		{"labels that give themselves away", grid([]int{1}, []int{1}, []int{1}, []int{1}), []Reason{P, P, P, P, P, P, P, P, P, P}},
		// Rows [3 10 | 13] [8 9 | 17], totals [11 19 | 30]: the four inner
		// cells are hidden, and no margin.
		{"two by two", grid([]int{3, 10}, []int{8, 9}), []Reason{F, P, S, P, P, S, S, S, S}},
		{"nothing small", grid([]int{7, 10}, []int{8, 9}), []Reason{S, S, S, S, S, S, S, S, S}},
		// A single small row total: the next smallest row total hides as well.
		{"small row total", grid([]int{2, 1}, []int{8, 9}, []int{20, 6}),
			[]Reason{F, F, F, P, S, P, P, P, S, S, S, S}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Suppress(tt.table)
			if len(tt.want) > 0 && !slices.Equal(got, tt.want) {
				t.Errorf("Suppress = %v, want %v (values %v)", got, tt.want, tt.table.Values)
			}
			if i, ok := disclosed(tt.table, got); ok {
				t.Errorf("cell %d (%d) can be worked out: %v", i, tt.table.Values[i], got)
			}
		})
	}
}

func TestReasonText(t *testing.T) {
	for r, want := range map[Reason]string{Shown: "", Small: "not shown (fewer than 5)", Protected: "not shown (so that a number under 5 cannot be worked out)"} {
		if got := r.Text(0); got != want {
			t.Errorf("%d.Text() = %q, want %q", r, got, want)
		}
	}
}

// Bounds works out what a reader would: it is tested on the cases that
// defeated the old rule, and never excludes the true value.
func TestBounds(t *testing.T) {
	tests := []struct {
		name  string
		table Table
		why   []Reason
		exact []bool
	}{
		{"12 of 15 with the 3 alone hidden", of(12, 15), []Reason{S, F, S}, []bool{false, true, false}},
		{"1 hidden, 5 protecting, 6 shown", of(1, 6), []Reason{F, P, S}, []bool{false, false, false}},
		{"two under 5 making 8", of(4, 8), []Reason{F, F, S}, []bool{true, true, false}},
		// Three sums, each harmless alone: x+y=9, y+z=10, x+z=5 leave x=2, y=7, z=3.
		{"combined sums", func() Table {
			var t Table
			x, y, z, a, b, c := t.Cell(2), t.Cell(7), t.Cell(3), t.Cell(9), t.Cell(10), t.Cell(5)
			t.AddSum(a, x, y)
			t.AddSum(b, y, z)
			t.AddSum(c, x, z)
			return t
		}(), []Reason{P, P, P, S, S, S}, []bool{true, true, true, false, false, false}},
		{"four fewer than 5 in a total fewer than 5", grid([]int{1}, []int{1}, []int{1}, []int{1}),
			[]Reason{F, F, F, F, F, F, F, F, F, F}, []bool{true, true, true, true, true, true, true, true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Bounds(tt.table, tt.why)
			for i, iv := range b {
				v := tt.table.Values[i]
				if v < iv.Lo || (!iv.Open && v > iv.Hi) {
					t.Errorf("cell %d: %d outside %+v", i, v, iv)
				}
				if tt.why[i].Hidden() && iv.Exact() != tt.exact[i] {
					t.Errorf("cell %d: exact %v, want %v (%+v)", i, iv.Exact(), tt.exact[i], iv)
				}
			}
		})
	}
}

// Random tables full of small numbers, suppressed, then attacked by an
// exhaustive search of every whole-number filling consistent with what is
// shown: no hidden cell may have only one possible value.
func TestSuppressRandomTablesAgainstExhaustiveSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 6))
	for n := range 300 {
		nr, nc := 2+rng.IntN(3), 2+rng.IntN(2)
		rows := make([][]int, nr)
		for r := range rows {
			rows[r] = make([]int, nc)
			for c := range rows[r] {
				switch rng.IntN(4) {
				case 0:
					rows[r][c] = 0
				case 1, 2:
					rows[r][c] = 1 + rng.IntN(4)
				default:
					rows[r][c] = 5 + rng.IntN(8)
				}
			}
		}
		tab := grid(rows...)
		why := Suppress(tab)
		for i, v := range tab.Values {
			if tab.small(v) && !why[i].Hidden() {
				t.Fatalf("table %d: %d shown", n, v)
			}
			if v == 0 && why[i].Hidden() {
				t.Fatalf("table %d: a zero hidden", n)
			}
		}
		for i, iv := range Bounds(tab, why) {
			if v := tab.Values[i]; v < iv.Lo || (!iv.Open && v > iv.Hi) {
				t.Fatalf("table %d: Bounds excludes the true %d of cell %d: %+v", n, v, i, iv)
			}
		}
		if i, ok := disclosed(tab, why); ok {
			t.Fatalf("table %d %v: cell %d (%d) has one possible value; reasons %v", n, rows, i, tab.Values[i], why)
		}
	}
}

// disclosed searches the whole-number fillings of the hidden cells that agree
// with the shown cells, the sums and the reasons, and returns a hidden cell
// for which no filling gives any value but its true one. It shares nothing
// with Bounds.
func disclosed(t Table, why []Reason) (int, bool) {
	// The search needs a ceiling; twice the largest number in the table is
	// above any value a reader could be held to, so it binds nothing.
	top := 0
	for _, v := range t.Values {
		top = max(top, v)
	}
	top = 2*top + t.Least()
	val := make([]int, len(t.Values))
	set := make([]bool, len(t.Values))
	var hidden []int
	for i, v := range t.Values {
		if why[i].Hidden() {
			hidden = append(hidden, i)
		} else {
			val[i], set[i] = v, true
		}
	}
	// Branch on the cells of 1 to 4 first: four values each.
	order := slices.Clone(hidden)
	slices.SortStableFunc(order, func(a, b int) int { return int(why[a]) - int(why[b]) })
	for _, x := range hidden {
		domain := func(i int) (int, int) {
			if why[i] == Small {
				return 1, t.Least() - 1
			}
			return 1, top
		}
		allowed := func(i, v int) bool {
			lo, hi := domain(i)
			return v >= lo && v <= hi && (i != x || v != t.Values[x])
		}
		nodes := 0
		var search func() bool // is there a filling, with x not its true value?
		search = func() bool {
			if nodes++; nodes > 5_000_000 {
				panic(fmt.Sprintf("search too large for %v", t.Values))
			}
			// A sum with one member unset decides it; a full sum must hold.
			for _, s := range t.Sums {
				unset, count, total := -1, 0, 0 // total: the total less the parts, over those set
				for k, c := range s.members() {
					sign := -1
					if k == 0 {
						sign = 1
					}
					if set[c] {
						total += sign * val[c]
					} else {
						unset, count = c, count+1
					}
				}
				if count == 0 && total != 0 {
					return false
				}
				if count == 1 {
					v := total
					if unset == s.Total {
						v = -total
					}
					if !allowed(unset, v) {
						return false
					}
					val[unset], set[unset] = v, true
					ok := search()
					set[unset] = false
					return ok
				}
			}
			for _, i := range order {
				if set[i] {
					continue
				}
				lo, hi := domain(i)
				for v := lo; v <= hi; v++ {
					if !allowed(i, v) {
						continue
					}
					val[i], set[i] = v, true
					ok := search()
					set[i] = false
					if ok {
						return true
					}
				}
				return false
			}
			return true
		}
		if !search() {
			return x, true
		}
	}
	return 0, false
}

// A deployment that raises the threshold to 10 shows no count from 1 to 9
// anywhere, and the reader's attack recovers none; counts of 5 to 9, which
// the default shows, are among those hidden. A setting below 5 changes nothing.
func TestSuppressAtRaisedThreshold(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 10))
	raised := 0
	for n := range 200 {
		nr, nc := 2+rng.IntN(3), 2+rng.IntN(2)
		rows := make([][]int, nr)
		for r := range rows {
			rows[r] = make([]int, nc)
			for c := range rows[r] {
				switch rng.IntN(4) {
				case 0:
					rows[r][c] = 0
				case 1:
					rows[r][c] = 1 + rng.IntN(4)
				case 2:
					rows[r][c] = 5 + rng.IntN(5) // shown at 5, hidden at 10
				default:
					rows[r][c] = 10 + rng.IntN(12)
				}
			}
		}
		tab := grid(rows...)
		tab.Threshold = 10
		why := Suppress(tab)
		for i, v := range tab.Values {
			if v > 0 && v < 10 && !why[i].Hidden() {
				t.Fatalf("table %d %v: %d shown at threshold 10", n, rows, v)
			}
			if v >= 5 && v < 10 && why[i] == Small {
				raised++
			}
		}
		for i, iv := range Bounds(tab, why) {
			if why[i].Hidden() && iv.Exact() {
				t.Fatalf("table %d %v: hidden cell %d (%d) worked out from the margins: %+v", n, rows, i, tab.Values[i], iv)
			}
			if v := tab.Values[i]; v < iv.Lo || (!iv.Open && v > iv.Hi) {
				t.Fatalf("table %d: Bounds excludes the true %d of cell %d: %+v", n, v, i, iv)
			}
		}
		if i, ok := disclosed(tab, why); ok {
			t.Fatalf("table %d %v: cell %d (%d) has one possible value at threshold 10", n, rows, i, tab.Values[i])
		}
	}
	if raised == 0 {
		t.Fatal("no count from 5 to 9 was hidden as small: the threshold was not applied")
	}
	if got := Small.Text(10); got != "not shown (fewer than 10)" {
		t.Errorf("Small.Text(10) = %q", got)
	}
	if got := Protected.Text(10); got != "not shown (so that a number under 10 cannot be worked out)" {
		t.Errorf("Protected.Text(10) = %q", got)
	}
	// Below the floor, the floor holds: 1 to 4 are hidden at a setting of 2.
	low := grid([]int{3, 7}, []int{9, 8})
	low.Threshold = 2
	if why := Suppress(low); !why[0].Hidden() {
		t.Error("a 3 was shown at a setting of 2: counts 1–4 must never leave a Practice")
	}
	if got := Small.Text(2); got != "not shown (fewer than 5)" {
		t.Errorf("Small.Text(2) = %q", got)
	}
}

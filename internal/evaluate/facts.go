package evaluate

// Facts are the three questions asked at baseline and exit whose change the
// 2020 evaluation of Pause reported (DOMAIN.md §1.7), each with that
// evaluation's finding beside it.
var Facts = []Fact{
	{Key: "stable-housing", Name: "In stable housing", Benchmark: "Women homeless or in unstable accommodation almost halved"},
	{Key: "paid-work", Name: "In paid work", Benchmark: "A 60% increase in the proportion of women in paid employment"},
	{Key: "child-contact", Name: "Face-to-face contact with any of her children", Benchmark: "A 25% increase in the proportion reporting face-to-face contact with children"},
}

// FactsSource is where the benchmarks come from.
const FactsSource = "Boddy et al. (2020), the DfE evaluation of Pause by the University of Sussex with Research in Practice and Ipsos MORI, " +
	"as summarised at pause.org.uk/news/new-independent-evaluation-of-pause-shows-the-difference-a-relationship-makes/"

// Fact is one start-to-exit question.
type Fact struct {
	Key, Name, Benchmark string
}

// FactChange is one fact for a row: of the women with a known answer at both
// baseline and exit (N), how many said yes at each.
type FactChange struct {
	N, AtStart, AtExit Figure
}

// StartRate and ExitRate are the shares saying yes; "" where not shown.
func (f FactChange) StartRate() string {
	r, _ := Rate(f.AtStart, f.N)
	return r
}

func (f FactChange) ExitRate() string {
	r, _ := Rate(f.AtExit, f.N)
	return r
}

// factCounts counts each woman once, however many enrolments she has.
func factCounts(js []Journey) (n, start, exit []int) {
	n, start, exit = make([]int, len(Facts)), make([]int, len(Facts)), make([]int, len(Facts))
	seen := map[int64]bool{}
	for _, j := range js {
		if seen[j.Person] {
			continue
		}
		seen[j.Person] = true
		for i, f := range Facts {
			a, b := j.Start[f.Key], j.Exit[f.Key]
			if (a == "yes" || a == "no") && (b == "yes" || b == "no") {
				n[i]++
				if a == "yes" {
					start[i]++
				}
				if b == "yes" {
					exit[i]++
				}
			}
		}
	}
	return n, start, exit
}

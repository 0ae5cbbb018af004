package measure

import "strconv"

// The instruments, as published. Every figure here has its source in
// docs/MEASURES.md; change one only with its source. These values are read
// only: nothing may change them after start-up.

// noMissingRule is the rule for every instrument here: MEASURES.md gives no
// published rule for missing items, and Haven does not invent one (the PHQ
// manual's proration, for one, is not adopted without the lead's decision).
const noMissingRule = "No published rule for missing items is applied: a form with any item missing is not scored."

// swemwbsMetric converts a SWEMWBS raw total (7–35) to its metric score, from
// Warwick's "SWEMWBS raw score to metric score conversion table" as
// reproduced in MEASURES.md.
//
// 29 → 26.02, not 25.99. MEASURES.md warns that one copy gives 25.99. We use
// 26.02 because it is the value in MEASURES.md's own list and in every
// independent implementation we could find that cites the Warwick PDF (three
// R analyses in public repositories); no copy giving 25.99 was found. The
// official table is available only after registering with Warwick: TODO(lead)
// check this row against it before WEMWBS/SWEMWBS are switched on.
var swemwbsMetric = map[int]Hundredths{
	7: 700, 8: 951, 9: 1125, 10: 1240, 11: 1333, 12: 1408, 13: 1475, 14: 1532, 15: 1584,
	16: 1636, 17: 1688, 18: 1743, 19: 1798, 20: 1859, 21: 1925, 22: 1998, 23: 2073, 24: 2154,
	25: 2235, 26: 2321, 27: 2411, 28: 2503, 29: 2602, 30: 2703, 31: 2813, 32: 2931, 33: 3070,
	34: 3255, 35: 3500,
}

// phqCuts are the PHQ-9 bands: 0–4 minimal, 5–9 mild, 10–14 moderate,
// 15–19 moderately severe, 20–27 severe.
var phqCuts = []cut{{0, BandMinimal}, {5, BandMild}, {10, BandModerate}, {15, BandModeratelySevere}, {20, BandSevere}}

// gadCuts are the GAD-7 bands: 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe.
var gadCuts = []cut{{0, BandMinimal}, {5, BandMild}, {10, BandModerate}, {15, BandSevere}}

// onsCuts are the ONS thresholds for life satisfaction, worthwhile and
// happiness; onsAnxietyCuts for anxiety, where higher is worse.
var (
	onsCuts        = []cut{{0, BandLow}, {5, BandMedium}, {7, BandHigh}, {9, BandVeryHigh}}
	onsAnxietyCuts = []cut{{0, BandVeryLow}, {2, BandLow}, {4, BandMedium}, {6, BandHigh}}
)

// frequency are the PHQ-9 and GAD-7 responses.
var frequency = []Option{{0, "Not at all"}, {1, "Several days"}, {2, "More than half the days"}, {3, "Nearly every day"}}

// pfizerLine is the attribution printed on the PHQ-9 and GAD-7 forms.
const pfizerLine = "Developed by Drs Robert L. Spitzer, Janet B. W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute."

// labelled returns n items labelled "Item 1" … "Item n", without wording.
func labelled(n int) []Item {
	items := make([]Item, n)
	for i := range items {
		k := strconv.Itoa(i + 1)
		items[i] = Item{Key: "item" + k, Label: "Item " + k, HigherIsBetter: true}
	}
	return items
}

// worded returns items with the given public-domain wording.
func worded(higherIsBetter bool, texts ...string) []Item {
	items := make([]Item, len(texts))
	for i, t := range texts {
		k := strconv.Itoa(i + 1)
		items[i] = Item{Key: "item" + k, Label: "Item " + k, Text: t, HigherIsBetter: higherIsBetter}
	}
	return items
}

func zeroToTen() []Option {
	o := make([]Option, 11)
	for i := range o {
		o[i] = Option{i, strconv.Itoa(i)}
	}
	return o
}

var wellbeing = []Option{{1, "None of the time"}, {2, "Rarely"}, {3, "Some of the time"}, {4, "Often"}, {5, "All of the time"}}

var instruments = []*Instrument{
	{
		ID: WEMWBS, Name: "WEMWBS",
		// Item wording is © and released to registered users: labels only (docs/MEASURES.md).
		Items: labelled(14), Options: wellbeing, Min: 1, Max: 5, Registered: true, HasTotal: true, HigherIsBetter: true,
		Copyright: "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2006, all rights reserved.",
		Change: MeaningfulChange{Points: Points(3),
			Source: "3 points, the figure given in Warwick Medical School's guidance on interpreting change; the published responsiveness study gives a standard error of measurement of 2.4 to 3.1 points (Maheswaran et al. 2012, Health Qual Life Outcomes 10:156, doi:10.1186/1477-7525-10-156).",
			Check:  "TODO(lead): confirm the 3-point figure in Warwick's WEMWBS user guide (available after registration); the paper cited gives a standard error, not this threshold."},
		MissingRule: noMissingRule,
	},
	{
		ID: SWEMWBS, Name: "SWEMWBS",
		Items: labelled(7), Options: wellbeing, Min: 1, Max: 5, Registered: true, HasTotal: true, HigherIsBetter: true,
		Copyright: "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved.",
		Change: MeaningfulChange{Points: Points(3),
			Source: "A change of between 1 and 3 points (metric score) meets thresholds for statistically important individual change: 1.03 at 1 SEM, 2.87 at 2.77 SEM (Health Qual Life Outcomes 2018;16:239, doi:10.1186/s12955-018-1060-2).",
			Check:  "TODO(lead): the source gives a range, 1 to 3; the default is its stricter end, 3. Decide whether that is the default wanted."},
		MissingRule: noMissingRule,
		metric:      swemwbsMetric,
	},
	{
		ID: PHQ9, Name: "PHQ-9",
		Stem: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
		Items: worded(false,
			"Little interest or pleasure in doing things",
			"Feeling down, depressed, or hopeless",
			"Trouble falling or staying asleep, or sleeping too much",
			"Feeling tired or having little energy",
			"Poor appetite or overeating",
			"Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
			"Trouble concentrating on things, such as reading the newspaper or watching television",
			"Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
			"Thoughts that you would be better off dead or of hurting yourself in some way",
		),
		Options: frequency, Min: 0, Max: 3, HasTotal: true,
		Copyright: "PHQ-9. " + pfizerLine,
		Change: MeaningfulChange{Points: Points(5),
			Source: "Minimal clinically important difference for individual change, 5 points on the 0–27 scale (Löwe et al. 2004, Monitoring depression treatment outcomes with the PHQ-9, Med Care 42(12):1194–1201, doi:10.1097/00005650-200412000-00006)."},
		MissingRule: noMissingRule,
		cuts:        phqCuts,
		flags: func(a []Answer) []Flag {
			// Item 9 above "not at all", answered even on an incomplete form.
			if a[8].Given && a[8].Value > 0 {
				return []Flag{FlagItem9}
			}
			return []Flag{}
		},
	},
	{
		ID: GAD7, Name: "GAD-7",
		Stem: "Over the last 2 weeks, how often have you been bothered by the following problems?",
		Items: worded(false,
			"Feeling nervous, anxious or on edge",
			"Not being able to stop or control worrying",
			"Worrying too much about different things",
			"Trouble relaxing",
			"Being so restless that it is hard to sit still",
			"Becoming easily annoyed or irritable",
			"Feeling afraid as if something awful might happen",
		),
		Options: frequency, Min: 0, Max: 3, HasTotal: true,
		Copyright: "GAD-7. " + pfizerLine,
		Change: MeaningfulChange{Points: Points(4),
			Source: "Minimal clinically important difference estimated at 4 points on the GAD-7 total (Toussaint et al. 2020, J Affect Disord 265:395–401, doi:10.1016/j.jad.2020.01.032).",
			Check:  "Not in MEASURES.md: found for this work, from the paper's abstract; the lead may prefer none."},
		MissingRule: noMissingRule,
		cuts:        gadCuts,
	},
	{
		ID: ONS4, Name: "ONS4 personal well-being",
		Stem: "For each of these questions, give an answer on a scale of 0 to 10, where 0 is “not at all” and 10 is “completely”.",
		Items: []Item{
			{Key: "lifeSatisfaction", Label: "Life satisfaction", Text: "Overall, how satisfied are you with your life nowadays?",
				LowAnchor: "Not at all satisfied", HighAnchor: "Completely satisfied", HigherIsBetter: true, cuts: onsCuts},
			{Key: "worthwhile", Label: "Worthwhile", Text: "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
				LowAnchor: "Not at all worthwhile", HighAnchor: "Completely worthwhile", HigherIsBetter: true, cuts: onsCuts},
			{Key: "happiness", Label: "Happiness", Text: "Overall, how happy did you feel yesterday?",
				LowAnchor: "Not at all happy", HighAnchor: "Completely happy", HigherIsBetter: true, cuts: onsCuts},
			{Key: "anxiety", Label: "Anxiety", Text: "On a scale where 0 is “not at all anxious” and 10 is “completely anxious”, overall, how anxious did you feel yesterday?",
				LowAnchor: "Not at all anxious", HighAnchor: "Completely anxious", cuts: onsAnxietyCuts},
		},
		Options: zeroToTen(), Min: 0, Max: 10,
		Copyright: "ONS personal well-being questions: Office for National Statistics, Crown copyright, Open Government Licence v3.0.",
		Change: MeaningfulChange{
			Check: "TODO(lead): no published meaningful-change threshold was found for the ONS4 items; none is assumed."},
		MissingRule: noMissingRule,
	},
}

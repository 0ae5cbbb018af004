package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"haven/internal/audit"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/store"
)

// evalSettings is the deployment's evaluation settings as values for the
// reports (issue 17 items 5 and 7): the suppression threshold, and each
// measure with the meaningful change in use beside the published one.
type evalSettings struct {
	Report   evaluate.Settings
	Measures []evaluate.ChangeMeasure
	All      map[string]store.EvaluationSetting
}

// Least is the smallest count shown.
func (e evalSettings) Least() int { return evaluate.ClampThreshold(e.Report.Threshold) }

func (s *Server) evalSettings(r *http.Request) (evalSettings, error) {
	all, err := s.store.EvaluationSettings(r.Context())
	if err != nil {
		return evalSettings{}, err
	}
	return evalSettings{Report: evaluate.Settings{Threshold: all[store.SettingThreshold].Value},
		Measures: evaluate.ChangeMeasuresWith(store.ChangeSettings(all)), All: all}, nil
}

// suppressionWords puts the threshold in force into a method's text, which
// is written for the default ("from 1 to 4", "fewer than 5").
func suppressionWords(text string, threshold int) string {
	return strings.NewReplacer("from 1 to 4", "from 1 to "+strconv.Itoa(threshold-1), "fewer than 5", "fewer than "+strconv.Itoa(threshold)).Replace(text)
}

// evalSettingsPage is where an administrator sets the evaluation's settings
// for the whole deployment: the smallest count shown in any figure that
// leaves a Practice, and each instrument's meaningful change.
type evalSettingsPage struct {
	Layout
	Threshold        int
	ThresholdVersion int64
	ThresholdBy      string
	Min, Max         int
	Changes          []changeSettingRow
	Form             evalSettingsForm
}

// changeSettingRow is one instrument's meaningful change: published, and in use.
type changeSettingRow struct {
	*measure.Instrument
	Published measure.Hundredths // 0 where none is published
	InUse     measure.Hundredths
	Set       bool
	Version   int64
	By        string
}

type evalSettingsForm struct {
	Threshold, Instrument, Points string
}

func (s *Server) evalSettingsData(r *http.Request) (*evalSettingsPage, error) {
	set, err := s.evalSettings(r)
	if err != nil {
		return nil, err
	}
	th := set.All[store.SettingThreshold]
	page := &evalSettingsPage{Layout: Layout{Title: "Evaluation settings", Nav: "admin"}, Threshold: set.Least(), ThresholdVersion: th.Version,
		ThresholdBy: th.By, Min: evaluate.MinThreshold, Max: evaluate.MaxThreshold}
	page.Form.Threshold = strconv.Itoa(page.Threshold)
	for _, in := range measure.All() {
		row := changeSettingRow{Instrument: in, Published: in.Change.Points, InUse: in.Change.Points}
		if v, ok := set.All[store.SettingChange(in.ID)]; ok {
			row.InUse, row.Set, row.Version, row.By = measure.Hundredths(v.Value), true, v.Version, v.By
		}
		page.Changes = append(page.Changes, row)
	}
	return page, nil
}

func (s *Server) evaluationSettings(w http.ResponseWriter, r *http.Request) error {
	page, err := s.evalSettingsData(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin-evaluation.html", page)
}

// saveEvalThreshold is POST /admin/evaluation/threshold.
func (s *Server) saveEvalThreshold(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.evalSettingsData(r)
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(r.PostFormValue("threshold"))
	version, verr := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	fields := map[string]string{}
	n, nerr := strconv.Atoi(raw)
	switch {
	case raw == "":
		fields["threshold"] = "Enter the smallest number shown"
	case nerr != nil || n < evaluate.MinThreshold || n > evaluate.MaxThreshold:
		// Counts of 1 to 4 never leave a Practice: the setting may only raise the floor.
		fields["threshold"] = "Smallest number shown must be a whole number from " + strconv.Itoa(evaluate.MinThreshold) + " to " + strconv.Itoa(evaluate.MaxThreshold)
	case verr != nil || version < 0:
		fields["threshold"] = "The page was out of date: check the setting below, then try again"
	}
	if len(fields) == 0 {
		err := s.store.SaveEvaluationSetting(r.Context(), s.auditEvent(r, audit.Update), store.SettingThreshold, n, version, infoFrom(r.Context()).actor.User.ID)
		switch {
		case err == nil:
			s.saved(w, r, "/admin/evaluation", "eval-threshold")
			return nil
		case errors.Is(err, haven.ErrConflict):
			fields["threshold"] = "Someone else changed this setting while you were working. Check it below, then try again"
		default:
			return err
		}
	}
	page.Form.Threshold = raw
	page.Errors = fieldErrors(fields, "threshold")
	return s.render(w, r, http.StatusUnprocessableEntity, "admin-evaluation.html", page)
}

// saveEvalChange is POST /admin/evaluation/change: an instrument's
// meaningful change in points (exact to hundredths), or empty to use the
// published value again.
func (s *Server) saveEvalChange(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.evalSettingsData(r)
	if err != nil {
		return err
	}
	f := evalSettingsForm{Threshold: page.Form.Threshold, Instrument: r.PostFormValue("instrument"), Points: strings.TrimSpace(r.PostFormValue("points"))}
	fields := map[string]string{}
	in, ok := measure.Lookup(measure.ID(f.Instrument))
	var row changeSettingRow
	for _, c := range page.Changes {
		if ok && c.ID == in.ID {
			row = c
		}
	}
	version, verr := strconv.ParseInt(r.PostFormValue("version-"+f.Instrument), 10, 64)
	var h measure.Hundredths
	switch {
	case !ok:
		fields["instrument"] = "Choose a measure"
	case verr != nil || version != row.Version:
		fields["instrument"] = "Someone else changed this setting while you were working. Check it below, then try again"
	case f.Points == "" && !row.Set:
		fields["points"] = "Enter the meaningful change, in points"
	case f.Points != "":
		var perr error
		if h, perr = parsePoints(f.Points); perr != nil {
			fields["points"] = "Meaningful change " + perr.Error()
		} else if why, allowed := evaluate.ChangeSettingAllowed(in, h); !allowed {
			fields["points"] = "Meaningful change " + why
		}
	}
	if len(fields) == 0 {
		ev, by := s.auditEvent(r, audit.Update), infoFrom(r.Context()).actor.User.ID
		var err error
		if f.Points == "" {
			err = s.store.ClearEvaluationSetting(r.Context(), ev, store.SettingChange(in.ID), version)
		} else {
			err = s.store.SaveEvaluationSetting(r.Context(), ev, store.SettingChange(in.ID), int(h), version, by)
		}
		switch {
		case err == nil:
			s.saved(w, r, "/admin/evaluation", "eval-change")
			return nil
		case errors.Is(err, haven.ErrConflict):
			fields["instrument"] = "Someone else changed this setting while you were working. Check it below, then try again"
		default:
			return err
		}
	}
	page.Form = f
	page.Errors = fieldErrors(fields, "instrument", "points")
	return s.render(w, r, http.StatusUnprocessableEntity, "admin-evaluation.html", page)
}

// parsePoints reads a number of points exactly, to hundredths: "3", "2.5",
// "2.75". Never through a float.
func parsePoints(s string) (measure.Hundredths, error) {
	bad := errors.New("must be a number of points, like 3 or 2.5, with at most two decimal places")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 4 || (dot && (frac == "" || len(frac) > 2)) {
		return 0, bad
	}
	for _, c := range whole + frac {
		if c < '0' || c > '9' {
			return 0, bad
		}
	}
	w, _ := strconv.Atoi(whole)
	f := 0
	if frac != "" {
		f, _ = strconv.Atoi(frac)
		if len(frac) == 1 {
			f *= 10
		}
	}
	return measure.Hundredths(w*100 + f), nil
}

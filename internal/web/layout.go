package web

// The frame around every page (head, header, navigation, phase banner, error
// summary and footer), written in Go for the reason rows.go gives: it is on
// every page. The markup is what templates/layout.html had
// (TestLayoutMatchesTheTemplateItReplaced); every value is escaped.

// top is the frame up to a page's content.
func (l *Layout) top() string {
	var w rows
	w.markup(`<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
  <meta charset="utf-8">
  <title>`)
	if l.HasErrors() {
		w.markup("Error: ")
	}
	w.text(l.Title)
	if l.Title != "Haven" {
		w.markup(" – Haven")
	}
	w.markup(`</title>
  <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
  <meta name="theme-color" content="#0b0c0c">
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/dist/app.css">
</head>
<body class="govuk-template__body"`)
	if l.SignedIn {
		w.markup(` data-session-timeout-minutes="30"`)
	}
	w.markup(`>
  <script src="/static/init.js"></script>
  <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
  <header class="govuk-generic-header" role="banner">
    <div class="govuk-generic-header__container govuk-width-container">
      <div class="govuk-generic-header__logo">
        <a href="/" class="govuk-generic-header__homepage-link">Haven</a>
      </div>
    </div>
  </header>
  `)
	w.markup(string(l.Navigation()))
	w.markup(`
  <div class="govuk-width-container">
    <div class="govuk-phase-banner">
      <p class="govuk-phase-banner__content">
        <strong class="govuk-tag govuk-phase-banner__content__tag">Alpha</strong>
        <span class="govuk-phase-banner__text">This is a new service. Every person in this demonstration is fictional.</span>
      </p>
    </div>
    <main class="govuk-main-wrapper" id="main-content">
`)
	if l.HasErrors() {
		w.markup(`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">` +
			`<h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">`)
		for _, e := range l.Errors {
			w.markup(`<li><a href="#`)
			w.text(e.Field)
			w.markup(`">`)
			w.text(e.Message)
			w.markup(`</a></li>`)
		}
		w.markup("</ul></div></div></div>\n")
	}
	return w.b.String()
}

// bottom is the frame after a page's content.
func (l *Layout) bottom() string {
	var w rows
	w.markup(`
    </main>
  </div>
  <footer class="govuk-footer">
    <div class="govuk-width-container">
      <div class="govuk-footer__meta">
        <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
          <h2 class="govuk-visually-hidden">Support links</h2>
          <ul class="govuk-footer__inline-list">
            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/accessibility">Accessibility statement</a></li>
            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/privacy">Privacy notice</a></li>
            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/cookies">Cookies</a></li>
            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/calculators">Cost calculators</a></li>
            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/directory">Directory of services</a></li>
            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/directory/map">Map of services</a></li>
            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/library">Resource library</a></li>
          </ul>
          `)
	if l.SignedIn {
		w.markup(`<p class="govuk-body-s">For your security, Haven signs you out after 30 minutes without activity. Anything you are typing is kept when that happens.</p>`)
	}
	w.markup(`
          <p class="govuk-body-s">Haven uses the GOV.UK Design System and the MOJ Design System. It is not a GOV.UK service.</p>
        </div>
      </div>
    </div>
  </footer>
  <script type="module" src="/static/app.mjs"></script>
</body>
</html>
`)
	return w.b.String()
}

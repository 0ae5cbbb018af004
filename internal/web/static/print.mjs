// The Print button on printable pages. Each [data-haven-print] holds a hint to
// use the browser's print command, for browsers without JavaScript; here it
// becomes a GOV.UK secondary button that prints, its text the attribute's.
// It is added by a script, not written in the page, because only a browser
// that can run the script can use it, and the CSP allows no inline script.
for (const hint of document.querySelectorAll('[data-haven-print]')) {
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'govuk-button govuk-button--secondary'
  button.textContent = hint.dataset.havenPrint || 'Print this page'
  button.addEventListener('click', () => window.print())
  hint.replaceChildren(button)
}

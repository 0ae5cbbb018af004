// Runs before the page is drawn, so GOV.UK Frontend styles its JavaScript
// enhancements only when the browser can run them. Kept out of the page
// itself so the Content-Security-Policy needs no inline scripts.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');

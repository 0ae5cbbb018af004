// Warns five minutes before Haven signs someone out for inactivity, and lets
// them stay signed in. Without JavaScript nothing is lost either: a form sent
// after the time-out is kept through signing in again.
const body = document.body
const minutes = Number(body.dataset.sessionTimeoutMinutes)

if (minutes > 5) {
  const warnAfter = (minutes - 5) * 60 * 1000
  let timer

  const dialog = document.createElement('dialog')
  dialog.className = 'haven-timeout'
  dialog.setAttribute('aria-labelledby', 'haven-timeout-title')
  dialog.setAttribute('aria-describedby', 'haven-timeout-text')
  dialog.innerHTML =
    '<h2 class="govuk-heading-m" id="haven-timeout-title">You will be signed out soon</h2>' +
    '<p class="govuk-body" id="haven-timeout-text">For your security, Haven will sign you out in 5 minutes because you have not done anything for a while. Anything you have typed will be kept.</p>' +
    '<div class="govuk-button-group">' +
    '<button type="button" class="govuk-button" data-action="stay">Stay signed in</button>' +
    '</div>'
  body.appendChild(dialog)

  const schedule = () => {
    clearTimeout(timer)
    timer = setTimeout(() => dialog.showModal(), warnAfter)
  }

  dialog.querySelector('[data-action="stay"]').addEventListener('click', async () => {
    try {
      await fetch('/session/keepalive', { method: 'POST', credentials: 'same-origin' })
    } finally {
      dialog.close()
      schedule()
    }
  })
  schedule()
}

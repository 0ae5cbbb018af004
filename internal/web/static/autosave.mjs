// Saves a draft of a form to the server while someone types, so a time-out,
// a closed tab or a lost connection loses nothing. Drafts live on the server
// for their author alone, never in the browser's storage. Without
// JavaScript the form's "Save as draft" button does the same job.
const EVERY = 10 * 1000
// Browsers refuse keepalive bodies over 64 KiB; a long note is sent plainly instead.
const KEEPALIVE_MAX = 60000

for (const form of document.querySelectorAll('form[data-autosave-url]')) {
  const url = form.dataset.autosaveUrl
  let status = form.querySelector('[data-autosave-status]')
  if (!status) {
    status = document.createElement('div')
    status.className = 'govuk-body-s'
    status.setAttribute('role', 'status')
    status.setAttribute('aria-live', 'polite')
    form.appendChild(status)
  }
  let changed = false
  let sending = false
  let submitted = false

  // Only a change of words is announced, so a screen reader is not told every 10 seconds.
  const say = (text) => {
    if (status.textContent !== text) status.textContent = text
  }

  const save = async (leaving) => {
    if (!changed || sending || submitted) return
    changed = false
    sending = true
    const body = new URLSearchParams(new FormData(form))
    try {
      const res = await fetch(url, {
        method: 'POST',
        body, // sent as application/x-www-form-urlencoded
        credentials: 'same-origin',
        redirect: 'error',
        keepalive: leaving && body.toString().length < KEEPALIVE_MAX
      })
      if (!res.ok) throw new Error(String(res.status))
      const data = await res.json()
      say(data.status || 'Draft saved')
    } catch {
      changed = true // try again at the next tick
      say('Your draft could not be saved just now. Use “Save as draft” to keep it.')
    } finally {
      sending = false
    }
  }

  const mark = () => { changed = true }
  form.addEventListener('input', mark)
  form.addEventListener('change', mark)
  // Once the form is sent, the draft goes with the saved session: never save it again.
  form.addEventListener('submit', () => { submitted = true })

  setInterval(() => save(false), EVERY)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save(true)
  })
  window.addEventListener('pagehide', () => save(true))
}

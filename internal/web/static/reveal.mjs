// Conditional reveals for radios, as GOV.UK Frontend's, but without the
// aria-expanded it puts on each radio: ARIA does not allow it on a radio,
// and axe fails the page for it. Without JavaScript every revealed field
// simply shows. Mark the radios' container with data-haven-reveal, and each
// radio with data-aria-controls naming the block it reveals.
for (const group of document.querySelectorAll('[data-haven-reveal]')) {
  const inputs = [...group.querySelectorAll('input[type=radio][data-aria-controls]')]
  const sync = () => {
    for (const input of inputs) {
      const target = document.getElementById(input.dataset.ariaControls)
      if (!target) continue
      input.setAttribute('aria-controls', target.id)
      target.classList.toggle('govuk-radios__conditional--hidden', !input.checked)
    }
  }
  group.addEventListener('change', sync)
  sync()
}

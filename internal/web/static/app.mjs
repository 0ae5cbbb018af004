// Progressive enhancement only: every page works without this file.
import { initAll as initGovuk } from './dist/govuk-frontend.min.js'
import { initAll as initMoj } from './dist/moj-frontend.min.js'

initGovuk()
initMoj()
import './timeout.mjs'
import './autosave.mjs'
import './print.mjs'

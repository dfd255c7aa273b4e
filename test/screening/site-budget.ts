// npx tsx test/screening/site-budget.ts [--data DIR] [--decisions 5000] [--implicit 10000]
// The training budget of a site model: a desk's decisions (rows of one public set, as comments in
// decision order) and implicit approvals go through learnSiteModel once, as the training job would run
// it; prints the wall time, the process's peak memory and the size of the stored version.
import { parseArgs } from 'node:util'
import { deskRows } from './desk-rows.js'
import { DEFAULT_DATASETS_DIR } from '../../src/cli/screening-datasets.js'
import { shippedModel } from '../../src/screening/screening.shipped-model.js'
import { learnSiteModel } from '../../src/screening/screening.site-learn.js'
import type { SiteExample } from '../../src/screening/screening.site-train.js'
import { runtimeLanguage } from '../../src/screening/screening.train.js'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: DEFAULT_DATASETS_DIR },
    decisions: { type: 'string', default: '5000' },
    implicit: { type: 'string', default: '10000' },
  },
})
const rows = deskRows(values.data!)
const decisions = Number(values.decisions)
const implicit = Number(values.implicit)
if (rows.length < decisions + implicit) throw new Error(`Only ${rows.length} rows`)
const examples: SiteExample[] = rows.slice(0, decisions + implicit).map((row, i) => ({
  id: `c${String(i).padStart(7, '0')}`,
  text: row.text,
  language: runtimeLanguage(row.text),
  label: i < decisions && row.label === 'abusive' ? 'abusive' : 'clean',
  kind: i < decisions ? 'decision' : 'implicit',
  decidedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
}))
const shipped = shippedModel()
const before = process.memoryUsage().rss
const started = performance.now()
const learned = learnSiteModel({ examples, shipped, active: null, version: 'budget', trainedAt: new Date().toISOString() })
const seconds = (performance.now() - started) / 1000
const json = JSON.stringify(learned.candidate)
console.log(`${decisions} decisions and ${implicit} implicit approvals: trained and compared in ${seconds.toFixed(1)} s`)
console.log(
  `memory: ${(before / 2 ** 20).toFixed(0)} MB before training, peak ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (resident, whole process)`,
)
console.log(
  `stored version: ${(json.length / 1024).toFixed(0)} KB of JSON; languages ${Object.keys(learned.candidate.languages).join(', ')}; ${learned.reason.code}`,
)

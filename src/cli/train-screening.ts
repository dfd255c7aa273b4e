// npm run train:screening [-- --data DIR] [--from-decisions] [--out FILE] [--quick]
// Trains the abuse model on the labelled sets in ../shared/datasets/screening (and, with --from-decisions,
// on this site's own moderation decisions), prints cross-validated and cross-source figures, and writes
// src/screening/model/abuse-model.json. Same data, same bytes.
import { existsSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { Language } from '../screening/screening.features.js'
import type { ModelFile } from '../screening/screening.model.js'
import {
  DEFAULT_TRAIN_OPTIONS,
  type Example,
  auc,
  featurize,
  fitSlope,
  modelFile,
  quantize,
  rowLogit,
  runtimeLanguage,
  seededRandom,
  train,
} from '../screening/screening.train.js'
import { exampleLabel } from '../screening/screening.examples.js'
import {
  CLEAN_HELD,
  DEFAULT_DATASETS_DIR,
  NON_COMMERCIAL,
  REFERENCE_CLEAN,
  crossSourceLogits,
  heldByDefaultRules,
  readDatasets,
  referenceCenter,
  rowWeights,
} from './screening-datasets.js'

export const MODEL_PATH = 'src/screening/model/abuse-model.json'

async function readDecisions(): Promise<Example[]> {
  const { parseEnv } = await import('../env.js')
  const { openAndMigrate } = await import('../node.setup.js')
  const connection = await openAndMigrate(parseEnv(process.env, { serving: false }))
  try {
    const rows = await connection.db.selectFrom('screening_examples').select(['text', 'decision', 'reason']).orderBy('comment_id').execute()
    return rows.flatMap((row) => {
      const label = exampleLabel(row.decision, row.reason)
      return label ? [{ text: row.text, abusive: label === 'abusive', language: runtimeLanguage(row.text), source: 'site_decisions' }] : []
    })
  } finally {
    await connection.close()
  }
}

interface SourceFigures {
  source: string
  language: Language
  abusive: number
  clean: number
  auc: number
  /** Share of abusive rows at or above the hold threshold. */
  recall: number
  /** Share of clean rows below it. */
  cleanKept: number
  precision: number
  f1: number
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits

function figuresAt(logits: number[], labels: boolean[], center: number) {
  let tp = 0
  let fp = 0
  let abusive = 0
  let clean = 0
  logits.forEach((logit, i) => {
    const held = logit >= center
    if (labels[i]) {
      abusive++
      if (held) tp++
    } else {
      clean++
      if (held) fp++
    }
  })
  const recall = abusive ? tp / abusive : Number.NaN
  const precision = tp + fp ? tp / (tp + fp) : Number.NaN
  return {
    abusive,
    clean,
    recall,
    cleanKept: clean ? 1 - fp / clean : Number.NaN,
    precision,
    f1: (2 * precision * recall) / (precision + recall),
  }
}

function printTable(title: string, rows: SourceFigures[]) {
  console.log(`\n${title}`)
  console.log('source'.padEnd(22), 'lang', 'abusive'.padStart(8), 'clean'.padStart(7), '   AUC', 'recall', 'clean kept', '  prec', '    F1')
  for (const r of rows) {
    const f = (x: number) => (Number.isNaN(x) ? '     -' : x.toFixed(3).padStart(6))
    console.log(
      r.source.padEnd(22),
      r.language.padEnd(4),
      String(r.abusive).padStart(8),
      String(r.clean).padStart(7),
      f(r.auc),
      f(r.recall),
      `    ${f(r.cleanKept)}`,
      f(r.precision),
      f(r.f1),
    )
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: DEFAULT_DATASETS_DIR },
      out: { type: 'string', default: MODEL_PATH },
      'from-decisions': { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      commercial: { type: 'boolean', default: false },
    },
  })
  if (!existsSync(values.data!)) throw new Error(`Training data not found at ${values.data}; pass --data DIR`)
  const started = Date.now()
  const examples = readDatasets(values.data!)
  if (values['from-decisions']) {
    const decisions = await readDecisions()
    console.log(`site decisions: ${decisions.length} labelled comments from this site's moderators (approvals, and rejections for abuse)`)
    examples.push(...decisions)
  }
  const matrix = featurize(examples)
  const EVALUATION_ONLY = new Set(values.commercial ? NON_COMMERCIAL : [])
  const trainable = (row: number) => !EVALUATION_ONLY.has(matrix.sources[row]!)
  const sources = [...new Set(matrix.sources)]
  console.log(`${examples.length} texts from ${sources.length} sources featurised in ${((Date.now() - started) / 1000).toFixed(1)} s`)

  // Cross-source: each trainable source left out in turn and scored by a model trained on the rest.
  // The evaluation-only sources are never trained on, so the model trained on everything scores them.
  const trainedOn = sources.filter((s) => !EVALUATION_ONLY.has(s))
  const heldOut = values.quick ? trainedOn.slice(0, 2) : trainedOn
  const crossLogits = crossSourceLogits(matrix, heldOut, trainable, (source) =>
    process.stdout.write(`  left out ${source} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`),
  )
  const final = train(matrix, rowWeights(matrix, trainable))
  const quantized = quantize(final.weights)
  const shipped = { weights: quantized.dequantized, bias: final.bias }
  for (let row = 0; row < matrix.labels.length; row++) if (!trainable(row)) crossLogits[row] = rowLogit(shipped, matrix, row)
  const scored = (row: number) => (trainable(row) ? heldOut.includes(matrix.sources[row]!) : true)

  // In-distribution: 5-fold cross-validation over the trained-on rows.
  const folds = new Uint8Array(matrix.labels.length)
  const random = seededRandom(DEFAULT_TRAIN_OPTIONS.seed ^ 0x5bd1e995)
  for (let row = 0; row < folds.length; row++) folds[row] = Math.floor(random() * 5)
  const cvLogits = new Float64Array(matrix.labels.length)
  for (let fold = 0; fold < (values.quick ? 1 : 5); fold++) {
    const model = train(
      matrix,
      rowWeights(matrix, (row) => trainable(row) && folds[row] !== fold),
    )
    for (let row = 0; row < folds.length; row++) if (trainable(row) && folds[row] === fold) cvLogits[row] = rowLogit(model, matrix, row)
  }
  // Per language, the hold threshold from the reference sources' cross-source scores (referenceCenter).
  // The slope is Platt's, fitted on the cross-validated scores, whose spread is the final model's.
  const calibration = {} as ModelFile['calibration']
  const rulesVerdicts = new Map<number, boolean>()
  const heldByRules = (row: number) => {
    if (!rulesVerdicts.has(row)) rulesVerdicts.set(row, heldByDefaultRules(examples[row]!.text))
    return rulesVerdicts.get(row)!
  }
  for (const language of ['ar', 'en'] as const) {
    const center = referenceCenter(matrix, crossLogits, scored, language, heldByRules)
    const rows = [...matrix.labels.keys()].filter(
      (row) => trainable(row) && matrix.languages[row] === language && (!values.quick || folds[row] === 0),
    )
    const slope = fitSlope(
      rows.map((row) => cvLogits[row]!),
      rows.map((row) => matrix.labels[row] === 1),
      center,
    )
    calibration[language] = { center: round(center, 4), slope: round(slope, 4) }
  }

  const figuresFor = (source: string, rows: number[], logits: ArrayLike<number>, language: Language): SourceFigures => {
    const scores = rows.map((row) => logits[row]!)
    const labels = rows.map((row) => matrix.labels[row] === 1)
    const at = figuresAt(scores, labels, calibration[language].center)
    return { source, language, auc: auc(scores, labels), ...at }
  }
  const crossSource: SourceFigures[] = []
  for (const source of sources) {
    const rows = [...matrix.labels.keys()].filter((row) => matrix.sources[row] === source && scored(row))
    if (rows.length === 0) continue
    crossSource.push(figuresFor(source, rows, crossLogits, matrix.languages[rows[0]!]!))
  }
  const pooled: SourceFigures[] = []
  for (const language of ['ar', 'en'] as const) {
    const rows = [...matrix.labels.keys()].filter((row) => scored(row) && matrix.languages[row] === language)
    const reference = rows.filter((row) => matrix.labels[row] === 1 || REFERENCE_CLEAN.has(matrix.sources[row]!))
    pooled.push(figuresFor(`all ${language} (ref. clean)`, reference, crossLogits, language))
  }
  printTable('Cross-source (each source scored by a model that never saw it; threshold = default hold, 0.5)', [...crossSource, ...pooled])

  const cv: SourceFigures[] = []
  for (const language of ['ar', 'en'] as const) {
    const rows = [...matrix.labels.keys()].filter(
      (row) => trainable(row) && (values.quick ? folds[row] === 0 : true) && matrix.languages[row] === language,
    )
    cv.push(
      figuresFor(
        `5-fold CV ${language}`,
        rows.filter((row) => matrix.labels[row] === 1 || REFERENCE_CLEAN.has(matrix.sources[row]!)),
        cvLogits,
        language,
      ),
    )
  }
  printTable('Cross-validated (5 folds over the trained-on sources, same threshold)', cv)

  const file = modelFile(final, calibration, trainedOn, {
    holdThreshold: 0.5,
    cleanHeldTarget: CLEAN_HELD,
    crossSource: [...crossSource, ...pooled].map((f) => ({
      ...f,
      auc: round(f.auc),
      recall: round(f.recall),
      cleanKept: round(f.cleanKept),
      precision: round(f.precision),
      f1: round(f.f1),
    })),
    crossValidated: cv.map((f) => ({
      ...f,
      auc: round(f.auc),
      recall: round(f.recall),
      cleanKept: round(f.cleanKept),
      precision: round(f.precision),
      f1: round(f.f1),
    })),
    evaluationOnly: [...EVALUATION_ONLY],
  })
  const json = `${JSON.stringify(file, null, 1)}\n`
  writeFileSync(values.out!, json)
  console.log(
    `\nwrote ${values.out} (${(json.length / 1024).toFixed(0)} KB) in ${((Date.now() - started) / 1000).toFixed(0)} s; calibration ${JSON.stringify(calibration)}`,
  )
}

main().catch((error) => {
  console.error('[train:screening]', error instanceof Error ? error.message : error)
  process.exit(1)
})

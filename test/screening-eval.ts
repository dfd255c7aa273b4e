// npm run screening:eval — precision and recall of the built-in rules on the labelled corpus.
import { corpus } from './screening/corpus.js'
import { evaluate } from './screening/evaluate.js'

const { scores, mistakes } = evaluate()
console.log(`corpus: ${corpus.length} comments (${corpus.filter((e) => /[\u0600-\u06ff]/.test(e.text)).length} Arabic)`)
for (const s of scores) {
  console.log(`${s.verdict.padEnd(8)} precision=${s.precision.toFixed(3)} recall=${s.recall.toFixed(3)} support=${s.support}`)
}
for (const m of mistakes) console.log(`MISS label=${m.entry.label} got=${m.got} [${m.entry.category}] ${JSON.stringify(m.entry.text)}`)

// Posts as the widget does, from a process of its own (the load must not share the server's event loop):
// each post carries a fresh form token, fetched before the measurement as the widget fetches the next one
// when its form opens, and its own idempotency key. Prints `ready` when it starts posting, then one JSON
// line: the load's figures.
// Usage: tsx bench/write-load.ts URL ARTICLE CONNECTIONS SECONDS TOKENS MIN_SECONDS_TO_POST
import { createRequire } from 'node:module'
import { type AutocannonResult, loadResultOf } from './autocannon.js'

type Request = { body?: string }
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: object,
  done: (error: Error | null, result: AutocannonResult) => void,
) => unknown

const [url, articleId, connections, seconds, tokenCount, minSecondsToPost] = process.argv.slice(2)
if (!url || !articleId) throw new Error('usage: write-load.ts URL ARTICLE CONNECTIONS SECONDS TOKENS MIN_SECONDS_TO_POST')

/** Fetches `count` form tokens, 32 at a time, as that many widgets opening their forms would. */
async function formTokens(count: number): Promise<string[]> {
  const tokens: string[] = []
  const worker = async () => {
    while (tokens.length < count) {
      const response = await fetch(`${url}/api/v1/articles/${encodeURIComponent(articleId!)}/form-token`)
      tokens.push(((await response.json()) as { formToken: string }).formToken)
    }
  }
  await Promise.all(Array.from({ length: 32 }, worker))
  return tokens
}

const tokens = await formTokens(Number(tokenCount))
// Readers spend a while on the form: the last token must be older than the too-fast rule's threshold.
await new Promise((resolve) => setTimeout(resolve, (Number(minSecondsToPost) + 1) * 1000))
// The parent measures the server from here on: fetching the tokens is not posting.
console.log('ready')

const run = Date.now().toString(36)
let next = 0
let withoutToken = 0
autocannon(
  {
    url: `${url}/api/v1/articles/${encodeURIComponent(articleId)}/comments`,
    method: 'POST',
    connections: Number(connections),
    duration: Number(seconds),
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request: Request) => {
          const i = next++
          const formToken = tokens[i]
          if (!formToken) withoutToken++
          request.body = JSON.stringify({
            name: `Bench Reader ${i % 997}`,
            email: `bench-${run}-${i}@example.org`,
            body: `Thank you for the reporting from the north today; the aid convoy figures were new to me (${i}).`,
            articleTitle: 'Bench writes',
            formToken,
            idempotencyKey: `bench-${run}-${i}`,
          })
          return request
        },
      },
    ],
  },
  (error, r) => {
    if (error) throw error
    console.log(JSON.stringify({ ...loadResultOf(r), withoutToken }))
  },
)

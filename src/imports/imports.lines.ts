import type { TextChunks } from './imports.types.js'

/** The file's lines with their numbers (1-based), read chunk by chunk. */
export async function* numberedLines(chunks: TextChunks): AsyncGenerator<{ line: number; text: string }> {
  let rest = ''
  let line = 0
  for await (const chunk of chunks) {
    rest += chunk
    let start = 0
    let newline: number
    while ((newline = rest.indexOf('\n', start)) >= 0) {
      yield { line: ++line, text: rest.slice(start, newline).replace(/\r$/, '') }
      start = newline + 1
    }
    rest = rest.slice(start)
  }
  if (rest !== '') yield { line: ++line, text: rest.replace(/\r$/, '') }
}

import type { TextChunks } from './imports.types.js'

/** The file's lines with their numbers (1-based), read chunk by chunk. */
export async function* numberedLines(chunks: TextChunks): AsyncGenerator<{ line: number; text: string }> {
  let rest = ''
  let line = 0
  for await (const chunk of chunks) {
    rest += chunk
    let start = 0
    let newline: number
    for (newline = rest.indexOf('\n', start); newline >= 0; newline = rest.indexOf('\n', start)) {
      yield { line: ++line, text: rest.slice(start, newline).replace(/\r$/, '') }
      start = newline + 1
    }
    rest = rest.slice(start)
  }
  if (rest !== '') yield { line: ++line, text: rest.replace(/\r$/, '') }
}

/**
 * Why a line is not JSON, without the line itself: JSON.parse quotes the text it choked on, and a file of
 * binary junk would otherwise print its junk into the summary and the terminal.
 */
export function notJsonReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const plain = message.replace(/,? ".*"(?:\.\.\.)? is not valid JSON$/s, '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\ufffd')
  return `not JSON: ${plain.slice(0, 120)}`
}

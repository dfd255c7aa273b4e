import { createReadStream, statSync } from 'node:fs'
import type { TextChunks } from './imports.types.js'

/** A file read as UTF-8 text in chunks (a character split across chunks is joined), with how far it got. */
export function openText(path: string): { chunks: TextChunks; size: number; bytesRead: () => number } {
  const size = statSync(path).size
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })
  return { chunks: stream, size, bytesRead: () => stream.bytesRead }
}

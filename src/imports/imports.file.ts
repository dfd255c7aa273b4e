import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs'
import { pipeline } from 'node:stream'
import { constants, createGunzip, gunzipSync } from 'node:zlib'
import type { TextChunks } from './imports.types.js'

/** The first bytes of the file, to tell a gzip file (as Disqus, Commento and Remark42 hand them out). */
function headOf(path: string, length: number): Buffer {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(length)
    return head.subarray(0, readSync(fd, head, 0, length, 0))
  } finally {
    closeSync(fd)
  }
}

const isGzip = (head: Buffer) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b

/** UTF-8 bytes as text: a character split across chunks is joined, and a byte-order mark is dropped. */
async function* decode(bytes: AsyncIterable<Buffer>): TextChunks {
  const decoder = new TextDecoder('utf-8')
  for await (const chunk of bytes) {
    const text = decoder.decode(chunk, { stream: true })
    if (text !== '') yield text
  }
  const rest = decoder.decode()
  if (rest !== '') yield rest
}

/**
 * A file read as UTF-8 text in chunks, gunzipped on the way when it is gzip, with how far into the file
 * (compressed bytes) the reading got, for the progress bar.
 */
export function openText(path: string): { chunks: TextChunks; size: number; bytesRead: () => number } {
  const size = statSync(path).size
  const file = createReadStream(path, { highWaterMark: 256 * 1024 })
  const bytes = isGzip(headOf(path, 2)) ? pipeline(file, createGunzip(), () => undefined) : file
  return { chunks: decode(bytes), size, bytesRead: () => file.bytesRead }
}

/** The first few kilobytes of the file's text (gunzipped), to tell which format it is. */
export function headText(path: string, length = 4096): string {
  const head = headOf(path, length)
  // A partial gzip member inflates as far as it goes; the format shows in its first bytes. A kilobyte
  // of it inflates to at most about a megabyte, whatever it holds.
  const bytes = isGzip(head) ? gunzipHead(head.subarray(0, 1024)).subarray(0, length) : head
  return new TextDecoder('utf-8').decode(bytes)
}

function gunzipHead(head: Buffer): Buffer {
  try {
    return gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 2 * 1024 * 1024 })
  } catch {
    return Buffer.alloc(0)
  }
}

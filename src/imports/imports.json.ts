import { JSONParser, type ParsedElementInfo } from '@streamparser/json'
import { type ImportRecord, MalformedFileError, type TextChunks } from './imports.types.js'

/** A value found at one of the paths asked for: where ("comments.*"), what, and the line it ended on. */
export interface JsonValue {
  path: string
  value: unknown
  line: number
}

/**
 * Reads one JSON document in chunks and hands each value found at `paths` (jsonpath: `$.comments.*`) to
 * `onValue` as it completes, then forgets it, so a file of a million comments is never held whole. Like
 * streamXml, it yields what the handler emits chunk by chunk. A document that is not JSON, or whose top
 * level is not an object, ends in a MalformedFileError naming the line.
 */
export async function* streamJson(
  chunks: TextChunks,
  options: { paths: string[]; notAnObject: string },
  onValue: (found: JsonValue, emit: (record: ImportRecord) => void) => void,
): AsyncGenerator<ImportRecord> {
  const parser = new JSONParser({ paths: options.paths, keepStack: false })
  let out: ImportRecord[] = []
  const emit = (record: ImportRecord) => {
    out.push(record)
  }

  // Lines are counted up to each token's byte offset, incrementally: linear in the file's size.
  let chunk = Buffer.alloc(0)
  let chunkStart = 0
  let counted = 0
  let line = 1
  let tokens = 0
  const lineAt = (offset: number) => {
    const end = Math.min(Math.max(offset - chunkStart, counted), chunk.length)
    for (let i = counted; i < end; i++) if (chunk[i] === 0x0a) line++
    counted = end
    return line
  }

  parser.onToken = ({ value, offset }) => {
    lineAt(offset)
    if (tokens++ === 0 && value !== '{') throw new MalformedFileError(line, options.notAnObject)
  }
  parser.onValue = (info: ParsedElementInfo) => {
    const keys = [...info.stack.slice(1).map((element) => element.key), info.key]
    const path = keys.map((key) => (typeof key === 'number' ? '*' : String(key))).join('.')
    onValue({ path, value: info.value, line }, emit)
  }

  const fail = (error: unknown): never => {
    if (error instanceof MalformedFileError) throw error
    // Not even the first token: the file is not JSON at all, which says more plainly what it is not.
    if (tokens === 0) throw new MalformedFileError(line, options.notAnObject)
    const reason = error instanceof Error ? error.message.replace(/ at chunk position .*$/s, '') : String(error)
    throw new MalformedFileError(line, `not well-formed JSON: ${reason}`)
  }

  for await (const text of chunks) {
    // The rest of the last chunk lies before any token still to come.
    lineAt(chunkStart + chunk.length)
    chunkStart += chunk.length
    chunk = Buffer.from(text, 'utf8')
    counted = 0
    try {
      parser.write(chunk)
    } catch (error) {
      // What was complete before the break is still handed on; then the file's fault.
      yield* out
      fail(error)
    }
    if (out.length > 0) {
      const ready = out
      out = []
      yield* ready
    }
  }
  try {
    if (tokens === 0) throw new MalformedFileError(1, options.notAnObject)
    if (!parser.isEnded) parser.end()
  } catch (error) {
    yield* out
    fail(error)
  }
  yield* out
}

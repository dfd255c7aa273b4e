import { SaxesParser, type SaxesTagNS } from 'saxes'
import { type ImportRecord, MalformedFileError, type TextChunks } from './imports.types.js'

/** One element being read: its local name, attributes by local name, and its text so far. */
export interface OpenElement {
  local: string
  uri: string
  attributes: Record<string, string>
  text: string
  line: number
}

export interface XmlHandlers {
  /** `stack` holds the open elements, the one just opened last. */
  open(stack: OpenElement[], emit: (record: ImportRecord) => void): void
  close(stack: OpenElement[], element: OpenElement, emit: (record: ImportRecord) => void): void
  end?(emit: (record: ImportRecord) => void): void
}

/**
 * Drives saxes over the file's chunks and yields what the handlers emit, chunk by chunk: the caller pulls
 * records at its own pace (a batch waits for the database), so memory stays flat whatever the file size.
 * A file that is not well-formed XML ends in a MalformedFileError naming the line.
 */
export async function* streamXml(chunks: TextChunks, handlers: XmlHandlers): AsyncGenerator<ImportRecord> {
  const parser = new SaxesParser({ xmlns: true, position: true })
  // Exporters that write a newline and indentation before <?xml (Remark42's and Talkyard's test files do)
  // are read as their own importers read them: what comes before the first tag is skipped, its lines counted.
  let skippedLines = 0
  let started = false
  const line = () => parser.line + skippedLines
  const stack: OpenElement[] = []
  let out: ImportRecord[] = []
  const emit = (record: ImportRecord) => {
    out.push(record)
  }
  parser.on('error', (error) => {
    // saxes prefixes its messages with "line:column: "; the line is said once, by MalformedFileError.
    throw new MalformedFileError(line(), error.message.replace(/^\d+:\d+: /, ''))
  })
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes: Record<string, string> = {}
    for (const attribute of Object.values(tag.attributes)) attributes[attribute.local] = attribute.value
    stack.push({ local: tag.local, uri: tag.uri, attributes, text: '', line: line() })
    handlers.open(stack, emit)
  })
  const addText = (text: string) => {
    const top = stack[stack.length - 1]
    // Only leaf text is kept: whitespace between child elements of a record would only cost memory.
    if (top) top.text += text
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.on('closetag', () => {
    const element = stack.pop()!
    handlers.close(stack, element, emit)
    // A parent never needs the text of its children once they are read.
    const parent = stack[stack.length - 1]
    if (parent && parent.text.length > 0 && parent.text.trim() === '') parent.text = ''
  })

  for await (let chunk of chunks) {
    if (!started) {
      const start = chunk.search(/[^\s\uFEFF]/)
      const skipped = start < 0 ? chunk : chunk.slice(0, start)
      for (const ch of skipped) if (ch === '\n') skippedLines++
      if (start < 0) continue
      chunk = chunk.slice(start)
      started = true
    }
    try {
      parser.write(chunk)
    } catch (error) {
      // What was complete before the break is still handed on; then the file's fault.
      yield* out
      throw error
    }
    if (out.length > 0) {
      const ready = out
      out = []
      yield* ready
    }
  }
  parser.close()
  handlers.end?.(emit)
  yield* out
}

/** The text of a leaf, trimmed; null when the element is empty (`<email/>`). */
export const leafText = (element: OpenElement): string | null => {
  const text = element.text.trim()
  return text === '' ? null : text
}

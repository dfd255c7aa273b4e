/** Reads a Server-Sent Events stream over real HTTP, as EventSource would, for assertions. */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal })
  const events: { id?: string; event: string; data: unknown }[] = []
  let buffer = ''
  const reading = (async () => {
    if (!res.body || !res.ok) return
    const decoder = new TextDecoder()
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const fields: Record<string, string> = {}
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || !line.includes(':')) continue
            const at = line.indexOf(':')
            fields[line.slice(0, at)] = line.slice(at + 1).trimStart()
          }
          if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? 'null') })
        }
      }
    } catch {
      // aborted
    }
  })()
  return {
    res,
    events,
    async waitFor(predicate: (e: (typeof events)[number]) => boolean, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = events.find(predicate)
        if (found) return found
        if (Date.now() > deadline) throw new Error(`no such event; got ${JSON.stringify(events)}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    },
    async close() {
      controller.abort()
      await reading
    },
  }
}

import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface Received {
  to: string
  subject: string
  text: string
  html: string
  messageId: string
  /** Header values as sent, by lower-case name (mailparser's own map regroups some of them). */
  headers: Record<string, string>
}

/**
 * A real SMTP server on a free port, as a mail relay would be. A message counts as delivered only once
 * the server answers 250 to it; `holdMessage(n)` keeps the n-th message's answer back (a sender that
 * dies meanwhile has delivered nothing, as SMTP defines it).
 */
export async function startSmtp() {
  const received: Received[] = []
  let seen = 0
  let holdAt = 0
  let onHeld: (messageId: string) => void = () => undefined
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const index = ++seen
      simpleParser(stream).then((mail: ParsedMail) => {
        if (index === holdAt) return onHeld(mail.messageId ?? '') // never answered
        received.push({
          to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
          subject: mail.subject ?? '',
          text: mail.text ?? '',
          html: typeof mail.html === 'string' ? mail.html : '',
          messageId: mail.messageId ?? '',
          headers: Object.fromEntries(
            mail.headerLines.map((h) => [
              h.key,
              h.line
                .slice(h.line.indexOf(':') + 1)
                .replace(/\r?\n\s+/g, ' ')
                .trim(),
            ]),
          ),
        })
        callback()
      }, callback)
    },
  })
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)),
  )
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Resolves with its Message-ID when the n-th message has arrived and is being held without an answer. */
    holdMessage(n: number) {
      holdAt = n
      return new Promise<string>((resolve) => (onHeld = resolve))
    },
    async waitFor(predicate: (mails: Received[]) => boolean, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate(received)) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for mail; received: ${received.map((m) => `${m.to}: ${m.subject}`).join(' | ')}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return received
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

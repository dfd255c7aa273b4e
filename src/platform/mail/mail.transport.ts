// Where mails leave: SMTP on Node (mail.smtp.ts), an HTTP mail API or Cloudflare's send_email binding
// on Workers, or the console when nothing is configured. The outbox hands each one mail at a time.
/** A mail as its content is written: the outbox adds who sends it and its id. */
export interface MailMessage {
  to: string
  subject: string
  text: string
  html: string
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post. */
  headers: Record<string, string>
}

export interface OutgoingMail extends MailMessage {
  /** Why it was sent: 'verify', 'reply', 'approved', … (logs and tests). */
  kind: string
  from: string
  /** Stable across retries of one job, so a receiver can tell a retry from a second mail. */
  messageId: string
}

export interface MailTransport {
  readonly name: string
  send(mail: OutgoingMail): Promise<void>
}

/** Without SMTP_URL: each mail is printed, so a newcomer can follow a verification link from the terminal. */
export function consoleTransport(log: (line: string) => void = console.log): MailTransport {
  return {
    name: 'console',
    async send(mail) {
      log(`[comments] mail (not sent: no SMTP_URL) to ${mail.to}: ${mail.subject}\n${mail.text.replace(/^/gm, '    ')}`)
    },
  }
}

/**
 * An HTTP mail API (Resend, Postmark, SendGrid behind a small adapter, or the newsroom's own): a JSON POST
 * of {from, to, subject, text, html, headers} with `Authorization: Bearer KEY`; any 2xx is delivery.
 */
export function httpMailTransport(url: string, key: string | undefined, doFetch: typeof fetch = fetch): MailTransport {
  return {
    name: 'http',
    async send(mail) {
      const response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: { ...mail.headers, 'Message-ID': mail.messageId },
        }),
        signal: AbortSignal.timeout(20_000),
      })
      if (!response.ok) throw new Error(`mail API answered ${response.status}`)
    },
  }
}

/** Cloudflare's send_email binding takes a raw MIME message. */
export interface SendEmailBinding {
  send(message: unknown): Promise<void>
}

export function sendEmailTransport(
  binding: SendEmailBinding,
  makeMessage: (from: string, to: string, raw: string) => unknown,
): MailTransport {
  return {
    name: 'send_email',
    async send(mail) {
      await binding.send(makeMessage(addressOf(mail.from), mail.to, mimeMessage(mail)))
    },
  }
}

const addressOf = (from: string) => /<([^>]+)>/.exec(from)?.[1] ?? from.trim()

const base64Lines = (text: string) => {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/.{76}/g, '$&\r\n')
}

/** RFC 2047 for a header that may carry Arabic. */
const encodedWord = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${base64Lines(value).replaceAll('\r\n', '')}?=`)

/** A multipart/alternative message: plain text and HTML, both UTF-8 in base64. */
export function mimeMessage(mail: OutgoingMail): string {
  const boundary = `nc-${mail.messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)}`
  const headers = [
    `From: ${mail.from}`,
    `To: ${mail.to}`,
    `Subject: ${encodedWord(mail.subject)}`,
    `Message-ID: ${mail.messageId}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    ...Object.entries(mail.headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ]
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Lines(body)].join('\r\n')
  return [...headers, '', part('text/plain', mail.text), part('text/html', mail.html), `--${boundary}--`, ''].join('\r\n')
}

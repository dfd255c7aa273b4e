import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type OutgoingMail, httpMailTransport, mimeMessage, sendEmailTransport } from './mail.transport.js'

const mail: OutgoingMail = {
  kind: 'reply',
  from: 'Comments <comments@news.example>',
  to: 'layla@example.org',
  subject: 'ردّ كريم على تعليقك',
  text: 'نص الرسالة\nhttps://news.example/a#comment-1',
  html: '<p dir="rtl">نص الرسالة</p>',
  headers: { 'List-Unsubscribe': '<https://comments.news.example/u>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  messageId: '<job-1@news.example>',
}

const decodePart = (raw: string, type: string) => {
  const part = raw.split(/--nc-\w+/).find((p) => p.includes(`Content-Type: ${type}`))!
  const base64 = part.split('\r\n\r\n')[1]!.replaceAll('\r\n', '')
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0)))
}

describe('the MIME message for the send_email binding', () => {
  it('carries both parts in UTF-8, the Arabic subject encoded, and our headers', () => {
    const raw = mimeMessage(mail)
    expect(raw).toContain('Subject: =?UTF-8?B?')
    expect(raw).toContain('Message-ID: <job-1@news.example>')
    expect(raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    expect(raw).toMatch(/Content-Type: multipart\/alternative; boundary="nc-\w+"/)
    expect(decodePart(raw, 'text/plain')).toBe(mail.text)
    expect(decodePart(raw, 'text/html')).toBe(mail.html)
    expect(raw.split('\r\n').every((line) => line.length <= 998)).toBe(true)
  })

  it('hands the binding the bare sender address', async () => {
    const sent: unknown[] = []
    await sendEmailTransport({ send: async (m) => void sent.push(m) }, (from, to, raw) => ({ from, to, raw })).send(mail)
    expect(sent[0]).toMatchObject({ from: 'comments@news.example', to: 'layla@example.org' })
  })
})

describe('the HTTP mail API transport', () => {
  const server = setupServer()
  const received: { auth: string | null; body: Record<string, unknown> }[] = []
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterAll(() => server.close())

  it('posts the mail as JSON with the key, and fails on a refusal so the outbox retries', async () => {
    server.use(
      http.post('https://mail-api.example/send', async ({ request }) => {
        received.push({ auth: request.headers.get('authorization'), body: (await request.json()) as Record<string, unknown> })
        return received.length === 1 ? HttpResponse.json({ id: 'x' }) : HttpResponse.json({ error: 'quota' }, { status: 429 })
      }),
    )
    const transport = httpMailTransport('https://mail-api.example/send', 'secret-key')
    await transport.send(mail)
    expect(received[0]).toMatchObject({
      auth: 'Bearer secret-key',
      body: { to: 'layla@example.org', subject: mail.subject, headers: { 'Message-ID': '<job-1@news.example>' } },
    })
    await expect(transport.send(mail)).rejects.toThrow('429')
  })
})

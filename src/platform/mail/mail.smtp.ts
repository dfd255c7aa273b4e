import nodemailer from 'nodemailer'
import type { MailTransport } from './mail.transport.js'

/** Node: SMTP through nodemailer. Its time-outs stay well inside the outbox's expiry, so a hung server never leaves two senders on one mail. */
export function smtpTransport(url: string): MailTransport & { close(): void } {
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  } as object)
  return {
    name: 'smtp',
    async send(mail) {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        messageId: mail.messageId,
      })
    },
    close: () => transporter.close(),
  }
}

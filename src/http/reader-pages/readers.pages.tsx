// A reader's mail preferences, reached from the link in every notification: no sign-in, the signed
// link is the key. The one-click unsubscribe (RFC 8058) is the API route beside it.
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { NotifyPreferences } from '../../platform/db/database.js'
import { checkReaderLink } from '../../mail/mail.links.js'
import type { AppEnv } from '../shared/context.js'
import { ReaderPage } from './reader-page.js'
import { type Language, direction, pickLanguage } from '../../platform/i18n/i18n.js'
import { PREFERENCES_PAGE } from '../../platform/i18n/i18n.reader.js'

const KINDS = ['replies', 'approved', 'rejected', 'featured'] as const

/** The commenter a signed mail link names, or null when the signature does not match. */
export async function linkedReader(c: Context<AppEnv>) {
  const id = c.req.query('r') ?? ''
  const token = c.req.query('t') ?? ''
  if (!id || !(await checkReaderLink(c.var.services.config.ipHashSecret, id, token))) return null
  return (await c.var.db.selectFrom('commenters').select(['id', 'lang', 'notify']).where('id', '=', id).executeTakeFirst()) ?? null
}

export const ALL_OFF: NotifyPreferences = { replies: false, approved: false, rejected: false, featured: false }

export async function savePreferences(c: Context<AppEnv>, id: string, notify: NotifyPreferences) {
  await c.var.db
    .updateTable('commenters')
    .set({ notify: JSON.stringify(notify), updated_at: c.var.services.now() })
    .where('id', '=', id)
    .execute()
}

function PreferencesPage(props: { lang: Language; notify: NotifyPreferences | null; notice?: string; action: string }) {
  const t = PREFERENCES_PAGE[props.lang]
  return (
    <ReaderPage
      lang={props.lang}
      dir={direction(props.lang)}
      title={t.title}
      css="label{display:flex;gap:.5rem;margin:.5rem 0}button{font:inherit;padding:.4rem .9rem;margin-inline-end:.5rem}.notice{background:#eef6ee;padding:.5rem .75rem}"
    >
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {props.notify ? (
        <form method="post" action={props.action}>
          <p>{t.intro}</p>
          {KINDS.map((kind) => (
            <label>
              <input type="checkbox" name={kind} value="on" checked={props.notify![kind]} />
              {t[kind]}
            </label>
          ))}
          <p>
            <button type="submit" name="save" value="1">
              {t.save}
            </button>
            <button type="submit" name="none" value="1">
              {t.none}
            </button>
          </p>
        </form>
      ) : (
        <p role="alert">{t.invalid}</p>
      )}
    </ReaderPage>
  )
}

const action = (c: Context) => {
  const url = new URL(c.req.url)
  return `${url.pathname}${url.search}`
}

export const readerPages = new Hono<AppEnv>()
  .get('/preferences', async (c) => {
    c.header('Cache-Control', 'no-store')
    const reader = await linkedReader(c)
    const lang = pickLanguage(reader?.lang)
    return c.html(<PreferencesPage lang={lang} notify={reader?.notify ?? null} action={action(c)} />, reader ? 200 : 404)
  })
  .post('/preferences', async (c) => {
    c.header('Cache-Control', 'no-store')
    const reader = await linkedReader(c)
    const lang = pickLanguage(reader?.lang)
    if (!reader) return c.html(<PreferencesPage lang={lang} notify={null} action={action(c)} />, 404)
    const form = await c.req.parseBody()
    const notify: NotifyPreferences = form.none
      ? ALL_OFF
      : { replies: !!form.replies, approved: !!form.approved, rejected: !!form.rejected, featured: !!form.featured }
    await savePreferences(c, reader.id, notify)
    return c.html(
      <PreferencesPage
        lang={lang}
        notify={notify}
        notice={form.none ? PREFERENCES_PAGE[lang].unsubscribed : PREFERENCES_PAGE[lang].saved}
        action={action(c)}
      />,
    )
  })

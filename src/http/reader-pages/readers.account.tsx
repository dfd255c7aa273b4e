// A signed-in reader's account, on this server's own page: their data to download, their mail
// preferences, and deleting the account. The widget asks for a link that works for fifteen minutes
// (its bearer token stays in the publisher's page); the page needs no script and no cookie.
import { type Context, Hono } from 'hono'
import { eraseCommenter } from '../../moderation/moderation.erasure.js'
import { exportCommenter } from '../../moderation/moderation.commenter-export.js'
import { published } from '../shared/events.publish.js'
import { SELF_SERVICE } from '../../audit/audit.log.js'
import { hmacSha256, timingSafeEqual, toBase64Url } from '../../platform/lib/crypto.js'
import { readerLinks } from '../../mail/mail.links.js'
import type { AppEnv } from '../shared/context.js'
import { ReaderPage } from './reader-page.js'
import { revokeReaderTokens } from '../../readers/readers.repository.js'
import { type Language, direction, pickLanguage } from '../../platform/i18n/i18n.js'
import { ACCOUNT_PAGE } from '../../platform/i18n/i18n.reader.js'

export const ACCOUNT_LINK_MINUTES = 15

const signature = async (secret: string, id: string, expires: string, back: string) =>
  toBase64Url((await hmacSha256(secret, `reader-account:${id}:${expires}:${back}`)).slice(0, 18))

/** The account page's address (a path on this server) for one reader, valid ACCOUNT_LINK_MINUTES. */
export async function accountPath(secret: string, id: string, now: Date, back: string | null): Promise<string> {
  const expires = String(Math.floor(now.getTime() / 1000) + ACCOUNT_LINK_MINUTES * 60)
  const query = new URLSearchParams({
    r: id,
    e: expires,
    ...(back ? { b: back } : {}),
    t: await signature(secret, id, expires, back ?? ''),
  })
  return `/readers/account?${query}`
}

/** The reader a link names while it is valid; null when forged, altered or expired. */
async function linkedAccount(c: Context<AppEnv>) {
  const { r: id = '', e: expires = '', b: back = '', t: token = '' } = c.req.query()
  const now = c.var.services.now().getTime() / 1000
  if (!id || !/^\d{1,12}$/.test(expires) || Number(expires) < now) return null
  if (!timingSafeEqual(await signature(c.var.services.config.ipHashSecret, id, expires, back), token)) return null
  const reader = await c.var.db
    .selectFrom('commenters')
    .select(['id', 'name', 'email', 'lang', 'kind'])
    .where('id', '=', id)
    .executeTakeFirst()
  // Only a verified identity has an account: a guest's email proves nothing.
  return reader && reader.kind !== 'guest' ? { ...reader, back: back || null } : null
}

function AccountPage(props: {
  lang: Language
  reader: { name: string; email: string | null } | null
  action: string
  preferencesUrl?: string | undefined
  back: string | null
  notice?: string
}) {
  const t = ACCOUNT_PAGE[props.lang]
  return (
    <ReaderPage
      lang={props.lang}
      dir={direction(props.lang)}
      title={t.title}
      noReferrer
      css="section{margin:1.5rem 0}button{font:inherit;padding:.4rem .9rem}.hint{color:#555}.danger{color:#a11}label{display:flex;gap:.5rem;margin:.5rem 0}"
    >
      {props.notice && <p role="status">{props.notice}</p>}
      {props.reader ? (
        <>
          <p dir="auto">{t.intro(props.reader.name, props.reader.email)}</p>
          <section>
            <form method="post" action={props.action.replace('/readers/account?', '/readers/account/data?')}>
              <button type="submit">{t.data}</button>
            </form>
            <p class="hint">{t.dataHint}</p>
          </section>
          {props.preferencesUrl && (
            <section>
              <a href={props.preferencesUrl}>{t.preferences}</a>
            </section>
          )}
          <section>
            <form method="post" action={props.action.replace('/readers/account?', '/readers/account/signout-everywhere?')}>
              <button type="submit">{t.signOutEverywhere}</button>
            </form>
            <p class="hint">{t.signOutEverywhereHint}</p>
          </section>
          <section>
            <h2 class="danger">{t.erase}</h2>
            <p class="hint">{t.eraseHint}</p>
            <form method="post" action={props.action.replace('/readers/account?', '/readers/account/delete?')}>
              <label>
                <input type="checkbox" name="confirmed" value="true" required /> {t.confirm}
              </label>
              <button type="submit" class="danger">
                {t.erase}
              </button>
            </form>
          </section>
        </>
      ) : (
        !props.notice && <p role="alert">{t.invalid}</p>
      )}
      {props.back && (
        <p>
          <a href={props.back}>{t.back}</a>
        </p>
      )}
    </ReaderPage>
  )
}

/** Mail preferences, for a reader with a mailbox: a path on this server, whatever proxy stands in front. */
async function preferencesPath(c: Context<AppEnv>, reader: { id: string; email: string | null }) {
  return reader.email ? (await readerLinks('', c.var.services.config.ipHashSecret, reader.id)).preferencesUrl : undefined
}

const here = (c: Context) => {
  const url = new URL(c.req.url)
  return `/readers/account${url.search}`
}

export const readerAccountPages = new Hono<AppEnv>()
  .use(async (c, next) => {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  .get('/', async (c) => {
    const reader = await linkedAccount(c)
    const lang = pickLanguage(reader?.lang)
    if (!reader) return c.html(<AccountPage lang={lang} reader={null} action={here(c)} back={null} />, 404)
    return c.html(
      <AccountPage lang={lang} reader={reader} action={here(c)} preferencesUrl={await preferencesPath(c, reader)} back={reader.back} />,
    )
  })
  .post('/data', async (c) => {
    const reader = await linkedAccount(c)
    if (!reader) return c.html(<AccountPage lang="en" reader={null} action={here(c)} back={null} />, 404)
    c.header('Content-Disposition', 'attachment; filename="my-comments.json"')
    return c.json(await exportCommenter(c.var.db, reader.id, c.var.services.now()))
  })
  .post('/signout-everywhere', async (c) => {
    const reader = await linkedAccount(c)
    const lang = pickLanguage(reader?.lang)
    if (!reader) return c.html(<AccountPage lang={lang} reader={null} action={here(c)} back={null} />, 404)
    await revokeReaderTokens(c.var.db, reader.id, c.var.services.now())
    return c.html(
      <AccountPage
        lang={lang}
        reader={reader}
        action={here(c)}
        preferencesUrl={await preferencesPath(c, reader)}
        back={reader.back}
        notice={ACCOUNT_PAGE[lang].signedOutEverywhere}
      />,
    )
  })
  .post('/delete', async (c) => {
    const reader = await linkedAccount(c)
    const lang = pickLanguage(reader?.lang)
    if (!reader) return c.html(<AccountPage lang={lang} reader={null} action={here(c)} back={null} />, 404)
    const form = await c.req.parseBody()
    if (form.confirmed !== 'true') {
      return c.html(
        <AccountPage lang={lang} reader={reader} action={here(c)} preferencesUrl={await preferencesPath(c, reader)} back={reader.back} />,
        422,
      )
    }
    published(c, await eraseCommenter(c.var.db, reader.id, SELF_SERVICE, 'remove', c.var.services.keyedHash, c.var.services.now()))
    return c.html(<AccountPage lang={lang} reader={null} action="" back={reader.back} notice={ACCOUNT_PAGE[lang].erased} />)
  })

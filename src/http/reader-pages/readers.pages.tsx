// A reader's mail preferences, reached from the link in every notification: no sign-in, the signed
// link is the key. The one-click unsubscribe (RFC 8058) is the API route beside it.
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { NotifyPreferences } from '../../platform/db/database.js'
import { checkReaderLink } from '../../mail/mail.links.js'
import type { AppEnv } from '../shared/context.js'
import { ReaderPage } from './reader-page.js'
import { pickLanguage } from '../../platform/i18n/i18n.js'

const KINDS = ['replies', 'approved', 'rejected', 'featured'] as const

const TEXT = {
  en: {
    title: 'Email preferences',
    intro: 'Choose which emails you get about your comments.',
    replies: 'Someone replies to my comment',
    approved: 'A moderator publishes my comment',
    rejected: 'A moderator does not publish my comment (with the reason)',
    featured: 'My comment is chosen as a pick',
    save: 'Save',
    none: 'Unsubscribe from all',
    saved: 'Saved.',
    unsubscribed: 'You will get no more emails about your comments.',
    invalid: 'This link is not valid. Use the link from your most recent email.',
  },
  ar: {
    title: 'إعدادات البريد الإلكتروني',
    intro: 'اختر الرسائل التي تصلك بشأن تعليقاتك.',
    replies: 'عندما يردّ أحد على تعليقي',
    approved: 'عندما ينشر مشرف تعليقي',
    rejected: 'عندما لا ينشر مشرف تعليقي (مع السبب)',
    featured: 'عندما يُختار تعليقي ضمن المختارات',
    save: 'حفظ',
    none: 'إلغاء الاشتراك في كل الرسائل',
    saved: 'تم الحفظ.',
    unsubscribed: 'لن تصلك بعد الآن رسائل بشأن تعليقاتك.',
    invalid: 'هذا الرابط غير صالح. استخدم الرابط في أحدث رسالة وصلتك.',
  },
}

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

function PreferencesPage(props: { lang: 'en' | 'ar'; notify: NotifyPreferences | null; notice?: string; action: string }) {
  const t = TEXT[props.lang]
  return (
    <ReaderPage
      lang={props.lang}
      dir={props.lang === 'ar' ? 'rtl' : 'ltr'}
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
      <PreferencesPage lang={lang} notify={notify} notice={form.none ? TEXT[lang].unsubscribed : TEXT[lang].saved} action={action(c)} />,
    )
  })

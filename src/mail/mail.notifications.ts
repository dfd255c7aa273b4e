// What readers and moderators hear about by mail, decided from the domain events. Readers hear only
// when they asked (the "notify me" box on their comment), only at a mailbox they proved, and only for
// the kinds their preferences still allow. Everything lands in the outbox; nothing is sent from here.
import { sql } from 'kysely'
import type { CommentRow, CommenterRow, Db, NotifyPreferences } from '../platform/db/database.js'
import type { DomainEvent, Subscriber } from '../events/events.js'
import { getSiteSettings } from '../settings/settings.repository.js'
import type { SiteSettings } from '../settings/settings.schema.js'
import { splitRejectReason } from '../comments/comments.statuses.js'
import { approvedMail, dailyDigestMail, featuredMail, queueAlertMail, rejectedMail, replyMail, reportsAlertMail } from './mail.messages.js'
import { type QueuedMail, enqueueMail } from './mail.queue.js'
import { readerLinks } from './mail.links.js'
import { pickLanguage, type Language } from '../platform/i18n/i18n.js'

export interface NotificationOptions {
  /** Keys the links in mails (unsubscribe, preferences). */
  secret: string
  expireInSeconds?: number
  /**
   * The origin mailed links name (config.mailOrigin): never a request's, since a forged Host would then
   * receive a reader's signed links. Null: no mail that needs a link is sent.
   */
  origin?: string | null
}

/** A queue alert goes out at most this often per moderator, however long the queue stays long. */
const QUEUE_ALERT_EVERY_SECONDS = 6 * 3600
const QUEUE_COUNT_CAP = 10_000

type ReaderKind = keyof NotifyPreferences

interface Addressee {
  comment: CommentRow
  commenter: Pick<CommenterRow, 'id' | 'kind' | 'email' | 'lang' | 'notify'>
  articleTitle: string | null
  articleUrl: string | null
}

async function addressee(db: Db, commentId: string): Promise<Addressee | null> {
  const row = await db
    .selectFrom('comments as c')
    .innerJoin('commenters as m', 'm.id', 'c.commenter_id')
    .innerJoin('articles as a', 'a.id', 'c.article_id')
    .selectAll('c')
    .select(['a.title as article_title', 'a.url as article_url'])
    .select(sql<Pick<CommenterRow, 'id' | 'kind' | 'email' | 'lang' | 'notify'>>`to_jsonb(m)`.as('commenter'))
    .where('c.id', '=', commentId)
    .executeTakeFirst()
  if (!row) return null
  const { article_title, article_url, commenter, ...comment } = row
  return { comment: comment as CommentRow, commenter, articleTitle: article_title, articleUrl: article_url }
}

/** Whether this writer asked for, and still wants, this kind of mail about this comment. */
function wants(to: Addressee, kind: ReaderKind): to is Addressee & { commenter: { email: string } } {
  const { comment, commenter } = to
  return comment.notify && commenter.kind !== 'guest' && commenter.email !== null && !comment.deleted && commenter.notify[kind] !== false
}

/** The comment on its article page; an article whose page was never named links to the site instead. */
const commentLink = (to: Addressee, commentId: string, origin: string) =>
  to.articleUrl ? `${to.articleUrl.split('#')[0]}#comment-${commentId}` : origin

async function readerBase(
  to: Addressee & { commenter: { email: string } },
  settings: SiteSettings,
  origin: string,
  secret: string,
  commentId: string,
) {
  const lang: Language = pickLanguage(to.commenter.lang)
  return {
    to: to.commenter.email,
    lang,
    siteName: settings.siteName,
    articleTitle: to.articleTitle,
    commentUrl: commentLink(to, commentId, origin),
    ...(await readerLinks(origin, secret, to.commenter.id)),
  }
}

async function readerMails(db: Db, event: DomainEvent, origin: string, options: NotificationOptions): Promise<QueuedMail[]> {
  if (!('commentId' in event)) return []
  // Most events concern nobody's mail: a comment screening published, with no parent to tell.
  const worthLooking =
    event.type === 'comment.featured' || ('byModerator' in event && event.byModerator) || event.type === 'comment.published'
  // A new comment that answers nobody concerns nobody's mail either: no need to read it back.
  if (!worthLooking || (event.type === 'comment.published' && !event.byModerator && event.reply === false)) return []
  const subject = await addressee(db, event.commentId)
  if (!subject || (event.type === 'comment.published' && !event.byModerator && !subject.comment.parent_id)) return []
  const settings = await getSiteSettings(db)
  const mails: QueuedMail[] = []
  if (event.type === 'comment.published') {
    // A reply: its parent's writer hears of it (not of their own replies to themselves).
    if (subject.comment.parent_id) {
      const parent = await addressee(db, subject.comment.parent_id)
      if (parent && wants(parent, 'replies') && parent.commenter.id !== subject.commenter.id) {
        const base = await readerBase(parent, settings, origin, options.secret, subject.comment.id)
        mails.push({
          kind: 'reply',
          ...replyMail({ ...base, replierName: subject.comment.author_name, replyExcerpt: subject.comment.body }),
        })
      }
    }
    if (event.byModerator && wants(subject, 'approved')) {
      const base = await readerBase(subject, settings, origin, options.secret, subject.comment.id)
      mails.push({ kind: 'approved', ...approvedMail({ ...base, commentExcerpt: subject.comment.body }) })
    }
  }
  if (event.type === 'comment.rejected' && event.byModerator && wants(subject, 'rejected')) {
    const base = await readerBase(subject, settings, origin, options.secret, subject.comment.id)
    mails.push({
      kind: 'rejected',
      ...rejectedMail({
        ...base,
        commentExcerpt: subject.comment.body,
        ...splitRejectReason(subject.comment.reject_reason),
        rulesUrl: settings.siteRulesUrl,
      }),
    })
  }
  if (event.type === 'comment.featured' && wants(subject, 'featured')) {
    const base = await readerBase(subject, settings, origin, options.secret, subject.comment.id)
    mails.push({ kind: 'featured', ...featuredMail({ ...base, commentExcerpt: subject.comment.body }) })
  }
  return mails
}

/** Moderators who want alerts (or the digest) and have an address to get them at. */
async function moderatorsWanting(db: Db, what: 'alerts' | 'digest') {
  return db
    .selectFrom('moderators')
    .select(['id', 'email'])
    .where(what, '=', true)
    .where('disabled', '=', false)
    .where('email', 'is not', null)
    .execute()
}

const moderatorLinks = (origin: string) => ({ queueUrl: `${origin}/moderate`, preferencesUrl: `${origin}/moderate/account` })

/**
 * How often one process counts a queue already past the alert's threshold. A flood of held comments (a
 * bot, a raid) would otherwise count it once per comment; an alert goes out at most every six hours anyway.
 */
const QUEUE_CHECK_EVERY_MS = 60_000

async function moderatorAlerts(db: Db, event: DomainEvent, origin: string, options: NotificationOptions, queueCheck: { last: number }) {
  if (event.type === 'comment.reported' && event.heldForReview) {
    const recipients = await moderatorsWanting(db, 'alerts')
    if (recipients.length === 0) return
    const [settings, comment] = await Promise.all([
      getSiteSettings(db),
      db
        .selectFrom('comments as c')
        .innerJoin('articles as a', 'a.id', 'c.article_id')
        .select(['c.author_name', 'c.body', 'c.open_reports', 'a.title'])
        .where('c.id', '=', event.commentId)
        .executeTakeFirst(),
    ])
    if (!comment) return
    const mails = recipients.map((m) => ({
      kind: 'reports_alert',
      ...reportsAlertMail({
        to: m.email!,
        siteName: settings.siteName,
        ...moderatorLinks(origin),
        reports: comment.open_reports,
        commentExcerpt: comment.body,
        authorName: comment.author_name,
        articleTitle: comment.title,
      }),
    }))
    await enqueueMail(db, mails, { expireInSeconds: options.expireInSeconds })
  }
  if (event.type === 'comment.held') {
    if (Date.now() - queueCheck.last < QUEUE_CHECK_EVERY_MS) return
    const settings = await getSiteSettings(db)
    const threshold = settings.queueAlertThreshold
    if (threshold === null) return
    // Counting stops at 10,000: during a flood of held comments each check stays a few milliseconds.
    const { waiting } = await db
      .selectFrom((eb) =>
        eb
          .selectFrom('comments')
          .select('id')
          .where('status', '=', 'pending')
          .limit(Math.max(threshold, QUEUE_COUNT_CAP))
          .as('waiting_ids'),
      )
      .select((eb) => eb.fn.countAll<string>().as('waiting'))
      .executeTakeFirstOrThrow()
    // Below the threshold a count reads fewer rows than the threshold; above it, once a minute is enough.
    if (Number(waiting) < threshold) return
    queueCheck.last = Date.now()
    for (const m of await moderatorsWanting(db, 'alerts')) {
      const mail = {
        kind: 'queue_alert',
        ...queueAlertMail({ to: m.email!, siteName: settings.siteName, ...moderatorLinks(origin), waiting: Number(waiting), threshold }),
      }
      // pg-boss keeps one per moderator per window: a long queue is one alert, not one per comment.
      await enqueueMail(db, [mail], {
        singletonKey: `queue-alert:${m.id}`,
        singletonSeconds: QUEUE_ALERT_EVERY_SECONDS,
        expireInSeconds: options.expireInSeconds,
      })
    }
  }
}

/** Turns events into mails in the outbox, after the response (Workers: under waitUntil). */
export const mailSubscriber = (options: NotificationOptions): Subscriber => {
  const queueCheck = { last: 0 }
  return (event, { db }) => {
    if (!['comment.published', 'comment.rejected', 'comment.featured', 'comment.reported', 'comment.held'].includes(event.type)) return
    const origin = options.origin ?? null
    if (!origin) {
      console.warn('[comments] not mailing about comments: set PUBLIC_URL so mail links can name this server')
      return
    }
    return Promise.all([
      readerMails(db, event, origin, options).then((mails) =>
        mails.length > 0 ? enqueueMail(db, mails, { expireInSeconds: options.expireInSeconds }) : undefined,
      ),
      moderatorAlerts(db, event, origin, options, queueCheck),
    ])
  }
}

/** The moderators' daily digest: yesterday's figures and the queue as it stands. */
export async function sendDailyDigest(
  db: Db,
  origin: string,
  now: Date,
  options: Pick<NotificationOptions, 'expireInSeconds'> = {},
): Promise<number> {
  const recipients = await moderatorsWanting(db, 'digest')
  if (recipients.length === 0) return 0
  const since = new Date(now.getTime() - 86_400_000)
  const { rows } = await sql<{ waiting: string; reported: string; published: string; held: string; rejected: string; oldest: Date | null }>`
    select
      (select count(*) from comments where status = 'pending') as waiting,
      (select count(*) from comments where status = 'approved' and open_reports > 0) as reported,
      count(*) filter (where status = 'approved') as published,
      count(*) filter (where status = 'pending') as held,
      count(*) filter (where status = 'rejected') as rejected,
      (select min(created_at) from comments where status = 'pending') as oldest
    from comments where created_at >= ${since}`.execute(db)
  const figures = rows[0]!
  const settings = await getSiteSettings(db)
  const mails = recipients.map((m) => ({
    kind: 'digest',
    ...dailyDigestMail({
      to: m.email!,
      siteName: settings.siteName,
      ...moderatorLinks(origin),
      day: since.toISOString().slice(0, 10),
      waiting: Number(figures.waiting),
      reported: Number(figures.reported),
      published: Number(figures.published),
      held: Number(figures.held),
      rejected: Number(figures.rejected),
      oldestWaitingHours: figures.oldest ? (now.getTime() - new Date(figures.oldest).getTime()) / 3_600_000 : null,
    }),
  }))
  // A retried digest job queues nothing twice: one digest per moderator within twelve hours (pg-boss keeps
  // its throttle no longer than it keeps finished jobs).
  for (const [i, mail] of mails.entries()) {
    await enqueueMail(db, [mail], {
      ...options,
      singletonKey: `digest:${recipients[i]!.id}:${since.toISOString().slice(0, 10)}`,
      singletonSeconds: 12 * 3600,
    })
  }
  return mails.length
}

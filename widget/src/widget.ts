import { type Api, api as createApi } from './api.js'
import { composeForm, posting } from './compose.js'
import { bodyText, button, h } from './dom.js'
import { pickLanguage } from './i18n/index.js'
import { pending } from './store.js'
import { readerSession, signInFromPage } from './reader.js'
import { type LiveData, followLive } from './live.js'
import { restorePending, showOwn, turnedDown } from './own.js'
import { type Shell, createShell, showTabs } from './shell.js'
import { type ThreadContext, threadItem } from './thread.js'
import type { Page } from './types.js'

export interface WidgetOptions {
  origin: string
}

/** Which article this container is about: its data attribute, else the page's canonical URL, else the page URL. */
export function articleIdentity(el: HTMLElement) {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href
  const url = el.dataset.articleUrl ?? canonical ?? location.href.split(/[?#]/)[0]!
  return { articleId: el.dataset.articleId ?? url, articleUrl: url, articleTitle: el.dataset.articleTitle ?? document.title }
}

type Article = ReturnType<typeof articleIdentity>

/** What the forms and the threads need of this widget: the API, the words, the article, and where to say things. */
function threadContext(api: Api, shell: Shell, article: Article, lang: string, t: ThreadContext['t']): ThreadContext {
  // The server takes each token once: the next one is fetched as soon as one is used.
  const { articleId } = article
  let nextFormToken = api.formToken(articleId).catch(() => undefined)
  const ctx: ThreadContext = {
    ...article,
    api,
    t,
    lang,
    open: true,
    takeFormToken: () => {
      const token = nextFormToken
      nextFormToken = api.formToken(articleId).catch(() => undefined)
      return token
    },
    announce: shell.announce,
    signedChange: (message) => {
      if (ctx.open) shell.composeSlot.replaceChildren(composeForm(ctx))
      shell.announce(message)
    },
    onPosted: (comment, held) => {
      // Kept whether it waits or not: a shadow-banned writer must go on seeing theirs after a reload.
      pending.add(articleId, comment)
      if (held === false) shell.setCount(shell.count + 1)
      showOwn(ctx, shell, comment, held !== false)
      shell.announce(held === false ? t.published : held || t.awaitingBadge)
    },
  }
  return ctx
}

export function mountWidget(container: HTMLElement, { origin }: WidgetOptions) {
  const article = articleIdentity(container)
  const { articleId } = article
  const { lang, t } = pickLanguage(container.dataset.lang, container.closest<HTMLElement>('[lang]')?.lang, document.documentElement.lang)
  const api = createApi(origin, readerSession.token)
  const signingIn = signInFromPage(api, container, lang)
  const shell = createShell(container, t, lang, articleId)
  const ctx = threadContext(api, shell, article, lang, t)
  let view = 'all'
  let cursor: string | null = null

  const render = (page: Page, append: boolean) => {
    if (!append) {
      shell.clear()
      // The form is built once (and again only if the thread opens or closes), so re-sorting keeps what the reader typed.
      if (!shell.composeSlot.firstChild || ctx.open !== page.article.commentsOpen) {
        ctx.open = page.article.commentsOpen
        // On a phone the comments come first, and the form waits behind one button at their end.
        shell.composeSlot.replaceChildren(
          !ctx.open
            ? h('p', { class: 'msg', text: t.closed })
            : shell.narrow
              ? button(
                  {
                    class: 'p',
                    onclick: () => {
                      ctx.signedChange('')
                      shell.composeSlot.querySelector<HTMLElement>('[name]')?.focus()
                    },
                  },
                  t.join,
                )
              : composeForm(ctx),
        )
      }
      shell.setCount(page.article.commentCount)
      showTabs(shell.tabs, t, page.article.picks, view, (name) => {
        view = name
        void load().then(() => shell.tabs.querySelector<HTMLElement>('[aria-pressed=true]')?.focus())
      })
    }
    const items = page.comments.map((c) => threadItem(ctx, api, c))
    // Once each: a comment already shown (the reader's own, placed at the top) gives way to its place in the list.
    for (const item of items) shell.shadow.getElementById(item.id)?.remove()
    shell.list.append(...items)
    if (!append && items.length === 0) shell.list.append(h('li', { class: 'c empty', text: t.empty }))
    cursor = page.nextCursor
    shell.more.hidden = !cursor
    return items
  }

  const load = async () => {
    shell.announce(t.loading)
    try {
      const [signedIn, page] = await Promise.all([signingIn, api.list(articleId, shell.sort.value, null, view)])
      render(page, false)
      follow(page.article.live)
      shell.announce(signedIn === 'verified' ? t.verified : signedIn === 'failed' ? t.verifyFailed : '')
      await restorePending(ctx, shell)
    } catch {
      shell.announce(t.loadFailed)
      shell.list.replaceChildren(h('li', { class: 'c' }, button({ onclick: load }, t.retry)))
    }
    shell.host.dataset.state = 'ready'
  }
  let following = false
  // Live news waits for a post under way: its own notice must find the comment the answer placed.
  let news: Promise<unknown> = Promise.resolve()
  const follow = (transport: Page['article']['live']) => {
    if (following) return
    following = true
    followLive(shell.host, origin, articleId, transport, {
      message: (event, data) => {
        news = news
          .then(() => posting.done)
          .then(() => applyLive(ctx, shell, event, data))
          .catch(() => undefined)
      },
      // No stream here: a cheap revalidation (304 while nothing changed) says whether there is news.
      poll: () =>
        void api.list(articleId, shell.sort.value).then(
          (page) => shell.offerFresh(page.article.commentCount - shell.count, true),
          () => undefined,
        ),
    })
  }

  shell.sort.addEventListener('change', load)
  shell.fresh.addEventListener('click', load)
  shell.more.addEventListener('click', async () => {
    shell.more.disabled = true
    try {
      const [first] = render(await api.list(articleId, shell.sort.value, cursor, view), true)
      first?.focus()
      await restorePending(ctx, shell)
    } catch {
      shell.announce(t.loadFailed)
    }
    shell.more.disabled = false
  })
  return load()
}

/** What the live stream says, applied where the reader is not reading: counts, replies in open threads, their own comments. */
function applyLive(ctx: ThreadContext, shell: Shell, event: string, data: LiveData) {
  const { articleId, t } = ctx
  if (typeof data.count === 'number') shell.setCount(data.count)
  const comment = data.comment
  const id = comment?.id ?? data.id ?? ''
  const shown = shell.shadow.getElementById(`nc-${id}`)
  const waiting = pending.list(articleId)
  const mine = waiting.some((c) => c.id === id)
  if (mine) pending.keep(articleId, (c) => c.id !== id)
  if (event === 'hidden') {
    shown?.remove()
    // Which comment, and why: the stream says neither, the writer's receipt asks for both.
    const own = waiting.find((c) => c.id === id)
    // Only a refusal is news: the writer's own deletion (its answer may come after this notice) is not.
    if (own)
      void ctx.api.statuses([own]).then(
        (a) => a.statuses[id] === 'rejected' && turnedDown(ctx, own, a.reasons[id]),
        () => undefined,
      )
    return
  }
  if (!comment) return
  if (event === 'edited') {
    const body = shown?.querySelector<HTMLElement>('.body')
    if (body && comment.deleted) {
      body.className = 'body gone'
      body.textContent = t.deletedBody
    } else if (body) {
      bodyText(body, comment.body, comment.links)
      // Every reader sees that the text changed, not only the writer (a pick sends this notice too).
      shown!.querySelector<HTMLElement>('.ed')!.hidden = !comment.editedAt
    }
  } else if (shown?.matches('.mine') ?? mine) {
    // The reader's own waiting comment was just approved: it turns published where it stands.
    showOwn(ctx, shell, comment, false, false)
    shell.announce(t.published)
  } else if (!shown) {
    if (comment.parentId && shell.shadow.getElementById(`nc-${comment.parentId}`)) showOwn(ctx, shell, comment, false, false)
    else shell.offerFresh(1)
  }
}

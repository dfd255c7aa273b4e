import { api } from './api.js'
import { pickLanguage } from './i18n/index.js'
import { mountWidget } from './widget.js'

// `async` scripts still have currentScript while they run; it tells which server to talk to.
const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="embed.js"]')
const origin = new URL(script?.src ?? location.href).origin
performance.mark('nc:start')

/** Every `data-comment-count` on the page, filled from one request. */
async function fillCounts() {
  const elements = [...document.querySelectorAll<HTMLElement>('[data-comment-count]')]
  const ids = [...new Set(elements.map((el) => el.dataset.commentCount!).filter(Boolean))].slice(0, 100)
  if (!ids.length) return
  const counts = await api(origin).counts(ids)
  for (const el of elements) {
    const { t } = pickLanguage(el.closest<HTMLElement>('[lang]')?.lang)
    el.textContent = t.count(counts[el.dataset.commentCount!] ?? 0)
  }
}

function start() {
  const containers = [...document.querySelectorAll<HTMLElement>('[data-article-id]')]
  if (!containers.length) {
    const fallback = document.getElementById('comments')
    if (fallback) containers.push(fallback)
  }
  const ready = containers
    .filter((el) => !el.dataset.ncMounted)
    .map((el) => {
      el.dataset.ncMounted = '1'
      return mountWidget(el, { origin })
    })
  // Counts are extra: a page without them still has its comments.
  fillCounts().catch(() => undefined)
  Promise.all(ready).then(() => requestAnimationFrame(() => performance.mark('nc:painted')))
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()

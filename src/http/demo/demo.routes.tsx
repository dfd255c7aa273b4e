import { type Context, Hono } from 'hono'
import { raw } from 'hono/html'
import type { PublicComment } from '../../comments/comments.mapper.js'
import { FallbackComments, firstComments } from '../reader-pages/fallback.js'
import { type Catalogue, type Language, direction } from '../../platform/i18n/i18n.js'
import type { AppEnv } from '../shared/context.js'

// A sample article page, written for this project, showing the widget where a newsroom's old
// "Please fill the fields below" form used to be. The form stays as the no-JS fallback.

interface DemoArticle {
  lang: Language
  id: string
  section: string
  masthead: string
  headline: string
  standfirst: string
  byline: string
  paragraphs: string[]
  legacyHeading: string
  legacyPrompt: string
  labels: { name: string; email: string; body: string; send: string }
  banner: string
}

// The article is sample content, not the server's words, so it stays with its page rather than in i18n/.
const ARTICLES: Catalogue<DemoArticle> = {
  en: {
    lang: 'en',
    id: 'demo-aid-corridor',
    masthead: 'The Daily Dispatch',
    section: 'Middle East',
    headline: 'Aid lorries wait at the border as talks on a safe corridor stall',
    standfirst: 'Relief agencies say families sheltering in tents need fuel and medicine before the cold sets in.',
    byline: 'By our correspondent · 25 November 2026',
    paragraphs: [
      'A line of lorries carrying flour, blankets and heating fuel stood idle at the crossing on Tuesday while negotiators argued over who would guarantee their route.',
      'Relief workers described camps where several families share one tent and where children queue for water before dawn. Doctors at a field clinic said they were rationing antibiotics.',
      'Diplomats expect a new round of talks later this week. Until then, agencies are asking for a pause in the fighting long enough to move the convoy and to let the sick and wounded leave.',
      'This page is a demonstration: the article is invented, the comments below are real and go through the screening pipeline and the moderation queue.',
    ],
    legacyHeading: 'Comments About This Article',
    legacyPrompt: 'Please fill the fields below.',
    labels: { name: 'Name', email: 'Email', body: 'Comment', send: 'Send' },
    banner: 'Demo article. A civil comment is published at once and reaches every reader live; moderators work at',
  },
  ar: {
    lang: 'ar',
    id: 'demo-aid-corridor-ar',
    masthead: 'النشرة اليومية',
    section: 'الشرق الأوسط',
    headline: 'شاحنات المساعدات تنتظر عند الحدود مع تعثّر محادثات الممر الآمن',
    standfirst: 'تقول وكالات الإغاثة إن العائلات المقيمة في الخيام تحتاج إلى الوقود والدواء قبل اشتداد البرد.',
    byline: 'مراسلنا · ٢٥ تشرين الثاني ٢٠٢٦',
    paragraphs: [
      'وقفت صفوف من الشاحنات المحمّلة بالطحين والبطانيات ووقود التدفئة عند المعبر يوم الثلاثاء، بينما اختلف المفاوضون على الجهة التي تضمن طريقها.',
      'وصف عمّال الإغاثة مخيمات تتقاسم فيها عدة عائلات خيمة واحدة، ويصطف فيها الأطفال للحصول على الماء قبل الفجر. وقال أطباء في عيادة ميدانية إنهم يقنّنون المضادات الحيوية.',
      'يتوقع دبلوماسيون جولة جديدة من المحادثات في وقت لاحق من هذا الأسبوع، وتطالب الوكالات حتى ذلك الحين بهدنة تكفي لعبور القافلة وخروج المرضى والجرحى.',
      'هذه صفحة تجريبية: المقال متخيَّل، أما التعليقات أدناه فحقيقية وتمرّ عبر الفحص الآلي وطابور الإشراف.',
    ],
    legacyHeading: 'تعليقات حول هذا المقال',
    legacyPrompt: 'يرجى ملء الحقول أدناه.',
    labels: { name: 'الاسم', email: 'البريد الإلكتروني', body: 'التعليق', send: 'إرسال' },
    banner: 'مقال تجريبي. يُنشر التعليق المهذّب فورًا ويصل إلى كل القرّاء مباشرة؛ ويعمل المشرفون في',
  },
}

const PAGE_CSS = `
body{margin:0;background:#fbfaf7;color:#1d1d1b;font:18px/1.65 Georgia,"Times New Roman","Noto Naskh Arabic",serif}
.banner{background:#1d1d1b;color:#fff;font:14px/1.4 system-ui,sans-serif;padding:.5rem 1rem;text-align:center}
.banner a{color:#ffd479}
header.mast{border-bottom:3px double #1d1d1b;text-align:center;padding:1rem}
header.mast a{font:700 2rem/1 Georgia,serif;color:inherit;text-decoration:none}
main{max-width:42rem;margin:0 auto;padding:1.5rem 1rem 4rem}
.section{font:700 .8rem/1 system-ui,sans-serif;letter-spacing:.08em;text-transform:uppercase;color:#a4161a}
h1{font-size:2.1rem;line-height:1.2;margin:.4rem 0}
.standfirst{font-size:1.15rem;color:#444}
.byline{font:14px system-ui,sans-serif;color:#555;border-block:1px solid #ddd;padding:.5rem 0;display:flex;gap:1rem;flex-wrap:wrap}
.byline a{color:#a4161a}
#comments{margin-top:3rem;border-top:2px solid #1d1d1b}
#comments form{display:grid;gap:.5rem;font:16px system-ui,sans-serif;max-width:100%}
#comments label{display:grid;gap:.25rem;font-weight:600}
#comments input,#comments textarea{font:inherit;font-weight:400;padding:.5rem;border:1px solid #767676;border-radius:4px;width:100%;box-sizing:border-box}
#comments button{font:inherit;font-weight:700;padding:.6rem 1rem;background:#1d1d1b;color:#fff;border:0;border-radius:4px;justify-self:start}
#comments ol{list-style:none;padding:0;font:16px/1.5 system-ui,sans-serif}
#comments li{border-top:1px solid #ddd;padding:.6rem 0}
#comments li p{margin:.2rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
`

function DemoPage({ article, url, comments }: { article: DemoArticle; url: string; comments: PublicComment[] }) {
  const other = article.lang === 'en' ? { href: '/demo/ar', label: 'العربية' } : { href: '/demo', label: 'English' }
  return (
    <html lang={article.lang} dir={direction(article.lang)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>
          {article.headline} · {article.masthead}
        </title>
        <style>{raw(PAGE_CSS)}</style>
      </head>
      <body>
        <p class="banner">
          {article.banner}{' '}
          <a href="/moderate" dir="ltr">
            /moderate
          </a>{' '}
          ·{' '}
          <a href={other.href} lang={other.href === '/demo' ? 'en' : 'ar'}>
            {other.label}
          </a>
        </p>
        <header class="mast">
          <a href={article.lang === 'en' ? '/demo' : '/demo/ar'}>{article.masthead}</a>
        </header>
        <main>
          <article>
            <p class="section">{article.section}</p>
            <h1>{article.headline}</h1>
            <p class="standfirst">{article.standfirst}</p>
            <p class="byline">
              <span>{article.byline}</span>
              <a href="#comments" data-comment-count={article.id}>
                {article.legacyHeading}
              </a>
            </p>
            {article.paragraphs.map((p) => (
              <p>{p}</p>
            ))}
          </article>
          <section id="comments" data-article-id={article.id} data-article-title={article.headline}>
            <FallbackComments lang={article.lang} comments={comments} />
            <form method="post" action={`/api/v1/articles/${article.id}/comments`}>
              <h2>{article.legacyHeading}</h2>
              <p>{article.legacyPrompt}</p>
              <label>
                {article.labels.name} <input name="name" required maxlength={80} />
              </label>
              <label>
                {article.labels.email} <input name="email" type="email" required maxlength={254} />
              </label>
              <label>
                {article.labels.body} <textarea name="body" required rows={6} />
              </label>
              <input type="hidden" name="articleTitle" value={article.headline} />
              <input type="hidden" name="articleUrl" value={url} />
              <input type="hidden" name="lang" value={article.lang} />
              <button type="submit">{article.labels.send}</button>
            </form>
          </section>
        </main>
        <script src="/embed.js" async />
      </body>
    </html>
  )
}

async function demoPage(c: Context<AppEnv>, article: DemoArticle) {
  const url = new URL(c.req.url)
  url.search = ''
  const comments = await firstComments(c.var.db, article.id)
  return c.html(`<!doctype html>${<DemoPage article={article} url={url.toString()} comments={comments} />}`)
}

export const demoRoutes = new Hono<AppEnv>().get('/', (c) => demoPage(c, ARTICLES.en)).get('/ar', (c) => demoPage(c, ARTICLES.ar))

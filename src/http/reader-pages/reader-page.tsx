import type { Child } from 'hono/jsx'

/**
 * The frame of the small pages readers reach without the widget (the no-JS answer, mail preferences,
 * their account): in their language and direction, never indexed, with the page's own few styles.
 */
export function ReaderPage(props: {
  lang: string
  dir: 'ltr' | 'rtl'
  title: string
  css: string
  noReferrer?: boolean
  children?: Child
}) {
  return (
    <html lang={props.lang} dir={props.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {props.noReferrer && <meta name="referrer" content="no-referrer" />}
        <title>{props.title}</title>
        <style>{`body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}${props.css}`}</style>
      </head>
      <body>
        <h1>{props.title}</h1>
        {props.children}
      </body>
    </html>
  )
}

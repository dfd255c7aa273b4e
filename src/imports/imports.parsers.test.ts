import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCommento } from './imports.commento.js'
import { parseDisqus } from './imports.disqus.js'
import { parseJsonl } from './imports.jsonl.js'
import { parseRemark42 } from './imports.remark42.js'
import { sniffFormat } from './imports.sniff.js'
import { htmlToText, markupToText, textToHtml } from './imports.text.js'
import type { ImportRecord } from './imports.types.js'
import { parseWordpress } from './imports.wordpress.js'

/** The text cut into tiny chunks, so records, CDATA and Arabic letters straddle chunk boundaries. */
async function* chunked(text: string, size = 7) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}

async function collect(records: AsyncIterable<ImportRecord>) {
  const out: ImportRecord[] = []
  for await (const r of records) out.push(r)
  return out
}

const DISQUS = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="1"><id>idlib-2020</id><link>https://news.example/idlib#top</link><title>Idlib</title><createdAt>2020-02-29T08:00:00Z</createdAt></thread>
  <post dsq:id="11">
    <message><![CDATA[<p>ردّ على التقرير]]></message>
    <createdAt>2020-02-29T09:30:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><email>  Omar@Example.net </email><name>عمر</name></author>
    <thread dsq:id="1"/><parent dsq:id="10"/>
  </post>
  <post dsq:id="10">
    <message>Top &amp; first</message>
    <createdAt>2020-02-29T09:00:00Z</createdAt><isSpam>true</isSpam>
    <author><email>not-an-email</email><name>Tom</name></author>
    <thread dsq:id="1"/>
  </post>
</disqus>`

describe('the Disqus parser', () => {
  it('reads threads and posts across chunk boundaries, names parents by source id, maps flags', async () => {
    const records = await collect(parseDisqus(chunked(DISQUS)))
    expect(records.map((r) => r.kind)).toEqual(['article', 'comment', 'comment'])
    expect(records[0]).toMatchObject({ id: 'idlib-2020', url: 'https://news.example/idlib#top', title: 'Idlib', line: 3 })
    expect(records[1]).toMatchObject({
      sourceId: '11',
      parentSourceId: '10',
      articleId: 'idlib-2020',
      body: 'ردّ على التقرير',
      authorName: 'عمر',
      authorEmail: 'Omar@Example.net',
      status: 'approved',
      line: 4,
    })
    expect(records[2]).toMatchObject({ sourceId: '10', parentSourceId: null, body: 'Top & first', authorEmail: null, status: 'spam' })
  })

  it('ends a broken file with the line it broke on', async () => {
    await expect(
      collect(parseDisqus(chunked('<disqus xmlns:dsq="http://disqus.com/disqus-internals">\n<thread dsq:id="1">\n</disqus>'))),
    ).rejects.toThrow(/^malformed file at line 3: /)
    await expect(collect(parseDisqus(chunked('<disqus>\n<thread dsq:id="1"/></disqus>')))).rejects.toThrow(
      'malformed file at line 2: unbound namespace prefix: "dsq".',
    )
    await expect(collect(parseDisqus(chunked('<rss/>')))).rejects.toThrow('not a Disqus export')
  })
})

describe('XML files', () => {
  it('skip whatever whitespace comes before <?xml, over as many chunks as it takes, and keep counting lines', async () => {
    const broken = DISQUS.replace('<createdAt>2020-02-29T09:00:00Z</createdAt>', '')
    const records = await collect(parseDisqus(chunked(`\uFEFF\n\n    ${broken}`, 1)))
    expect(records.map((r) => [r.kind, r.line])).toEqual([
      ['article', 5],
      ['comment', 6],
      ['bad', 12],
    ])
  })
})

describe('the Commento parser', () => {
  const text = readFileSync(join(process.cwd(), 'test/fixtures/imports/levant.commento.json'), 'utf8')

  it('streams the export across tiny chunks in two passes: commenters first, then comments with the line each ends on', async () => {
    const records = await collect(parseCommento(chunked(text, 5), () => chunked(text, 11)))
    expect(records.filter((r) => r.kind === 'article').map((r) => r.kind === 'article' && [r.id, r.url])).toEqual([
      ['https://news.example/2023/02/06/earthquake-aleppo/', 'https://news.example/2023/02/06/earthquake-aleppo/'],
      ['https://news.example/ar/2023/02/07/zilzal-halab/', 'https://news.example/ar/2023/02/07/zilzal-halab/'],
    ])
    const comments = records.filter((r) => r.kind === 'comment')
    expect(comments).toHaveLength(9)
    expect(comments[1]).toMatchObject({
      authorName: 'جنى',
      authorEmail: 'jana@example.net',
      parentSourceId: comments[0]!.sourceId,
      line: 31,
    })
    expect(comments[3]).toMatchObject({ status: 'deleted', body: '', parentSourceId: null })
    expect(records.find((r) => r.kind === 'bad')).toMatchObject({ line: 143 })
  })

  it('refuses a file that is not one JSON object of version 1', async () => {
    await expect(collect(parseCommento(chunked('[1, 2]'), () => chunked('[1, 2]')))).rejects.toThrow(
      /^malformed file at line 1: not a Commento export/,
    )
    const v2 = text.replace('"version": 1', '"version": 2')
    await expect(collect(parseCommento(chunked(v2), () => chunked(v2)))).rejects.toThrow('its "version" is 2, and only version 1 exists')
    const cut = text.slice(0, 2000)
    await expect(collect(parseCommento(chunked(cut), () => chunked(cut)))).rejects.toThrow(
      /^malformed file at line \d+: not well-formed JSON/,
    )
  })
})

describe('the Remark42 parser', () => {
  it('reads the metadata line, then one comment a line, each page once', async () => {
    const backup = [
      '{"version":1,"users":[],"posts":[{"url":"https://news.example/a","read_only":true}]}',
      '{"id":"c1","pid":"","text":"<p>One</p>\\n","user":{"name":"N","id":"u"},"locator":{"site":"s","url":"https://news.example/a#remark42"},"time":"2023-01-01T00:00:00Z"}',
      '{"id":"c2","pid":"c1","text":"","user":{"name":"deleted","id":"deleted"},"locator":{"site":"s","url":"https://news.example/a"},"time":"2023-01-01T01:00:00Z","delete":true}',
    ].join('\n')
    const records = await collect(parseRemark42(chunked(backup, 9)))
    expect(records.map((r) => r.kind)).toEqual(['article', 'comment', 'comment'])
    expect(records[0]).toMatchObject({ id: 'https://news.example/a', closed: true })
    expect(records[2]).toMatchObject({ status: 'deleted', parentSourceId: 'c1', articleId: 'https://news.example/a' })
    await expect(collect(parseRemark42(chunked('{"id":"c1"}')))).rejects.toThrow(/^malformed file at line 1: not a Remark42 backup/)
  })
})

describe('telling formats apart', () => {
  it('names the format from the first kilobytes of a file', () => {
    expect(sniffFormat('\n  <?xml version="1.0"?>\n<disqus xmlns="http://disqus.com">')).toBe('disqus')
    expect(sniffFormat('<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">')).toBe('wordpress')
    expect(sniffFormat('{"version":1,"comments":[{"commentHex":"ab')).toBe('commento')
    expect(sniffFormat('{"version":1,"users":[],"posts":[]}\n{"id":"x"}')).toBe('remark42')
    expect(sniffFormat('SQLite format 3\u0000\u0010')).toBe('isso')
    expect(sniffFormat('{"type":"export","format":"newsroom-comments","version":1}\n')).toBe('backup')
    expect(sniffFormat('[{"id": "/blog/a", "title": "A", "comments": [{"author": "J", "created": "2018-11-28 17:24:23"')).toBe('isso-json')
    expect(sniffFormat('\u0007\u0000garbage')).toBeNull()
  })
})

describe('the WordPress parser', () => {
  it('maps wp:comment_approved and falls back to the local date when the GMT one is unset', async () => {
    const wxr = `<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>T</title><link>https://news.example/?p=7</link><wp:post_id>7</wp:post_id>
      ${['1', '0', 'spam', 'trash']
        .map(
          (approved, i) =>
            `<wp:comment><wp:comment_id>${i + 1}</wp:comment_id><wp:comment_author>A</wp:comment_author><wp:comment_date>2021-01-0${i + 1} 10:00:00</wp:comment_date><wp:comment_date_gmt>0000-00-00 00:00:00</wp:comment_date_gmt><wp:comment_content>Hi ${i}</wp:comment_content><wp:comment_approved>${approved}</wp:comment_approved><wp:comment_parent>${i === 1 ? 1 : 0}</wp:comment_parent></wp:comment>`,
        )
        .join('')}
      <wp:comment><wp:comment_id>9</wp:comment_id><wp:comment_content>x</wp:comment_content><wp:comment_approved>maybe</wp:comment_approved><wp:comment_date_gmt>2021-01-01 00:00:00</wp:comment_date_gmt></wp:comment>
    </item></channel></rss>`
    const records = await collect(parseWordpress(chunked(wxr, 13)))
    expect(records[0]).toMatchObject({ kind: 'article', id: 'https://news.example/?p=7', sourceId: '7' })
    expect(records.slice(1, 5).map((r) => r.kind === 'comment' && [r.status, r.parentSourceId, r.createdAt.toISOString()])).toEqual([
      ['approved', null, '2021-01-01T10:00:00.000Z'],
      ['pending', '1', '2021-01-02T10:00:00.000Z'],
      ['spam', null, '2021-01-03T10:00:00.000Z'],
      ['deleted', null, '2021-01-04T10:00:00.000Z'],
    ])
    expect(records[5]).toMatchObject({ kind: 'bad', reason: 'comment 9 has an unknown wp:comment_approved "maybe"' })
  })
})

describe('the JSON-lines parser', () => {
  it('numbers lines across chunks and says what is wrong with a line', async () => {
    const text = [
      '{"id":1,"articleId":"a","authorName":"N","body":"b","createdAt":"2021-01-01T00:00:00Z"}',
      '',
      '{"id":2}',
      '{"id":3,"articleId":"a","authorName":"N","body":"b","createdAt":"yesterday"}',
    ].join('\r\n')
    const records = await collect(parseJsonl(chunked(text, 5)))
    expect(records.map((r) => [r.kind, r.line])).toEqual([
      ['article', 1],
      ['comment', 1],
      ['bad', 3],
      ['bad', 4],
    ])
    expect(records[2]).toMatchObject({ reason: expect.stringMatching(/^articleId: /) })
    expect(records[3]).toMatchObject({ reason: expect.stringMatching(/^createdAt: /) })
  })
})

describe('HTML and text', () => {
  it('turns comment HTML into the plain text the app stores', () => {
    expect(htmlToText('<p>One<br/>two</p><p>Three &lt;b&gt; &#x645;&#1585;</p>')).toBe('One\ntwo\n\nThree <b> مر')
    expect(
      htmlToText('<a href="https://example.org/a/long/path">https://example.org/a/...</a> and <a href="https://x.example">a site</a>'),
    ).toBe('https://example.org/a/long/path and a site (https://x.example)')
  })
  it('keeps the address of a link whose text is not its address, and no address that is not http(s)', () => {
    expect(htmlToText('<p>Avatars by <a href="https://gravatar.com" rel="nofollow">Gravatar</a>.</p>')).toBe(
      'Avatars by Gravatar (https://gravatar.com).',
    )
    expect(htmlToText('<a href="https://gravatar.com/">gravatar.com</a>')).toBe('https://gravatar.com/')
    expect(htmlToText('<a href="javascript:alert(1)">click</a> <a href="data:text/html,x">here</a> <a>plain</a>')).toBe('click here plain')
    expect(htmlToText('<img src="https://img.example/map.png" alt="A map"> <img src="javascript:x" alt="">')).toBe(
      'A map (https://img.example/map.png)',
    )
  })
  it('puts block elements on lines of their own, so their words never run together', () => {
    expect(htmlToText('<dl><dt>They stayed for their friends.</dt><dd>Do not forget them.</dd></dl>')).toBe(
      'They stayed for their friends.\nDo not forget them.',
    )
    expect(htmlToText('<h3>Title</h3><ul><li>one</li><li>two</li></ul><blockquote>said</blockquote><section>end</section>')).toBe(
      'Title\n\n- one\n- two\n\n> said\n\nend',
    )
    expect(htmlToText('<script>alert(1)</script>safe')).toBe('safe')
  })
  it("keeps the writer's own line breaks in Markdown with the odd tag (Isso, Commento, WordPress)", () => {
    expect(markupToText('**Fuel** now.\nNot next week.\n\n<b>Please</b> <a href="https://who.example.int/r">read</a>')).toBe(
      '**Fuel** now.\nNot next week.\n\nPlease read (https://who.example.int/r)',
    )
  })
  it('gives text without markup, which skips the parser, as the parser would give it', () => {
    const samples = [
      'plain',
      '  two  spaces\tand a tab  ',
      'line1\nline2\n\n\nline3',
      'a\n  b  \n\n c',
      '\u200bzero\u200bwidth',
      'نص عربي\nسطر ثان',
      '',
    ]
    for (const text of samples) {
      // An empty element sends the same text through html-to-text.
      expect(htmlToText(text)).toBe(htmlToText(`${text}<span></span>`))
      expect(markupToText(text)).toBe(markupToText(`${text}<span></span>`))
    }
  })
  it('converts a crafted 52 KB message in time linear in its size (the regexes took minutes)', () => {
    // Unclosed anchors made the old regular expressions backtrack cubically: 8 KB took over a second,
    // 52 KB minutes. The bound here is the test's own timeout: vitest's default, seconds, not minutes.
    for (const crafted of [
      '<a href="x"'.repeat(4800),
      '<a href=\'x\' href="y" '.repeat(2500),
      '<b>'.repeat(17500),
      `${' '.repeat(53_000)}x`,
    ]) {
      expect(crafted.length).toBeGreaterThanOrEqual(52_000)
      expect(typeof htmlToText(crafted)).toBe('string')
      expect(typeof markupToText(crafted)).toBe('string')
    }
  })
  it('writes text back as paragraphs, escaped', () => {
    expect(textToHtml('a < b\nc\n\nd')).toBe('<p>a &lt; b<br>c</p><p>d</p>')
    expect(htmlToText(textToHtml('a < b\nc\n\nd'))).toBe('a < b\nc\n\nd')
    const quoted = `Tom & "Jerry" said 'no' <b>`
    expect(htmlToText(textToHtml(quoted))).toBe(quoted)
  })
})

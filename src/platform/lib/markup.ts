// The one escaper for text that goes into HTML or XML outside a template (the Disqus export, its
// messages). Mails, pages and charts are rendered by templates (JSX, `html`) that escape on their own,
// with these same five entities.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * Text made safe inside an element or a quoted attribute, of HTML or XML alike: `&#39;` rather than
 * `&apos;`, which HTML 4 lacks, so one spelling serves both.
 */
export const escapeMarkup = (text: string): string => text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!)

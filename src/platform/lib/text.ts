// The characters a field may hold: one rule for every input, whichever door it came through.

/**
 * Control characters no field takes: NUL (which PostgreSQL cannot store in text), the other C0 controls
 * but tab and line breaks, DEL and the C1 controls. Text that may span lines keeps its tabs and newlines.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/

/** The fields of a parsed input (nested objects and arrays too) whose text holds a control character. */
export function controlCharacterFields(value: unknown, path = ''): Record<string, string> {
  const fields: Record<string, string> = {}
  const visit = (v: unknown, at: string) => {
    if (typeof v === 'string') {
      if (CONTROL_CHARACTERS.test(v)) fields[at || '_'] ??= 'contains control characters'
    } else if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) visit(item, at ? `${at}.${i}` : String(i))
    } else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [key, item] of Object.entries(v)) visit(item, at ? `${at}.${key}` : key)
    }
  }
  visit(value, path)
  return fields
}

/** For a field of one line: no tab or line break either. */
export const CONTROL_OR_LINE_BREAK = /[\u0000-\u001F\u007F-\u009F]/

/** Half of a UTF-16 surrogate pair without the other half: no text, only broken bytes. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

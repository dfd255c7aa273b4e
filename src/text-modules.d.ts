// Wrangler bundles `.txt` imports as strings (its default Text rule); the Worker uses this for the widget and
// the workspace's keyboard script.
declare module '*.txt' {
  const text: string
  export default text
}

// Cloudflare's runtime module for the send_email binding (only the Worker imports it).
declare module 'cloudflare:email' {
  export class EmailMessage {
    constructor(from: string, to: string, raw: string)
  }
}

// Wrangler bundles `.txt` imports as strings (its default Text rule); the Worker uses this for the widget.
declare module '*.txt' {
  const text: string
  export default text
}

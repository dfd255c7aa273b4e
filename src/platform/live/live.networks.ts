// Live on Workers, across articles: each article's readers live in that article's own Durable Object,
// so no one object sees a client's sockets on every article. One more object per client network (an IPv6
// /64 or an IPv4 address, named by its keyed hash) counts them: an article's object asks it for a ticket
// before accepting a socket and hands the ticket back when the socket closes. A ticket whose close never
// arrived (a lost message, an evicted object) is checked with the article holding it before the network
// is refused, so a lost release costs a reader nothing for longer than a minute.

/** Open live sockets one network holds across all articles: a household's tabs, not a script's thousands. */
export const MAX_SOCKETS_PER_NETWORK = 20
/** How long a ticket is trusted without asking its article whether the socket is still open. */
const RECHECK_MS = 60_000

interface Ticket {
  /** The id of the article object that holds the socket (its `ctx.id.toString()`). */
  holder: string
  checked: number
}

interface TicketStorage {
  put(key: string, value: unknown): Promise<void>
  delete(key: string): Promise<boolean>
  list<T>(options: { prefix: string }): Promise<Map<string, T>>
}

/** What a network's object needs to ask an article's object about a ticket. */
interface HolderNamespace {
  idFromString(id: string): unknown
  get(id: unknown): { fetch(input: string | Request, init?: RequestInit): Promise<Response> }
}

/** The Worker's side: the binding (`env.LIVE_NETWORKS`). */
export interface NetworkLiveNamespace {
  idFromName(name: string): unknown
  get(id: unknown): { fetch(input: string | Request, init?: RequestInit): Promise<Response> }
}

const networkLive = (namespace: NetworkLiveNamespace, network: string) => namespace.get(namespace.idFromName(network))

/** Asks the network's object for a ticket; false when the network holds its limit. Open on failure. */
export async function acquireTicket(namespace: NetworkLiveNamespace, network: string, ticket: string, holder: string): Promise<boolean> {
  try {
    const answer = await networkLive(namespace, network).fetch('https://networks/acquire', {
      method: 'POST',
      body: JSON.stringify({ ticket, holder }),
    })
    return answer.status !== 429
  } catch (error) {
    // A counter that cannot be reached must not shut every reader out; the article's own limit still holds.
    console.error('[comments] live: the network counter did not answer:', error)
    return true
  }
}

export async function releaseTicket(namespace: NetworkLiveNamespace, network: string, ticket: string): Promise<void> {
  try {
    await networkLive(namespace, network).fetch('https://networks/release', { method: 'POST', body: JSON.stringify({ ticket }) })
  } catch (error) {
    // The next refusal checks this ticket with its article and drops it.
    console.error('[comments] live: a ticket was not handed back:', error)
  }
}

export class NetworkLive {
  constructor(
    private readonly ctx: { storage: TicketStorage },
    private readonly env: { ARTICLE_LIVE?: HolderNamespace },
  ) {}

  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname
    const body = (await request.json().catch(() => ({}))) as { ticket?: unknown; holder?: unknown }
    if (typeof body.ticket !== 'string') return new Response(null, { status: 400 })
    if (path === '/acquire' && typeof body.holder === 'string')
      return new Response(null, { status: (await this.acquire(body.ticket, body.holder)) ? 204 : 429 })
    if (path === '/release') {
      await this.ctx.storage.delete(`t:${body.ticket}`)
      return new Response(null, { status: 204 })
    }
    return new Response(null, { status: 404 })
  }

  private async acquire(ticket: string, holder: string): Promise<boolean> {
    let held = await this.ctx.storage.list<Ticket>({ prefix: 't:' })
    if (held.size >= MAX_SOCKETS_PER_NETWORK) {
      await this.recheck(held)
      held = await this.ctx.storage.list<Ticket>({ prefix: 't:' })
    }
    if (held.size >= MAX_SOCKETS_PER_NETWORK) return false
    await this.ctx.storage.put(`t:${ticket}`, { holder, checked: Date.now() } satisfies Ticket)
    return true
  }

  /** Drops the tickets whose sockets are gone, asking each article at most once a minute. */
  private async recheck(held: Map<string, Ticket>) {
    const now = Date.now()
    const due = [...held].filter(([, ticket]) => now - ticket.checked >= RECHECK_MS)
    await Promise.all(
      due.map(async ([key, ticket]) => {
        const open = await this.stillOpen(key.slice(2), ticket.holder)
        if (open) await this.ctx.storage.put(key, { ...ticket, checked: now } satisfies Ticket)
        else await this.ctx.storage.delete(key)
      }),
    )
  }

  private async stillOpen(ticket: string, holder: string): Promise<boolean> {
    const articles = this.env.ARTICLE_LIVE
    if (!articles) return false
    try {
      const answer = await articles.get(articles.idFromString(holder)).fetch(`https://live/holds?ticket=${encodeURIComponent(ticket)}`)
      return answer.ok && ((await answer.json()) as { open?: unknown }).open === true
    } catch {
      return true // unsure: keep it until the next check
    }
  }
}

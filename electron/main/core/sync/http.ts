import { z } from 'zod'
import {
  type Conflict,
  change,
  changesReply,
  conflict,
  type Mutation,
  PROTOCOL_VERSION,
  pushResult,
  type Resolution,
} from '../../../../shared/sync/protocol'
import type { SnapshotRequest } from '../../../../shared/sync/snapshot'

/**
 * The laptop's HTTP client for the sync server. Every failure becomes a SyncHttpError
 * whose `kind` tells the loop what to do: wait and retry (offline, busy, server), or
 * stop and tell the admin (token, protocol).
 */
export type FailureKind =
  | 'offline'
  | 'unauthorized'
  | 'forbidden'
  | 'busy'
  | 'server'
  | 'protocol'
  | 'stopped'

export class SyncHttpError extends Error {
  override name = 'SyncHttpError'
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message)
  }
}

const deviceInfo = z.object({
  id: z.uuid(),
  label: z.string(),
  userName: z.string(),
  role: z.enum(['admin', 'office_manager', 'crew_lead']),
  teamMemberId: z.uuid().nullable().optional(),
})
export type DeviceInfo = z.infer<typeof deviceInfo>

const pushReply = z.object({ results: z.array(pushResult) })
const pullReply = z.object({
  changes: z.array(change),
  cursor: z.number().int(),
  more: z.boolean(),
  /** The server holds less than the cursor names: restored from an older backup. */
  restarted: z.boolean().optional(),
  /** Which copy of the central database answered (a new one after a restore). */
  epoch: z.string().max(64).optional(),
})
const conflictsReply = z.object({ conflicts: z.array(conflict) })

type ErrorPayload = { ok?: boolean; data?: unknown; error?: { message?: string } }

/** What a reply that is not 2xx means for the loop. */
function failureOf(res: Response, payload: ErrorPayload | undefined): SyncHttpError {
  const message = payload?.error?.message ?? `HTTP ${res.status}`
  if (res.status === 401)
    return new SyncHttpError(
      'unauthorized',
      'the server does not accept this device token',
      undefined,
      401,
    )
  if (res.status === 403) return new SyncHttpError('forbidden', message, undefined, 403)
  if (res.status === 429 || res.status === 503) {
    const seconds = Number(res.headers.get('retry-after'))
    return new SyncHttpError(
      'busy',
      'the server is busy',
      Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined,
      res.status,
    )
  }
  if (res.status >= 500)
    return new SyncHttpError('server', `the server failed (${message})`, undefined, res.status)
  return new SyncHttpError(
    'protocol',
    `the server refused the request: ${message}`,
    undefined,
    res.status,
  )
}

export interface SyncHttpOptions {
  serverUrl: string
  token: string
  fetch?: typeof fetch
  timeoutMs?: number
  /** Aborts requests in flight (the loop is being paused or stopped). */
  signal?: AbortSignal
}

/** Normalizes a server address typed by a person: scheme required, no trailing slash. */
export function normalizeServerUrl(input: string): string {
  const url = new URL(input.trim())
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('the server address must start with http:// or https://')
  url.hash = ''
  url.search = ''
  // The address as people copy it from the server's own routes ("…/v1/"): the routes
  // are added here, so a trailing /v1 would name them twice.
  return url.toString().replace(/\/+$/, '').replace(/\/v1$/, '')
}

export class SyncHttp {
  private readonly fetch: typeof fetch
  private readonly timeoutMs: number

  constructor(private readonly opts: SyncHttpOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch
    this.timeoutMs = opts.timeoutMs ?? 30_000
  }

  whoami(): Promise<DeviceInfo> {
    return this.call('GET', '/v1/whoami', undefined, deviceInfo)
  }

  async push(mutations: Mutation[]) {
    return (
      await this.call('POST', '/v1/sync/push', { protocol: PROTOCOL_VERSION, mutations }, pushReply)
    ).results
  }

  pull(cursor: number, limit: number) {
    return this.call(
      'POST',
      '/v1/sync/pull',
      { protocol: PROTOCOL_VERSION, cursor, limit },
      pullReply,
    )
  }

  /**
   * The first-pull snapshot's lines (shared/sync/snapshot.ts), in batches as they arrive;
   * null when this server serves no snapshots (then pull page by page). The timeout is
   * per read: a long stream is fine, a stalled one is cut. A cut stream throws `offline`.
   */
  async snapshot(request: SnapshotRequest): Promise<AsyncGenerator<string[]> | null> {
    const idle = new AbortController()
    let timer = setTimeout(() => idle.abort(), this.timeoutMs)
    const touch = () => {
      clearTimeout(timer)
      timer = setTimeout(() => idle.abort(), this.timeoutMs)
    }
    const signal = this.opts.signal ? AbortSignal.any([idle.signal, this.opts.signal]) : idle.signal
    const cut = (started = true) =>
      this.opts.signal?.aborted
        ? new SyncHttpError('stopped', 'the sync round was stopped')
        : started
          ? new SyncHttpError('offline', 'the connection to the server was cut')
          : new SyncHttpError('offline', 'the server cannot be reached')
    let res: Response
    try {
      res = await this.fetch(`${this.opts.serverUrl}/v1/sync/snapshot`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.opts.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(request),
        signal,
      })
    } catch {
      clearTimeout(timer)
      // Never answered (nothing listening, no network): not a stream cut mid-way.
      throw cut(false)
    }
    if (!res.ok || !res.body) {
      clearTimeout(timer)
      const payload = (await res.json().catch(() => undefined)) as ErrorPayload | undefined
      if (res.status === 404) return null
      throw failureOf(res, payload)
    }
    const body = res.body
    return (async function* lines() {
      const decoder = new TextDecoder()
      let rest = ''
      try {
        for await (const bytes of body) {
          touch()
          const text = rest + decoder.decode(bytes, { stream: true })
          const end = text.lastIndexOf('\n')
          rest = text.slice(end + 1)
          if (end >= 0) yield text.slice(0, end).split('\n')
        }
      } catch {
        throw cut()
      } finally {
        clearTimeout(timer)
        await body.cancel().catch(() => {})
      }
      if (rest) yield [rest]
    })()
  }

  /**
   * Waits, up to `waitSeconds`, for the server to hold a change beyond `after`, and
   * tells the last change number (the same as `after`: nothing new). Null from a server
   * without the route (404): the laptop then follows changes on its timer alone.
   */
  async changes(after: number, waitSeconds: number): Promise<number | null> {
    try {
      const path = `/v1/sync/changes?after=${after}&wait=${waitSeconds}`
      return (await this.call('GET', path, undefined, changesReply)).latest
    } catch (e) {
      if (e instanceof SyncHttpError && e.status === 404) return null
      throw e
    }
  }

  /**
   * Whether the server answers at all: an unauthenticated GET /health that costs the
   * server nothing. Never throws; used to notice a server that came back.
   */
  async reachable(timeoutMs: number): Promise<boolean> {
    try {
      const res = await this.fetch(`${this.opts.serverUrl}/health`, {
        signal: AbortSignal.timeout(timeoutMs),
      })
      await res.body?.cancel().catch(() => {})
      return res.ok
    } catch {
      return false
    }
  }

  async conflicts(status: 'open' | 'resolved' | 'all', limit = 100): Promise<Conflict[]> {
    return (await this.call('POST', '/v1/conflicts', { status, limit }, conflictsReply)).conflicts
  }

  async resolve(id: string, resolution: Resolution): Promise<void> {
    await this.call('POST', '/v1/conflicts/resolve', { id, resolution }, z.unknown())
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
  ): Promise<T> {
    let res: Response
    try {
      res = await this.fetch(`${this.opts.serverUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.opts.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: this.opts.signal
          ? AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.opts.signal])
          : AbortSignal.timeout(this.timeoutMs),
      })
    } catch {
      if (this.opts.signal?.aborted)
        throw new SyncHttpError('stopped', 'the sync round was stopped')
      throw new SyncHttpError('offline', 'the server cannot be reached')
    }
    let payload: ErrorPayload | undefined
    try {
      payload = (await res.json()) as typeof payload
    } catch {
      if (res.ok) throw new SyncHttpError('protocol', 'the server sent an unreadable reply')
    }
    if (!res.ok) throw failureOf(res, payload)
    const parsed = schema.safeParse(payload?.data)
    if (!parsed.success)
      throw new SyncHttpError('protocol', 'the server sent a reply this app does not understand')
    return parsed.data
  }
}

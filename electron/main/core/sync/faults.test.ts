import { describe, expect, it } from 'vitest'
import { connect, type Device, serverState } from '../../../../testing/sync-harness'
import { call, callError } from '../test/helpers'
import type { SyncEngineOptions } from './engine'
import { readOutbox } from './store'
import { syncTestBed } from './test-bed.test-support'

/**
 * The network fails in the middle of a round: a push whose reply is lost, a pull cut
 * between pages, the server restarting under a push, a batch delivered twice. After the
 * next successful round every change has been applied exactly once and the laptops
 * agree with the server.
 */
const bed = syncTestBed()
const agrees = bed.agree.bind(bed)

type Fetch = typeof fetch
const realFetch: Fetch = (...args) => globalThis.fetch(...args)
const path = (input: Parameters<Fetch>[0]) => new URL(String(input)).pathname

/** A laptop whose requests go through `wrap` (after `connect`, which uses the real network). */
async function device(name: string, wrap: (next: Fetch) => Fetch, opts: SyncEngineOptions = {}) {
  let active: Fetch = realFetch
  const d = await bed.device(name, {
    pushBatch: 10,
    pullLimit: 10,
    fetch: (...args) => active(...args),
    ...opts,
  })
  await connect(d, bed.server)
  active = wrap(realFetch)
  return d
}

/** Writes `n` clients on a laptop; returns the outbox's mutation ids. */
async function write(d: Device, n: number, prefix: string) {
  for (let i = 0; i < n; i++) await call(d.ctx, 'clients.create', { name: `${prefix} ${i}` })
  return (await readOutbox(d.ctx.db.pg, 10_000)).map((e) => e.mutation.id)
}

/** Each mutation is on the server once, applied. */
async function appliedOnce(ids: string[]) {
  const { rows } = await bed.server.pool.query<{ id: string; status: string }>(
    'SELECT id, status FROM sync_mutations WHERE id = ANY($1::uuid[])',
    [ids],
  )
  expect(rows).toHaveLength(ids.length)
  expect(rows.every((r) => r.status === 'applied')).toBe(true)
}

describe('faults during a round', () => {
  it('a push whose reply is lost is sent again and applied once', async () => {
    let cut = 1
    const d = await device('lost-reply', (next) => async (input, init) => {
      const res = await next(input, init)
      if (path(input) === '/v1/sync/push' && cut-- > 0) throw new TypeError('connection reset')
      return res
    })
    const ids = await write(d, 25, 'Lost reply')
    const error = await callError(d.ctx, 'sync.now', {})
    expect(error.code).toBe('UNAVAILABLE')
    // The first batch reached the server, but the laptop cannot know: it is still pending.
    expect((await call(d.ctx, 'sync.status', {})).pending).toBe(ids.length)
    const status = await call(d.ctx, 'sync.now', {})
    expect(status.pending).toBe(0)
    await appliedOnce(ids)
    await agrees(d)
  })

  it('a batch delivered twice applies once', async () => {
    const d = await device('twice', (next) => async (input, init) => {
      if (path(input) === '/v1/sync/push') await next(input, init)
      return next(input, init)
    })
    const ids = await write(d, 15, 'Twice')
    await call(d.ctx, 'sync.now', {})
    await appliedOnce(ids)
    const { rows } = await bed.server.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM clients WHERE name LIKE 'Twice %'",
    )
    expect(rows[0]?.n).toBe(15)
    await agrees(d)
  })

  it('a pull cut between pages resumes from the last stored page', async () => {
    const writer = await device('pull-writer', (next) => next)
    await write(writer, 35, 'Paged')
    await call(writer.ctx, 'sync.now', {})
    let pulls = 0
    // Page by page: a first pull by snapshot resumes by its own progress (snapshot.test.ts).
    const d = await device(
      'pull-cut',
      (next) => async (input, init) => {
        if (path(input) === '/v1/sync/pull' && ++pulls === 3) throw new TypeError('socket hang up')
        return next(input, init)
      },
      { snapshot: false },
    )
    await callError(d.ctx, 'sync.now', {})
    const cursorAfterCut = (
      await d.ctx.db.pg.query<{ value: number }>(
        "SELECT value FROM sync_state WHERE key = 'cursor'",
      )
    ).rows[0]?.value
    expect(cursorAfterCut).toBeGreaterThan(0)
    const pullsBefore = pulls
    await call(d.ctx, 'sync.now', {})
    // It went on from the stored cursor instead of starting over.
    const total = (await serverState(bed.server.pool)).clients
    expect(pulls - pullsBefore).toBeLessThanOrEqual(Math.ceil(Object.keys(total).length / 10))
    await agrees(d, writer)
  })

  it('the server restarting in the middle of a push loses nothing and doubles nothing', async () => {
    let pushes = 0
    const d = await device('restart', (next) => async (input, init) => {
      if (path(input) === '/v1/sync/push' && ++pushes === 2) {
        const reply = next(input, init)
        // The server goes down while the request is in flight, and comes back.
        await bed.server.restart()
        return reply
      }
      return next(input, init)
    })
    const ids = await write(d, 40, 'Restart')
    await call(d.ctx, 'sync.now', {}).catch(() => null)
    await call(d.ctx, 'sync.now', {})
    expect((await call(d.ctx, 'sync.status', {})).pending).toBe(0)
    await appliedOnce(ids)
    await agrees(d)
  })
})

describe('what the server refuses', () => {
  it('moves a refused change out of the outbox, with the reason, for the admin to see', async () => {
    const d = await device('crew-lead-laptop', (next) => next)
    // A client added before the laptop was connected with a crew lead's token: once
    // connected the laptop acts as a crew lead, and the server refuses the upload.
    await call(d.ctx, 'clients.create', { name: 'Not allowed here' })
    const token = await bed.server.token('crew_lead', { label: 'crew laptop' })
    await connect(d, bed.server, token)
    const status = await call(d.ctx, 'sync.now', {})
    expect(status.pending).toBe(0)
    expect(status.rejectedCount).toBe(1)
    expect(status.rejected[0]).toMatchObject({
      table: 'clients',
      name: 'Not allowed here',
      reason: 'a crew lead may not change clients',
    })
  })
})

describe('pausing', () => {
  it('cuts a round waiting on a slow server short, at once', async () => {
    let hanging = 0
    const d = await device('slow-server', () => async (_input, init) => {
      hanging += 1
      // A server that never answers: the request ends only when it is aborted.
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted')))
      })
    })
    await write(d, 3, 'Slow')
    const round = call(d.ctx, 'sync.now', {})
    while (hanging === 0) await new Promise((r) => setTimeout(r, 10))
    const t = performance.now()
    const paused = await call(d.ctx, 'sync.pause', { paused: true })
    expect(performance.now() - t).toBeLessThan(2000)
    expect(paused.phase).toBe('paused')
    expect(paused.pending).toBe(3)
    expect(paused.error).toBeNull()
    await round
  })
})

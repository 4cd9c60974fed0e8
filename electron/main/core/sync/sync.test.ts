import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildFixture } from '../test/fixture'
import { call, callError } from '../test/helpers'
import { readOutbox } from './store'
import {
  connect,
  type Device,
  deviceState,
  openDevice,
  serverState,
  startTestServer,
  type TestServer,
} from './test-harness'

let server: TestServer
const open: Device[] = []
beforeAll(async () => {
  server = await startTestServer()
}, 60_000)
afterAll(async () => {
  await server?.close()
})
afterEach(async () => {
  for (const d of open.splice(0)) await d.close()
})

async function device(name: string, sync = {}) {
  const d = await openDevice(name, sync)
  open.push(d)
  return d
}

const sync = (d: Device) => call(d.ctx, 'sync.now', {})

describe('the outbox', () => {
  it('records every local write in its transaction, and nothing applied from a pull', async () => {
    const a = await device('outbox-a')
    const f = await buildFixture(a.ctx)
    const { appointment } = await call(a.ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2027-03-01T15:00:00Z',
    })
    await call(a.ctx, 'appointments.update', { id: appointment.id, notes: 'gate code 1234' })
    const entries = await readOutbox(a.ctx.db.pg, 1000)
    const mine = entries.filter((e) => e.mutation.rowId === appointment.id)
    expect(mine).toHaveLength(2)
    expect(Object.keys(mine[0]?.mutation.fields ?? {}).sort()).toContain('scheduled_at')
    expect(mine[0]?.mutation.fields.price).toBe('55.00')
    // The second write carries only what changed, and what the laptop had seen before it.
    expect(mine[1]?.mutation.fields).toEqual({ notes: 'gate code 1234' })
    expect(mine[1]?.mutation.base?.notes).toBe(mine[0]?.mutation.hlc)
    expect((mine[1]?.mutation.hlc ?? '') > (mine[0]?.mutation.hlc ?? '')).toBe(true)

    // A refused write leaves no outbox entry behind.
    const before = (await readOutbox(a.ctx.db.pg, 1000)).length
    await callError(a.ctx, 'appointments.update', { id: appointment.id, price: '-1' })
    expect((await readOutbox(a.ctx.db.pg, 1000)).length).toBe(before)

    await connect(a, server)
    const status = await sync(a)
    expect(status.pending).toBe(0)
    expect(status.phase).toBe('idle')

    const b = await device('outbox-b')
    await connect(b, server)
    await sync(b)
    // B received everything and has nothing of its own to send back.
    expect(await readOutbox(b.ctx.db.pg, 10)).toHaveLength(0)
    expect((await deviceState(b.ctx)).appointments[appointment.id]?.notes).toBe('gate code 1234')
  })
})

describe('two laptops', () => {
  it('converge, and field edits made on both survive', async () => {
    const a = await device('pair-a')
    const b = await device('pair-b')
    const f = await buildFixture(a.ctx)
    const { appointment } = await call(a.ctx, 'appointments.create', {
      clientId: f.jones.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2027-04-01T14:00:00Z',
    })
    await connect(a, server)
    await connect(b, server)
    await sync(a)
    await sync(b)
    expect(await deviceState(b.ctx)).toEqual(await deviceState(a.ctx))

    // Offline: A moves the job, B writes a note on it.
    await call(a.ctx, 'appointments.reschedule', {
      id: appointment.id,
      scheduledAt: '2027-04-01T16:00:00Z',
    })
    await call(b.ctx, 'appointments.update', { id: appointment.id, notes: 'dog in yard' })
    await sync(a)
    await sync(b)
    await sync(a)
    const stateA = await deviceState(a.ctx)
    expect(await deviceState(b.ctx)).toEqual(stateA)
    expect(await serverState(server.pool)).toEqual(stateA)
    expect(stateA.appointments[appointment.id]).toMatchObject({
      scheduled_at: '2027-04-01T16:00:00.000Z',
      notes: 'dog in yard',
    })
  })
})

describe('without a server', () => {
  it('keeps working, counts pending changes and backs off', async () => {
    const a = await device('offline-a', { minRetryMs: 1000, random: () => 0.5 })
    await connect(a, server)
    const f = await buildFixture(a.ctx)
    await server.stopHttp()
    try {
      const error = await callError(a.ctx, 'sync.now', {})
      expect(error.code).toBe('UNAVAILABLE')
      const first = await call(a.ctx, 'sync.status', {})
      expect(first.phase).toBe('offline')
      expect(first.pending).toBeGreaterThan(0)
      expect(first.error).toMatch(/cannot be reached/)
      await callError(a.ctx, 'sync.now', {})
      // Still usable offline.
      await call(a.ctx, 'clients.update', { id: f.smith.id, notes: 'written offline' })
      expect((await call(a.ctx, 'sync.status', {})).pending).toBe(first.pending + 1)
    } finally {
      await server.startHttp()
    }
    const after = await call(a.ctx, 'sync.now', {})
    expect(after).toMatchObject({ phase: 'idle', pending: 0, error: null })
  })

  it('backs off exponentially between automatic attempts', async () => {
    const a = await device('backoff-a', { auto: true, minRetryMs: 60_000, random: () => 0.5 })
    await connect(a, server)
    await server.stopHttp()
    try {
      const delays: number[] = []
      for (let i = 0; i < 3; i++) {
        await callError(a.ctx, 'sync.now', {})
        const status = await call(a.ctx, 'sync.status', {})
        delays.push(Date.parse(status.nextAttemptAt ?? '') - Date.now())
      }
      expect(delays[0]).toBeGreaterThan(50_000)
      expect(delays[1]).toBeGreaterThan((delays[0] ?? 0) * 1.8)
      expect(delays[2]).toBeGreaterThan((delays[1] ?? 0) * 1.8)
    } finally {
      await server.startHttp()
    }
  })
})

describe('settings', () => {
  it('refuses a token the server does not know, and changes nothing', async () => {
    const a = await device('settings-a')
    const error = await callError(a.ctx, 'sync.configure', {
      serverUrl: server.url,
      token: `gk_${'x'.repeat(43)}`,
    })
    expect(error.code).toBe('VALIDATION')
    expect(error.issues?.[0]?.path).toBe('token')
    expect((await call(a.ctx, 'sync.status', {})).phase).toBe('off')
  })

  it('pauses and resumes; disconnecting keeps unsent changes', async () => {
    const a = await device('settings-b')
    await connect(a, server)
    expect((await call(a.ctx, 'sync.pause', { paused: true })).phase).toBe('paused')
    await call(a.ctx, 'clients.create', { name: 'Paused Client' })
    expect((await call(a.ctx, 'sync.status', {})).pending).toBe(1)
    expect((await call(a.ctx, 'sync.pause', { paused: false })).phase).not.toBe('paused')
    const disconnected = await call(a.ctx, 'sync.disconnect', {})
    expect(disconnected.phase).toBe('off')
    expect(disconnected.pending).toBe(1)
  })
})

import { describe, expect, it, vi } from 'vitest'
import { connect, type Device, deviceState, serverState } from '../../../../testing/sync-harness'
import { buildFixture } from '../test/fixture'
import { call, callError } from '../test/helpers'
import { syncTestBed } from './test-bed.test-support'

/**
 * `SyncEngine.wake()` is what the Electron entry calls when the OS says the machine woke
 * from sleep or its network came back (`watchWakeUps` in electron/main/wake-ups.ts). The timers that could
 * otherwise start a round (back-off, /health probe, regular interval) are set far beyond
 * how long these tests wait for one, so only `wake()` can explain a round: no sleeps, and
 * a loaded machine only makes the wait longer, never the outcome different.
 */
const bed = syncTestBed()
const device = bed.device.bind(bed)
const status = (d: Device) => call(d.ctx, 'sync.status', {})

/** Far longer than any wait below: a round that comes, came from `wake()`. */
const LONG = 10 * 60_000
/** How long a woken laptop may take to finish its round on a busy machine. */
const PROMPTLY = { timeout: 30_000, interval: 100 }

describe('waking up', () => {
  it('sends what waited as soon as the machine wakes, in the middle of a long back-off', async () => {
    const a = await device('wake-offline', {
      auto: true,
      minRetryMs: LONG,
      maxRetryMs: LONG,
      probeMs: LONG,
      intervalMs: LONG,
      random: () => 0.5,
    })
    const f = await buildFixture(a.ctx)
    await connect(a, bed.server)
    await call(a.ctx, 'sync.now', {})
    await bed.server.stopHttp()
    try {
      await call(a.ctx, 'clients.update', { id: f.smith.id, notes: 'written before sleep' })
      await callError(a.ctx, 'sync.now', {})
    } finally {
      await bed.server.startHttp()
    }
    // The server is back, but this laptop will not ask it for minutes: neither its
    // back-off nor its health probe is due.
    const before = await status(a)
    expect(before).toMatchObject({ phase: 'offline', pending: 1 })
    expect(Date.parse(before.nextAttemptAt ?? '') - Date.now()).toBeGreaterThan(5 * 60_000)

    a.ctx.sync.wake()

    // No "Sync now": the woken engine asks the server and a round sends the change.
    await vi.waitFor(
      async () => expect(await status(a)).toMatchObject({ phase: 'idle', pending: 0, error: null }),
      PROMPTLY,
    )
    const central = await serverState(bed.server.pool)
    expect(central.clients[f.smith.id]?.notes).toBe('written before sleep')
  })

  it('pulls what others sent soon after waking, instead of at the next regular round', async () => {
    // Not told by the server either (its news of changes is tested in watch.test.ts).
    const a = await device('wake-idle', {
      auto: true,
      intervalMs: LONG,
      writeDelayMs: 50,
      watch: false,
    })
    const b = await device('wake-idle-other')
    await connect(a, bed.server)
    await connect(b, bed.server)
    await call(a.ctx, 'sync.now', {})
    const before = await status(a)
    expect(before.phase).toBe('idle')
    expect(Date.parse(before.nextAttemptAt ?? '') - Date.now()).toBeGreaterThan(5 * 60_000)

    // Written elsewhere while this laptop slept.
    const client = await call(b.ctx, 'clients.create', { name: 'Woken Client' })
    await call(b.ctx, 'sync.now', {})

    a.ctx.sync.wake()

    await vi.waitFor(
      async () => expect((await deviceState(a.ctx)).clients[client.id]?.name).toBe('Woken Client'),
      PROMPTLY,
    )
  })
})

import { describe, expect, it, vi } from 'vitest'
import { connect, type Device, deviceState } from '../../../../testing/sync-harness'
import { call } from '../test/helpers'
import { syncTestBed } from './test-bed.test-support'

/**
 * Between rounds a laptop holds one request open on the server (GET /v1/sync/changes),
 * answered when another laptop's change lands: it pulls at once, not at its next round.
 * The regular rounds are set far beyond the waits here, so only that news explains a
 * pull.
 */
const bed = syncTestBed()
const device = bed.device.bind(bed)
const status = (d: Device) => call(d.ctx, 'sync.status', {})
const LONG = 10 * 60_000
const PROMPTLY = { timeout: 15_000, interval: 100 }

describe("the server's news of others' changes", () => {
  it("pulls another laptop's change within seconds, with no round due", async () => {
    const a = await device('watch-a', { auto: true, intervalMs: LONG, writeDelayMs: 50 })
    const b = await device('watch-b')
    await connect(a, bed.server)
    await connect(b, bed.server)
    await call(a.ctx, 'sync.now', {})
    const before = await status(a)
    expect(before.phase).toBe('idle')
    expect(Date.parse(before.nextAttemptAt ?? '') - Date.now()).toBeGreaterThan(5 * 60_000)

    for (const name of ['First News', 'Second News']) {
      const client = await call(b.ctx, 'clients.create', { name })
      await call(b.ctx, 'sync.now', {})
      await vi.waitFor(
        async () => expect((await deviceState(a.ctx)).clients[client.id]?.name).toBe(name),
        PROMPTLY,
      )
    }
  })

  it('waits for nothing while paused, and nothing comes', async () => {
    const a = await device('watch-paused', { auto: true, intervalMs: LONG, writeDelayMs: 50 })
    const b = await device('watch-paused-other')
    await connect(a, bed.server)
    await connect(b, bed.server)
    await call(a.ctx, 'sync.now', {})
    await call(a.ctx, 'sync.pause', { paused: true })
    const client = await call(b.ctx, 'clients.create', { name: 'Not While Paused' })
    await call(b.ctx, 'sync.now', {})
    await new Promise((r) => setTimeout(r, 2_500))
    expect((await deviceState(a.ctx)).clients[client.id]).toBeUndefined()
  })
})

import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import {
  connect,
  type Device,
  deviceState,
  openDevice,
  serverState,
  startTestServer,
  type TestServer,
} from '../../../../testing/sync-harness'
import { call } from '../test/helpers'
import type { SyncEngineOptions } from './engine'

/**
 * For a test file: one sync server for all its tests (fresh database), and the laptops
 * each test opens closed after it. `server` is there once `beforeAll` has run.
 */
export function syncTestBed() {
  let server: TestServer | undefined
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
  return {
    get server(): TestServer {
      if (!server) throw new Error('the sync server starts in beforeAll')
      return server
    },
    /** A laptop on its own data folder, closed after the test. */
    async device(name: string, sync: SyncEngineOptions = {}): Promise<Device> {
      const d = await openDevice(name, sync)
      open.push(d)
      return d
    },
    /**
     * A crew's laptop: synced as an admin's first (what that wrote, series' visits
     * included, sent), then connected as that crew's device with its crew lead (made
     * there) signed in, and synced again. On the bed's server unless another is given.
     */
    async crewLaptop(name: string, teamMemberId: string, on?: TestServer): Promise<Device> {
      const server = on ?? this.server
      const d = await this.device(name)
      await connect(d, server)
      await call(d.ctx, 'sync.now', {})
      await d.ctx.horizon.settled()
      await call(d.ctx, 'sync.now', {})
      const { user } = await call(d.ctx, 'session.createUser', {
        name: 'Leo Lead',
        role: 'crew_lead',
        teamMemberId,
      })
      await connect(d, server, await server.token('crew_lead', { label: name, teamMemberId }))
      await call(d.ctx, 'session.switch', { userId: user.id })
      await call(d.ctx, 'sync.now', {})
      return d
    },
    /** Every laptop given holds exactly the server's rows. */
    async agree(...devices: Device[]): Promise<void> {
      const central = await serverState(this.server.pool)
      for (const d of devices) expect(await deviceState(d.ctx), d.name).toEqual(central)
    },
  }
}

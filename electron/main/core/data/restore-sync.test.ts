import { afterEach, describe, expect, it } from 'vitest'
import { closeCore, openCore } from '../app-core'
import type { AppContext } from '../context'
import { sourceResources } from '../paths'
import { getState, type SyncConfig, setState } from '../sync/store'
import { TEST_PIN } from '../test/fixture'
import { call, tempDir } from '../test/helpers'

/** A restored backup never brings the sync settings of the laptop it was made on. */
const config = (server: string, device: string): SyncConfig => ({
  serverUrl: `https://${server}.example`,
  token: `gk_${device}`,
  device: { id: device, label: `Laptop ${device}`, user: 'Ada', role: 'admin' },
})

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

async function laptop(): Promise<AppContext> {
  const dir = tempDir()
  const ctx = await openCore({
    dataDir: dir.path,
    resources: sourceResources(),
    version: 'test',
    durability: 'os',
    sync: { auto: false },
  })
  cleanup.push(async () => {
    await closeCore(ctx)
    dir.cleanup()
  })
  await call(ctx, 'session.createUser', { name: 'Ada Admin', role: 'admin', pin: TEST_PIN })
  await call(ctx, 'clients.create', { name: 'In the backup' })
  return ctx
}

describe('restoring a backup', () => {
  it("keeps this laptop's server, token and pause, and pulls everything again", async () => {
    const ctx = await laptop()
    await setState(ctx.db.pg, 'config', config('theirs', 'other-laptop'))
    await setState(ctx.db.pg, 'cursor', 500)
    // Its client went to that laptop's server (its write left the outbox).
    await ctx.db.pg.query('DELETE FROM sync_outbox')
    const { file } = await call(ctx, 'data.backup', {})
    await setState(ctx.db.pg, 'config', config('ours', 'this-laptop'))
    await setState(ctx.db.pg, 'cursor', 900)
    await setState(ctx.db.pg, 'paused', true)

    const result = await call(ctx, 'data.restore', { file })
    expect(await getState(ctx.db.pg, 'config')).toEqual(config('ours', 'this-laptop'))
    expect(await getState(ctx.db.pg, 'cursor')).toBe(0)
    expect(await getState(ctx.db.pg, 'paused')).toBe(true)
    expect(result.sync).toBe(
      `The backup's own sync settings (https://theirs.example, device "Laptop other-laptop") ` +
        'were not restored. This laptop stays connected to https://ours.example as ' +
        '"Laptop this-laptop" and will bring the restored data up to date with the server.',
    )
    // Every restored row goes out whole with its versions, as when a laptop joins another
    // server: the backup's rows went to its own server, maybe never to ours.
    const { rows } = await ctx.db.pg.query<{ fields: { name: string }; versions: object }>(
      "SELECT fields, versions FROM sync_outbox WHERE table_name = 'clients'",
    )
    expect(rows).toMatchObject([
      { fields: { name: 'In the backup' }, versions: { name: expect.any(String) } },
    ])
    // Whoever restored stays signed in: the restored data knows them.
    expect((await call(ctx, 'session.get', {})).user?.name).toBe('Ada Admin')
  })

  it('leaves a laptop that had no server disconnected, and keeps the user who restored it', async () => {
    const ctx = await laptop()
    await setState(ctx.db.pg, 'config', config('theirs', 'other-laptop'))
    await setState(ctx.db.pg, 'cursor', 500)
    const { file } = await call(ctx, 'data.backup', {})
    await ctx.db.pg.query('DELETE FROM sync_state')
    // Someone the backup does not know restores it.
    const { user: newcomer } = await call(ctx, 'session.createUser', {
      name: 'Bo Newcomer',
      role: 'admin',
      pin: TEST_PIN,
    })
    await call(ctx, 'session.switch', { userId: newcomer.id, pin: TEST_PIN })

    const result = await call(ctx, 'data.restore', { file })
    // Users are this laptop's own, not the backup's: the newcomer is still here, and
    // still the one using it (not the backup's saved session, Ada).
    expect(await call(ctx, 'session.get', {})).toMatchObject({ user: { name: 'Bo Newcomer' } })
    const { rows } = await ctx.db.pg.query('SELECT key FROM sync_state')
    expect(rows).toEqual([])
    expect((await call(ctx, 'sync.status', {})).phase).toBe('off')
    expect(result.sync).toMatch(/ were not restored\. This laptop stays disconnected/)
  })

  it('says so plainly when neither had a server', async () => {
    const ctx = await laptop()
    const { file } = await call(ctx, 'data.backup', {})
    const result = await call(ctx, 'data.restore', { file })
    expect(result.sync).toBe('This laptop stays disconnected from any sync server.')
  })
})

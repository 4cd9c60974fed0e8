import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeCore, openCore } from './app-core'
import type { AppContext } from './context'
import { createDb } from './db/create-db'
import { sourceResources } from './paths'
import { call, callError, tempDir } from './test/helpers'

/**
 * A laptop used before PINs existed (its database left at 0005) is upgraded: its admins
 * and office managers have no PIN. The first admin to come gets in without one and must
 * set it before anything else; after that nobody reaches an elevated role without a PIN.
 */
const resources = sourceResources()
const ID = {
  crew: '01900000-0000-7000-8000-000000000001',
  admin: '01900000-0000-7000-8000-000000000002',
  admin2: '01900000-0000-7000-8000-000000000003',
  manager: '01900000-0000-7000-8000-000000000004',
  lead: '01900000-0000-7000-8000-000000000005',
}

const dir = tempDir()
let ctx: AppContext
beforeAll(async () => {
  const old = await createDb({
    dataDir: dir.path,
    resources,
    migrate: { target: '0005_sync_outbox' },
    durability: 'os',
  })
  try {
    await old.pg.exec(`
      INSERT INTO team_members (id, name) VALUES ('${ID.crew}', 'Crew One');
      INSERT INTO users (id, name, role, team_member_id) VALUES
        ('${ID.admin}', 'Old Admin', 'admin', NULL),
        ('${ID.admin2}', 'Other Admin', 'admin', NULL),
        ('${ID.manager}', 'Old Manager', 'office_manager', NULL),
        ('${ID.lead}', 'Old Lead', 'crew_lead', '${ID.crew}');
      INSERT INTO app_settings (key, value) VALUES ('session.userId', '"${ID.admin}"');`)
  } finally {
    await old.close()
  }
  ctx = await openCore({ dataDir: dir.path, resources, version: 't', durability: 'os' })
}, 60_000)
afterAll(async () => {
  await closeCore(ctx)
  dir.cleanup()
})

describe('a laptop upgraded from before PINs', () => {
  it('lets an admin in without a PIN, who must set one before anything else', async () => {
    // The saved admin session is not resumed, as for any elevated user.
    expect((await call(ctx, 'session.get', {})).user).toBeNull()
    const { users } = await call(ctx, 'session.users', {})
    expect(users.map((u) => [u.name, u.hasPin])).toContainEqual(['Old Admin', false])

    // An office manager without a PIN waits for an admin.
    const manager = await callError(ctx, 'session.switch', { userId: ID.manager })
    expect(manager.code).toBe('FORBIDDEN')
    expect(manager.message).toMatch(/has no PIN yet: an admin must set one first/)

    await call(ctx, 'session.switch', { userId: ID.admin })
    expect(await call(ctx, 'session.get', {})).toMatchObject({
      user: { id: ID.admin, role: 'admin', hasPin: false },
      role: 'admin',
    })
    // Nothing but setting their own PIN.
    for (const [channel, input] of [
      ['clients.create', { name: 'Too soon' }],
      ['session.resetPin', { userId: ID.manager, pin: '4444' }],
      ['session.createUser', { name: 'Sneaky', role: 'admin', pin: '4444' }],
      ['session.setIdleMinutes', { minutes: 60 }],
    ] as const) {
      const refused = await callError(ctx, channel, input)
      expect(refused.code, channel).toBe('FORBIDDEN')
      expect(refused.message).toBe('set your own PIN before doing anything else')
    }
    const { user } = await call(ctx, 'session.changePin', { pin: '2468' })
    expect(user.hasPin).toBe(true)
    await call(ctx, 'clients.create', { name: 'After the PIN' })
  })

  it('then asks everyone elevated for a PIN, and an admin sets the others', async () => {
    await call(ctx, 'session.lock', {})
    for (const userId of [ID.admin2, ID.manager]) {
      const refused = await callError(ctx, 'session.switch', { userId })
      expect(refused.code).toBe('FORBIDDEN')
      expect(refused.message).toMatch(/has no PIN yet/)
    }
    expect((await callError(ctx, 'session.switch', { userId: ID.admin })).code).toBe('VALIDATION')
    expect((await call(ctx, 'session.get', {})).user).toBeNull()

    await call(ctx, 'session.switch', { userId: ID.admin, pin: '2468' })
    await call(ctx, 'session.resetPin', { userId: ID.manager, pin: '1212' })
    await call(ctx, 'session.switch', { userId: ID.manager, pin: '1212' })
    expect((await call(ctx, 'session.get', {})).role).toBe('office_manager')
    // A crew lead without a PIN is unaffected.
    await call(ctx, 'session.switch', { userId: ID.lead })
    expect((await call(ctx, 'session.get', {})).role).toBe('crew_lead')
  })
})

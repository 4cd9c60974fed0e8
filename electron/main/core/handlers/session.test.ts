import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../../../shared/contract'
import { closeCore, openCore } from '../app-core'
import type { AppContext } from '../context'
import { dispatch } from '../dispatch'
import { sourceResources } from '../paths'
import { setState } from '../sync/store'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call, callError, memoryCore, tempDir } from '../test/helpers'

/** PINs for the elevated roles, counted wrong tries, idle sessions, the sync token's cap. */
let ctx: AppContext
let f: Fixture
beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
})
afterAll(() => ctx.db.close())

const attempts = async (c: AppContext, userId: string) =>
  (
    await c.db.pg.query<{ failures: number; locked_until: string | null }>(
      'SELECT failures, locked_until FROM pin_attempts WHERE user_id = $1',
      [userId],
    )
  ).rows[0]

/** A user of the fixture's business with a PIN of their own (the admin stays signed in). */
let managers = 0
async function newManager(c: AppContext, pin: string) {
  await call(c, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
  managers += 1
  const { user } = await call(c, 'session.createUser', {
    name: `Manager ${'ABCDEFGHIJ'[managers]}`,
    role: 'office_manager',
    pin,
  })
  return user
}

describe('switching user', () => {
  it('switches to an office manager or admin with their PIN only', async () => {
    await call(ctx, 'session.switch', { userId: f.lead.id })
    const missing = await callError(ctx, 'session.switch', { userId: f.admin.id })
    expect(missing.code).toBe('VALIDATION')
    expect(missing.issues?.[0]?.path).toBe('pin')
    const wrong = await callError(ctx, 'session.switch', { userId: f.admin.id, pin: '0000' })
    expect(wrong.code).toBe('FORBIDDEN')
    expect(wrong.issues).toEqual([{ path: 'pin', message: expect.stringMatching(/^Wrong PIN/) }])
    expect((await call(ctx, 'session.get', {})).user?.id).toBe(f.lead.id)
    expect((await attempts(ctx, f.admin.id))?.failures).toBe(1)

    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    expect((await call(ctx, 'session.get', {})).user?.id).toBe(f.admin.id)
    // The right PIN clears the count.
    expect(await attempts(ctx, f.admin.id)).toBeUndefined()
  })

  it("lists every user with their role, and a crew lead with their crew's name", async () => {
    const { users } = await call(ctx, 'session.users', {})
    const byId = new Map(users.map((u) => [u.id, u]))
    expect(byId.get(f.lead.id)).toMatchObject({ role: 'crew_lead', crewName: f.ana.name })
    expect(byId.get(f.admin.id)).toMatchObject({ role: 'admin', crewName: null })
  })

  it('lets a crew lead in without a PIN, and asks for one once they have it', async () => {
    await call(ctx, 'session.switch', { userId: f.lead.id })
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    await call(ctx, 'session.resetPin', { userId: f.lead.id, pin: '8080' })
    expect((await callError(ctx, 'session.switch', { userId: f.lead.id })).code).toBe('VALIDATION')
    await call(ctx, 'session.switch', { userId: f.lead.id, pin: '8080' })
    expect((await call(ctx, 'session.get', {})).user?.id).toBe(f.lead.id)
  })

  it('makes each try wait longer after three wrong PINs, and counts no try during a wait', async () => {
    const user = await newManager(ctx, '24680')
    const wrong = () => callError(ctx, 'session.switch', { userId: user.id, pin: '1111' })
    expect((await wrong()).message).toMatch(/2 more tries/)
    expect((await wrong()).message).toMatch(/1 more try/)
    const locked = await wrong()
    expect(locked.message).toBe('Wrong PIN: try again in 30 seconds')
    // The wait as a number too, for the screen to count it down.
    expect(locked.retryAfterMs).toBe(30_000)
    const first = await attempts(ctx, user.id)
    expect(first?.failures).toBe(3)
    // Even the right PIN waits, and the try is not counted.
    const waiting = await callError(ctx, 'session.switch', { userId: user.id, pin: '24680' })
    expect(waiting.code).toBe('FORBIDDEN')
    expect(waiting.retryAfterMs).toBeGreaterThan(0)
    expect(waiting.retryAfterMs).toBeLessThanOrEqual(30_000)
    expect(waiting.issues?.[0]).toEqual({
      path: 'pin',
      message: expect.stringMatching(/^Too many wrong PINs: try again in \d+ seconds$/),
    })
    expect(await attempts(ctx, user.id)).toEqual(first)
    // The wait passes: the next wrong PIN doubles it, then again.
    const expire = () =>
      ctx.db.pg.query("UPDATE pin_attempts SET locked_until = now() - interval '1 second'")
    await expire()
    expect((await wrong()).message).toBe('Wrong PIN: try again in 1 minute')
    await expire()
    expect((await wrong()).message).toBe('Wrong PIN: try again in 2 minutes')
    expect((await attempts(ctx, user.id))?.failures).toBe(5)
    await expire()
    await call(ctx, 'session.switch', { userId: user.id, pin: '24680' })
    expect(await attempts(ctx, user.id)).toBeUndefined()
  })

  it('counts guesses fired all at once one by one', async () => {
    const user = await newManager(ctx, '97979')
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        dispatch(ctx, 'session.switch', { userId: user.id, pin: `100${i}` }),
      ),
    )
    expect(results.every((r) => !r.ok)).toBe(true)
    // Three were checked; the rest met the wait.
    expect((await attempts(ctx, user.id))?.failures).toBe(3)
  })

  it('keeps the count and the wait when the app is closed and opened again', async () => {
    const dir = tempDir()
    try {
      const open = () =>
        openCore({
          dataDir: dir.path,
          resources: sourceResources(),
          version: 't',
          durability: 'os',
        })
      const first = await open()
      const { user } = await call(first, 'session.createUser', {
        name: 'Owner',
        role: 'admin',
        pin: '5555',
      })
      for (let i = 0; i < 3; i++)
        await callError(first, 'session.switch', { userId: user.id, pin: '1234' })
      await closeCore(first)
      const second = await open()
      try {
        // Also: an elevated session is not resumed by reopening the app.
        expect((await call(second, 'session.get', {})).user).toBeNull()
        const refused = await callError(second, 'session.switch', { userId: user.id, pin: '5555' })
        expect(refused.message).toMatch(/^Too many wrong PINs: try again in/)
      } finally {
        await closeCore(second)
      }
    } finally {
      dir.cleanup()
    }
  })
})

describe('setting PINs', () => {
  it('requires a PIN for a new office manager or admin, the first admin included', async () => {
    const fresh = await memoryCore()
    try {
      const first = await callError(fresh, 'session.createUser', { name: 'Owner', role: 'admin' })
      expect(first.code).toBe('VALIDATION')
      expect(first.issues?.[0]?.path).toBe('pin')
      const short = await callError(fresh, 'session.createUser', {
        name: 'Owner',
        role: 'admin',
        pin: '12',
      })
      expect(short.issues).toEqual([{ path: 'pin', message: 'must be 4 to 12 digits' }])
      const { user } = await call(fresh, 'session.createUser', {
        name: 'Owner',
        role: 'admin',
        pin: '4321',
      })
      expect(user.hasPin).toBe(true)
      expect((await call(fresh, 'session.get', {})).user?.id).toBe(user.id)
    } finally {
      await fresh.db.close()
    }
  })

  it('lets users change their own PIN with the current one', async () => {
    const user = await newManager(ctx, '3030')
    await call(ctx, 'session.switch', { userId: user.id, pin: '3030' })
    const wrong = await callError(ctx, 'session.changePin', { currentPin: '3131', pin: '4040' })
    expect(wrong.code).toBe('FORBIDDEN')
    expect(wrong.issues?.[0]?.path).toBe('currentPin')
    expect((await attempts(ctx, user.id))?.failures).toBe(1)
    await call(ctx, 'session.changePin', { currentPin: '3030', pin: '4040' })
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    expect((await callError(ctx, 'session.switch', { userId: user.id, pin: '3030' })).code).toBe(
      'FORBIDDEN',
    )
    await call(ctx, 'session.switch', { userId: user.id, pin: '4040' })
  })

  it("lets only an admin reset another user's PIN, which ends their wait", async () => {
    const user = await newManager(ctx, '6060')
    for (let i = 0; i < 3; i++)
      await callError(ctx, 'session.switch', { userId: user.id, pin: '1212' })
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    expect((await callError(ctx, 'session.resetPin', { userId: user.id, pin: '7070' })).code).toBe(
      'FORBIDDEN',
    )
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    await call(ctx, 'session.resetPin', { userId: user.id, pin: '7070' })
    await call(ctx, 'session.switch', { userId: user.id, pin: '7070' })
  })
})

describe('managing users', () => {
  it('renames a user, gives them another role, and refuses a name another user has', async () => {
    const c = await memoryCore()
    try {
      const g = await buildFixture(c)
      await call(c, 'session.switch', { userId: g.admin.id, pin: TEST_PIN })
      const taken = await callError(c, 'session.createUser', {
        name: '  olive office ',
        role: 'crew_lead',
        teamMemberId: g.ana.id,
      })
      expect(taken.code).toBe('VALIDATION')
      expect(taken.issues).toEqual([
        { path: 'name', message: 'is already the name of another user' },
      ])
      const renamed = await callError(c, 'session.updateUser', {
        id: g.lead.id,
        name: 'Olive Office',
      })
      expect(renamed.issues?.map((i) => i.path)).toEqual(['name'])

      const { user } = await call(c, 'session.updateUser', { id: g.lead.id, name: 'Leonard Lead' })
      expect(user).toMatchObject({
        name: 'Leonard Lead',
        role: 'crew_lead',
        teamMemberId: g.ana.id,
      })
      // An office manager needs a PIN; one who leads no crew.
      const noPin = await callError(c, 'session.updateUser', {
        id: g.lead.id,
        role: 'office_manager',
      })
      expect(noPin.issues).toEqual([
        { path: 'pin', message: 'is required for an office manager or admin' },
      ])
      const promoted = await call(c, 'session.updateUser', {
        id: g.lead.id,
        role: 'office_manager',
        pin: '86420',
      })
      expect(promoted.user).toMatchObject({
        role: 'office_manager',
        teamMemberId: null,
        hasPin: true,
      })
      await call(c, 'session.switch', { userId: g.lead.id, pin: '86420' })
      expect((await call(c, 'session.get', {})).role).toBe('office_manager')
      // Back to leading a crew: which one must be said.
      await call(c, 'session.switch', { userId: g.admin.id, pin: TEST_PIN })
      const noCrew = await callError(c, 'session.updateUser', { id: g.lead.id, role: 'crew_lead' })
      expect(noCrew.issues?.map((i) => i.path)).toEqual(['teamMemberId'])
      // Only an admin manages users.
      await call(c, 'session.switch', { userId: g.manager.id, pin: TEST_PIN })
      const forbidden = await callError(c, 'session.updateUser', { id: g.lead.id, name: 'X' })
      expect(forbidden.code).toBe('FORBIDDEN')
      expect((await call(c, 'session.users', {})).users.map((u) => u.name).sort()).toEqual(
        ['Ada Admin', 'Leonard Lead', 'Olive Office'].sort(),
      )
    } finally {
      await closeCore(c)
    }
  })

  it('removes a user, but never the last admin nor the admin signed in', async () => {
    const c = await memoryCore()
    try {
      const g = await buildFixture(c)
      await call(c, 'session.switch', { userId: g.admin.id, pin: TEST_PIN })
      const self = await callError(c, 'session.removeUser', { id: g.admin.id })
      expect(self.message).toBe(
        'Ada Admin is signed in now: switch to another admin to remove them',
      )
      const demoted = await callError(c, 'session.updateUser', {
        id: g.admin.id,
        role: 'office_manager',
      })
      expect(demoted.issues).toEqual([
        {
          path: 'role',
          message: 'must stay admin: they are the only admin; make someone else an admin first',
        },
      ])
      await call(c, 'session.removeUser', { id: g.lead.id })
      const users = (await call(c, 'session.users', {})).users
      expect(users.map((u) => u.name)).not.toContain('Leo Lead')
      const gone = await callError(c, 'session.switch', { userId: g.lead.id })
      expect(gone.code).toBe('NOT_FOUND')
      // Undone, they come back as they were; once their name is taken, they cannot.
      await call(c, 'session.restoreUser', { id: g.lead.id })
      expect((await call(c, 'session.users', {})).users.map((u) => u.name)).toContain('Leo Lead')
      await call(c, 'session.removeUser', { id: g.lead.id })
      await call(c, 'session.createUser', {
        name: 'Leo Lead',
        role: 'crew_lead',
        teamMemberId: g.ana.id,
      })
      const back = await callError(c, 'session.restoreUser', { id: g.lead.id })
      expect(back.message).toBe('Leo Lead is already the name of another user')

      // With a second admin, the first may step down and be removed by the other.
      await call(c, 'session.updateUser', { id: g.manager.id, role: 'admin' })
      await call(c, 'session.switch', { userId: g.manager.id, pin: TEST_PIN })
      await call(c, 'session.updateUser', { id: g.admin.id, role: 'office_manager' })
      const last = await callError(c, 'session.removeUser', { id: g.manager.id })
      expect(last.code).toBe('VALIDATION')
      await call(c, 'session.removeUser', { id: g.admin.id })
      expect(
        (await call(c, 'session.users', {})).users.filter((u) => u.role === 'admin'),
      ).toHaveLength(1)
    } finally {
      await closeCore(c)
    }
  })
})

describe('PINs stay secret', () => {
  it('stores only a salted scrypt hash and no channel ever returns it', async () => {
    const pin = '739146'
    const user = await newManager(ctx, pin)
    const { rows } = await ctx.db.pg.query<{ pin_hash: string }>(
      'SELECT pin_hash FROM users WHERE id = $1',
      [user.id],
    )
    const hash = rows[0]?.pin_hash ?? ''
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    // Nowhere in the database in clear, and the database itself refuses a clear PIN.
    const tables = await ctx.db.pg.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    )
    expect(tables.rows.map((t) => t.name)).toContain('pin_attempts')
    for (const { name } of tables.rows) {
      const dump = await ctx.db.pg.query<{ t: string | null }>(
        `SELECT string_agg(x::text, '') AS t FROM "${name}" x`,
      )
      expect(dump.rows[0]?.t ?? '', name).not.toContain(pin)
    }
    await expect(
      ctx.db.pg.query("UPDATE users SET pin_hash = '1234' WHERE id = $1", [user.id]),
    ).rejects.toThrow(/users_pin_hash_check/)

    await call(ctx, 'session.switch', { userId: user.id, pin })
    const outputs: unknown[] = [
      await call(ctx, 'session.get', {}),
      await call(ctx, 'session.users', {}),
      await call(ctx, 'session.changePin', { currentPin: pin, pin }),
    ]
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    outputs.push(
      await call(ctx, 'session.resetPin', { userId: user.id, pin }),
      await call(ctx, 'session.switch', { userId: user.id, pin }),
    )
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    outputs.push(await call(ctx, 'session.updateUser', { id: user.id, pin }))
    const spare = await newManager(ctx, pin)
    outputs.push(await call(ctx, 'session.removeUser', { id: spare.id }))
    outputs.push(await call(ctx, 'session.restoreUser', { id: spare.id }))
    for (const kind of ['appointments', 'clients', 'services', 'products', 'calendar'] as const)
      outputs.push(
        await call(ctx, 'data.export', { kind, format: kind === 'calendar' ? 'ics' : 'json' }),
      )
    const text = JSON.stringify(outputs)
    expect(text).not.toContain('scrypt')
    expect(text).not.toContain(pin)
    // Every session channel is covered above or returns no user data.
    expect(CHANNELS.filter((c) => c.startsWith('session.')).length).toBe(12)
  })
})

describe('idle sessions', () => {
  it('signs an idle office manager out and refuses what they do next', async () => {
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    expect((await call(ctx, 'session.setIdleMinutes', { minutes: 5 })).idleMinutes).toBe(5)
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    // Four minutes without input, then some: still signed in.
    ctx.session.activeAt = Date.now() - 4 * 60_000
    expect(await call(ctx, 'session.touch', {})).toEqual({ active: true })
    ctx.session.activeAt = Date.now() - 4 * 60_000
    await call(ctx, 'clients.create', { name: 'Still here' })
    // Six minutes without input: signed out, and the change is refused.
    ctx.session.activeAt = Date.now() - 6 * 60_000
    const refused = await callError(ctx, 'clients.create', { name: 'Too late' })
    expect(refused.code).toBe('FORBIDDEN')
    expect(refused.message).toMatch(/^signed out after a while without activity/)
    expect(await call(ctx, 'session.get', {})).toMatchObject({ user: null, setupRequired: false })
    expect(await call(ctx, 'session.touch', {})).toEqual({ active: false })
  })

  it('keeps a crew lead without a PIN signed in, and signs anyone out on lock', async () => {
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    const crew = await call(ctx, 'team.create', { name: 'Night Crew' })
    const { user } = await call(ctx, 'session.createUser', {
      name: 'No Pin Lead',
      role: 'crew_lead',
      teamMemberId: crew.id,
    })
    await call(ctx, 'session.switch', { userId: user.id })
    ctx.session.activeAt = Date.now() - 24 * 60 * 60_000
    expect((await call(ctx, 'session.get', {})).user?.id).toBe(user.id)
    expect((await call(ctx, 'session.lock', {})).user).toBeNull()
    const refused = await callError(ctx, 'clients.create', { name: 'Nobody' })
    expect(refused.message).toBe('choose who is using this laptop before making changes')
  })
})

describe('a connected laptop', () => {
  it("acts with no more than its sync token's role", async () => {
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    const connect = (role: string, crew: string | null = null) =>
      setState(ctx.db.pg, 'config', {
        serverUrl: 'http://127.0.0.1:9',
        token: 'gk_test',
        device: { id: 'device-1', label: 'Truck 1', user: 'Leo', role, crew },
      })
    const job = async (teamMemberId: string, serviceId: string, scheduledAt: string) =>
      (
        await call(ctx, 'appointments.create', {
          clientId: f.smith.id,
          serviceId,
          teamMemberId,
          scheduledAt,
          acceptConflict: true,
        })
      ).appointment.id
    const bens = await job(f.ben.id, f.pruning.id, '2027-02-01T15:00:00Z')
    const anas = await job(f.ana.id, f.mowing.id, '2027-02-01T18:00:00Z')
    await connect('crew_lead', f.ben.id)
    // Capped to a crew's token, the admin works that crew's day, and only its jobs.
    expect(await call(ctx, 'session.get', {})).toMatchObject({
      user: { id: f.admin.id, role: 'admin' },
      role: 'crew_lead',
      cappedBy: 'crew_lead',
      crew: f.ben.id,
    })
    await call(ctx, 'appointments.update', { id: bens, notes: 'gate code 1234' })
    const notOurs = await callError(ctx, 'appointments.update', { id: anas, notes: 'x' })
    expect(notOurs.code).toBe('FORBIDDEN')
    const refused = await callError(ctx, 'clients.create', { name: 'Capped' })
    expect(refused.code).toBe('FORBIDDEN')
    expect(refused.message).toMatch(/sync token is a crew lead's/)
    expect((await callError(ctx, 'data.backups', {})).code).toBe('FORBIDDEN')
    // Who uses this laptop is the laptop's own: its admin adds its crew lead, capped or not.
    const { user: lead } = await call(ctx, 'session.createUser', {
      name: 'Truck Lead',
      role: 'crew_lead',
      teamMemberId: f.ana.id,
    })
    expect(lead.role).toBe('crew_lead')
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    expect(
      (
        await callError(ctx, 'session.createUser', {
          name: 'No',
          role: 'crew_lead',
          teamMemberId: f.ana.id,
        })
      ).code,
    ).toBe('FORBIDDEN')
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    // The office manager cannot leave the server; the admin, who gave their PIN, can.
    await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
    expect((await callError(ctx, 'sync.disconnect', {})).code).toBe('FORBIDDEN')
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    await call(ctx, 'sync.disconnect', {})
    expect((await call(ctx, 'session.get', {})).role).toBe('admin')

    await connect('office_manager')
    expect((await call(ctx, 'session.get', {})).role).toBe('office_manager')
    await call(ctx, 'clients.create', { name: 'Office token' })
    // The laptop's own lock time is its admin's, whatever the token.
    expect((await call(ctx, 'session.setIdleMinutes', { minutes: 9 })).idleMinutes).toBe(9)

    await ctx.db.pg.query("DELETE FROM sync_state WHERE key = 'config'")
    expect(await call(ctx, 'session.get', {})).toMatchObject({ role: 'admin', cappedBy: null })
    await call(ctx, 'session.setIdleMinutes', { minutes: 15 })
  })
})

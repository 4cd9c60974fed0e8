import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOMAIN_MIGRATIONS_FOLDER } from '../drizzle/runner/folders'
import { loadMigrations, migrate } from '../drizzle/runner/migrations'
import { buildServer } from './app'
import { createPool, migrateServer, pgRunner } from './db'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice, hashToken, TOKEN_MEMORY_MS } from './tokens'

describe('the sync server (PostgreSQL 15 here; PGlite over a socket where there is none)', () => {
  let db: TestDatabase
  let pool: pg.Pool
  beforeAll(async () => {
    db = await freshDatabase()
    pool = createPool(db.url, db.poolMax)
  })
  afterAll(async () => {
    await pool.end()
    await db.drop()
  })

  it('upgrades a central database left before the NOT NULL step, backfilling in batches', async () => {
    const domain = loadMigrations(DOMAIN_MIGRATIONS_FOLDER)
    await migrate(pgRunner(pool), domain, { target: '0001_service_priority_nullable' })
    await pool.query(`INSERT INTO services (id, name, base_price, duration_minutes)
      SELECT gen_random_uuid(), 'Service ' || g, 10, 60 FROM generate_series(1, 20000) g`)
    const progress: number[] = []
    await migrateServer(pool, (done) => progress.push(done))
    const { rows } = await pool.query<{ n: number; nulls: number; nullable: string }>(`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE priority IS NULL)::int AS nulls,
        (SELECT is_nullable FROM information_schema.columns
          WHERE table_name = 'services' AND column_name = 'priority') AS nullable FROM services`)
    expect(rows[0]).toEqual({ n: 20000, nulls: 0, nullable: 'NO' })
    expect(progress.at(-1)).toBe(20000)
    expect(progress.length).toBeGreaterThanOrEqual(10)
    // Running again changes nothing.
    await migrateServer(pool)
  })

  describe('HTTP', () => {
    let app: ReturnType<typeof buildServer>
    let admin: string
    let lead: string
    beforeAll(async () => {
      app = buildServer({ pool, bodyLimit: 64 * 1024, rateLimit: { max: 40, windowMs: 60_000 } })
      admin = (await createDevice(pool, { label: 'office', userName: 'Ada', role: 'admin' })).token
      lead = (await createDevice(pool, { label: 'truck 2', userName: 'Leo', role: 'crew_lead' }))
        .token
    })
    afterAll(() => app.close())
    const auth = (token: string) => ({ authorization: `Bearer ${token}` })

    it('answers health and readiness without a token', async () => {
      expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' })
      expect((await app.inject({ url: '/ready' })).statusCode).toBe(200)
    })

    it('stores only token hashes', async () => {
      const { rows } = await pool.query<{ token_hash: string }>(
        'SELECT token_hash FROM sync_devices',
      )
      expect(rows.map((r) => r.token_hash)).toContain(hashToken(admin))
      expect(JSON.stringify(rows)).not.toContain(admin)
    })

    it('refuses a missing, malformed or unknown token with 401', async () => {
      for (const headers of [{}, { authorization: 'Bearer nope' }, auth(`gk_${'A'.repeat(43)}`)]) {
        const res = await app.inject({ url: '/v1/whoami', headers })
        expect(res.statusCode).toBe(401)
        expect(res.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
      }
      const me = await app.inject({ url: '/v1/whoami', headers: auth(lead) })
      expect(me.json()).toMatchObject({ ok: true, data: { userName: 'Leo', role: 'crew_lead' } })
      // The scheme's name in any case, as HTTP reads it.
      const lower = await app.inject({
        url: '/v1/whoami',
        headers: { authorization: `bearer ${lead}` },
      })
      expect(lower.statusCode).toBe(200)
    })

    it('keeps admin work to admin devices (403), and a revoked token stops working', async () => {
      expect((await app.inject({ url: '/v1/devices', headers: auth(lead) })).statusCode).toBe(403)
      const list = await app.inject({ url: '/v1/devices', headers: auth(admin) })
      const leadDevice = (list.json().data as { id: string; role: string }[]).find(
        (d) => d.role === 'crew_lead',
      )
      const revoke = await app.inject({
        method: 'POST',
        url: '/v1/devices/revoke',
        headers: auth(admin),
        // In capitals: the same id, and the token stops at once all the same.
        payload: { id: leadDevice?.id.toUpperCase() },
      })
      expect(revoke.statusCode).toBe(200)
      expect((await app.inject({ url: '/v1/whoami', headers: auth(lead) })).statusCode).toBe(401)
    })

    it('honours a revocation made elsewhere within TOKEN_MEMORY_MS', async () => {
      const { device, token } = await createDevice(pool, {
        label: 'remembered',
        userName: 'Rem',
        role: 'office_manager',
      })
      const whoami = async () =>
        (await app.inject({ url: '/v1/whoami', headers: auth(token) })).statusCode
      expect(await whoami()).toBe(200)
      // Another instance (or the command line) revokes it: this one's memory lapses.
      await pool.query('UPDATE sync_devices SET revoked_at = now() WHERE id = $1', [device.id])
      await new Promise((r) => setTimeout(r, TOKEN_MEMORY_MS + 100))
      expect(await whoami()).toBe(401)
    })

    it('refuses malformed (400) and oversized (413) bodies, writing nothing', async () => {
      const before = (
        await pool.query('SELECT count(*)::int AS n FROM sync_devices WHERE revoked_at IS NULL')
      ).rows[0]
      const malformed = await app.inject({
        method: 'POST',
        url: '/v1/devices/revoke',
        headers: { ...auth(admin), 'content-type': 'application/json' },
        payload: '{"id": ',
      })
      expect(malformed.statusCode).toBe(400)
      const wrong = await app.inject({
        method: 'POST',
        url: '/v1/devices/revoke',
        headers: auth(admin),
        payload: { id: 5 },
      })
      expect(wrong.statusCode).toBe(400)
      const big = await app.inject({
        method: 'POST',
        url: '/v1/devices/revoke',
        headers: auth(admin),
        payload: { id: 'x'.repeat(100 * 1024) },
      })
      expect(big.statusCode).toBe(413)
      const after = (
        await pool.query('SELECT count(*)::int AS n FROM sync_devices WHERE revoked_at IS NULL')
      ).rows[0]
      expect(after).toEqual(before)
    })

    it('answers a flood with 429', async () => {
      const flooder = (
        await createDevice(pool, { label: 'loop', userName: 'Bot', role: 'office_manager' })
      ).token
      const codes: number[] = []
      for (let i = 0; i < 60; i++)
        codes.push((await app.inject({ url: '/v1/whoami', headers: auth(flooder) })).statusCode)
      expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true)
      expect(codes.at(-1)).toBe(429)
    })
  })
})

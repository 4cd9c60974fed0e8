import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../shared/domain/ids'
import { encode } from '../shared/sync/hlc'
import { PROTOCOL_VERSION } from '../shared/sync/protocol'
import { buildServer } from './app'
import { createPool, migrateServer } from './db'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice } from './tokens'

/** GET /v1/sync/changes: held open until another device's change lands, then answered. */
describe('waiting for changes', () => {
  let db: TestDatabase
  let pool: pg.Pool
  let app: ReturnType<typeof buildServer>
  let token: string
  const auth = () => ({ authorization: `Bearer ${token}` })
  beforeAll(async () => {
    db = await freshDatabase()
    pool = createPool(db.url, db.poolMax)
    await migrateServer(pool)
    token = (await createDevice(pool, { label: 'office', userName: 'Ada', role: 'admin' })).token
    app = buildServer({ pool })
    await app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => {
    await app.close()
    await pool.end()
    await db.drop()
  })

  const url = (query: string) => {
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    return `http://127.0.0.1:${port}/v1/sync/changes?${query}`
  }
  const latest = async (query: string) => {
    const res = await fetch(url(query), { headers: auth() })
    expect(res.status).toBe(200)
    return ((await res.json()) as { data: { latest: number } }).data.latest
  }
  const pushClient = () =>
    app.inject({
      method: 'POST',
      url: '/v1/sync/push',
      headers: auth(),
      payload: {
        protocol: PROTOCOL_VERSION,
        mutations: [
          {
            id: uuidv7(),
            table: 'clients',
            rowId: uuidv7(),
            hlc: encode({ ms: Date.now(), counter: 0, node: 'aaaaaaaaaaaaaaaa' }),
            fields: { name: 'Waited For', notes: '' },
          },
        ],
      },
    })

  it('answers at once when the device is behind, and after the wait when nothing changed', async () => {
    await pushClient()
    const now = await latest('after=0&wait=5')
    expect(now).toBeGreaterThan(0)
    const started = Date.now()
    expect(await latest(`after=${now}&wait=1`)).toBe(now)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it('answers a waiting device as soon as a change lands, long before its wait ends', async () => {
    const now = await latest('after=0&wait=0')
    const started = Date.now()
    const waiting = latest(`after=${now}&wait=25`)
    await new Promise((r) => setTimeout(r, 300))
    expect((await pushClient()).statusCode).toBe(200)
    expect(await waiting).toBeGreaterThan(now)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('refuses a malformed request and one without a token', async () => {
    for (const query of ['after=-1', 'after=x', 'after=0&wait=26', 'after=0&since=1', ''])
      expect((await fetch(url(query), { headers: auth() })).status, query).toBe(400)
    expect((await fetch(url('after=0'))).status).toBe(401)
  })

  it('lets waiting devices go when the server closes', async () => {
    const other = buildServer({ pool })
    await other.listen({ port: 0, host: '127.0.0.1' })
    const address = other.server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const now = await latest('after=0&wait=0')
    const waiting = fetch(`http://127.0.0.1:${port}/v1/sync/changes?after=${now}&wait=25`, {
      headers: auth(),
    })
    await new Promise((r) => setTimeout(r, 300))
    const started = Date.now()
    await other.close()
    expect((await waiting).status).toBe(200)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

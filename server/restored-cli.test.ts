import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTs } from '../scripts/lib/run-ts'
import { uuidv7 } from '../shared/domain/ids'
import { encode } from '../shared/sync/hlc'
import { createPool, migrateServer } from './db'
import { push } from './sync'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice } from './tokens'

/** `npm run server:restored`: a restored central database gets a new epoch. */
describe('npm run server:restored', () => {
  let db: TestDatabase
  const epoch = async () => {
    const pool = createPool(db.url, db.poolMax)
    try {
      return (await pool.query<{ epoch: string }>('SELECT epoch::text FROM sync_epoch')).rows
    } finally {
      await pool.end()
    }
  }
  beforeAll(async () => {
    db = await freshDatabase()
    const pool = createPool(db.url, db.poolMax)
    await migrateServer(pool)
    await pool.end()
  })
  afterAll(() => db.drop())

  it('gives the database a new epoch, one row still', async () => {
    const before = await epoch()
    expect(before).toHaveLength(1)
    const run = await runTs('scripts/server-restored.ts', ['--database-url', db.url])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/marked as restored \(epoch [0-9a-f-]{36}\)/)
    const after = await epoch()
    expect(after).toHaveLength(1)
    expect(after[0]?.epoch).not.toBe(before[0]?.epoch)
    const bad = await runTs('scripts/server-restored.ts', ['--database-url', 'mysql://x'])
    expect(bad.code).toBe(2)
  })

  it('starts numbering after the rows it holds, were its tables restored without their sequence', async () => {
    const pool = createPool(db.url, db.poolMax)
    try {
      const { device } = await createDevice(pool, {
        label: 'office',
        userName: 'Ada',
        role: 'admin',
      })
      const client = (name: string) => ({
        id: uuidv7(),
        table: 'clients' as const,
        rowId: uuidv7(),
        hlc: encode({ ms: Date.now(), counter: 0, node: 'abcd' }),
        fields: { name },
      })
      await push(
        pool,
        device,
        Array.from({ length: 10 }, (_, i) => client(`Client ${i}`)),
      )
      await pool.query("SELECT setval('sync_seq', 1)")
      await migrateServer(pool)
      const [result] = await push(pool, device, [client('Three')])
      expect(result?.status).toBe('applied')
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_rows')
      expect(rows[0]?.n).toBe(11)
    } finally {
      await pool.end()
    }
  })
})

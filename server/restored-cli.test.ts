import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTs } from '../scripts/lib/run-ts'
import { createPool, migrateServer } from './db'
import { freshDatabase, type TestDatabase } from './test-db'

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
})

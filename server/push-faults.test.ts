import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { uuidv7 } from '../shared/domain/ids'
import { encode } from '../shared/sync/hlc'
import type { Mutation } from '../shared/sync/protocol'
import { createPool, migrateServer } from './db'
import { push } from './sync'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice, type Device } from './tokens'

/**
 * A fault in the server's own code while it applies one mutation (an error without a
 * database code, the connection still answering) costs that mutation alone: the batch is
 * applied again one at a time and the faulty one refused, rather than the whole batch
 * failing every time the laptop sends it.
 */
vi.mock('./events/outbox', async (original) => {
  const real = await original<typeof import('./events/outbox')>()
  return {
    ...real,
    recordEvents: async (...args: Parameters<typeof real.recordEvents>) => {
      const [, changes] = args
      if (changes.some((c) => c.after.name === 'Faulty client'))
        throw new Error('a fault in deriving events')
      return real.recordEvents(...args)
    },
  }
})

describe('a fault while a batch is applied', () => {
  let db: TestDatabase
  let pool: pg.Pool
  let device: Device
  beforeAll(async () => {
    db = await freshDatabase()
    pool = createPool(db.url, db.poolMax)
    await migrateServer(pool)
    device = (await createDevice(pool, { label: 'office', userName: 'Ada', role: 'admin' })).device
  })
  afterAll(async () => {
    await pool.end()
    await db.drop()
  })

  it('refuses the mutation it came from, and applies the rest of the batch', async () => {
    const client = (name: string): Mutation => ({
      id: uuidv7(),
      table: 'clients',
      rowId: uuidv7(),
      hlc: encode({ ms: Date.now(), counter: 0, node: 'abcd' }),
      fields: { name },
    })
    const results = await push(pool, device, [client('Faulty client'), client('Sound client')])
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'the server could not apply it'],
      ['applied', undefined],
    ])
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM clients ORDER BY name')
    expect(rows.map((r) => r.name)).toEqual(['Sound client'])
  })
})

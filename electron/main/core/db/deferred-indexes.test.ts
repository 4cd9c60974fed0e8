import { afterEach, describe, expect, it } from 'vitest'
import { keepLaptopSync } from '../data/restore-sync'
import { sourceResources } from '../paths'
import { memoryDb, tempDir } from '../test/helpers'
import { createDb, type Db } from './create-db'
import { deferIndexes, restoreIndexes } from './deferred-indexes'
import { indexDefinitions } from './deferred-indexes.test-support'

/**
 * Indexes put aside while an empty table loads in bulk come back however the load ends:
 * at its end, when it fails, when the database next opens, and before a restore drops
 * the sync state that records them.
 */
const open: Db[] = []
const cleanups: (() => void)[] = []
afterEach(async () => {
  for (const db of open.splice(0)) await db.close().catch(() => {})
  for (const c of cleanups.splice(0)) c()
})

async function fresh(): Promise<Db> {
  const db = await memoryDb()
  open.push(db)
  return db
}

const of = (defs: string[], table: string) => defs.filter((d) => d.includes(`public.${table} `))
const recorded = async (db: Db) =>
  (
    await db.pg.query<{ value: string[] }>(
      "SELECT value FROM sync_state WHERE key = 'deferred_indexes'",
    )
  ).rows[0]?.value ?? []

describe('indexes put aside for a bulk load', () => {
  it("go from an empty table, keeping unique ones and the list's, and come back the same", async () => {
    const db = await fresh()
    const before = await indexDefinitions(db.pg)
    const went = await deferIndexes(db.pg, 'appointments')
    expect(went).toBeGreaterThan(5)
    const during = of(await indexDefinitions(db.pg), 'appointments')
    expect(during).toEqual([
      expect.stringContaining('appointments_live_list_idx'),
      expect.stringContaining('UNIQUE INDEX appointments_pkey'),
    ])
    expect(await recorded(db)).toHaveLength(went)
    expect(await restoreIndexes(db.pg)).toBe(went)
    expect(await indexDefinitions(db.pg)).toEqual(before)
    expect(await recorded(db)).toEqual([])
    expect(await restoreIndexes(db.pg)).toBe(0)
  })

  it('stay on a table that holds rows', async () => {
    const db = await fresh()
    await db.pg.exec("INSERT INTO clients (id, name) VALUES (gen_random_uuid(), 'Held')")
    const before = await indexDefinitions(db.pg)
    expect(await deferIndexes(db.pg, 'clients')).toBe(0)
    expect(await indexDefinitions(db.pg)).toEqual(before)
  })

  it('come back when the database opens after the app stopped mid-load', async () => {
    const dir = tempDir('gk-deferred-')
    cleanups.push(dir.cleanup)
    const first = await createDb({ dataDir: dir.path, resources: sourceResources() })
    const before = await indexDefinitions(first.pg)
    await deferIndexes(first.pg, 'appointments')
    await deferIndexes(first.pg, 'clients')
    expect(await indexDefinitions(first.pg)).not.toEqual(before)
    await first.close()
    const again = await createDb({ dataDir: dir.path, resources: sourceResources() })
    open.push(again)
    expect(await indexDefinitions(again.pg)).toEqual(before)
    expect(await recorded(again)).toEqual([])
  })

  it('come back before a restore drops the sync state recording them', async () => {
    const db = await fresh()
    const before = await indexDefinitions(db.pg)
    await deferIndexes(db.pg, 'appointments')
    await keepLaptopSync(db.pg, { config: undefined, paused: false })
    expect(await indexDefinitions(db.pg)).toEqual(before)
  })
})

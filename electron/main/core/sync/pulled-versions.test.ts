import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../../../shared/domain/ids'
import { encode } from '../../../../shared/sync/hlc'
import { pulledVersionsRefusal } from '../../../../shared/sync/pulled-versions'
import type { Db } from '../db/create-db'
import { memoryDb } from '../test/helpers'
import { applyInbox, stagePull } from './store'

/**
 * Pulled field versions move the laptop's clock; these tests show one bad server row
 * cannot move it years ahead, nor past the point its server would accept writes from.
 */
const MINUTE = 60_000
const YEAR = 365 * 24 * 60 * MINUTE
const at = (ms: number) => encode({ ms, counter: 0, node: 'server' })

function clientChange(seq: number, version: string, name: string) {
  const values = {
    name,
    email: null,
    phone: null,
    address: null,
    postal_code: null,
    latitude: null,
    longitude: null,
    notes: '',
    deleted_at: null,
  }
  return {
    seq,
    table: 'clients' as const,
    rowId: uuidv7(),
    values,
    versions: Object.fromEntries(Object.keys(values).map((f) => [f, version])),
  }
}

describe('pulled versions', () => {
  let db: Db
  beforeAll(async () => {
    db = await memoryDb()
  })
  afterAll(() => db.close())

  const clockMs = async () => {
    const { rows } = await db.pg.query<{ stamp: string }>('SELECT sync_tick() AS stamp')
    return Number(rows[0]?.stamp.slice(0, 15))
  }
  const names = async () =>
    (await db.pg.query<{ name: string }>('SELECT name FROM clients ORDER BY name')).rows.map(
      (r) => r.name,
    )

  it('applies good rows, and keeps malformed or far-future ones waiting with a reason', async () => {
    const now = Date.now()
    const future = clientChange(1, at(now + 3 * YEAR), 'From the future')
    const malformed = clientChange(2, 'yesterday', 'Malformed')
    const fine = clientChange(3, at(now + MINUTE), 'Slightly ahead')
    await stagePull(db.pg, [future, malformed, fine], 3)
    expect(await applyInbox(db.pg)).toMatchObject({ applied: 1, failed: 2 })
    expect(await names()).toEqual(['Slightly ahead'])

    const { rows: waiting } = await db.pg.query<{ row_id: string; error: string }>(
      'SELECT row_id, error FROM sync_inbox ORDER BY seq',
    )
    expect(waiting).toEqual([
      { row_id: future.rowId, error: expect.stringMatching(/ahead of this laptop's clock/) },
      { row_id: malformed.rowId, error: expect.stringMatching(/malformed version/) },
    ])
    // The laptop's clock followed the good row (a minute ahead), not the one years ahead.
    const clock = await clockMs()
    expect(clock).toBeGreaterThanOrEqual(now + MINUTE)
    expect(clock).toBeLessThan(now + 10 * MINUTE)

    // Still refused on the next round; nothing else changes.
    expect(await applyInbox(db.pg)).toMatchObject({ applied: 0, failed: 2 })
    expect(await clockMs()).toBeLessThan(now + 10 * MINUTE)
    // A round with nothing new does not try them again, row by row, for nothing...
    expect(await applyInbox(db.pg, { retryStuck: false })).toMatchObject({ applied: 0, failed: 0 })
    // ...one that merges something does, after the new rows.
    await stagePull(db.pg, [clientChange(4, at(now), 'Arrived later')], 4)
    expect(await applyInbox(db.pg, { retryStuck: false })).toMatchObject({ applied: 1, failed: 2 })
    expect(await names()).toEqual(['Arrived later', 'Slightly ahead'])
  })

  it('bounds drift by the server’s own limit, checking every field', () => {
    const now = Date.UTC(2026, 10, 1)
    expect(pulledVersionsRefusal({ a: at(now + 4 * MINUTE) }, now)).toBeNull()
    expect(pulledVersionsRefusal({ a: at(now - YEAR) }, now)).toBeNull()
    expect(pulledVersionsRefusal({ a: at(now), b: at(now + 6 * MINUTE) }, now)).toMatch(
      /6 minutes ahead/,
    )
    for (const bad of ['', '1-2-3', `${at(now)}-x`, at(now).toUpperCase(), 5, null]) {
      expect(pulledVersionsRefusal({ a: at(now), b: bad }, now)).toMatch(/malformed version for b/)
    }
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../shared/domain/ids'
import type { Mutation } from '../../shared/sync/protocol'
import { push } from '../sync'
import { createDevice, type Device } from '../tokens'
import { type ApiFixture, apiFixture, asServer } from './api.test-support'
import { serverClock } from './clock'
import { JUMP_FROM } from './deep-pages'

/**
 * Deep pages start at their day, found from counts the database keeps per day and status:
 * the pages must be exactly those a plain OFFSET gives, before and after writes of every
 * kind (through the sync machinery too), in both directions, with and without statuses.
 */
let f: ApiFixture
let office: Device
const clock = serverClock()
/** Enough for a crew's own list to go deeper than JUMP_FROM. */
const N = 2 * JUMP_FROM + 2500

beforeAll(async () => {
  f = await apiFixture()
  office = (await createDevice(f.pool, { label: 'o', userName: 'O', role: 'office_manager' }))
    .device
  const { clients, services, crew } = f.business
  // Forty jobs a day, five at each of eight times from midnight UTC on (ties broken by
  // id, so a day's first jobs sit exactly on its boundary), every status, two crews, one
  // in a hundred deleted.
  await asServer(f.pool, async (c) => {
    await c.query(
      `INSERT INTO appointments (id, client_id, service_id, team_member_id, scheduled_at,
         duration_minutes, status, price, deleted_at)
       SELECT gen_random_uuid(), $1, $2, CASE WHEN g % 2 = 0 THEN $4::uuid ELSE $5::uuid END,
         timestamptz '2026-01-01 00:00Z' + (g / 40) * interval '1 day'
           + (g % 8) * interval '3 hours', 60,
         (ARRAY['scheduled', 'in_progress', 'completed', 'cancelled'])[1 + g % 4], 45,
         CASE WHEN g % 100 = 42 THEN now() END
       FROM generate_series(1, $3::int) g`,
      [clients.john, services.mowing, N, crew.ana, crew.ben],
    )
  })
})
afterAll(() => f.close())

const reference = async (
  order: 'ASC' | 'DESC',
  limit: number,
  offset: number,
  statuses?: string[],
) =>
  (
    await f.pool.query<{ id: string }>(
      `SELECT id FROM appointments WHERE deleted_at IS NULL
         ${statuses ? 'AND status = ANY($3::text[])' : ''}
       ORDER BY scheduled_at ${order}, id ${order} LIMIT $1 OFFSET $2`,
      statuses ? [limit, offset, statuses] : [limit, offset],
    )
  ).rows.map((r) => r.id)

async function expectSamePages() {
  const live = (
    await f.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM appointments WHERE deleted_at IS NULL',
    )
  ).rows[0]?.n as number
  const cases: [string, 'ASC' | 'DESC', number, number, string[] | undefined][] = []
  for (const offset of [JUMP_FROM, JUMP_FROM + 1, JUMP_FROM + 777, live - 25, live - 1, live + 5])
    for (const [ordering, dir] of [
      ['', 'DESC'],
      ['-scheduled_date', 'DESC'],
      ['scheduled_date,id', 'ASC'],
    ] as const)
      cases.push([ordering, dir, 20, offset, undefined])
  cases.push(['', 'DESC', 100, JUMP_FROM + 3, ['completed', 'cancelled']])
  cases.push(['scheduled_date', 'ASC', 7, 2600, ['scheduled']])
  cases.push(['', 'DESC', 20, 3000, ['in_progress']])
  for (const [ordering, dir, limit, offset, statuses] of cases) {
    const query = new URLSearchParams({ limit: String(limit), offset: String(offset) })
    if (ordering) query.set('ordering', ordering)
    if (statuses) query.set('status', statuses.join(','))
    const res = await f.call(f.tokens.office, { url: `/api/v1/appointments/?${query}` })
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json() as { count: number; results: { id: string }[] }
    expect(
      page.results.map((r) => r.id),
      query.toString(),
    ).toEqual(await reference(dir, limit, offset, statuses))
  }
  // A crew's deep pages skip their offset as usual: the counts are the whole list's.
  const crew = f.business.crew.ana
  const anas = (
    await f.pool.query<{ id: string }>(
      `SELECT id FROM appointments WHERE deleted_at IS NULL AND team_member_id = $1
       ORDER BY scheduled_at DESC, id DESC LIMIT 20 OFFSET $2`,
      [crew, JUMP_FROM + 10],
    )
  ).rows.map((r) => r.id)
  expect(anas).toHaveLength(20)
  const res = await f.call(f.tokens.ana, { url: `/api/v1/appointments/?offset=${JUMP_FROM + 10}` })
  expect(res.json().results.map((r: { id: string }) => r.id)).toEqual(anas)
  // The counts the jump adds up are the live rows, day by day.
  const { rows } = await f.pool.query(`
    SELECT day, status, sum(n)::int AS n FROM (
      SELECT day, status, n FROM appointment_day_counts
      UNION ALL
      SELECT (scheduled_at AT TIME ZONE 'UTC')::date, status, -count(*)
      FROM appointments WHERE deleted_at IS NULL GROUP BY 1, 2) x
    GROUP BY day, status HAVING sum(n) <> 0`)
  expect(rows).toEqual([])
}

describe('deep pages', () => {
  it('are the pages a plain offset gives', async () => {
    await expectSamePages()
  })

  it('stay exact after pushes that book, move across days, change status and delete', async () => {
    const { clients, services } = f.business
    const ids = Array.from({ length: 40 }, () => uuidv7())
    const write = (rowId: string, fields: Mutation['fields']): Mutation => ({
      id: uuidv7(),
      table: 'appointments',
      rowId,
      hlc: clock.now(),
      fields,
    })
    const booked = await push(
      f.pool,
      office,
      ids.map((rowId, i) =>
        write(rowId, {
          client_id: clients.jane,
          service_id: services.mowing,
          team_member_id: null,
          scheduled_at: `2026-02-${String(1 + (i % 20)).padStart(2, '0')}T23:30:00.000Z`,
          duration_minutes: 60,
          status: 'scheduled',
          notes: '',
          price: '45.00',
        }),
      ),
    )
    expect(booked.every((r) => r.status === 'applied')).toBe(true)
    const changed = await push(f.pool, office, [
      ...ids.slice(0, 10).map((id) => write(id, { scheduled_at: '2026-03-15T00:00:00.000Z' })),
      ...ids.slice(10, 20).map((id) => write(id, { status: 'cancelled' })),
      ...ids.slice(20, 30).map((id) => write(id, { deleted_at: new Date().toISOString() })),
    ])
    expect(changed.every((r) => r.status === 'applied')).toBe(true)
    await expectSamePages()
  })

  it('stay exact after direct deletes and a truncate', async () => {
    await asServer(f.pool, async (c) => {
      await c.query(`DELETE FROM appointments WHERE id IN (
        SELECT id FROM appointments WHERE follow_up_of_id IS NULL ORDER BY id LIMIT 300)
        AND NOT EXISTS (SELECT 1 FROM appointments f WHERE f.follow_up_of_id = appointments.id)`)
      await c.query(`UPDATE appointments SET scheduled_at = scheduled_at + interval '5 hours'
        WHERE status = 'in_progress'`)
    })
    await expectSamePages()
    await asServer(f.pool, async (c) => {
      await c.query('TRUNCATE appointments CASCADE')
    })
    const { rows } = await f.pool.query('SELECT * FROM appointment_day_counts WHERE n <> 0')
    expect(rows).toEqual([])
  })
})

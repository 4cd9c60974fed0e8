import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../shared/domain/ids'
import { type ApiFixture, apiFixture, asServer, seedJobs } from './api.test-support'

/**
 * `?search=` is served by trigram indexes where a term allows it (domain migration
 * 0013) and by the plain form otherwise. Either way a term matches exactly the live
 * appointments whose client's name or address, service's name, notes or place contain
 * it, taken literally, case aside: the reference below is that definition as one join.
 */
let f: ApiFixture
beforeAll(async () => {
  f = await apiFixture()
  const { services: s } = f.business
  const clients = { jose: uuidv7(), siobhan: uuidv7(), asa: uuidv7() }
  await asServer(f.pool, async (c) => {
    await c.query(
      `INSERT INTO clients (id, name, address, postal_code) VALUES
        ($1, 'José Müller', 'Calle Mayor 7', 'E-28013'), ($2, 'Siobhán O''Brien', NULL, NULL),
        ($3, 'ÅSA ÖBERG', '4 Ballsbridge Terr.', 'D04 X2Y1')`,
      [clients.jose, clients.siobhan, clients.asa],
    )
  })
  await seedJobs(f.pool, [
    { client: clients.jose, service: s.mowing, at: '2026-05-01T09:00:00Z', notes: '100% shade' },
    {
      client: clients.siobhan,
      service: s.hedges,
      at: '2026-05-02T09:00:00Z',
      notes: '50_50 mix',
      location: 'Unit 5_B, Straße 9',
    },
    { client: clients.asa, service: s.mowing, at: '2026-05-03T09:00:00Z', notes: 'Zoë: "Big Al"' },
    { client: clients.asa, service: s.hedges, at: '2026-05-04T09:00:00Z', notes: 'back\\slash' },
    { client: clients.jose, service: s.mowing, at: '2026-05-05T09:00:00Z', deleted: true },
    { client: f.business.clients.john, service: s.hedges, at: '2026-05-06T09:00:00Z' },
  ])
})
afterAll(() => f.close())

async function reference(term: string): Promise<string[]> {
  const pattern = `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
  const { rows } = await f.pool.query<{ id: string }>(
    `SELECT a.id FROM appointments a
     JOIN clients c ON c.id = a.client_id JOIN services s ON s.id = a.service_id
     WHERE a.deleted_at IS NULL AND (c.name ILIKE $1 OR c.address ILIKE $1
       OR c.postal_code ILIKE $1 OR s.name ILIKE $1 OR a.notes ILIKE $1 OR a.location ILIKE $1)
     ORDER BY a.scheduled_at DESC, a.id DESC`,
    [pattern],
  )
  return rows.map((r) => r.id)
}

describe('GET /api/v1/appointments/?search=', () => {
  it.each([
    'josé',
    'JOSÉ',
    'jose',
    'müller',
    'åsa',
    'öberg',
    'zoë',
    "o'brien",
    "'",
    'big',
    '100%',
    '%',
    '50_50',
    '_',
    'back\\slash',
    '\\',
    'a',
    'ö',
    'jo',
    'hedge',
    'calle mayor',
    'd04 x2',
    'e-28',
    'straße',
    '5_b',
    'xyzzyq',
  ])('finds exactly the rows that contain %j', async (term) => {
    const res = await f.call(f.tokens.office, {
      url: `/api/v1/appointments/?limit=100&search=${encodeURIComponent(`"${term}"`)}`,
    })
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json() as { count: number; results: { id: string }[] }
    const want = await reference(term)
    expect(page.results.map((r) => r.id)).toEqual(want)
    expect(page.count).toBe(want.length)
  })

  it('has tricky terms that match something, so the comparison means something', async () => {
    for (const term of [
      'josé',
      'ÅSA',
      "o'brien",
      '100%',
      '50_50',
      'back\\slash',
      'zoë',
      'd04 x2',
      '5_b',
    ]) {
      expect((await reference(term)).length, term).toBeGreaterThan(0)
    }
  })
})

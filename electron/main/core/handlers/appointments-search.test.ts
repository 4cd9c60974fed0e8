import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../../../shared/domain/ids'
import type { AppContext } from '../context'
import { keptReadWatchers } from '../db/prepared'
import { seed } from '../seed/seed'
import { call, memoryCore } from '../test/helpers'

/**
 * The list's search is served by trigram indexes when the term allows it (migration
 * 0013, `searchFilter`). Whatever the plan, the rows must be exactly those of the plain
 * definition: the term, taken literally, inside the client's name, address or postal
 * code, the service's name, the notes or the place, case aside. The reference below is that definition as one
 * join read row by row (bitmap scans off, so no trigram index can serve it); the list
 * is read with sequential scans off, so the trigram plan is taken wherever it exists.
 */
let ctx: AppContext
beforeAll(async () => {
  ctx = await memoryCore()
  await seed(ctx.db.pg, { appointments: 1500, anchor: new Date('2026-06-01') })
  const pg = ctx.db.pg
  const { rows } = await pg.query<{ id: string }>('SELECT id FROM services LIMIT 1')
  const serviceId = rows[0]?.id
  const tricky: [client: string, notes: string, location: string | null, address?: string][] = [
    ['José Müller', 'Side gate: 100% shade, use the 50_50 mix', null, 'Calle Mayor 7|E-28013'],
    ["Siobhán O'Brien", 'Ask for "Big Al" at the door', '12 Rue de l’Église'],
    ['ÅSA ÖBERG', 'back\\slash in the notes', 'Unit 5_B', '4 Ballsbridge Terr.|D04 X2Y1'],
    ['Li Na', 'Zoë waters the beds; GARCÍA next door', 'Straße 9'],
  ]
  for (const [name, notes, location, address] of tricky) {
    const clientId = uuidv7()
    const [street = null, postcode = null] = address?.split('|') ?? []
    await pg.query('INSERT INTO clients (id, name, address, postal_code) VALUES ($1, $2, $3, $4)', [
      clientId,
      name,
      street,
      postcode,
    ])
    for (let i = 0; i < 3; i++) {
      await pg.query(
        `INSERT INTO appointments (id, client_id, service_id, scheduled_at, duration_minutes,
           price, notes, location)
         VALUES ($1, $2, $3, $4, 60, '40.00', $5, $6)`,
        [uuidv7(), clientId, serviceId, `2026-0${5 + i}-1${i}T14:00:00Z`, notes, location],
      )
    }
  }
})
afterAll(() => ctx.db.close())

/** The plain definition of a match, read without any index that could serve the term. */
async function reference(term: string) {
  const pg = ctx.db.pg
  const pattern = `%${term.trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
  await pg.exec('SET enable_bitmapscan = off')
  try {
    const { rows } = await pg.query<{ id: string }>(
      `SELECT a.id FROM appointments a
       JOIN clients c ON c.id = a.client_id JOIN services s ON s.id = a.service_id
       WHERE a.deleted_at IS NULL
         AND (c.name ILIKE $1 OR c.address ILIKE $1 OR c.postal_code ILIKE $1
              OR s.name ILIKE $1 OR a.notes ILIKE $1 OR a.location ILIKE $1)
       ORDER BY a.scheduled_at DESC, a.id DESC`,
      [pattern],
    )
    return rows.map((r) => r.id)
  } finally {
    await pg.exec('RESET enable_bitmapscan')
  }
}

async function listed(term: string) {
  await ctx.db.pg.exec('SET enable_seqscan = off')
  try {
    const page = await call(ctx, 'appointments.list', { search: term, limit: 100 })
    return { count: page.count, ids: page.results.map((r) => r.id) }
  } finally {
    await ctx.db.pg.exec('RESET enable_seqscan')
  }
}

const TERMS = [
  'garcia',
  'GARCÍA',
  'garcía',
  'josé',
  'JOSÉ MÜLLER',
  'jose',
  'müller',
  'åsa',
  'Zoë',
  'straße',
  'église',
  "o'brien",
  "'",
  '"big al"',
  '"',
  '%',
  '100%',
  '_',
  '50_50',
  '5_b',
  '\\',
  'back\\slash',
  'a',
  'ö',
  'li',
  'mo',
  'z',
  'mowing',
  'gate',
  '  gate code  ',
  'calle mayor',
  'd04 x2',
  'e-28',
  'xyzzyq',
]

describe('appointments.list search', () => {
  it.each(TERMS)('finds exactly the rows that contain %j', async (term) => {
    const want = await reference(term)
    const got = await listed(term)
    expect(got.count).toBe(want.length)
    expect(got.ids).toEqual(want.slice(0, 100))
  })

  it('has tricky terms that match something, so the comparison means something', async () => {
    for (const term of [
      'josé',
      'GARCÍA',
      "o'brien",
      '100%',
      '50_50',
      'back\\slash',
      'Zoë',
      'calle mayor',
      'd04 x2',
    ]) {
      expect((await reference(term)).length, term).toBeGreaterThan(0)
    }
  })

  it('looks a term with three letters in a row up in the trigram indexes, a shorter one not', async () => {
    const uses = async (term: string) => {
      const plans = await plansOf(() => call(ctx, 'appointments.list', { search: term }))
      return plans.some((p) => /appointments_notes_trgm_idx/.test(p))
    }
    expect(await uses('garcia')).toBe(true)
    expect(await uses('Zoë')).toBe(true)
    expect(await uses('ga')).toBe(false)
    expect(await uses('a b')).toBe(false)
  })
})

/** The plans (sequential scans off) of the statements the database receives during `fn`. */
async function plansOf(fn: () => Promise<unknown>): Promise<string[]> {
  const pg = ctx.db.pg
  const seen: [string, unknown[] | undefined][] = []
  const original = pg.query.bind(pg)
  pg.query = ((text: string, params?: unknown[], ...rest: unknown[]) => {
    seen.push([text, params])
    return original(text, params as never, ...(rest as []))
  }) as typeof pg.query
  const kept = (q: { sql: string; params: unknown[] }) => seen.push([q.sql, q.params])
  keptReadWatchers.add(kept)
  try {
    await fn()
  } finally {
    pg.query = original
    keptReadWatchers.delete(kept)
  }
  await pg.exec('SET enable_seqscan = off')
  try {
    const plans: string[] = []
    for (const [text, params] of seen) {
      const { rows } = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params)
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'))
    }
    return plans
  } finally {
    await pg.exec('RESET enable_seqscan')
  }
}

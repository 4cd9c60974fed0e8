import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { preparedRows } from './prepared'

// One database for the file (starting one takes seconds); each test its own statements.
let pg: PGlite
let before: string[] = []

beforeAll(async () => {
  pg = new PGlite()
})
afterAll(async () => {
  await pg.close()
})
beforeEach(async () => {
  await pg.exec(`DROP TABLE IF EXISTS jobs; DROP INDEX IF EXISTS jobs_name_idx;
    CREATE TABLE jobs (id int PRIMARY KEY, name text, at timestamptz);
    INSERT INTO jobs VALUES (1, 'Mow', '2026-06-01T07:00:00Z'), (2, 'Prune', NULL), (3, 'Edge', NULL)`)
  before = await names()
})

const names = async () =>
  (
    await pg.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')
  ).rows.map((r) => r.name)
/** How many statements this test's runs have kept. */
const kept = async () => (await names()).filter((n) => !before.includes(n)).length

const byName = { sql: 'SELECT id, name, at FROM jobs WHERE id >= $1 ORDER BY id', params: [2] }
const twice = { sql: 'SELECT id FROM jobs WHERE id <= $1 ORDER BY id', params: [2] }

describe('a kept statement', () => {
  it('reads what an unnamed query reads, as text, and is parsed once', async () => {
    const first = await preparedRows(pg, {
      sql: 'SELECT id, name, at, id > $1 FROM jobs ORDER BY id',
      params: [1],
    })
    expect(first).toEqual([
      ['1', 'Mow', '2026-06-01 07:00:00+00', 'f'],
      ['2', 'Prune', null, 't'],
      ['3', 'Edge', null, 't'],
    ])
    expect(await preparedRows(pg, byName)).toEqual([
      ['2', 'Prune', null],
      ['3', 'Edge', null],
    ])
    // Asked again with other values: the same two statements, not new ones.
    expect(await preparedRows(pg, { ...byName, params: [3] })).toEqual([['3', 'Edge', null]])
    expect(await kept()).toBe(2)
  })

  it('is made once when first asked for twice at the same time', async () => {
    const [a, b] = await Promise.all([preparedRows(pg, twice), preparedRows(pg, twice)])
    expect(a).toEqual([['1'], ['2']])
    expect(b).toEqual(a)
    expect(await kept()).toBe(1)
  })

  it('throws the database error, and leaves no statement half made', async () => {
    await expect(preparedRows(pg, { sql: 'SELECT nope FROM jobs', params: [] })).rejects.toThrow(
      /column "nope" does not exist/,
    )
    // Parsed, then refused when run: the name goes too, and the next run makes it afresh.
    const divide = { sql: 'SELECT 10 / $1::int', params: [0] }
    await expect(preparedRows(pg, divide)).rejects.toThrow(/division by zero/)
    expect(await kept()).toBe(0)
    expect(await preparedRows(pg, { ...divide, params: [5] })).toEqual([['2']])
    // Made, a run refused does not unmake it.
    await expect(preparedRows(pg, divide)).rejects.toThrow(/division by zero/)
    expect(await preparedRows(pg, { ...divide, params: [2] })).toEqual([['5']])
    expect(await kept()).toBe(1)
  })

  it('follows the schema when it changes', async () => {
    const all = { sql: 'SELECT * FROM jobs WHERE id = $1', params: [1] }
    expect(await preparedRows(pg, all)).toEqual([['1', 'Mow', '2026-06-01 07:00:00+00']])
    await pg.exec(`CREATE INDEX jobs_name_idx ON jobs (name); UPDATE jobs SET name = 'Mowing'`)
    expect(await preparedRows(pg, all)).toEqual([['1', 'Mowing', '2026-06-01 07:00:00+00']])
  })

  it('waits for a transaction open elsewhere, and sees what it committed', async () => {
    let release = () => {}
    const open = pg.transaction(async (tx) => {
      await tx.query(`UPDATE jobs SET name = 'Edging' WHERE id = 3`)
      await new Promise<void>((resolve) => {
        release = resolve
      })
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const read = preparedRows(pg, { sql: 'SELECT name FROM jobs WHERE id = $1', params: [3] })
    release()
    await open
    expect(await read).toEqual([['Edging']])
  })

  it('runs as an unnamed query when a value is not a plain one', async () => {
    const rows = await preparedRows(pg, {
      sql: 'SELECT count(*) FROM jobs WHERE id = ANY($1)',
      params: [[1, 2]],
    })
    expect(rows).toEqual([['2']])
    expect(await kept()).toBe(0)
  })
})

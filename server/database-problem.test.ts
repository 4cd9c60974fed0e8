import { createServer, type Server } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { databaseProblem } from './database-problem'
import { createPool } from './db'
import { freshDatabase } from './test-db'

/** The central database out of reach or gone for a moment, as the commands and the server meet it. */
describe('a database out of reach', () => {
  const servers: Server[] = []
  afterAll(() => {
    for (const s of servers) s.close()
  })
  /** A port that takes connections and never says a word. */
  const silent = () =>
    new Promise<number>((resolve) => {
      const s = createServer(() => {}).listen(0, '127.0.0.1', () => {
        const a = s.address()
        resolve(typeof a === 'object' && a ? a.port : 0)
      })
      servers.push(s)
    })

  it('is said in words: nothing answering, a silent host, no such host', async () => {
    const refused = createPool('postgres://postgres@127.0.0.1:9/x', 1)
    const e1 = await refused.query('SELECT 1').catch((e: unknown) => e)
    expect(databaseProblem(e1)).toBe(
      'cannot reach the database at 127.0.0.1:9: nothing answers there',
    )
    await refused.end()

    const hanging = createPool(`postgres://postgres@127.0.0.1:${await silent()}/x`, 1, {
      connectTimeoutMs: 300,
    })
    const e2 = await hanging.query('SELECT 1').catch((e: unknown) => e)
    expect(databaseProblem(e2)).toBe('cannot reach the database: it did not answer in time')
    await hanging.end()

    const nowhere = createPool('postgres://postgres@no-such-host.invalid:5432/x', 1)
    const e3 = await nowhere.query('SELECT 1').catch((e: unknown) => e)
    expect(databaseProblem(e3)).toBe(
      'cannot reach the database: there is no host named no-such-host.invalid',
    )
    await nowhere.end()
  })

  it('closing an idle connection costs that connection, not the process', async () => {
    const db = await freshDatabase()
    const pool = createPool(db.url, 2)
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
      const other = createPool(db.url, 1)
      await other.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid])
      await other.end()
      // The pool heard its idle connection go, and opens another for the next query.
      await new Promise((r) => setTimeout(r, 200))
      expect((await pool.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n).toBe(1)
    } finally {
      await pool.end()
      await db.drop()
    }
  })
})

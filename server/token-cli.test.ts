import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTs } from '../scripts/lib/run-ts'
import { uuidv7 } from '../shared/domain/ids'
import { createPool, migrateServer } from './db'
import { freshDatabase, type TestDatabase } from './test-db'

/** `npm run server:token`: an admin's device tokens, refused clearly when the flags are wrong. */
describe('npm run server:token', () => {
  let db: TestDatabase
  const crew = uuidv7()
  beforeAll(async () => {
    db = await freshDatabase()
    const pool = createPool(db.url, db.poolMax)
    await migrateServer(pool)
    await pool.query(`INSERT INTO team_members (id, name) VALUES ($1, 'Ana Lopez')`, [crew])
    // The command gets the database to itself (PGlite serves one connection at a time).
    await pool.end()
  })
  afterAll(() => db.drop())
  const cli = (...args: string[]) =>
    runTs('scripts/server-token.ts', [...args, '--database-url', db.url])

  it.each([
    [
      ['create', '--user', 'Leo', '--role', 'crew_lead', `--crew=${'-'.repeat(36)}`],
      /--crew must be a team member id/,
    ],
    [
      ['create', '--user', 'Leo', '--role', 'crew_lead', '--crew', uuidv7()],
      /is no crew member this server holds/,
    ],
    [
      ['create', '--user', 'Ada', '--role', 'admin', '--crew', crew],
      /--crew is for a crew lead only/,
    ],
    [
      ['create', '--user', 'Line\nbreak', '--role', 'admin'],
      /--user must be 1 to 100 printable characters/,
    ],
    [['create', '--user', '   ', '--role', 'admin'], /--user .*not only spaces/],
    [['revoke', '--id', '0'.repeat(36)], /--id must be a device id/],
  ])('refuses %j, creating nothing', async (args, message) => {
    const run = await cli(...args)
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(message)
    expect((await cli('list')).stdout).toBe('')
  })

  it("creates a crew lead's token for a crew member it holds, revokes it once", async () => {
    const created = await cli('create', '--user', 'Leo', '--role', 'crew_lead', '--crew', crew)
    expect(created.code).toBe(0)
    const id = /device ([0-9a-f-]{36})/.exec(created.stdout)?.[1] as string
    expect((await cli('revoke', '--id', id)).code).toBe(0)
    const again = await cli('revoke', '--id', id)
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/no such active device: nothing revoked/)
    expect((await cli('list')).stdout).toMatch(/crew_lead\s+Leo — Leo's laptop \(revoked\)/)
  })
})

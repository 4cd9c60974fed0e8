import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadMigrations, migrate } from '../drizzle/runner/migrations'
import { uuidv7 } from '../shared/domain/ids'
import { deviceStamps } from '../shared/sync/device-stamps.test-support'
import type { Mutation } from '../shared/sync/protocol'
import {
  createPool,
  migrateServer,
  pgRunner,
  SERVER_MIGRATIONS_FOLDER,
  SERVER_MIGRATIONS_TABLE,
} from './db'
import { pull } from './pull'
import { ensureReferences } from './references.test-support'
import { push } from './sync'
import { freshDatabase, type TestDatabase } from './test-db'
import { createDevice, type Device } from './tokens'

/**
 * The record of every crew each job was given to (server migration 0013), which scopes a
 * crew lead's pulls: filled on upgrading from the jobs and the moves the event stream
 * holds, kept by every push after, and not needed by a server that lacks it yet.
 */
describe('a server keeping every crew a job was given to', () => {
  let db: TestDatabase
  let pool: pg.Pool
  let office: Device
  let lead: Device
  const crewA = uuidv7()
  const crewB = uuidv7()
  const client = uuidv7()
  const service = uuidv7()
  const stamp = deviceStamps('office')
  const job = (id: string, crew: string): Mutation => ({
    id: uuidv7(),
    table: 'appointments',
    rowId: id,
    hlc: stamp(),
    fields: {
      client_id: client,
      service_id: service,
      team_member_id: crew,
      scheduled_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      duration_minutes: 60,
      status: 'scheduled',
      notes: '',
      price: '55.00',
    },
  })
  const give = (id: string, crew: string): Mutation => ({
    id: uuidv7(),
    table: 'appointments',
    rowId: id,
    hlc: stamp(),
    fields: { team_member_id: crew },
  })
  const pulledBy = async (device: Device) =>
    (await pull(pool, 0, 1000, device)).changes
      .filter((c) => c.table === 'appointments')
      .map((c) => c.rowId)
      .sort()

  beforeAll(async () => {
    db = await freshDatabase()
    pool = createPool(db.url, db.poolMax)
    await migrateServer(pool, { serveFirst: true })
    await migrate(pgRunner(pool), loadMigrations(SERVER_MIGRATIONS_FOLDER), {
      table: SERVER_MIGRATIONS_TABLE,
      target: '0012_sync_epoch',
    })
    office = (await createDevice(pool, { label: 'office', userName: 'o', role: 'office_manager' }))
      .device
    lead = (
      await createDevice(pool, {
        label: 'crew A',
        userName: 'a',
        role: 'crew_lead',
        teamMemberId: crewA,
      })
    ).device
    // The client, service and both crews the jobs name.
    await ensureReferences(pool, [job(uuidv7(), crewA), job(uuidv7(), crewB)])
  })
  afterAll(async () => {
    await pool.end()
    await db.drop()
  })

  it('is filled on upgrading, kept by each push, and scopes a crew lead to its jobs', async () => {
    const movedAway = uuidv7()
    const movedHere = uuidv7()
    const others = uuidv7()
    const expectApplied = (r: { status: string; reason?: string }[]) =>
      expect(r.map((x) => x.reason ?? x.status)).toEqual(r.map(() => 'applied'))
    expectApplied(
      await push(pool, office, [job(movedAway, crewA), job(movedHere, crewB), job(others, crewB)]),
    )
    expectApplied(await push(pool, office, [give(movedAway, crewB), give(movedHere, crewA)]))
    // Not recorded yet: every job still comes, as before the record existed.
    expect(await pulledBy(lead)).toEqual([movedAway, movedHere, others].sort())

    await migrate(pgRunner(pool), loadMigrations(SERVER_MIGRATIONS_FOLDER), {
      table: SERVER_MIGRATIONS_TABLE,
    })
    const { rows } = await pool.query<{ team_member_id: string; appointment_id: string }>(
      'SELECT team_member_id, appointment_id FROM appointment_crews',
    )
    const pairs = rows.map((r) => `${r.appointment_id} ${r.team_member_id}`).sort()
    expect(pairs).toEqual(
      [
        `${movedAway} ${crewA}`,
        `${movedAway} ${crewB}`,
        `${movedHere} ${crewA}`,
        `${movedHere} ${crewB}`,
        `${others} ${crewB}`,
      ].sort(),
    )
    expect(await pulledBy(lead)).toEqual([movedAway, movedHere].sort())

    // After the upgrade, each push records where its jobs go.
    const later = uuidv7()
    expectApplied(await push(pool, office, [job(later, crewB)]))
    expect(await pulledBy(lead)).not.toContain(later)
    expectApplied(await push(pool, office, [give(later, crewA)]))
    expectApplied(await push(pool, office, [give(later, crewB)]))
    expect(await pulledBy(lead)).toContain(later)
  })
})

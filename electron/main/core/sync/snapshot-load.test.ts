import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fieldsOf } from '../../../../shared/sync/columns'
import { SYNCED_TABLES, type SyncedTable } from '../../../../shared/sync/protocol'
import type { Db } from '../db/create-db'
import { memoryDb } from '../test/helpers'
import { loadChunk, planLoad, stageChunk } from './snapshot-load'
import {
  applyInbox,
  enqueueRows,
  getState,
  readOutbox,
  type SnapshotProgress,
  settleOutbox,
  stagePull,
} from './store'
import { readVersions } from './versions.test-support'

/**
 * Chunks of snapshot rows into a laptop's database: in bulk when every row can go so,
 * through the inbox (the normal merge) when one cannot, and what the triggers would have
 * done done all the same.
 */
const HLC = `${String(Date.now() - 60_000).padStart(15, '0')}-00000-server`
const id = (n: number, kind = 'a') => `00000000-0000-7000-${kind}000-${String(n).padStart(12, '0')}`

/** A snapshot row line: COPY fields for the table's columns, then the versions. */
function line(table: SyncedTable, rowId: string, values: Record<string, string | null>, v = HLC) {
  const fields = fieldsOf(table).map((f) => values[f] ?? '\\N')
  return [rowId, ...fields, v].join('\t')
}
const client = (n: number, name = `Client ${n}`) =>
  line('clients', id(n, 'c'), {
    name,
    notes: '',
    notify_email: 'true',
    notify_sms: 'false',
    notify_off: '',
    locale: 'en',
  })
const job = (n: number, clientN: number, more: Record<string, string | null> = {}) =>
  line('appointments', id(n, 'a'), {
    client_id: id(clientN, 'c'),
    service_id: id(1, 'd'),
    scheduled_at: '2027-05-03T14:00:00.000Z',
    duration_minutes: '60',
    status: 'scheduled',
    notes: 'gate\\tcode',
    price: '55.00',
    series_exception: 'false',
    ...more,
  })
const mowing = () =>
  line('services', id(1, 'd'), {
    name: 'Mowing',
    description: '',
    priority: 'MEDIUM',
    base_price: '55.00',
    duration_minutes: '60',
    is_active: 'true',
  })

let db: Db
beforeEach(async () => {
  db = await memoryDb()
})
afterEach(async () => {
  await db.close()
})

const progress = (table: SyncedTable, after: string): SnapshotProgress => ({
  from: 'test',
  cursor: 42,
  table,
  after,
})
const count = async (sql: string) => Number((await db.pg.query<{ n: number }>(sql)).rows[0]?.n ?? 0)

async function load(table: SyncedTable, lines: string[]) {
  const plan = await planLoad(db.pg, table, fieldsOf(table))
  return loadChunk(db.pg, plan, lines, progress(table, lines.at(-1)?.slice(0, 36) ?? ''))
}

describe('loading snapshot chunks', () => {
  it('knows every trigger of every synced table, and no other', async () => {
    for (const table of SYNCED_TABLES)
      expect((await planLoad(db.pg, table, fieldsOf(table))).bulk, table).toBe(true)
    await db.pg.exec(`
      CREATE FUNCTION audit_clients() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
      CREATE TRIGGER clients_audit AFTER INSERT ON clients FOR EACH ROW EXECUTE FUNCTION audit_clients();`)
    expect((await planLoad(db.pg, 'clients', fieldsOf('clients'))).bulk).toBe(false)
  })

  it('loads rows with their versions, keeps counts, and records no local write', async () => {
    await load('services', [mowing()])
    const names = await count("SELECT n FROM change_counters WHERE name = 'names'")
    expect(await load('clients', [client(1), client(2, 'Tab\\there')])).toEqual({
      loaded: 2,
      staged: 0,
    })
    expect(await count("SELECT n FROM change_counters WHERE name = 'names'")).toBe(names + 1)
    await load('appointments', [job(1, 1), job(2, 2)])
    expect(await count('SELECT count(*) AS n FROM appointments')).toBe(2)
    expect(await count("SELECT n FROM appointment_counts WHERE status = 'scheduled'")).toBe(2)
    expect(await count(`SELECT count(*) AS n FROM clients WHERE name = E'Tab\\there'`)).toBe(1)
    expect(await count("SELECT count(*) AS n FROM appointments WHERE notes = E'gate\\tcode'")).toBe(
      2,
    )
    const [loaded] = await readVersions(db.pg, { table: 'appointments', id: id(1, 'a') })
    expect(loaded?.versions).toEqual(
      Object.fromEntries(fieldsOf('appointments').map((f) => [f, HLC])),
    )
    expect(await count('SELECT count(*) AS n FROM sync_outbox')).toBe(0)
    expect(await getState(db.pg, 'snapshot')).toEqual(progress('appointments', id(2, 'a')))
  })

  it('refuses a chunk that refers to a row not here; the inbox merges it once it is', async () => {
    await load('services', [mowing()])
    const plan = await planLoad(db.pg, 'appointments', fieldsOf('appointments'))
    const lines = [job(1, 7)]
    await expect(loadChunk(db.pg, plan, lines, progress('appointments', id(1)))).rejects.toThrow()
    // Nothing of the refused chunk stayed.
    expect(await count('SELECT count(*) AS n FROM appointments')).toBe(0)
    expect(
      await count('SELECT count(*) AS n FROM sync_versions WHERE table_name = $$appointments$$'),
    ).toBe(0)
    expect(await getState(db.pg, 'snapshot')).toEqual(progress('services', id(1, 'd')))
    expect(await stageChunk(db.pg, plan, lines, progress('appointments', id(1)))).toEqual({
      loaded: 0,
      staged: 1,
    })
    expect((await applyInbox(db.pg)).failed).toBe(1)
    await load('clients', [client(7)])
    expect((await applyInbox(db.pg)).applied).toBe(1)
    expect(await count("SELECT count(*) AS n FROM appointments WHERE notes = E'gate\\tcode'")).toBe(
      1,
    )
    expect(await count("SELECT n FROM appointment_counts WHERE status = 'scheduled'")).toBe(1)
  })

  it('counts jobs by status from the chunk, tombstones left out, and takes a follow-up of a job in the same chunk', async () => {
    await load('services', [mowing()])
    await load('clients', [client(1)])
    expect(
      await load('appointments', [
        job(1, 1, { status: 'completed' }),
        job(2, 1, { follow_up_of_id: id(1, 'a') }),
        job(3, 1, { status: 'cancelled' }),
        job(4, 1, { deleted_at: '2027-05-01T10:00:00.000Z' }),
        job(5, 1),
      ]),
    ).toEqual({ loaded: 5, staged: 0 })
    const { rows } = await db.pg.query<{ status: string; n: number }>(
      'SELECT status, n FROM appointment_counts WHERE n <> 0 ORDER BY status',
    )
    expect(rows).toEqual([
      { status: 'cancelled', n: 1 },
      { status: 'completed', n: 1 },
      { status: 'scheduled', n: 2 },
    ])
    // The counts are the table's, as the triggers keep them after any later write.
    await db.pg.exec("UPDATE appointments SET status = 'completed' WHERE status = 'scheduled'")
    expect(await count("SELECT n FROM appointment_counts WHERE status = 'completed'")).toBe(3)
    expect(await count("SELECT n FROM appointment_counts WHERE status = 'scheduled'")).toBe(0)
  })

  it('refuses a chunk naming a service or an earlier job not here', async () => {
    await load('services', [mowing()])
    await load('clients', [client(1)])
    await expect(load('appointments', [job(1, 1, { service_id: id(9, 'd') })])).rejects.toThrow()
    await expect(
      load('appointments', [job(2, 1, { follow_up_of_id: id(8, 'a') })]),
    ).rejects.toThrow()
    expect(await count('SELECT count(*) AS n FROM appointments')).toBe(0)
    expect(await count('SELECT coalesce(sum(n), 0) AS n FROM appointment_counts')).toBe(0)
  })

  it('leaves a row stamped far ahead of this clock waiting in the inbox', async () => {
    const ahead = `${String(Date.now() + 3_600_000).padStart(15, '0')}-00000-server`
    expect(
      await load('clients', [
        client(1),
        line('clients', id(2, 'c'), { name: 'Later', notes: '' }, ahead),
      ]),
    ).toEqual({
      loaded: 1,
      staged: 1,
    })
    expect(await count('SELECT count(*) AS n FROM clients')).toBe(1)
    const { rows } = await db.pg.query<{ last: string }>('SELECT last FROM sync_clock')
    expect((rows[0]?.last ?? '').slice(0, 15) < ahead.slice(0, 15)).toBe(true)
    expect(await count('SELECT count(*) AS n FROM sync_inbox')).toBe(1)
  })
})

describe('a row loaded whole, its fields written by one write', () => {
  const clientId = id(1, 'c')
  const all = (v: string) => Object.fromEntries(fieldsOf('clients').map((f) => [f, v]))
  const stored = async () =>
    (
      await db.pg.query<{ versions: Record<string, string>; version: string | null }>(
        "SELECT versions, version FROM sync_versions WHERE table_name = 'clients' AND row_id = $1",
        [clientId],
      )
    ).rows[0]
  const versionsNow = async () =>
    (await readVersions(db.pg, { table: 'clients', id: clientId }))[0]?.versions
  const older = `${String(Date.now() - 120_000).padStart(15, '0')}-00000-other`
  const newer = `${String(Date.now() - 30_000).padStart(15, '0')}-00000-other`

  beforeEach(async () => {
    await load('clients', [client(1)])
  })

  it('is stored as that one version, which every field has', async () => {
    expect(await stored()).toEqual({ versions: {}, version: HLC })
    expect(await versionsNow()).toEqual(all(HLC))
  })

  it('sends a local edit with every version it had seen, and keeps the rest on it', async () => {
    await db.pg.exec(`UPDATE clients SET notes = 'gate code 12' WHERE id = '${clientId}'`)
    const [edit] = await readOutbox(db.pg, 10)
    expect(edit?.mutation.base).toEqual(all(HLC))
    const stamp = edit?.mutation.hlc as string
    expect(await stored()).toEqual({ versions: { notes: stamp }, version: HLC })
    expect(await versionsNow()).toEqual({ ...all(HLC), notes: stamp })
  })

  it('is the base of a row written again whole (removed and inserted anew)', async () => {
    await db.pg.exec(`DELETE FROM clients WHERE id = '${clientId}'`)
    await db.pg.exec(`INSERT INTO clients (id, name) VALUES ('${clientId}', 'Anew')`)
    const [insert] = await readOutbox(db.pg, 10)
    expect(insert?.mutation.base).toEqual(all(HLC))
  })

  it('merges a pulled change field by field against it', async () => {
    await stagePull(
      db.pg,
      [
        {
          seq: 7,
          table: 'clients',
          rowId: clientId,
          values: { name: 'Older name', phone: '+15550100' },
          versions: { name: older, phone: newer },
        },
      ],
      7,
    )
    expect((await applyInbox(db.pg)).failed).toBe(0)
    const { rows } = await db.pg.query<{ name: string; phone: string }>(
      'SELECT name, phone FROM clients WHERE id = $1',
      [clientId],
    )
    expect(rows[0]).toEqual({ name: 'Client 1', phone: '+15550100' })
    expect(await versionsNow()).toEqual({ ...all(HLC), phone: newer })
  })

  it('puts a refused field back with the server version, the others kept', async () => {
    await db.pg.exec(`UPDATE clients SET notes = 'mine' WHERE id = '${clientId}'`)
    const entries = await readOutbox(db.pg, 10)
    const [edit] = entries
    await settleOutbox(db.pg, entries, [
      {
        id: edit?.mutation.id as string,
        status: 'rejected',
        reason: 'test',
        current: { values: { notes: 'theirs' }, versions: { notes: newer } },
      },
    ])
    expect(await versionsNow()).toEqual({ ...all(HLC), notes: newer })
  })

  it('is sent whole, with its versions, when the laptop sends everything again', async () => {
    await enqueueRows(db.pg, 'all')
    const entries = await readOutbox(db.pg, 100)
    const sent = entries.find((e) => e.mutation.rowId === clientId)
    expect(sent?.mutation.versions).toEqual(all(HLC))
    expect(sent?.mutation.base).toEqual(all(HLC))
  })
})

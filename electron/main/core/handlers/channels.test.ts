import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS, type Channel } from '../../../../shared/contract'
import { leaks } from '../../../../shared/contract/plain-words.test-support'
import { UUID_PATTERN } from '../../../../shared/domain/ids'
import { closeCore, openCore } from '../app-core'
import type { AppContext } from '../context'
import { dispatch } from '../dispatch'
import { sourceResources } from '../paths'
import { buildFixture, type Fixture, snapshot, TEST_PIN } from '../test/fixture'
import { call, tempDir } from '../test/helpers'
import { validInputs } from './valid-inputs'

/**
 * Every channel, with its bad inputs: wrong types, unknown fields, out-of-range numbers,
 * bad dates and unknown ids. Each gives its typed error and changes nothing.
 */
const UNKNOWN_ID = '0190a0a0-0000-7000-8000-00000000dead'
const ISO = /^\d{4}-\d{2}-\d{2}T/
const DAY = /^\d{4}-\d{2}-\d{2}$/

let ctx: AppContext
let f: Fixture
// A data folder on disk, so that backups and restores are real too.
const dir = tempDir()
beforeAll(async () => {
  ctx = await openCore({
    dataDir: dir.path,
    resources: sourceResources(),
    version: 'test',
    durability: 'os',
  })
  f = await buildFixture(ctx)
})
afterAll(async () => {
  await closeCore(ctx)
  dir.cleanup()
})

async function newAppointment(): Promise<string> {
  // A PIN check costs a scrypt hash: switch only when a test left someone else signed in.
  const signedIn =
    ctx.session.userId === f.admin.id && (await call(ctx, 'session.touch', {})).active
  if (!signedIn) await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
  const { appointment } = await call(ctx, 'appointments.create', {
    clientId: f.smith.id,
    serviceId: f.mowing.id,
    scheduledAt: '2026-09-01T15:00:00Z',
    acceptConflict: true,
  })
  return appointment.id
}

/** A visit still to come of a new weekly series (its channels act on a series' visit). */
async function seriesVisit(): Promise<string> {
  // A client of its own: channels tested before may have removed the fixture's.
  const client = await call(ctx, 'clients.create', { name: `Series client ${Date.now()}` })
  const { series } = await call(ctx, 'series.create', {
    clientId: client.id,
    serviceId: f.mowing.id,
    rule: { kind: 'weekly', weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] },
    startsOn: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
    startTime: '08:00',
  })
  const { rows } = await ctx.db.pg.query<{ id: string }>(
    `SELECT a.id FROM appointments a JOIN series s ON s.id = a.series_id
     WHERE s.root_id = $1 AND a.deleted_at IS NULL ORDER BY a.series_occurrence LIMIT 1`,
    [series.rootId],
  )
  return rows[0]?.id as string
}

/** The name of data a restore replaced: a backup restored over the data. */
async function replacedData(): Promise<string> {
  const { file } = await call(ctx, 'data.backup', {})
  return (await call(ctx, 'data.restore', { file })).previousDataKept
}

/** A message that failed for good, as the office finds it to retry. */
async function deadMessage(appointmentId: string): Promise<string> {
  const { rows } = await ctx.db.pg.query<{ id: string }>(
    `INSERT INTO notifications (id, kind, channel, client_id, appointment_id, due_at, status, attempts, reason)
     SELECT gen_random_uuid(), 'confirmation', 'email', client_id, id, now(), 'dead', 5, 'refused'
     FROM appointments WHERE id = $1 RETURNING id`,
    [appointmentId],
  )
  return rows[0]?.id as string
}

/** Channels that succeed only against a sync server: covered by the sync tests. */
const NEEDS_SERVER = new Set<Channel>([
  'sync.configure',
  'sync.pause',
  'sync.now',
  'sync.conflicts',
  'sync.resolve',
])

/** The field the contract names in its refusal, where a case checks it is the contract's. */
type Case = [label: string, input: unknown, codes: string[], path?: string]

function badInputs(channel: Channel, valid: Record<string, unknown>): Case[] {
  const cases: Case[] = [
    ['a number instead of an object', 42, ['VALIDATION']],
    ['an array instead of an object', [valid], ['VALIDATION']],
    ['an unknown field', { ...valid, unexpected: 1 }, ['VALIDATION']],
  ]
  // Sync channels look ids up on the server, which these tests do not run; a backup
  // upload's id is new by design (the screen makes one for each file it sends).
  const lookup = !/\.list$|calendar\.range|^sync\.|^data\.backupAdd$/.test(channel)
  for (const [key, value] of Object.entries(valid)) {
    const at = (v: unknown) => ({ ...valid, [key]: v })
    if (typeof value === 'string' && UUID_PATTERN.test(value)) {
      cases.push([`${key} not an id`, at('not-an-id'), ['VALIDATION']])
      if (lookup) cases.push([`${key} unknown`, at(UNKNOWN_ID), ['NOT_FOUND']])
    } else if (typeof value === 'string' && ISO.test(value)) {
      cases.push([`${key} an impossible date`, at('2026-02-30T10:00:00Z'), ['VALIDATION']])
      cases.push([`${key} not a date`, at('next tuesday'), ['VALIDATION']])
      cases.push([`${key} without a zone`, at('2026-05-01T10:00:00'), ['VALIDATION']])
    } else if (typeof value === 'string' && DAY.test(value)) {
      // Every day a channel takes is one a job can be on: plans and sheets add days to it.
      cases.push([`${key} a day no job can be on`, at('9999-12-31'), ['VALIDATION'], key])
      cases.push([`${key} an impossible day`, at('2026-02-30'), ['VALIDATION'], key])
    } else if (typeof value === 'number') {
      cases.push([`${key} far too small`, at(-1e9), ['VALIDATION']])
      cases.push([`${key} far too large`, at(1e12), ['VALIDATION']])
      cases.push([`${key} as text`, at(String(value)), ['VALIDATION']])
    } else if (typeof value === 'boolean') {
      cases.push([`${key} as text`, at('yes'), ['VALIDATION']])
    } else if (typeof value === 'string') {
      cases.push([`${key} as a number`, at(7), ['VALIDATION']])
      // A piece of a backup file is megabytes of base64 by design: past its limit instead.
      const tooLong = channel === 'data.backupAdd' ? 'A'.repeat(6 * 2 ** 20) : 'x'.repeat(20_000)
      cases.push([`${key} far too long`, at(tooLong), ['VALIDATION']])
      // Refused by the contract, the field named: not left to the database to fail.
      cases.push([`${key} with a NUL byte`, at(`${value}\u0000`), ['VALIDATION'], key])
    } else if (Array.isArray(value)) {
      cases.push([`${key} not a list`, at('nope'), ['VALIDATION']])
      // A list of records (moves) refuses a bare id as a record.
      const records = typeof value[0] === 'object' && value[0] !== null
      cases.push([
        `${key} with an unknown id`,
        at([UNKNOWN_ID]),
        records ? ['VALIDATION'] : lookup ? ['NOT_FOUND'] : [],
      ])
    }
  }
  return cases.filter(([, , codes]) => codes.length > 0)
}

describe.each(CHANNELS.map((c) => [c]))('%s', (channel) => {
  it('refuses bad input with a typed error and changes nothing', async () => {
    const appointmentId = await newAppointment()
    const valid = validInputs[channel](f, appointmentId) as Record<string, unknown>
    for (const [label, input, codes, path] of badInputs(channel, valid)) {
      const before = await snapshot(ctx)
      const result = await dispatch(ctx, channel, input)
      expect(result.ok, `${channel}: ${label} should fail`).toBe(false)
      if (!result.ok) {
        expect(codes, `${channel}: ${label} -> ${result.error.code}`).toContain(result.error.code)
        if (path)
          expect(
            result.error.issues?.map((i) => i.path),
            `${channel}: ${label}`,
          ).toContain(path)
        // What a person may read: no ids, instants, internal values or zod defaults.
        const issues = (result.error.issues ?? []).filter((i) => i.path !== 'conflictsWith')
        const texts = [result.error.message, ...issues.map((i) => i.message)]
        expect(texts.flatMap(leaks), `${channel}: ${label}`).toEqual([])
      }
      expect(await snapshot(ctx), `${channel}: ${label} changed data`).toBe(before)
    }
  })

  it.skipIf(NEEDS_SERVER.has(channel))('accepts its valid input', async () => {
    const appointmentId = await newAppointment()
    const input =
      channel === 'data.restore' || channel === 'data.backupRead' || channel === 'data.deleteBackup'
        ? { file: (await call(ctx, 'data.backup', {})).file }
        : channel === 'notifications.retry' || channel === 'notifications.draft'
          ? { id: await deadMessage(appointmentId) }
          : channel === 'data.putBack'
            ? { name: await replacedData() }
            : channel === 'session.removeUser'
              ? {
                  id: (
                    await call(ctx, 'session.createUser', {
                      name: `Temp ${appointmentId.slice(-6)}`,
                      role: 'crew_lead',
                      teamMemberId: f.ana.id,
                    })
                  ).user.id,
                }
              : /^series\.(get|update|skip|end)$/.test(channel)
                ? validInputs[channel](f, await seriesVisit())
                : validInputs[channel](f, appointmentId)
    const result = await dispatch(ctx, channel, input)
    expect(result.ok ? 'ok' : result.error).toBe('ok')
  })
})

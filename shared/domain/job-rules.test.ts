import { describe, expect, it } from 'vitest'
import { checkJobWrite, type JobWrite } from './job-rules'
import { mayWriteTable } from './permissions'

const CREW = 'crew-a'
const lead = { role: 'crew_lead', teamMemberId: CREW }
const office = { role: 'office_manager', teamMemberId: null }
const NOW = Date.UTC(2027, 3, 2, 15, 0)
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString()

const job = (extra: Record<string, unknown> = {}) => ({
  client_id: 'client-1',
  service_id: 'service-1',
  team_member_id: CREW,
  scheduled_at: '2027-04-02T15:00:00Z',
  duration_minutes: 60,
  status: 'scheduled',
  notes: '',
  price: '55.00',
  follow_up_of_id: null,
  started_at: null,
  completed_at: null,
  deleted_at: null,
  // A new row carries every column, these at their defaults, as the outbox captures it.
  series_id: null,
  series_occurrence: null,
  series_exception: false,
  ...extra,
})

const check = (w: Partial<JobWrite> & Pick<JobWrite, 'fields'>) =>
  checkJobWrite({ writer: lead, before: job(), atMs: NOW, ...w })

describe('status changes', () => {
  it('lets a crew lead start and complete their job, stamped with the moment of the change', () => {
    expect(check({ fields: { status: 'in_progress', started_at: at(0) } })).toBeNull()
    const started = job({ status: 'in_progress', started_at: at(-60) })
    expect(
      check({ before: started, fields: { status: 'completed', completed_at: at(1) } }),
    ).toBeNull()
  })

  it('judges each time by when its own column was written, for a write carrying versions', () => {
    // Started at 8:00 and completed at 11:00, sent again as one write after a restore.
    const sentAgain = {
      fields: { status: 'completed', started_at: at(-180), completed_at: at(0) },
      writtenAt: (f: string) => (f === 'started_at' ? NOW - 180 * 60_000 : NOW),
    }
    expect(check(sentAgain)).toBeNull()
    expect(check({ ...sentAgain, writtenAt: () => NOW })).toMatchObject({ field: 'started_at' })
    // Times the server keeps with their status (its versions are newer) are not judged:
    // the write changes nothing. With the status taking effect, they are.
    const kept = { fields: { status: 'completed', started_at: at(-180), completed_at: at(0) } }
    expect(check(kept)).toMatchObject({ field: 'started_at' })
    expect(check({ ...kept, effective: (f) => f === 'completed_at' })).toBeNull()
    expect(check({ ...kept, effective: (f) => f !== 'started_at' })).toMatchObject({
      field: 'started_at',
    })
  })

  it('refuses a time dated by its own version before the stored status was written', () => {
    // Started two hours ago as the server knows it; a completion claimed before that.
    const started = job({ status: 'in_progress', started_at: at(-120) })
    const backdated = {
      before: started,
      fields: { status: 'completed', completed_at: at(-170) },
      writtenAt: (f: string) => (f === 'completed_at' ? NOW - 170 * 60_000 : NOW),
      statusWrittenMs: NOW - 120 * 60_000,
    }
    expect(check(backdated)).toMatchObject({ code: 'FORBIDDEN', field: 'completed_at' })
    // Sent again to a server restored from before the start: its status is older.
    expect(check({ ...backdated, statusWrittenMs: NOW - 24 * 60 * 60_000 })).toBeNull()
  })

  it('refuses a crew lead reopening a completed job, and any role an impossible move', () => {
    const done = job({ status: 'completed', completed_at: at(-5) })
    const reopen = { status: 'scheduled', started_at: null, completed_at: null }
    expect(check({ before: done, fields: reopen })).toMatchObject({
      code: 'CONFLICT',
      field: 'status',
    })
    expect(checkJobWrite({ writer: office, before: done, fields: reopen, atMs: NOW })).toBeNull()
    expect(
      checkJobWrite({ writer: office, before: done, fields: { status: 'in_progress' }, atMs: NOW }),
    ).toMatchObject({ code: 'CONFLICT' })
  })

  it('does not judge a status the merge drops for an older one', () => {
    const cancelled = job({ status: 'cancelled' })
    const fields = { status: 'completed', completed_at: at(0), notes: 'done, gate shut' }
    expect(check({ before: cancelled, fields })).toMatchObject({ code: 'CONFLICT' })
    expect(check({ before: cancelled, fields, effective: (f) => f !== 'status' })).toBeNull()
  })

  it('refuses starting a started job again, which would only move its start time', () => {
    const started = job({ status: 'in_progress', started_at: at(-30) })
    expect(
      check({ before: started, fields: { status: 'in_progress', started_at: at(0) } }),
    ).toMatchObject({ code: 'CONFLICT', field: 'status' })
    // As the server receives it: the unchanged status is not in the write at all.
    expect(check({ before: started, fields: { started_at: at(0) } })).toMatchObject({
      field: 'started_at',
    })
  })

  it('refuses start and completion times at another moment or without a status change', () => {
    expect(check({ fields: { status: 'in_progress', started_at: at(-600) } })).toMatchObject({
      code: 'FORBIDDEN',
      field: 'started_at',
    })
    expect(check({ fields: { started_at: at(0) } })).toMatchObject({ field: 'started_at' })
    expect(check({ fields: { status: 'cancelled', completed_at: at(0) } })).toMatchObject({
      field: 'completed_at',
    })
    expect(
      checkJobWrite({ writer: office, before: job(), fields: { completed_at: at(0) }, atMs: NOW }),
    ).toMatchObject({ field: 'completed_at' })
  })
})

describe('what a crew lead may change', () => {
  it('changes status and notes of their own crew’s jobs only', () => {
    expect(check({ fields: { notes: 'gate code 1234' } })).toBeNull()
    expect(check({ fields: { price: '1.00' } })).toMatchObject({
      code: 'FORBIDDEN',
      field: 'price',
    })
    expect(check({ fields: { scheduled_at: '2027-04-03T15:00:00Z' } })).toMatchObject({
      field: 'scheduled_at',
    })
    expect(check({ fields: { deleted_at: at(0) } })).toMatchObject({ field: 'deleted_at' })
    expect(
      check({ before: job({ team_member_id: 'crew-b' }), fields: { notes: 'x' } }),
    ).toMatchObject({ code: 'FORBIDDEN' })
    expect(
      checkJobWrite({ writer: office, before: job(), fields: { price: '1' }, atMs: NOW }),
    ).toBeNull()
  })

  it('deletes a follow-up of their crew still booked (the Undo of booking it), nothing more', () => {
    const followUp = job({ follow_up_of_id: 'original-1' })
    expect(check({ before: followUp, fields: { deleted_at: at(0) } })).toBeNull()
    // Not with anything else written, not once started, not another crew's, not a restore.
    expect(check({ before: followUp, fields: { deleted_at: at(0), notes: 'x' } })).toMatchObject({
      code: 'FORBIDDEN',
      field: 'deleted_at',
    })
    expect(
      check({
        before: job({ follow_up_of_id: 'original-1', status: 'in_progress', started_at: at(-5) }),
        fields: { deleted_at: at(0) },
      }),
    ).toMatchObject({ code: 'FORBIDDEN', field: 'deleted_at' })
    expect(
      check({
        before: job({ follow_up_of_id: 'original-1', team_member_id: 'crew-b' }),
        fields: { deleted_at: at(0) },
      }),
    ).toMatchObject({ code: 'FORBIDDEN' })
    expect(
      check({
        before: job({ follow_up_of_id: 'original-1', deleted_at: at(-1) }),
        fields: { deleted_at: null },
      }),
    ).toMatchObject({ code: 'FORBIDDEN', field: 'deleted_at' })
  })

  it('does not count values written as they already are', () => {
    const unchanged = { price: '55.00', scheduled_at: '2027-04-02T15:00:00.000+00:00' }
    expect(check({ fields: unchanged })).toBeNull()
  })

  it('keeps finished jobs in place until they are reopened', () => {
    const done = job({ status: 'completed' })
    expect(
      checkJobWrite({
        writer: office,
        before: done,
        fields: { scheduled_at: '2027-04-05T15:00:00Z' },
        atMs: NOW,
      }),
    ).toMatchObject({ code: 'CONFLICT', field: 'scheduled_at' })
  })

  it('writes only appointments among the synced tables', () => {
    expect(mayWriteTable('crew_lead', 'appointments')).toBe(true)
    for (const table of ['clients', 'services', 'products', 'team_members', 'nope']) {
      expect(mayWriteTable('crew_lead', table)).toBe(false)
    }
    expect(mayWriteTable('office_manager', 'services')).toBe(true)
    expect(mayWriteTable('admin', 'constructor')).toBe(false)
  })
})

describe('writes made without seeing the current status', () => {
  const done = job({ status: 'completed', completed_at: at(-5) })
  const move = { scheduled_at: '2027-04-05T15:00:00Z' }
  const office = { role: 'office_manager', teamMemberId: null }

  it('lets the office’s offline move merge with a completion it had not seen', () => {
    const write = { writer: office, before: done, fields: move, atMs: NOW }
    expect(checkJobWrite(write)).toMatchObject({ code: 'CONFLICT' })
    expect(checkJobWrite({ ...write, sawStatus: false })).toBeNull()
  })

  it('lets two offline completions of one job both stand', () => {
    const complete = { status: 'completed', completed_at: at(0), started_at: at(0) }
    const write = { writer: office, before: done, fields: complete, atMs: NOW }
    expect(checkJobWrite(write)).toMatchObject({ code: 'CONFLICT', field: 'status' })
    expect(checkJobWrite({ ...write, sawStatus: false })).toBeNull()
  })

  it('still holds a crew lead to their rights', () => {
    const reopen = { status: 'scheduled', started_at: null, completed_at: null }
    expect(check({ before: done, fields: reopen, sawStatus: false })).toMatchObject({
      code: 'CONFLICT',
      field: 'status',
    })
  })

  it('does not trip over a stored row that never got a status', () => {
    const partial = { notes: 'only notes arrived', team_member_id: CREW }
    expect(
      check({ before: partial, fields: { status: 'in_progress', started_at: at(0) } }),
    ).toBeNull()
  })

  it('refuses a new job without what a row must hold, whoever books it', () => {
    expect(
      checkJobWrite({ writer: office, before: null, fields: { notes: 'x' }, atMs: NOW }),
    ).toMatchObject({ code: 'VALIDATION', field: 'client_id' })
  })
})

describe('a crew lead’s follow-up', () => {
  const original = job()
  const service = { basePrice: '55.00', active: true }
  const followUp = (extra: Record<string, unknown> = {}) => ({
    ...job({ follow_up_of_id: 'job-1', scheduled_at: '2027-04-09T15:00:00Z' }),
    ...extra,
  })
  const create = (fields: Record<string, unknown>, more: Partial<JobWrite> = {}) =>
    check({ before: null, fields, original, service, ...more })

  it('books the original’s client for the crew at the service’s base price', () => {
    expect(create(followUp())).toBeNull()
    expect(create(followUp({ price: '55' }))).toBeNull()
  })

  it('is booked ahead of the moment it is booked', () => {
    const past = followUp({ scheduled_at: at(-60 * 24) })
    expect(create(past)).toMatchObject({ code: 'VALIDATION', field: 'scheduled_at' })
    // Sent again after a restore, it is judged by when it was booked.
    expect(create(past, { writtenAt: () => NOW - 60 * 24 * 60_000 - 60_000 })).toBeNull()
  })

  it('is at the place of the visit it follows', () => {
    const at7 = { original: job({ location: 'Plot 7' }) }
    expect(create(followUp({ location: 'Plot 7' }), at7)).toBeNull()
    expect(create(followUp({ location: 'Plot 9' }), at7)).toMatchObject({ field: 'location' })
    expect(create(followUp(), at7)).toMatchObject({ field: 'location' })
    expect(create(followUp({ location: 'Plot 7' }))).toMatchObject({ field: 'location' })
  })

  it('refuses anything else a new job could carry', () => {
    expect(create(followUp({ follow_up_of_id: null }))).toMatchObject({ code: 'FORBIDDEN' })
    expect(create(followUp({ price: '1.00' }))).toMatchObject({ field: 'price' })
    expect(create(followUp({ client_id: 'client-2' }))).toMatchObject({ field: 'client_id' })
    expect(create(followUp({ team_member_id: 'crew-b' }))).toMatchObject({
      field: 'team_member_id',
    })
    expect(create(followUp({ status: 'completed' }))).toMatchObject({ field: 'status' })
    expect(create(followUp({ started_at: at(0) }))).toMatchObject({ field: 'started_at' })
    expect(create(followUp({ deleted_at: at(0) }))).toMatchObject({ field: 'deleted_at' })
    expect(create(followUp({ series_id: 'series-1' }))).toMatchObject({ field: 'series_id' })
    expect(create(followUp({ series_exception: true }))).toMatchObject({
      field: 'series_exception',
    })
    expect(create(followUp(), { original: null })).toMatchObject({ code: 'NOT_FOUND' })
    expect(create(followUp(), { original: job({ team_member_id: 'crew-b' }) })).toMatchObject({
      field: 'follow_up_of_id',
    })
    expect(create(followUp(), { service: null })).toMatchObject({ field: 'service_id' })
    expect(create(followUp(), { service: { ...service, active: false } })).toMatchObject({
      field: 'service_id',
    })
  })

  it('lets office staff book any new job', () => {
    expect(
      checkJobWrite({
        writer: office,
        before: null,
        fields: job({
          status: 'completed',
          price: '1.00',
          started_at: at(-90),
          completed_at: at(-30),
        }),
        atMs: NOW,
      }),
    ).toBeNull()
  })
})

describe('a new job’s times', () => {
  const book = (extra: Record<string, unknown>) =>
    checkJobWrite({ writer: office, before: null, fields: job(extra), atMs: NOW })

  it('agree with its status', () => {
    expect(book({ status: 'in_progress', started_at: at(-10) })).toBeNull()
    expect(book({ status: 'cancelled', started_at: at(-10) })).toBeNull()
    expect(book({ status: 'in_progress' })).toMatchObject({ field: 'started_at' })
    expect(book({ status: 'completed', started_at: at(-10) })).toMatchObject({
      field: 'completed_at',
    })
    expect(book({ started_at: at(-10) })).toMatchObject({ field: 'started_at' })
    expect(book({ status: 'cancelled', completed_at: at(-10) })).toMatchObject({
      field: 'completed_at',
    })
    expect(book({ status: 'completed', started_at: at(-10), completed_at: at(-20) })).toMatchObject(
      { field: 'completed_at' },
    )
    expect(book({ status: 'in_progress', started_at: 'soon' })).toMatchObject({
      code: 'VALIDATION',
      field: 'started_at',
    })
  })
})

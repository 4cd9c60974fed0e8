import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encode } from './hlc'
import {
  type BaseVersions,
  clockOf,
  derivedVersion,
  emptyRow,
  type FieldWrite,
  isDeleted,
  mergeWrite,
  metVersion,
  type RowState,
} from './merge'

const at = (ms: number, node = 'a', counter = 0) => encode({ ms, counter, node })
/** Whether a write meets an unseen deletion (or an unseen edit, for a deletion). */
const editMeetsDelete = (before: RowState, write: FieldWrite, base?: BaseVersions) =>
  metVersion(before, write, base) !== null

describe('per-field last writer wins', () => {
  it('keeps both a status change and a time change made on different laptops', () => {
    const created = mergeWrite(emptyRow(), {
      hlc: at(1),
      fields: { status: 'scheduled', scheduled_at: '2027-03-02T15:00:00Z' },
    }).row
    const crew = { hlc: at(5, 'crew'), fields: { status: 'completed' } }
    const office = { hlc: at(4, 'office'), fields: { scheduled_at: '2027-03-03T15:00:00Z' } }
    const one = mergeWrite(mergeWrite(created, crew).row, office).row
    const two = mergeWrite(mergeWrite(created, office).row, crew).row
    expect(one.values).toEqual({ status: 'completed', scheduled_at: '2027-03-03T15:00:00Z' })
    expect(two).toEqual(one)
  })

  it('lets the later write of one field win, and ignores a write seen twice', () => {
    const row = mergeWrite(emptyRow(), { hlc: at(2), fields: { notes: 'new' } }).row
    const stale = mergeWrite(row, { hlc: at(1, 'b'), fields: { notes: 'old' } })
    expect(stale.changed).toEqual([])
    expect(stale.row.values.notes).toBe('new')
    expect(mergeWrite(row, { hlc: at(2), fields: { notes: 'new' } }).changed).toEqual([])
  })

  it('merges a row sent again whole field by field, each with the version it carries', () => {
    // Here: notes written later than the price; a row sent again carries both versions.
    const resent: FieldWrite = {
      hlc: at(9),
      fields: { notes: 'gate code', price: '50.00' },
      versions: { notes: at(9), price: at(3) },
    }
    // The server had a later price from another laptop and an older note.
    const there = mergeWrite(emptyRow(), {
      hlc: at(6, 'b'),
      fields: { notes: 'old', price: '70.00' },
    }).row
    const merged = mergeWrite(there, resent)
    expect(merged.changed).toEqual(['notes'])
    expect(merged.row.values).toEqual({ notes: 'gate code', price: '70.00' })
    expect(merged.row.versions).toEqual({ notes: at(9), price: at(6, 'b') })
    // On an empty server the row lands with the versions it had, not one for all.
    expect(mergeWrite(emptyRow(), resent).row.versions).toEqual(resent.versions)
  })

  it('reports an edit that meets a deletion', () => {
    const row = mergeWrite(emptyRow(), { hlc: at(1), fields: { notes: '', deleted_at: null } }).row
    const deleted = mergeWrite(row, {
      hlc: at(3, 'b'),
      fields: { deleted_at: '2027-01-01T00:00:00Z' },
    }).row
    expect(editMeetsDelete(deleted, { hlc: at(2, 'c'), fields: { notes: 'edited offline' } })).toBe(
      true,
    )
    const edited = mergeWrite(row, { hlc: at(5, 'c'), fields: { notes: 'edited' } }).row
    expect(
      editMeetsDelete(edited, { hlc: at(4, 'b'), fields: { deleted_at: '2027-01-01T00:00:00Z' } }),
    ).toBe(true)
    expect(editMeetsDelete(row, { hlc: at(4, 'b'), fields: { notes: 'fine' } })).toBe(false)
  })
})

describe('writes the app derives from a series (marked versions)', () => {
  /** A write of the series' own: each field's version marked. */
  const derived = (hlc: string, fields: FieldWrite['fields']): FieldWrite => ({
    hlc,
    fields,
    versions: Object.fromEntries(Object.keys(fields).map((f) => [f, derivedVersion(hlc)])),
  })
  const booked = mergeWrite(emptyRow(), derived(at(1), { scheduled_at: '08:30', notes: '' })).row

  it("lose to a person's write of the field whatever the clocks, in either order", () => {
    const moved = { hlc: at(5, 'b'), fields: { scheduled_at: '14:00', series_exception: true } }
    const seriesEdit = derived(at(9), { scheduled_at: '10:00', notes: 'gate' })
    const one = mergeWrite(mergeWrite(booked, moved).row, seriesEdit).row
    const two = mergeWrite(mergeWrite(booked, seriesEdit).row, moved).row
    expect(two).toEqual(one)
    // The move stands; the note, which the person did not write, follows the series.
    expect(one.values).toEqual({ scheduled_at: '14:00', notes: 'gate', series_exception: true })
    expect(one.versions.scheduled_at).toBe(at(5, 'b'))
  })

  it("settle among themselves by their clocks, as people's writes do", () => {
    const earlier = derived(at(3), { scheduled_at: '09:00' })
    const later = derived(at(4, 'b'), { scheduled_at: '10:00' })
    for (const order of [
      [earlier, later],
      [later, earlier],
    ]) {
      const row = order.reduce((r, w) => mergeWrite(r, w).row, booked)
      expect(row.values.scheduled_at).toBe('10:00')
      expect(clockOf(row.versions.scheduled_at as string)).toBe(at(4, 'b'))
    }
  })

  it('report a meeting with a deletion by its clock value, when a person has to decide', () => {
    const deleted = mergeWrite(booked, {
      hlc: at(5, 'b'),
      fields: { deleted_at: 'now', series_exception: true },
    }).row
    const removed = mergeWrite(booked, derived(at(6), { deleted_at: 'now' })).row
    expect(metVersion(removed, { hlc: at(7, 'b'), fields: { notes: 'x' } }, {})).toBe(at(6))
    // The series' removal meeting a person's unseen edit is reported.
    const noted = mergeWrite(booked, { hlc: at(7, 'b'), fields: { notes: 'gate' } }).row
    const seen = { ...booked.versions }
    expect(metVersion(noted, derived(at(9), { deleted_at: 'now' }), seen)).toBe(at(7, 'b'))
    // The series' edits meet no person's deletion, in either order: the deletion stands.
    expect(metVersion(deleted, derived(at(8), { notes: 'x' }), seen)).toBeNull()
    const edited = mergeWrite(booked, derived(at(8), { notes: 'x' })).row
    expect(
      metVersion(
        edited,
        { hlc: at(9, 'b'), fields: { deleted_at: 'now', series_exception: true } },
        seen,
      ),
    ).toBeNull()
  })
})

describe('edit meets deletion, judged by what the writer had seen (base)', () => {
  const DELETE = { deleted_at: '2027-01-01T00:00:00Z' }
  const created = mergeWrite(emptyRow(), {
    hlc: at(1),
    fields: { name: 'Oak Lane', notes: '', deleted_at: null },
  }).row
  const seenAtCreation = { ...created.versions }

  it('flags a deletion that had not seen an edit, naming the newest unseen edit', () => {
    const edited = mergeWrite(created, { hlc: at(5, 'c'), fields: { notes: 'gate code 12' } }).row
    const twice = mergeWrite(edited, { hlc: at(6, 'd'), fields: { name: 'Oak Ln' } }).row
    // The deletion's clock is later than both edits: clocks alone would call this fine.
    const del = { hlc: at(9, 'b'), fields: DELETE }
    expect(editMeetsDelete(twice, del)).toBe(false)
    expect(editMeetsDelete(twice, del, seenAtCreation)).toBe(true)
    expect(metVersion(twice, del, seenAtCreation)).toBe(at(6, 'd'))
    expect(metVersion(twice, del, { ...seenAtCreation, name: at(6, 'd') })).toBe(at(5, 'c'))
    expect(editMeetsDelete(twice, del, { ...twice.versions })).toBe(false)
  })

  it('flags an edit that had not seen the deletion, naming the deletion', () => {
    const deleted = mergeWrite(created, { hlc: at(3, 'b'), fields: DELETE }).row
    const edit = { hlc: at(7, 'c'), fields: { notes: 'edited offline' } }
    expect(metVersion(deleted, edit, seenAtCreation)).toBe(at(3, 'b'))
    // An edit made after the device saw the deletion is deliberate, not a conflict.
    expect(editMeetsDelete(deleted, edit, { ...deleted.versions })).toBe(false)
  })

  it('never flags a restore, with or without a base', () => {
    const deleted = mergeWrite(created, { hlc: at(3, 'b'), fields: DELETE }).row
    const restore = { hlc: at(7, 'c'), fields: { deleted_at: null, notes: 'back again' } }
    expect(editMeetsDelete(deleted, restore, seenAtCreation)).toBe(false)
    expect(editMeetsDelete(deleted, restore, {})).toBe(false)
    expect(editMeetsDelete(deleted, restore)).toBe(false)
  })

  it('does not flag edits of a live row or a deletion of a deleted one', () => {
    const edit = { hlc: at(7, 'c'), fields: { notes: 'fine' } }
    expect(editMeetsDelete(created, edit, {})).toBe(false)
    const deleted = mergeWrite(created, { hlc: at(3, 'b'), fields: DELETE }).row
    expect(editMeetsDelete(deleted, { hlc: at(8, 'c'), fields: DELETE }, {})).toBe(false)
  })

  const field = fc.constantFrom('status', 'notes', 'scheduled_at', 'deleted_at')
  const value = fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null))
  const writeArb: fc.Arbitrary<FieldWrite> = fc.record({
    hlc: fc
      .integer({ min: 0, max: 50 })
      .chain((ms) => fc.constantFrom('a', 'b', 'c').map((node) => at(ms, node))),
    fields: fc.dictionary(field, value, { minKeys: 1 }),
  })
  const history = fc.uniqueArray(writeArb, { selector: (w) => w.hlc, maxLength: 10 })
  const state = (ws: FieldWrite[]) => ws.reduce((row, w) => mergeWrite(row, w).row, emptyRow())

  it('never flags a writer that had seen every version of the row', () => {
    fc.assert(
      fc.property(history, writeArb, (ws, w) => {
        const before = state(ws)
        expect(editMeetsDelete(before, w, { ...before.versions })).toBe(false)
      }),
    )
  })

  it('names, for a flagged write, a version of the other kind that the writer had not seen', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 10 }), writeArb, (ws, seen, w) => {
        const base = state(ws.slice(0, seen)).versions
        const before = state(ws)
        const other = metVersion(before, w, base)
        if (other === null) return
        // The other side is a version the writer had not seen, of the opposite kind.
        expect(Object.values(base)).not.toContain(other)
        expect(Object.values(before.versions)).toContain(other)
        const deleting = w.fields.deleted_at !== undefined && w.fields.deleted_at !== null
        expect(isDeleted(before)).toBe(!deleting)
        if (!deleting) expect(other).toBe(before.versions.deleted_at)
      }),
    )
  })
})

describe('convergence', () => {
  const field = fc.constantFrom('status', 'notes', 'scheduled_at', 'deleted_at')
  const write: fc.Arbitrary<FieldWrite> = fc
    .record({
      hlc: fc
        .tuple(
          fc.integer({ min: 0, max: 50 }),
          fc.integer({ min: 0, max: 3 }),
          fc.constantFrom('a', 'b', 'c'),
        )
        .map(([ms, counter, node]) => at(ms, node, counter)),
      fields: fc.dictionary(field, fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null)), {
        minKeys: 1,
      }),
      // Some writes are the series' own: their versions marked.
      derived: fc.boolean(),
    })
    .map(
      ({ derived, ...w }): FieldWrite =>
        derived
          ? {
              ...w,
              versions: Object.fromEntries(
                Object.keys(w.fields).map((f) => [f, derivedVersion(w.hlc)]),
              ),
            }
          : w,
    )
  // Each (hlc) identifies one write: different writes never share a clock value.
  const writes = fc.uniqueArray(write, { selector: (w) => w.hlc, maxLength: 12 })

  const apply = (ws: FieldWrite[]) => ws.reduce((row, w) => mergeWrite(row, w).row, emptyRow())

  it('gives the same row whatever order the writes arrive in, and however often', () => {
    const orders = writes.chain((ws) =>
      fc.tuple(
        fc.constant(ws),
        fc.shuffledSubarray(ws, { minLength: ws.length, maxLength: ws.length }),
      ),
    )
    fc.assert(
      fc.property(orders, ([ws, shuffled]) => {
        expect(apply([...shuffled, ...ws.slice(0, 3)])).toEqual(apply(ws))
      }),
    )
  })
})

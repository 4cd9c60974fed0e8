import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encode } from './hlc'
import {
  editMeetsDelete,
  emptyRow,
  type FieldWrite,
  mergeRows,
  mergeWrite,
  type RowState,
} from './merge'

const at = (ms: number, node = 'a', counter = 0) => encode({ ms, counter, node })

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

describe('convergence', () => {
  const field = fc.constantFrom('status', 'notes', 'scheduled_at', 'deleted_at')
  const write: fc.Arbitrary<FieldWrite> = fc.record({
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
  })
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

  it('gives the same row when devices merge each other’s states in any order', () => {
    fc.assert(
      fc.property(
        writes,
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (ws, i, j) => {
          const a: RowState = apply(ws.slice(0, i))
          const b: RowState = apply(ws.slice(i))
          const c: RowState = apply(ws.slice(j))
          expect(mergeRows(mergeRows(a, b), c)).toEqual(mergeRows(c, mergeRows(b, a)))
          expect(mergeRows(a, b)).toEqual(apply(ws))
        },
      ),
    )
  })
})

import { describe, expect, it } from 'vitest'
import { emptyRow, mergeWrite, metVersion } from './merge'

const at = (ms: number) => `${String(ms).padStart(15, '0')}-00000-a`

/** Field names arrive from the wire: the merge treats inherited names as plain keys. */
describe('merging fields named like object machinery', () => {
  it('writes constructor, toString and __proto__ as ordinary fields', () => {
    const fields = JSON.parse('{"constructor":"x","toString":"y","__proto__":null}')
    const { row, changed } = mergeWrite(emptyRow(), { hlc: at(1), fields })
    expect(changed.sort()).toEqual(['__proto__', 'constructor', 'toString'])
    expect(Object.hasOwn(row.values, '__proto__')).toBe(true)
    expect(row.versions.constructor).toBe(at(1))
    // A later write still wins; an earlier one still loses.
    const later = mergeWrite(row, { hlc: at(2), fields: JSON.parse('{"constructor":"z"}') })
    expect(later.row.values.constructor).toBe('z')
    expect(mergeWrite(later.row, { hlc: at(0), fields: { toString: 'old' } }).changed).toEqual([])
  })

  it('reads a base only by its own keys', () => {
    const deleted = mergeWrite(emptyRow(), { hlc: at(5), fields: { deleted_at: 'then' } }).row
    const base = JSON.parse('{}') as Record<string, string>
    // Nothing seen of the deletion: an edit meets it (an inherited `deleted_at` would hide it).
    Object.setPrototypeOf(base, { deleted_at: at(9) })
    expect(metVersion(deleted, { hlc: at(6), fields: { name: 'n' } }, base)).toBe(at(5))
  })
})

import { describe, expect, it } from 'vitest'
import { hashPin, verifyPin } from './pin-hash'

describe('PIN hashes', () => {
  it('salt each hash and verify only the right PIN', async () => {
    const [a, b] = [await hashPin('2468'), await hashPin('2468')]
    expect(a).not.toBe(b)
    expect(a).not.toContain('2468')
    expect(await verifyPin('2468', a)).toBe(true)
    expect(await verifyPin('2469', a)).toBe(false)
    expect(await verifyPin('02468', b)).toBe(false)
  })

  it('match nothing when the stored value is damaged or asks for absurd costs', async () => {
    const good = await hashPin('1234')
    expect(await verifyPin('1234', good.replace(/\$[\w-]+$/, '$short'))).toBe(false)
    expect(await verifyPin('1234', good.replace('16384', String(2 ** 24)))).toBe(false)
    expect(await verifyPin('1234', '1234')).toBe(false)
  })
})

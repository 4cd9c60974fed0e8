import { describe, expect, it } from 'vitest'
import { amountOf, plural } from './words'

describe('plural', () => {
  it('writes one and many', () => {
    expect(plural(1, 'visit')).toBe('1 visit')
    expect(plural(1200, 'visit')).toBe('1,200 visits')
    expect(plural(2, 'series', 'series')).toBe('2 series')
  })
})

describe('amountOf', () => {
  it('writes a unit in the plural for any amount but one', () => {
    expect(amountOf('1', 'bag')).toBe('1 bag')
    expect(amountOf('2', 'bag')).toBe('2 bags')
    expect(amountOf('0.5', 'bag')).toBe('0.5 bags')
    expect(amountOf('4', 'box')).toBe('4 boxes')
    expect(amountOf('3', 'flats')).toBe('3 flats')
  })
  it('leaves abbreviations, units of several words and "each" as they are', () => {
    expect(amountOf('2.5', 'cu yd')).toBe('2.5 cu yd')
    expect(amountOf('3', 'lb')).toBe('3 lb')
    expect(amountOf('3', 'Gal')).toBe('3 Gal')
    expect(amountOf('3', 'sq. ft')).toBe('3 sq. ft')
    expect(amountOf('3', 'each')).toBe('3')
    expect(amountOf('3', '')).toBe('3')
  })
})

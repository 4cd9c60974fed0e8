import { describe, expect, it } from 'vitest'
import { durationLabel } from './duration'

describe('durations', () => {
  it('read as minutes under an hour, then as hours and minutes', () => {
    expect(durationLabel(45)).toBe('45 min')
    expect(durationLabel(60)).toBe('1 h')
    expect(durationLabel(90)).toBe('1 h 30 min')
    expect(durationLabel(480)).toBe('8 h')
    expect(durationLabel(0)).toBe('0 min')
  })
})

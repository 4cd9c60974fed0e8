import { describe, expect, it } from 'vitest'
import { parseEmailSettings, withoutPassword } from './email'

describe('the SMTP address', () => {
  it('is refused in words that never show its password', () => {
    const bad = 'smtp://office:Hunter2Secret@mail host:587'
    expect(() => parseEmailSettings(bad, 'office@greenway.example')).toThrow(
      'the SMTP address "smtp://office:***@mail host:587" is not a URL',
    )
    try {
      parseEmailSettings(bad, 'office@greenway.example')
    } catch (e) {
      expect((e as Error).message).not.toContain('Hunter2Secret')
    }
    expect(withoutPassword('smtps://mail.example:465')).toBe('smtps://mail.example:465')
    expect(withoutPassword('smtp://user@mail.example')).toBe('smtp://user@mail.example')
  })
})

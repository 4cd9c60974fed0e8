import { describe, expect, it } from 'vitest'
import { contract } from '.'
import { isPhoneNumber, phone } from './common'

describe('phone numbers', () => {
  it.each([
    '555-0101',
    '+1 (415) 555-0123',
    '020 7946 0958',
    '+44 20 7946 0958 ext. 12',
    '415.555.0123 x7',
    '555-0101 (cell)',
    '415\u2013555\u20130123',
    '+1 415 555 0123, ext: 12',
    '415 555 0123 / 415 555 0199',
    '1-800-FLOWERS',
  ])('take %j', (v) => expect(isPhoneNumber(v)).toBe(true))

  it.each(['abc', 'call me maybe', '12', '555-01', 'ask at the gate 12', 'FLOWERS'])(
    'refuse %j',
    (v) => expect(isPhoneNumber(v)).toBe(false),
  )

  it('leave blank as none, and say what a number looks like', () => {
    expect(phone.parse('  ')).toBeNull()
    expect(phone.safeParse('abc').error?.issues[0]?.message).toBe(
      'must be a phone number, such as +1 555 010 0199',
    )
  })

  it("hold for clients, the crew and the business's phone, and the business needs a name", () => {
    const refused = (channel: keyof typeof contract, input: unknown) =>
      contract[channel].input.safeParse(input).error?.issues.map((i) => i.path.join('.'))
    expect(refused('clients.create', { name: 'Ann', phone: 'call me maybe' })).toEqual(['phone'])
    expect(refused('team.create', { name: 'Ana', phone: 'x' })).toEqual(['phone'])
    expect(refused('notifications.updateSettings', { businessPhone: 'abc' })).toEqual([
      'businessPhone',
    ])
    expect(refused('notifications.updateSettings', { businessName: '   ' })).toEqual([
      'businessName',
    ])
  })
})

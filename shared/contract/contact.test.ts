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

  it('take a place on the map as both coordinates or neither', () => {
    const refused = (channel: 'clients.create' | 'clients.update', input: unknown) =>
      contract[channel].input
        .safeParse(input)
        .error?.issues.map((i) => [i.path.join('.'), i.message])
    expect(refused('clients.create', { name: 'Ann', latitude: 41.9 })).toEqual([
      ['longitude', 'is needed with the latitude (or leave both empty)'],
    ])
    expect(
      refused('clients.create', { name: 'Ann', latitude: 41.9, longitude: -87.6 }),
    ).toBeUndefined()
    expect(refused('clients.create', { name: 'Ann' })).toBeUndefined()
    const id = '01890000-0000-7000-8000-000000000000'
    expect(refused('clients.update', { id, latitude: null, longitude: -87.6 })).toEqual([
      ['latitude', 'is needed with the longitude (or leave both empty)'],
    ])
  })

  it('refuse a business that works no day, saying so on its days', () => {
    const hours = (days: number[]) =>
      contract['settings.update'].input
        .safeParse({
          workingHours: { start: '07:00', end: '18:00', days },
        })
        .error?.issues.map((i) => [i.path.join('.'), i.message])
    expect(hours([])).toEqual([['workingHours.days', 'must include at least one day']])
    expect(hours([1, 2])).toBeUndefined()
    expect(hours([1, 2, 1])).toEqual([['workingHours.days', 'must not repeat a day']])
    const backwards = contract['settings.update'].input.safeParse({
      workingHours: { start: '18:00', end: '07:00', days: [1] },
    })
    expect(backwards.error?.issues[0]?.path).toEqual(['workingHours', 'end'])
  })

  it('keep a time zone as it is spelled, whatever the case it was typed in', () => {
    const zone = (timeZone: string) =>
      contract['settings.update'].input.parse({ timeZone }).timeZone
    expect(zone('america/chicago')).toBe('America/Chicago')
    expect(zone('utc')).toBe('UTC')
    expect(zone('Europe/London')).toBe('Europe/London')
    expect(contract['settings.update'].input.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(
      false,
    )
  })
})

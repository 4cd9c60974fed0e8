import { describe, expect, it } from 'vitest'
import { USER_ROLES } from './enums'
import { pinWaitSeconds, waitInWords } from './pin'
import { effectiveRole } from './role-cap'

describe('effectiveRole', () => {
  it('is the lower of the user’s role and the device token’s', () => {
    expect(effectiveRole('admin', 'crew_lead')).toBe('crew_lead')
    expect(effectiveRole('admin', 'office_manager')).toBe('office_manager')
    expect(effectiveRole('office_manager', 'admin')).toBe('office_manager')
    expect(effectiveRole('crew_lead', 'admin')).toBe('crew_lead')
    for (const role of USER_ROLES) expect(effectiveRole(role, role)).toBe(role)
  })

  it('leaves the role alone while disconnected, and caps to crew lead for an unknown token role', () => {
    for (const role of USER_ROLES) expect(effectiveRole(role, null)).toBe(role)
    expect(effectiveRole('admin', 'superuser')).toBe('crew_lead')
  })
})

describe('PIN waits', () => {
  it('start after three wrong PINs at 30 s and double, up to an hour', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(pinWaitSeconds)).toEqual([0, 0, 0, 30, 60, 120, 240])
    expect(pinWaitSeconds(50)).toBe(3600)
    expect(pinWaitSeconds(10_000)).toBe(3600)
  })

  it('are said in words, rounded up', () => {
    expect(waitInWords(0.2)).toBe('1 second')
    expect(waitInWords(29.5)).toBe('30 seconds')
    expect(waitInWords(60)).toBe('1 minute')
    expect(waitInWords(61)).toBe('2 minutes')
    expect(waitInWords(3600)).toBe('1 hour')
  })
})

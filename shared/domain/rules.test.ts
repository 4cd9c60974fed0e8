import { describe, expect, it } from 'vitest'
import { APPOINTMENT_STATUSES } from './enums'
import { may } from './permissions'
import { type Booking, findClashes, overlaps } from './schedule'
import { checkTransition } from './status'

describe('status lifecycle', () => {
  it('moves work forward and lets unfinished work be cancelled', () => {
    expect(checkTransition('scheduled', 'in_progress', 'crew_lead')).toEqual({
      ok: true,
      reopen: false,
    })
    expect(checkTransition('in_progress', 'completed', 'crew_lead').ok).toBe(true)
    expect(checkTransition('scheduled', 'cancelled', 'office_manager').ok).toBe(true)
    expect(checkTransition('in_progress', 'scheduled', 'crew_lead').ok).toBe(true)
  })

  it('keeps completed and cancelled final unless an office manager or admin reopens', () => {
    for (const from of ['completed', 'cancelled'] as const) {
      for (const to of APPOINTMENT_STATUSES) {
        if (to === from) continue
        expect(checkTransition(from, to, 'crew_lead')).toEqual({ ok: false, reason: 'final' })
      }
      expect(checkTransition(from, 'scheduled', 'office_manager')).toEqual({
        ok: true,
        reopen: true,
      })
      expect(checkTransition(from, 'scheduled', 'admin').ok).toBe(true)
      expect(checkTransition(from, 'in_progress', 'admin').ok).toBe(false)
    }
  })

  it('refuses a change to the same status', () => {
    expect(checkTransition('scheduled', 'scheduled', 'admin')).toEqual({
      ok: false,
      reason: 'same',
    })
  })
})

describe('double booking', () => {
  const at = (h: number, m = 0) => Date.UTC(2026, 4, 1, h, m)
  const b = (
    id: string,
    start: number,
    minutes: number,
    extra: Partial<Booking> = {},
  ): Booking => ({
    id,
    teamMemberId: 'm1',
    startMs: start,
    durationMinutes: minutes,
    status: 'scheduled',
    ...extra,
  })

  it('treats touching ranges as free and any overlap as a clash', () => {
    expect(
      overlaps({ startMs: at(9), durationMinutes: 60 }, { startMs: at(10), durationMinutes: 30 }),
    ).toBe(false)
    expect(
      overlaps({ startMs: at(9), durationMinutes: 61 }, { startMs: at(10), durationMinutes: 30 }),
    ).toBe(true)
    expect(
      overlaps({ startMs: at(9), durationMinutes: 600 }, { startMs: at(10), durationMinutes: 30 }),
    ).toBe(true)
  })

  it('finds clashes for the same member only, ignoring cancelled and itself', () => {
    const candidate = b('new', at(9), 120)
    const others = [
      b('x', at(10), 60),
      b('y', at(8, 30), 45),
      b('other-member', at(9), 60, { teamMemberId: 'm2' }),
      b('cancelled', at(9), 60, { status: 'cancelled' }),
      b('new', at(9), 60),
      b('later', at(11), 60),
    ]
    expect(findClashes(candidate, others).map((c) => c.id)).toEqual(['y', 'x'])
    expect(findClashes({ ...candidate, teamMemberId: null }, others)).toEqual([])
  })
})

describe('roles', () => {
  it('lets admins and office managers manage, crew leads only work their crew', () => {
    expect(may('admin', 'users.write')).toBe(true)
    expect(may('office_manager', 'users.write')).toBe(false)
    expect(may('office_manager', 'catalog.write')).toBe(true)
    expect(may('crew_lead', 'catalog.write')).toBe(false)
    expect(may('crew_lead', 'appointments.write')).toBe(false)
    expect(may('crew_lead', 'appointments.ownCrew')).toBe(true)
  })
})

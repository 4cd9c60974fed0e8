import { describe, expect, it } from 'vitest'
import { describeChange } from './row-names'

describe('a refused change in words', () => {
  it('tells what it wrote, leaving out references and bookkeeping', () => {
    expect(
      describeChange(
        {
          status: 'in_progress',
          started_at: '2031-06-03T15:00:00.000Z',
          team_member_id: '01890000-0000-7000-8000-000000000000',
          updated_at: '2031-06-03T15:00:00.000Z',
        },
        'America/Chicago',
      ),
    ).toMatch(/^status in progress; started at .*10:00 AM$/)
    expect(describeChange({ notes: 'Gate\n code  4411', price: null }, 'UTC')).toBe(
      'notes “Gate code 4411”; price cleared',
    )
    expect(describeChange({ notify_sms: true, a: '1', b: '2', c: '3' }, 'UTC')).toBe(
      'notify sms on; a “1”; b “2”; and 1 more',
    )
    expect(describeChange({ client_id: '01890000-0000-7000-8000-000000000000' }, 'UTC')).toBeNull()
    expect(describeChange({ notes: 'x'.repeat(200) }, 'UTC')?.length).toBeLessThan(100)
  })
})

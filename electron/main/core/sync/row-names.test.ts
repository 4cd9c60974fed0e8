import { describe, expect, it } from 'vitest'
import { BUSINESS_SETTINGS_ID } from '../../../../shared/contract/settings'
import { buildFixture, TEST_PIN } from '../test/fixture'
import { call, memoryCore } from '../test/helpers'
import { describeChange, nameRows } from './row-names'

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

describe('rows named for the lists of refused and waiting changes', () => {
  it('every kind of row is named without saying its kind again', async () => {
    const ctx = await memoryCore()
    try {
      const f = await buildFixture(ctx)
      await call(ctx, 'session.switch', { userId: f.manager.id, pin: TEST_PIN })
      await call(ctx, 'settings.update', { timeZone: 'UTC' })
      const off = await call(ctx, 'team.timeOff.add', {
        teamMemberId: f.ana.id,
        startsOn: '2027-01-04',
        endsOn: '2027-01-05',
      })
      const names = await nameRows(
        ctx.db.pg,
        [
          { table: 'time_off', rowId: off.timeOff.id },
          { table: 'clients', rowId: f.smith.id },
          { table: 'business_settings', rowId: BUSINESS_SETTINGS_ID },
        ],
        'UTC',
      )
      // The screen says the kind ("Time off: ..."); the name does not say it again.
      expect(names.get(`time_off:${off.timeOff.id}`)).toBe(`${f.ana.name} from Jan 4, 2027`)
      expect(names.get(`clients:${f.smith.id}`)).toBe(f.smith.name)
      expect(names.get(`business_settings:${BUSINESS_SETTINGS_ID}`)).toBe('this business')
    } finally {
      await ctx.db.close()
    }
  })
})

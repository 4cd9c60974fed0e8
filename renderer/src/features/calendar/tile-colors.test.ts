import { describe, expect, it } from 'vitest'
import { STATUS_COLORS } from '../../stores/calendar'
import { NO_MEMBER_COLOR, readableText, tileColors } from './tile-colors'

const colors = new Map([
  ['m-dark', '#1a237e'],
  ['m-pale', '#ffeb3b'],
])
const memberColor = (id: string) => colors.get(id)
const job = (teamMemberId: string | null, status = 'scheduled' as const) => ({
  teamMemberId,
  status,
})

describe('tileColors: one rule for every calendar layout', () => {
  it('colours by the crew member, with words that contrast with their colour', () => {
    expect(tileColors(job('m-dark'), 'member', memberColor)).toEqual({
      background: '#1a237e',
      text: '#ffffff',
    })
    // A pale colour takes dark words: white on yellow cannot be read.
    expect(tileColors(job('m-pale'), 'member', memberColor)).toEqual({
      background: '#ffeb3b',
      text: '#1b2420',
    })
    expect(tileColors(job(null), 'member', memberColor).background).toBe(NO_MEMBER_COLOR)
    expect(tileColors(job('gone'), 'member', memberColor).background).toBe(NO_MEMBER_COLOR)
  })

  it('colours by status whoever does the job', () => {
    for (const status of ['scheduled', 'in_progress', 'completed'] as const)
      expect(tileColors({ teamMemberId: 'm-pale', status }, 'status', memberColor)).toEqual({
        background: STATUS_COLORS[status],
        text: readableText(STATUS_COLORS[status]),
      })
  })

  it('a cancelled job is a pale tile with dark words, whichever the choice', () => {
    const member = tileColors(
      { teamMemberId: 'm-dark', status: 'cancelled' },
      'member',
      memberColor,
    )
    const status = tileColors(
      { teamMemberId: 'm-dark', status: 'cancelled' },
      'status',
      memberColor,
    )
    expect(member).toEqual(status)
    expect(readableText(member.background)).not.toBe('#ffffff')
  })

  it('picks the words of more contrast (WCAG)', () => {
    expect(readableText('#000000')).toBe('#ffffff')
    expect(readableText('#ffffff')).toBe('#1b2420')
    // Orange: white reads at about 3:1, dark words at over 5:1.
    expect(readableText('#ef6c00')).toBe('#1b2420')
    expect(readableText('#1565c0')).toBe('#ffffff')
  })
})

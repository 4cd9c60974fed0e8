import { describe, expect, it } from 'vitest'
import { weatherContract } from './weather'

/** A range of days is bounded: the work to answer it grows with it. */
describe('ranges of days', () => {
  const id = '01234567-89ab-7def-8123-456789abcdef'
  it.each([
    ['weather.days', {}, '2027-04-03', '2027-07-04', '2027-07-05', 'three months'],
    [
      'team.reassignmentPlan',
      { teamMemberId: id },
      '2027-01-01',
      '2028-01-01',
      '2028-01-02',
      'a year',
    ],
  ] as const)('%s takes a bounded range of days', (channel, extra, from, last, tooFar, words) => {
    const input = weatherContract[channel].input
    expect(input.safeParse({ ...extra, from, to: last }).success).toBe(true)
    const refused = input.safeParse({ ...extra, from, to: tooFar })
    expect(refused.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['to', `must be within ${words} of the start`],
    ])
  })
})

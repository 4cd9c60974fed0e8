import { describe, expect, it } from 'vitest'
import { checkTransition, UNDO_COMPLETION_MS } from './status'

describe('taking back a completion (the Undo of "Job completed")', () => {
  const done = '2027-05-04T15:00:00.000Z'
  const started = '2027-05-04T14:00:00.000Z'
  const at = (ms: number, startedAt: string | null = started) => ({
    startedAt,
    completedAt: done,
    atMs: Date.parse(done) + ms,
  })

  it('lets a crew lead put the job back where it was within the minute', () => {
    expect(checkTransition('completed', 'in_progress', 'crew_lead', at(5_000)).ok).toBe(true)
    expect(
      checkTransition('completed', 'scheduled', 'crew_lead', at(UNDO_COMPLETION_MS, null)).ok,
    ).toBe(true)
  })

  it('never further back than it was: a started job goes back to in progress, not scheduled', () => {
    expect(checkTransition('completed', 'scheduled', 'crew_lead', at(5_000))).toEqual({
      ok: false,
      reason: 'final',
    })
    expect(checkTransition('completed', 'in_progress', 'crew_lead', at(5_000, null)).ok).toBe(false)
    // Completed straight from scheduled: its start was stamped with its completion.
    expect(checkTransition('completed', 'in_progress', 'crew_lead', at(5_000, done)).ok).toBe(false)
    expect(checkTransition('completed', 'scheduled', 'crew_lead', at(5_000, done)).ok).toBe(true)
  })

  it('after that, only office staff reopen it, and only to scheduled', () => {
    const late = at(UNDO_COMPLETION_MS + 1)
    expect(checkTransition('completed', 'in_progress', 'crew_lead', late)).toEqual({
      ok: false,
      reason: 'final',
    })
    expect(checkTransition('completed', 'scheduled', 'office_manager', late)).toEqual({
      ok: true,
      reopen: true,
    })
  })

  it('never for a cancelled job, a job without a completion time or a clock before it', () => {
    expect(checkTransition('cancelled', 'scheduled', 'crew_lead', at(1_000)).ok).toBe(false)
    expect(
      checkTransition('completed', 'in_progress', 'crew_lead', { completedAt: null, atMs: 0 }).ok,
    ).toBe(false)
    expect(checkTransition('completed', 'in_progress', 'crew_lead', at(-1)).ok).toBe(false)
    expect(checkTransition('completed', 'in_progress', 'crew_lead').ok).toBe(false)
  })
})

import type { z } from 'zod'
import type { dataJob } from '../../../../shared/contract/data'
import type { AppContext } from '../context'
import { yieldToOthers } from '../turns'

/**
 * What the long data jobs (export, import, backup, restore) are doing right now, for
 * `data.progress`. The jobs themselves report it as they work: rows read by the
 * export's batched reader, rows written by the import, the step a backup or a restore
 * is on. Nothing here is estimated or timed.
 *
 * The screen polls `data.progress` while one of its jobs runs, rather than hearing a
 * pushed notice on the "changed" path (IPC events, Server-Sent Events over the bridge):
 * a poll needs no new door in the preload and no second kind of event in the notice
 * stream, a screen at rest sends nothing, and the state lives in memory, so reading it
 * neither waits for the database (an import holds it in one transaction) nor needs it
 * open (a restore closes it for a moment). A job ends by leaving the list, whatever
 * happened to it.
 *
 * Reporting also lets the rest of the process in. PGlite runs each query in this thread
 * and settles it without going back to the event loop, so a job of many queries would
 * keep every poll, IPC call and notice waiting until it ended; a report gives the loop
 * a turn at each new step, and while counting every `TURN_MS` or `TURN_COUNT` done and
 * at the total.
 */
export type DataJob = z.output<typeof dataJob>

/** The jobs of each core (tests open several in one process). */
const running = new WeakMap<AppContext, Map<number, DataJob>>()
let nextId = 1

/** A running job's handle: its current step, and how far it is when it can be counted. */
export interface JobReport {
  /** A new step; `total` when its work can be counted, from 0. */
  step(step: string, total?: number | null): Promise<void>
  /** So many of the step's `total` are done (never less than already reported). */
  advance(done: number): Promise<void>
}

/** For callers outside a job (the admin command line, tests): reports go nowhere. */
export const UNTRACKED: JobReport = { step: async () => {}, advance: async () => {} }

const TURN_MS = 50
const TURN_COUNT = 1000

export async function trackJob<T>(
  ctx: AppContext,
  task: DataJob['task'],
  step: string,
  work: (report: JobReport) => Promise<T>,
): Promise<T> {
  let jobs = running.get(ctx)
  if (!jobs) {
    jobs = new Map()
    running.set(ctx, jobs)
  }
  const id = nextId++
  const state: DataJob = { task, step, done: 0, total: null }
  jobs.set(id, state)
  let turnAt = Date.now()
  let turnDone = 0
  const report: JobReport = {
    async step(name, total = null) {
      state.step = name
      state.done = 0
      state.total = total
      turnAt = Date.now()
      turnDone = 0
      await yieldToOthers()
    },
    async advance(done) {
      state.done = Math.max(state.done, done)
      // A row added while the export runs must not show "101 of 100".
      if (state.total !== null) state.total = Math.max(state.total, state.done)
      const due =
        Date.now() - turnAt >= TURN_MS ||
        state.done - turnDone >= TURN_COUNT ||
        state.done === state.total
      if (!due || state.done === turnDone) return
      turnAt = Date.now()
      turnDone = state.done
      await yieldToOthers()
    },
  }
  try {
    return await work(report)
  } finally {
    jobs.delete(id)
  }
}

/** The jobs running now, oldest first: copies, so a reader never sees one change. */
export function runningJobs(ctx: AppContext): DataJob[] {
  return [...(running.get(ctx)?.values() ?? [])].map((j) => ({ ...j }))
}

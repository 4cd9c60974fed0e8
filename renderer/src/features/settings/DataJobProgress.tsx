import { useCallback, useState } from 'react'
import type { ChannelOutput } from '../../../../shared/contract'
import { call } from '../../api/client'

type Job = ChannelOutput<'data.progress'>['jobs'][number]
export type DataTask = Job['task']

/** What the screen shows of its running job: the core's report, or its own first words. */
interface Shown {
  task: DataTask
  step: string
  done: number
  total: number | null
  /** What is counted, when not rows: "MiB" for a file sent or saved in pieces. */
  unit?: string
}

const POLL_MS = 250

/**
 * Runs one data job at a time and follows it: `data.progress` is asked every 250 ms
 * while the job's call is pending, and never otherwise (a screen at rest sends nothing).
 * Each poll waits for the last to answer, so a slow core never gets a pile of them. A
 * poll that fails (the database is closed for a moment during a restore) keeps the
 * last report on screen.
 */
export function useDataJob() {
  const [shown, setShown] = useState<Shown | null>(null)

  const run = useCallback(
    async <T,>(
      task: DataTask,
      firstStep: string,
      work: (
        show: (step: string, done: number, total: number, unit?: string) => void,
      ) => Promise<T>,
    ): Promise<T> => {
      setShown({ task, step: firstStep, done: 0, total: null })
      let active = true
      let timer: ReturnType<typeof setTimeout> | undefined
      const poll = async () => {
        try {
          const { jobs } = await call('data.progress', {})
          const job = jobs.findLast((j) => j.task === task)
          if (active && job) setShown(job)
        } catch {
          // Keep the last report: the next poll may answer.
        }
        if (active) timer = setTimeout(() => void poll(), POLL_MS)
      }
      timer = setTimeout(() => void poll(), POLL_MS)
      try {
        // Work the screen does itself (sending a file in pieces) shows its own count.
        return await work((step, done, total, unit) => {
          if (active) setShown({ task, step, done, total, unit })
        })
      } finally {
        active = false
        clearTimeout(timer)
        setShown(null)
      }
    },
    [],
  )
  return { job: shown, busy: shown !== null, run }
}

/** "Exporting appointments… 42,000 of 100,000" with a bar, or the step alone and a moving bar. */
export function DataJobProgress({ job }: { job: Shown }) {
  const counted = job.total !== null && job.total > 0
  const text = counted
    ? `${job.step}… ${job.done.toLocaleString('en-US')} of ${(job.total ?? 0).toLocaleString('en-US')}${job.unit ? ` ${job.unit}` : ''}`
    : `${job.step}…`
  return (
    <div className="data-job" role="status" aria-label="Progress">
      <progress
        aria-label={job.step}
        max={counted ? (job.total ?? undefined) : undefined}
        value={counted ? job.done : undefined}
      />
      <span>{text}</span>
    </div>
  )
}

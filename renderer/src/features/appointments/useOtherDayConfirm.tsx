import { useState } from 'react'
import { otherDayQuestion } from '../../../../shared/domain/job-day'
import { useSettings } from '../../api/reference'
import { ConfirmDialog } from '../../components/ConfirmDialog'

interface Asking {
  question: string
  confirm: string
  go: () => void
}

/**
 * Starting or completing a job booked for another day than today (the business's) asks
 * first, naming its day: one tap on a job days away is more likely a slip than work. A
 * job of today goes ahead at once. `dialog` is to be rendered by the screen.
 */
export function useOtherDayConfirm() {
  const tz = useSettings().timeZone
  const [asking, setAsking] = useState<Asking | null>(null)
  /** Runs `go` now for today's job; for another day's, once the question is answered Yes. */
  function check(job: { scheduledAt: string }, action: 'start' | 'complete', go: () => void) {
    const question = otherDayQuestion(job.scheduledAt, action, Date.now(), tz)
    if (!question) return go()
    setAsking({ question, confirm: action === 'start' ? 'Start' : 'Complete', go })
  }
  const dialog = (
    <ConfirmDialog
      title="Not today's job"
      item={asking}
      onCancel={() => setAsking(null)}
      confirm={asking?.confirm ?? ''}
      onConfirm={(q) => {
        setAsking(null)
        q.go()
      }}
    >
      <p>{asking?.question}</p>
    </ConfirmDialog>
  )
  return { check, dialog }
}

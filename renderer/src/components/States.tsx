import type { ReactNode } from 'react'
import type { ApiError } from '../api/client'

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" aria-busy="true">
      {label}
    </p>
  )
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  )
}

export function LoadError({ error, retry }: { error: ApiError; retry: () => void }) {
  return (
    <div className="load-error" role="alert">
      <p>{error.message}</p>
      <button type="button" onClick={retry}>
        Try again
      </button>
    </div>
  )
}

const STATUS_LABEL: Record<string, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
}

export const statusLabel = (s: string) => STATUS_LABEL[s] ?? s

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{statusLabel(status)}</span>
}

export function Pager(props: {
  count: number
  limit: number
  offset: number
  onPage: (offset: number) => void
}) {
  const { count, limit, offset } = props
  const last = Math.min(offset + limit, count)
  /** Another page starts at its top: whatever scrolled down to reach the pager goes back up. */
  const turn = (to: number, from: HTMLElement) => {
    props.onPage(to)
    for (let el: HTMLElement | null = from; el; el = el.parentElement) {
      if (el.scrollTop > 0) el.scrollTop = 0
    }
  }
  return (
    <nav className="pager" aria-label="Pages">
      <span>
        {count === 0 ? 'No results' : `${offset + 1}–${last} of ${count.toLocaleString()}`}
      </span>
      <button
        type="button"
        disabled={offset === 0}
        onClick={(e) => turn(Math.max(0, offset - limit), e.currentTarget)}
      >
        Previous
      </button>
      <button
        type="button"
        disabled={last >= count}
        onClick={(e) => turn(offset + limit, e.currentTarget)}
      >
        Next
      </button>
    </nav>
  )
}

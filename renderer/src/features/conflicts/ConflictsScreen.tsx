import { useEffect, useRef, useState } from 'react'
import { ApiError } from '../../api/client'
import { useChannel } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatDateTime, plural } from '../../app/format'
import { replaceParams, useRoute } from '../../app/router'
import { Empty, LoadError, Loading } from '../../components/States'
import { useSync } from '../../stores/sync'
import { toast } from '../../stores/toasts'
import { type Choice, ConflictCard } from './ConflictCard'

/**
 * The conflicts inbox: business conflicts that offline edits on several laptops created,
 * each with both versions, for an office manager to settle. Read from the server, or as
 * last fetched when it cannot be reached.
 */
export function ConflictsScreen() {
  const tz = useSettings().timeZone
  const openCount = useSync((s) => s.status?.openConflicts)
  const { params } = useRoute()
  const show = params.get('show') === 'resolved' ? 'resolved' : 'open'
  const { data, error, isPending, isFetching, refetch } = useChannel('sync.conflicts', {
    status: show,
  })
  const reload = () => void refetch()
  const [settled, setSettled] = useState<Set<string>>(new Set())
  const [busy, setBusy] = useState<string | null>(null)

  // New conflicts arrive with sync rounds: the count in the status says when to look again.
  const seenCount = useRef(openCount)
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new count asks again
  useEffect(() => {
    if (seenCount.current === openCount) return
    seenCount.current = openCount
    reload()
  }, [openCount])

  // Reading the open list online also refreshes the count the shell shows.
  useEffect(() => {
    if (data && show === 'open' && !data.offline)
      void useSync
        .getState()
        .refresh()
        .catch(() => {})
  }, [data, show])

  async function resolve(id: string, choice: Choice) {
    setBusy(id)
    try {
      await useSync.getState().resolve({ id, resolution: choice.resolution })
      setSettled((s) => new Set(s).add(id))
      toast.success(`Conflict resolved: ${choice.done}`)
      reload()
    } catch (e) {
      const err = e instanceof ApiError ? e : null
      toast.error(`Could not resolve the conflict: ${err ? err.message : String(e)}`)
      if (err?.error.code === 'NOT_FOUND') reload()
    } finally {
      setBusy(null)
    }
  }

  const conflicts = (data?.conflicts ?? []).filter((c) => show !== 'open' || !settled.has(c.id))
  const setShow = (next: 'open' | 'resolved') =>
    replaceParams(new URLSearchParams(next === 'open' ? {} : { show: next }))
  return (
    <section className="screen conflicts" aria-label="Conflicts">
      <header className="screen-head">
        <h1>Conflicts</h1>
        <div className="tabs" role="tablist" aria-label="Which conflicts">
          {(['open', 'resolved'] as const).map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              aria-selected={show === s}
              onClick={() => setShow(s)}
            >
              {s === 'open' ? 'Open' : 'Resolved'}
            </button>
          ))}
        </div>
        <button type="button" onClick={reload} disabled={isFetching}>
          Refresh
        </button>
      </header>
      {data?.offline && (
        <p className="notice" role="status">
          Offline — showing the list as of{' '}
          {data.fetchedAt ? formatDateTime(data.fetchedAt, tz) : 'the last sync'}. Decisions need
          the server.
        </p>
      )}
      {error && <LoadError error={error} retry={reload} />}
      {isPending && <Loading />}
      {data && !conflicts.length && (
        <Empty title="No conflicts">
          {show === 'open'
            ? 'Changes from every laptop fit together.'
            : 'No conflict has been resolved yet.'}
        </Empty>
      )}
      {show === 'open' && conflicts.length > 0 && (
        <p className="muted">
          {plural(conflicts.length, 'conflict')} to settle. Each decision is sent to the other
          laptops with the next sync.
        </p>
      )}
      <div className="conflict-list">
        {conflicts.map((c) => (
          <ConflictCard
            key={c.id}
            conflict={c}
            names={data?.names ?? {}}
            tz={tz}
            busy={busy !== null}
            onResolve={(choice) => void resolve(c.id, choice)}
          />
        ))}
      </div>
    </section>
  )
}

import { useEffect, useRef, useState } from 'react'
import type { SyncStatus } from '../../../../shared/contract/sync'
import { may } from '../../../../shared/domain/permissions'
import { ApiError } from '../../api/client'
import { useSettings } from '../../api/reference'
import { formatAgo, formatDateTime, plural } from '../../app/format'
import { ROLE_LABEL } from '../../app/labels'
import { useRoute } from '../../app/router'
import { Dialog } from '../../components/Dialog'
import { Loading } from '../../components/States'
import { useSession } from '../../stores/session'
import { useSync } from '../../stores/sync'
import { toast } from '../../stores/toasts'
import { PHASE_TEXT, syncTone, TABLE_LABEL } from '../sync/sync-text'
import { SyncConnectForm } from './SyncConnectForm'

const fail = (what: string) => (e: unknown) =>
  toast.error(`${what}: ${e instanceof ApiError ? e.message : String(e)}`)

/** Settings → Sync: connect (admins), or the state of the link and what to do about it. */
export function SyncSettings() {
  const status = useSync((s) => s.status)
  const user = useSession((s) => s.user)
  const ref = useRef<HTMLElement>(null)
  const { params } = useRoute()
  const focus = params.get('tab') === 'sync' || params.get('section') === 'sync'
  useEffect(() => {
    void useSync
      .getState()
      .refresh()
      .catch(() => {})
  }, [])
  useEffect(() => {
    if (focus) ref.current?.scrollIntoView({ block: 'nearest' })
  }, [focus])
  const admin = !!user && may(user.role, 'data.admin')
  return (
    <section ref={ref} className="card sync-settings" aria-labelledby="sync">
      <h2 id="sync">Sync</h2>
      {!status && <Loading />}
      {status?.phase === 'off' &&
        (admin ? (
          <SyncConnectForm />
        ) : (
          <p className="muted">
            This laptop is not connected to a sync server. An admin can connect it here.
          </p>
        ))}
      {status && status.phase !== 'off' && <SyncDetails status={status} />}
    </section>
  )
}

function SyncDetails({ status }: { status: SyncStatus }) {
  const { user, ownRole } = useSession()
  const settings = useSettings()
  const tz = settings.timeZone
  const [busy, setBusy] = useState<'now' | 'pause' | 'disconnect' | null>(null)
  const [confirming, setConfirming] = useState(false)
  // By their own role: an admin can leave the server even where its token caps them lower.
  const admin = !!ownRole && may(ownRole, 'data.admin')
  const mayPause = !!user && may(user.role, 'settings.write')
  const paused = status.phase === 'paused'
  const sync = useSync.getState()

  const run = async (kind: typeof busy, action: () => Promise<unknown>) => {
    setBusy(kind)
    try {
      await action()
    } finally {
      setBusy(null)
    }
  }
  const syncNow = () =>
    run('now', () =>
      sync.syncNow().then((s) => {
        toast.success(s.pending ? `Synced; ${plural(s.pending, 'change')} still waiting` : 'Synced')
      }, fail('Could not sync')),
    )
  const togglePause = () =>
    run('pause', () =>
      sync
        .setPaused(!paused)
        .then(
          () => toast.success(paused ? 'Sync resumed' : 'Sync paused'),
          fail('Could not change'),
        ),
    )
  const disconnect = () =>
    run('disconnect', () =>
      sync.disconnect().then(() => {
        setConfirming(false)
        toast.success('This laptop no longer syncs')
      }, fail('Could not disconnect')),
    )

  return (
    <>
      <dl className="facts">
        <dt>Server</dt>
        <dd>{status.serverUrl}</dd>
        <dt>This laptop</dt>
        <dd>
          {status.device
            ? `${status.device.label} · ${status.device.user} (${ROLE_LABEL[status.device.role] ?? status.device.role})`
            : '—'}
        </dd>
        <dt>State</dt>
        <dd>
          <span className={`sync-state-text tone-${syncTone(status)}`}>
            <span className="sync-dot" aria-hidden="true" />
            {status.phase === 'idle' && status.stuck > 0
              ? 'Up to date, except the received changes below it cannot merge yet'
              : PHASE_TEXT[status.phase]}
          </span>
          {status.error && <span className="error-text sync-error">{status.error}</span>}
        </dd>
        <dt>Last sync</dt>
        <dd>
          {status.lastSyncAt ? (
            <>
              {formatDateTime(status.lastSyncAt, tz)} (<Ago at={status.lastSyncAt} />)
            </>
          ) : (
            'Never'
          )}
        </dd>
        {status.nextAttemptAt && status.phase !== 'idle' && (
          <>
            <dt>Next attempt</dt>
            <dd>{formatDateTime(status.nextAttemptAt, tz)}</dd>
          </>
        )}
        <dt>Not sent yet</dt>
        <dd>{status.pending ? plural(status.pending, 'change') : 'Nothing'}</dd>
        <dt>Received, not merged</dt>
        <dd>
          {status.waiting ? plural(status.waiting, 'change') : 'Nothing'}
          {status.stuck > 0 && (
            <span className="error-text"> ({status.stuck.toLocaleString()} cannot be merged)</span>
          )}
        </dd>
      </dl>
      {status.stuckReasons.length > 0 && (
        <ProblemList
          title="Received changes this laptop cannot merge"
          items={status.stuckReasons.map((s) => ({ ...s, at: null }))}
        />
      )}
      {status.rejectedCount > 0 && (
        <ProblemList
          title={`Changes the server refused (${status.rejectedCount.toLocaleString()})`}
          items={status.rejected}
          tz={tz}
          onClear={() => void useSync.getState().clearRefused().catch(fail('Not cleared'))}
        />
      )}
      <div className="actions-row">
        <button type="button" className="primary" disabled={busy !== null} onClick={syncNow}>
          {busy === 'now' ? 'Syncing…' : 'Sync now'}
        </button>
        {mayPause && (
          <button type="button" disabled={busy !== null} onClick={togglePause}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        )}
        {admin && (
          <button
            type="button"
            className="danger"
            disabled={busy !== null}
            onClick={() => setConfirming(true)}
          >
            Disconnect…
          </button>
        )}
      </div>
      <Dialog
        title="Disconnect from the sync server?"
        role="alertdialog"
        open={confirming}
        onClose={() => setConfirming(false)}
        footer={
          <>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="danger" disabled={busy !== null} onClick={disconnect}>
              Disconnect
            </button>
          </>
        }
      >
        <p>
          This laptop stops sending and receiving changes. Its data stays as it is, and nothing is
          deleted on the server.
        </p>
        <p>
          {status.pending
            ? `${plural(status.pending, 'change')} made here ${status.pending === 1 ? 'has' : 'have'} not been sent yet. They stay on this laptop and are sent if it is connected again.`
            : 'Every change made here has been sent.'}
        </p>
      </Dialog>
    </>
  )
}

function ProblemList(props: {
  title: string
  items: {
    table: keyof typeof TABLE_LABEL
    rowId: string
    name: string | null
    reason: string
    /** What a refused change wrote, in words. */
    change?: string | null
    at: string | null
  }[]
  tz?: string
  /** Empties the list, once read (its rows only say what happened). */
  onClear?: () => void
}) {
  return (
    <div className="sync-problems">
      <div className="sync-problems-head">
        <h3>{props.title}</h3>
        {props.onClear && (
          <button type="button" className="link" onClick={props.onClear}>
            Clear this list
          </button>
        )}
      </div>
      <ul>
        {props.items.map((p) => (
          <li key={`${p.table}-${p.rowId}-${p.at ?? ''}-${p.reason}`}>
            <span className="sync-problem-what">
              {TABLE_LABEL[p.table]}: {p.name ?? 'not on this laptop'}
            </span>
            <span>{p.reason}</span>
            {p.change && <span className="small">The change: {p.change}</span>}
            {p.at && props.tz && (
              <span className="muted small">{formatDateTime(p.at, props.tz)}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}

/**
 * "5 minutes ago", kept true as time passes by the screen's own clock (nothing is asked
 * of the app: a paused or offline link announces nothing for a long while).
 */
function Ago({ at }: { at: string }) {
  const [, tick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 30_000)
    return () => clearInterval(timer)
  }, [])
  return <>{formatAgo(at)}</>
}

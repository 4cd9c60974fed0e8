import { may } from '../../../../shared/domain/permissions'
import { useSettings } from '../../api/reference'
import { formatDateTime, plural } from '../../app/format'
import { href } from '../../app/router'
import { useSession } from '../../stores/session'
import { useSync } from '../../stores/sync'
import { syncHeadline, syncTone } from './sync-text'

/**
 * The sync state in the shell, shown once a server is set: a dot, one line (the details
 * are a click away, in Settings) and the open conflicts for those who settle them.
 */
export function SyncIndicator() {
  const status = useSync((s) => s.status)
  const { user } = useSession()
  const settings = useSettings()
  if (!status || status.phase === 'off') return null
  const tz = settings.timeZone
  const headline = syncHeadline(status)
  const details = [
    status.error ? `Error: ${status.error}` : '',
    status.lastSyncAt ? `Last synced ${formatDateTime(status.lastSyncAt, tz)}` : '',
    status.pending ? `${plural(status.pending, 'change')} not sent yet` : '',
    status.nextAttemptAt && status.phase !== 'idle'
      ? `Next attempt ${formatDateTime(status.nextAttemptAt, tz)}`
      : '',
  ].filter(Boolean)
  const conflicts = user && may(user.role, 'sync.conflicts') ? status.openConflicts : 0
  return (
    <div className="sync-indicator">
      <a
        className={`sync-state tone-${syncTone(status)}`}
        href={href('/settings', { tab: 'sync' })}
        title={details.join('\n') || undefined}
        aria-label={`Sync: ${headline}${status.error ? ` (${status.error})` : ''}`}
      >
        <span className="sync-dot" aria-hidden="true" />
        <span>{headline}</span>
      </a>
      {conflicts > 0 && (
        <a className="sync-conflicts" href={href('/conflicts')}>
          {plural(conflicts, 'conflict')}
        </a>
      )}
    </div>
  )
}

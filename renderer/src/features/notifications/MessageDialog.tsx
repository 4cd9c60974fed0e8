import { useState } from 'react'
import type { Notification } from '../../../../shared/contract/notifications'
import { may } from '../../../../shared/domain/permissions'
import { isPending, type NotificationStatus } from '../../../../shared/notifications/kinds'
import { mayRetry } from '../../../../shared/notifications/skips'
import { smsParts } from '../../../../shared/notifications/sms-parts'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatDateTime } from '../../app/format'
import { Dialog } from '../../components/Dialog'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { channelInSentence, kindLabel, partsText, STATUS_LABELS } from './labels'

export function NotificationBadge({ status }: { status: NotificationStatus }) {
  return <span className={`badge notify-${status}`}>{STATUS_LABELS[status]}</span>
}

/** Whether the signed-in user may send this message again, and it may be sent again. */
export function useMayRetry(n: Notification): boolean {
  const user = useSession((s) => s.user)
  return !!user && may(user.role, 'notifications.write') && mayRetry(n)
}

/** Sends a failed, dead or skipped message again; true when it is queued. */
export async function retry(n: Notification): Promise<boolean> {
  try {
    await write('notifications.retry', { id: n.id })
    toast.success(`${kindLabel(n.kind)} to ${n.clientName} queued to send again`)
    return true
  } catch (e) {
    toast.error(e instanceof ApiError ? e.message : String(e))
    return false
  }
}

export function RetryButton({ message }: { message: Notification }) {
  const [busy, setBusy] = useState(false)
  if (!useMayRetry(message)) return null
  return (
    <button
      type="button"
      disabled={busy}
      aria-label={`Retry the ${kindLabel(message.kind).toLowerCase()} to ${message.clientName}`}
      onClick={() => {
        setBusy(true)
        void retry(message).finally(() => setBusy(false))
      }}
    >
      Retry
    </button>
  )
}

/** One message as it was sent (or as far as it got), with its history in the log. */
export function MessageDialog(props: { message: Notification; onClose: () => void }) {
  const n = props.message
  const tz = useSettings().timeZone
  const when = (iso: string | null) => (iso ? formatDateTime(iso, tz) : '—')
  const written = n.body !== null
  return (
    <Dialog
      title={`${kindLabel(n.kind)} by ${channelInSentence(n.channel)} to ${n.clientName}`}
      open
      onClose={props.onClose}
      wide
    >
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <NotificationBadge status={n.status} />
          {n.reason && <span className="notify-reason">{n.reason}</span>}
        </dd>
        <dt>To</dt>
        <dd>{n.recipient ?? '—'}</dd>
        <dt>Visit</dt>
        <dd>{when(n.visitAt)}</dd>
        <dt>Due</dt>
        <dd>{when(n.dueAt)}</dd>
        <dt>Sent</dt>
        <dd>{when(n.sentAt)}</dd>
        <dt>Attempts</dt>
        <dd>{n.attempts}</dd>
        {n.providerId && (
          <>
            <dt>Provider's id</dt>
            <dd className="small">{n.providerId}</dd>
          </>
        )}
      </dl>
      <section className="message-sent" aria-label="Message">
        {written ? (
          <>
            {n.channel === 'email' && (
              <p className="message-subject">
                <span className="muted">Subject: </span>
                {n.subject}
              </p>
            )}
            <pre className="message-text">{n.body}</pre>
            {n.channel === 'sms' && n.body && (
              <p className="muted small">{partsText(smsParts(n.body))}</p>
            )}
          </>
        ) : isPending(n.status) ? (
          <Draft message={n} />
        ) : (
          <p className="muted">Never written: the message was not sent.</p>
        )}
      </section>
      <div className="actions-row">
        <RetryButton message={n} />
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  )
}

/** A message still to go, as it would read now; written again when it is sent. */
function Draft({ message: n }: { message: Notification }) {
  const draft = useChannel('notifications.draft', { id: n.id })
  return (
    <>
      <p className="muted small">
        As it would read now: it is written again from its template, visit and client when it is
        sent.
      </p>
      {draft.error && <p className="form-error">{draft.error.message}</p>}
      {draft.data && (
        <>
          {n.channel === 'email' && (
            <p className="message-subject">
              <span className="muted">Subject: </span>
              {draft.data.subject}
            </p>
          )}
          <pre className="message-text">{draft.data.text}</pre>
          {n.channel === 'sms' && (
            <p className="muted small">{partsText(smsParts(draft.data.text))}</p>
          )}
        </>
      )}
    </>
  )
}

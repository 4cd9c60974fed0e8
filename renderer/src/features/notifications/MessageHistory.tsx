import { useState } from 'react'
import type { Notification } from '../../../../shared/contract/notifications'
import { isPending } from '../../../../shared/notifications/kinds'
import { reach } from '../../../../shared/notifications/preferences'
import { useChannel } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { href } from '../../app/router'
import { channelLabel, kindLabel } from './labels'
import { MessageDialog, NotificationBadge } from './MessageDialog'
import { When } from './When'
import './notifications.css'

const SHOWN = 10

/**
 * Texts the client asked for that cannot go out (no usable phone number): no message is
 * planned for them, so without this nothing on screen would say why none appears.
 */
function UnreachableTexts(props: { clientId: string }) {
  const { data: client } = useChannel('clients.get', { id: props.clientId })
  if (!client?.notifySms) return null
  const r = reach({ ...client, notifyOff: '', deleted: false }, 'confirmation', 'sms')
  if (r.ok) return null
  return (
    <p className="notice" role="note">
      Texts are turned on for {client.name}, but none can be sent: {r.reason}.
    </p>
  )
}

/**
 * The messages about one visit or to one client, newest first: kind, channel, where each
 * stands, when, and why it was not sent. The whole log is one link away. `clientId` with
 * `appointmentId`: the visit's client, for a word on texts that cannot be sent.
 */
export function MessageHistory(props: { appointmentId?: string; clientId?: string }) {
  const tz = useSettings().timeZone
  const [open, setOpen] = useState<Notification | null>(null)
  const filter = props.appointmentId
    ? { appointmentId: props.appointmentId }
    : props.clientId
      ? { clientId: props.clientId }
      : {}
  const { data, error } = useChannel('notifications.list', {
    limit: SHOWN,
    offset: 0,
    status: [],
    ...filter,
  })
  const more: Record<string, string> = props.appointmentId
    ? { appointment: props.appointmentId }
    : { client: props.clientId ?? '' }
  const title = props.appointmentId ? 'Messages about this visit' : 'Message history'
  const fresh = open && (data?.results.find((r) => r.id === open.id) ?? open)
  return (
    <section className="message-history" aria-label={title}>
      <h3>{title}</h3>
      {props.clientId && <UnreachableTexts clientId={props.clientId} />}
      {error && <p className="error-text">The messages could not be read: {error.message}</p>}
      {data?.count === 0 && (
        <p className="muted">
          {props.appointmentId ? 'No message about this visit yet.' : 'No message yet.'}
        </p>
      )}
      {data && data.count > 0 && (
        <table className="grid compact-grid">
          <thead>
            <tr>
              <th>Message</th>
              <th>Status</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {data.results.map((n) => (
              <tr key={n.id}>
                <td>
                  <button type="button" className="link" onClick={() => setOpen(n)}>
                    {kindLabel(n.kind)}
                  </button>
                  <div className="muted small">{channelLabel(n.channel)}</div>
                </td>
                <td>
                  <NotificationBadge status={n.status} />
                  {n.reason && <div className="small notify-reason-line">{n.reason}</div>}
                </td>
                <td>
                  {n.sentAt ? (
                    <When iso={n.sentAt} tz={tz} />
                  ) : (
                    <>
                      {isPending(n.status) && <span className="muted small">due </span>}
                      <When iso={n.dueAt} tz={tz} />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.count > SHOWN && (
        <p className="small">
          {SHOWN} of {data.count.toLocaleString()} shown.
        </p>
      )}
      <p className="small">
        <a href={href('/notifications', more)}>Open in Notifications</a>
      </p>
      {fresh && <MessageDialog message={fresh} onClose={() => setOpen(null)} />}
    </section>
  )
}

import { useMemo, useState } from 'react'
import type { Notification } from '../../../../shared/contract/notifications'
import {
  CHANNELS,
  type Channel,
  isPending as isOnItsWay,
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
  type NotificationKind,
  type NotificationStatus,
} from '../../../../shared/notifications/kinds'
import { useChannel } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { formatDateTime, plural } from '../../app/format'
import { patchParams, useRoute } from '../../app/router'
import { Field } from '../../components/Field'
import { Empty, LoadError, Loading, Pager } from '../../components/States'
import { ClientFilter } from './ClientFilter'
import { channelLabel, kindLabel, STATUS_HINTS, STATUS_LABELS } from './labels'
import { MessageDialog, NotificationBadge, RetryButton } from './MessageDialog'
import { SenderLine } from './SenderLine'
import { When } from './When'
import './notifications.css'

const PAGE = 25

/**
 * The send log: every message to a client, newest due first, with where it stands and
 * why. Filters live in the URL (`#/notifications?status=dead&client=…`), so a client's
 * or a visit's messages open here from their own screens. Whatever writes the log (this
 * laptop's sender, a sync round) announces it, so the list follows without asking.
 */
export function NotificationsScreen() {
  const { params } = useRoute()
  const tz = useSettings().timeZone
  const [openId, setOpenId] = useState<string | null>(null)
  const [opened, setOpened] = useState<Notification | null>(null)
  const state = useMemo(
    () => ({
      statuses: (params.get('status') ?? '')
        .split(',')
        .filter((s): s is NotificationStatus =>
          (NOTIFICATION_STATUSES as readonly string[]).includes(s),
        ),
      kind: (NOTIFICATION_KINDS as readonly string[]).includes(params.get('kind') ?? '')
        ? (params.get('kind') as NotificationKind)
        : undefined,
      channel: (CHANNELS as readonly string[]).includes(params.get('channel') ?? '')
        ? (params.get('channel') as Channel)
        : undefined,
      clientId: params.get('client') ?? '',
      appointmentId: params.get('appointment') ?? '',
      offset: Number(params.get('offset') ?? 0) || 0,
    }),
    [params],
  )
  const update = (patch: Record<string, string>, keepOffset = false) =>
    patchParams(params, patch, keepOffset)

  const { data, error, isPending, isFetching, refetch } = useChannel(
    'notifications.list',
    {
      limit: PAGE,
      offset: state.offset,
      status: state.statuses,
      ...(state.kind ? { kind: state.kind } : {}),
      ...(state.channel ? { channel: state.channel } : {}),
      ...(state.clientId ? { clientId: state.clientId } : {}),
      ...(state.appointmentId ? { appointmentId: state.appointmentId } : {}),
    },
    { keepPrevious: true },
  )
  const open = (openId && data?.results.find((r) => r.id === openId)) || opened
  const visit = useChannel(
    'appointments.get',
    { id: state.appointmentId },
    { enabled: !!state.appointmentId },
  )
  const filtered = state.statuses.length > 0 || !!state.kind || !!state.channel || !!state.clientId

  return (
    <section className="screen" aria-label="Notifications">
      <header className="screen-head">
        <h1>Notifications</h1>
        <SenderLine />
      </header>
      <form
        className="filters wrap notify-filters"
        aria-label="Filter messages"
        onSubmit={(e) => e.preventDefault()}
      >
        <fieldset className="status-filter">
          <legend>Status</legend>
          {NOTIFICATION_STATUSES.map((s) => (
            <label key={s} className="check" title={STATUS_HINTS[s]}>
              <input
                type="checkbox"
                checked={state.statuses.includes(s)}
                onChange={(e) =>
                  update({
                    status: (e.target.checked
                      ? [...state.statuses, s]
                      : state.statuses.filter((x) => x !== s)
                    ).join(','),
                  })
                }
              />
              {STATUS_LABELS[s]}
            </label>
          ))}
        </fieldset>
        <Field label="Kind">
          <select value={state.kind ?? ''} onChange={(e) => update({ kind: e.target.value })}>
            <option value="">Every kind</option>
            {NOTIFICATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Channel">
          <select value={state.channel ?? ''} onChange={(e) => update({ channel: e.target.value })}>
            <option value="">Email and SMS</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {channelLabel(c)}
              </option>
            ))}
          </select>
        </Field>
        <ClientFilter clientId={state.clientId} onChange={(client) => update({ client })} />
      </form>
      {state.appointmentId && (
        <p className="notice">
          Messages about{' '}
          {visit.data
            ? `${visit.data.serviceName} for ${visit.data.clientName} on ${formatDateTime(visit.data.scheduledAt, tz)}`
            : 'one visit'}
          .{' '}
          <button type="button" className="link" onClick={() => update({ appointment: '' })}>
            Show every visit's messages
          </button>
        </p>
      )}
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {isPending && <Loading />}
      {data && data.count === 0 && (
        <Empty title={filtered ? 'No message matches these filters' : 'No messages yet'}>
          {!filtered && (
            <p>Booking confirmations, reminders and notices to clients will be listed here.</p>
          )}
        </Empty>
      )}
      {data && data.count > 0 && (
        <>
          <table className="grid notify-grid" aria-busy={isFetching}>
            <thead>
              <tr>
                <th>Message</th>
                <th>Client</th>
                <th>Visit</th>
                <th>Due</th>
                <th>Status</th>
                <th>Reason</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((n) => (
                <tr key={n.id}>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        setOpenId(n.id)
                        setOpened(n)
                      }}
                    >
                      {kindLabel(n.kind)}
                    </button>
                    <div className="muted small">{channelLabel(n.channel)}</div>
                  </td>
                  <td>
                    {n.clientName}
                    {n.recipient && (
                      <div className="muted small recipient">{breakable(n.recipient)}</div>
                    )}
                  </td>
                  <td>
                    <When iso={n.visitAt} tz={tz} />
                  </td>
                  <td>
                    <When iso={n.dueAt} tz={tz} />
                  </td>
                  <td>
                    <NotificationBadge status={n.status} />
                    {(n.attempts > 0 || isOnItsWay(n.status)) && (
                      <div className="muted small">{tries(n.attempts, n.status)}</div>
                    )}
                  </td>
                  <td className="notify-reason-cell">{n.reason ?? ''}</td>
                  <td>
                    <RetryButton message={n} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            count={data.count}
            limit={data.limit}
            offset={data.offset}
            onPage={(offset) => update({ offset: String(offset) }, true)}
          />
        </>
      )}
      {open && (
        <MessageDialog
          message={open}
          onClose={() => {
            setOpenId(null)
            setOpened(null)
          }}
        />
      )}
    </section>
  )
}

/**
 * How many tries a message has had. A failure with none is a provider out of reach
 * (offline): it goes again without counting, so it never reads as "not tried yet".
 */
const tries = (n: number, status: string) =>
  n > 0
    ? plural(n, 'try', 'tries')
    : status === 'failed'
      ? 'provider out of reach: no try counted'
      : 'not tried yet'

/** An address that may wrap before its "@" (and a long number nowhere). */
function breakable(recipient: string) {
  const at = recipient.indexOf('@')
  if (at <= 0) return recipient
  return (
    <>
      {recipient.slice(0, at)}
      <wbr />
      {recipient.slice(at)}
    </>
  )
}

import { useEffect, useMemo, useState } from 'react'
import {
  APPOINTMENT_ORDERINGS,
  type AppointmentOrdering,
} from '../../../../shared/contract/appointments'
import { APPOINTMENT_STATUSES, type AppointmentStatus } from '../../../../shared/domain/enums'
import { isManager } from '../../../../shared/domain/permissions'
import { fieldErrors } from '../../api/hooks'
import { useChannel } from '../../api/queries'
import { useServices, useSettings, useTeam } from '../../api/reference'
import { businessDay, formatDateTime, fromLocalInput, money } from '../../app/format'
import { priorityLabel } from '../../app/labels'
import { patchParams, useRoute } from '../../app/router'
import { Field } from '../../components/Field'
import { NamedOptions } from '../../components/NamedOptions'
import { Empty, LoadError, Loading, Pager, StatusBadge } from '../../components/States'
import { StatusChecks } from '../../components/StatusChecks'
import { useSession } from '../../stores/session'
import { RiskBadge } from '../weather/RiskBadge'
import { useUpcomingRisks } from '../weather/useRisks'
import { useAppointmentDialogs } from './useAppointmentDialogs'

const COLUMNS: { key: string; label: string }[] = [
  { key: 'scheduled_date', label: 'When' },
  { key: 'client_name', label: 'Client' },
  { key: 'service_name', label: 'Service' },
  { key: 'team_member_name', label: 'Crew' },
  { key: 'status', label: 'Status' },
  { key: 'priority', label: 'Priority' },
]

/** Rows per page. */
const PAGE = 25

/** The list's order from the address: one it knows, else soonest first (latest for Past). */
function orderingOf(text: string | null, past: boolean): AppointmentOrdering {
  if (text && (APPOINTMENT_ORDERINGS as readonly string[]).includes(text))
    return text as AppointmentOrdering
  return past ? '-scheduled_date' : 'scheduled_date'
}

/** Every appointment, with the list API's full power; the state lives in the URL. */
export function AppointmentsScreen() {
  const { params } = useRoute()
  const { user } = useSession()
  const tz = useSettings().timeZone
  const team = useTeam()
  const services = useServices()
  const [searchDraft, setSearchDraft] = useState(params.get('search') ?? '')
  // The box shows the search in force: back on the screen with none, it is empty again.
  const searched = params.get('search') ?? ''
  useEffect(() => setSearchDraft(searched), [searched])

  const state = useMemo(
    () => ({
      // An address typed or bookmarked by hand: what the list cannot use is left out.
      statuses: (params.get('status') ?? '')
        .split(',')
        .filter((s): s is AppointmentStatus => APPOINTMENT_STATUSES.includes(s as never)),
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
      search: params.get('search') ?? '',
      serviceId: params.get('service') ?? '',
      teamMemberId: params.get('crew') ?? '',
      clientId: params.get('client') ?? '',
      // Upcoming (from today, soonest first) unless "Past" is chosen (latest first).
      past: params.get('when') === 'past',
      ordering: orderingOf(params.get('ordering'), params.get('when') === 'past'),
      offset: Math.max(0, Math.floor((Number(params.get('offset')) || 0) / PAGE) * PAGE),
      atRisk: params.get('risk') === 'at-risk',
    }),
    [params],
  )

  const update = (patch: Record<string, string>, keepOffset = false) =>
    patchParams(params, patch, keepOffset)

  // Today's start in the business's zone: the line between upcoming and past. Dates
  // typed in From / To take the place of that line on their side.
  const today = businessDay(new Date(), tz).from
  const { data, error, isPending, isFetching, refetch } = useChannel(
    'appointments.list',
    {
      limit: PAGE,
      offset: state.offset,
      ordering: state.ordering,
      ...(state.statuses.length ? { status: state.statuses } : {}),
      ...(state.from
        ? { scheduledFrom: fromLocalInput(`${state.from}T00:00`, tz) ?? state.from }
        : state.past
          ? {}
          : { scheduledFrom: today }),
      ...(state.to
        ? { scheduledTo: endOfDay(state.to, tz) }
        : state.past
          ? { scheduledTo: new Date(Date.parse(today) - 1).toISOString() }
          : {}),
      ...(state.search ? { search: state.search } : {}),
      ...(state.serviceId ? { serviceId: state.serviceId } : {}),
      ...(state.teamMemberId ? { teamMemberId: state.teamMemberId } : {}),
      ...(state.clientId ? { clientId: state.clientId } : {}),
      ...(state.atRisk ? { atRisk: true } : {}),
    },
    { keepPrevious: true },
  )
  // A page past the end (a stale bookmark, rows since deleted): the last page instead.
  const count = data?.count
  useEffect(() => {
    if (count !== undefined && count > 0 && state.offset >= count)
      patchParams(params, { offset: String(Math.floor((count - 1) / PAGE) * PAGE) }, true)
  }, [count, state.offset, params])
  const risks = useUpcomingRisks()
  const errors = error?.error.code === 'VALIDATION' ? fieldErrors(error) : {}
  const { book, show, dialogs } = useAppointmentDialogs()

  function sortBy(key: string) {
    const current = state.ordering.replace(/^-/, '')
    const descending = state.ordering.startsWith('-')
    update({ ordering: current === key && !descending ? `-${key}` : key }, false)
  }

  return (
    <section className="screen" aria-label="Appointments">
      <header className="screen-head">
        <h1>Appointments</h1>
        {/* biome-ignore lint/a11y/useSemanticElements: a toolbar's button pair, not a form's fieldset */}
        <div className="segmented" role="group" aria-label="Which appointments">
          <button
            type="button"
            aria-pressed={!state.past}
            onClick={() => update({ when: '', ordering: '' })}
          >
            Upcoming
          </button>
          <button
            type="button"
            aria-pressed={state.past}
            onClick={() => update({ when: 'past', ordering: '' })}
          >
            Past
          </button>
        </div>
        {isManager(user?.role ?? null) && (
          <button type="button" className="primary" onClick={() => book({})}>
            New appointment
          </button>
        )}
      </header>
      <form
        className="filters wrap"
        aria-label="Filter appointments"
        onSubmit={(e) => {
          e.preventDefault()
          update({ search: searchDraft.trim() })
        }}
      >
        <Field label="Search">
          <input
            type="search"
            value={searchDraft}
            onChange={(e) => setSearchDraft(e.target.value)}
            placeholder="Client, address, service or notes"
          />
        </Field>
        <Field label="From" error={errors.scheduledFrom}>
          <input
            type="date"
            value={state.from}
            onChange={(e) => update({ from: e.target.value })}
          />
        </Field>
        <Field label="To" error={errors.scheduledTo}>
          <input type="date" value={state.to} onChange={(e) => update({ to: e.target.value })} />
        </Field>
        <Field label="Service" error={errors.serviceId}>
          <select value={state.serviceId} onChange={(e) => update({ service: e.target.value })}>
            <option value="">All services</option>
            <NamedOptions items={services} />
          </select>
        </Field>
        <Field label="Crew member" error={errors.teamMemberId}>
          <select value={state.teamMemberId} onChange={(e) => update({ crew: e.target.value })}>
            <option value="">Everyone</option>
            <NamedOptions items={team} />
          </select>
        </Field>
        <StatusChecks
          value={state.statuses}
          onChange={(next) => update({ status: next.join(',') })}
        />
        <fieldset className="status-filter">
          <legend>Weather</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={state.atRisk}
              onChange={(e) => update({ risk: e.target.checked ? 'at-risk' : '' })}
            />
            At risk (next 7 days)
          </label>
        </fieldset>
        <button type="submit">Search</button>
        {state.clientId && (
          <button type="button" onClick={() => update({ client: '' })}>
            Clear client filter
          </button>
        )}
      </form>
      {error && error.error.code !== 'VALIDATION' && (
        <LoadError error={error} retry={() => void refetch()} />
      )}
      {errors[''] && <p role="alert">{errors['']}</p>}
      {isPending && <Loading />}
      {data && data.count === 0 && (
        <Empty
          title={
            state.atRisk
              ? 'No job in the next 7 days is at weather risk with these filters'
              : 'No appointments match these filters'
          }
        />
      )}
      {data && data.count > 0 && (
        <>
          <table className="grid" aria-busy={isFetching}>
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const active = state.ordering.replace(/^-/, '') === c.key
                  const sort = active
                    ? state.ordering.startsWith('-')
                      ? 'descending'
                      : 'ascending'
                    : 'none'
                  return (
                    <th key={c.key} aria-sort={sort}>
                      <button type="button" className="sort" onClick={() => sortBy(c.key)}>
                        {c.label}
                        <span aria-hidden="true">
                          {active ? (sort === 'ascending' ? ' ▲' : ' ▼') : ''}
                        </span>
                      </button>
                    </th>
                  )
                })}
                <th>Weather</th>
                <th>Price</th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((a) => (
                <tr key={a.id}>
                  <td className="when">
                    <button type="button" className="link" onClick={() => show(a)}>
                      {formatDateTime(a.scheduledAt, tz)}
                    </button>
                  </td>
                  <td>
                    {a.clientName}
                    {a.location && <div className="muted">{a.location}</div>}
                  </td>
                  <td>{a.serviceName}</td>
                  <td>
                    {a.teamMemberColor && (
                      <span
                        className="dot"
                        style={{ background: a.teamMemberColor }}
                        aria-hidden="true"
                      />
                    )}
                    {a.teamMemberName ?? 'Unassigned'}
                  </td>
                  <td>
                    <StatusBadge status={a.status} />
                  </td>
                  <td>{priorityLabel(a.priority)}</td>
                  <td>
                    {a.status === 'scheduled' || a.status === 'in_progress' ? (
                      <RiskBadge risk={risks.get(a.id)} />
                    ) : null}
                  </td>
                  <td className="num">{money(a.price)}</td>
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
      {dialogs}
    </section>
  )
}

function endOfDay(date: string, tz: string): string {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
  const start = fromLocalInput(`${next}T00:00`, tz)
  return start ? new Date(Date.parse(start) - 1).toISOString() : date
}

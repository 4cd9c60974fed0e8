import { Printer } from 'lucide-react'
import { useMemo, useState } from 'react'
import type { Appointment } from '../../../../shared/contract/appointments'
import type { AppointmentStatus } from '../../../../shared/domain/enums'
import { type Absence, absenceOn, absenceWords, isToday } from '../../../../shared/domain/job-day'
import { addDays, localDay } from '../../../../shared/domain/time'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { useSettings, useTeam } from '../../api/reference'
import { businessDay, formatDay, formatTime } from '../../app/format'
import { navigate } from '../../app/router'
import { NamedOptions } from '../../components/NamedOptions'
import { Empty, LoadError, Loading } from '../../components/States'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { useOtherDayConfirm } from '../appointments/useOtherDayConfirm'
import { RiskLine } from '../weather/RiskBadge'
import { useRisks } from '../weather/useRisks'
import { FollowUpDialog } from './FollowUpDialog'
import { JobCard } from './JobCard'

/**
 * A crew lead's day: the crew's jobs still under way from other days, then today's jobs
 * in order, with big Start / Complete buttons, and a look at tomorrow.
 */
export function TodayScreen() {
  const { role, crew: ownCrew } = useSession()
  const tz = useSettings().timeZone
  const team = useTeam()
  const [chosen, setCrew] = useState('')
  // A crew lead's own crew (their sync token's on a crew's laptop); otherwise the one
  // picked, or the first once the crew loads.
  const led = role === 'crew_lead' ? ownCrew : null
  const crew = led ?? (chosen || team[0]?.id || '')
  const [followUp, setFollowUp] = useState<Appointment | null>(null)
  const day = businessDay(new Date(), tz)
  const { data, error, isPending, refetch } = useChannel(
    'appointments.list',
    {
      ...(crew ? { teamMemberId: crew } : {}),
      scheduledFrom: day.from,
      scheduledTo: new Date(Date.parse(day.to) - 1).toISOString(),
      ordering: 'scheduled_date',
      limit: 100,
    },
    { keepPrevious: true },
  )
  // A job started on another day than it was booked for (or left running overnight) is
  // still the crew's work: it stays on Today until it is completed, whatever its day.
  const running = useChannel(
    'appointments.list',
    {
      ...(crew ? { teamMemberId: crew } : {}),
      status: 'in_progress',
      ordering: 'scheduled_date',
      limit: 100,
    },
    { keepPrevious: true },
  )
  const underWay = running.data?.results.filter((a) => !isToday(a.scheduledAt, Date.now(), tz))

  const risks = useRisks(day, crew || undefined)
  const date = localDay(Date.now(), tz)
  const places = useJobPlaces(date, crew)
  const off = useDaysOff(crew, date)
  // Tomorrow too: what to load on the truck, where to go first.
  const tomorrow = businessDay(new Date(Date.parse(day.to) + 60_000), tz)
  // Starting or completing a job of another day asks first.
  const otherDay = useOtherDayConfirm()

  async function act(a: Appointment, status: AppointmentStatus, done: string) {
    try {
      await write('appointments.setStatus', { id: a.id, status })
      // A job of today is started and completed at once; a mis-tap is taken back from the toast.
      if (status === 'completed' || status === 'in_progress')
        toast.undoable(
          done,
          () => write('appointments.setStatus', { id: a.id, status: a.status }),
          a.id,
        )
      else toast.success(done)
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }
  const onStatus = (a: Appointment, status: AppointmentStatus, done: string) =>
    otherDay.check(
      a,
      status === 'in_progress' ? 'start' : 'complete',
      () => void act(a, status, done),
    )

  const crewName = team.find((m) => m.id === crew)?.name
  const offToday = off(date)
  return (
    <section className="screen today" aria-label="Today">
      <header className="screen-head">
        <h1>Today</h1>
        <span className="muted">{formatDay(new Date().toISOString(), tz)}</span>
        {led && crewName && <span className="crew-led">Crew: {crewName}</span>}
        {!led && (
          <label className="inline-field">
            Crew
            <select value={crew} onChange={(e) => setCrew(e.target.value)}>
              <NamedOptions items={team} />
            </select>
          </label>
        )}
        {crew && (
          <button
            type="button"
            className="print-sheet"
            onClick={() => navigate('/day-sheet', { date, crew })}
          >
            <Printer aria-hidden="true" size={16} /> Print day sheet
          </button>
        )}
      </header>
      {offToday && crewName && (
        <p className="notice day-off">{absenceWords(crewName, offToday, 'today')}</p>
      )}
      {underWay && underWay.length > 0 && (
        <section className="under-way" aria-label="Still in progress">
          <h2>Still in progress from other days</h2>
          <ol className="jobs">
            {underWay.map((a) => (
              <JobCard
                key={a.id}
                appointment={a}
                timeZone={tz}
                place={undefined}
                risk={undefined}
                otherDay
                onStatus={onStatus}
                onFollowUp={setFollowUp}
              />
            ))}
          </ol>
        </section>
      )}
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {isPending && <Loading />}
      {data?.count === 0 &&
        (underWay?.length ? (
          <p className="muted">No other jobs today{crewName ? ` for ${crewName}` : ''}.</p>
        ) : (
          <Empty title={`No jobs today${crewName ? ` for ${crewName}` : ''}`}>
            {offToday ? null : 'Enjoy the quiet.'}
          </Empty>
        ))}
      <ol className="jobs">
        {data?.results.map((a) => (
          <JobCard
            key={a.id}
            appointment={a}
            timeZone={tz}
            place={places.get(a.id)}
            risk={risks.get(a.id)}
            onStatus={onStatus}
            onFollowUp={setFollowUp}
          />
        ))}
      </ol>
      <Tomorrow range={tomorrow} crew={crew} crewName={crewName} off={off(addDays(date, 1))} />
      <FollowUpDialog original={followUp} onClose={() => setFollowUp(null)} />
      {otherDay.dialog}
    </section>
  )
}

/**
 * Where each job of a crew's day is (its own place or its client's address) and the
 * client's phone: the day sheet's answer, one query for the whole day.
 */
function useJobPlaces(date: string, crew: string) {
  const sheet = useChannel('daySheet.get', { date, crew }, { enabled: !!crew, keepPrevious: true })
  return useMemo(
    () => new Map(sheet.data?.crews.flatMap((c) => c.jobs.map((j) => [j.id, j] as const)) ?? []),
    [sheet.data],
  )
}

/** Whether the crew member is off on a day (from today on), and until when. */
function useDaysOff(crew: string, today: string) {
  const { data } = useChannel(
    'team.timeOff.list',
    { teamMemberId: crew, from: today },
    { enabled: !!crew, keepPrevious: true },
  )
  const ranges = data?.results
  return useMemo(
    () => (day: string) =>
      ranges && crew
        ? absenceOn(
            ranges.filter((r) => r.teamMemberId === crew),
            day,
          )
        : null,
    [ranges, crew],
  )
}

/** Tomorrow's jobs of the crew, in order: a look ahead, nothing to act on yet. */
function Tomorrow(props: {
  range: { from: string; to: string }
  crew: string
  crewName?: string | undefined
  /** The crew member's time off tomorrow, if they are off. */
  off: Absence | null
}) {
  const tz = useSettings().timeZone
  const { data } = useChannel(
    'appointments.list',
    {
      ...(props.crew ? { teamMemberId: props.crew } : {}),
      scheduledFrom: props.range.from,
      scheduledTo: new Date(Date.parse(props.range.to) - 1).toISOString(),
      ordering: 'scheduled_date',
      limit: 100,
    },
    { keepPrevious: true },
  )
  const risks = useRisks(props.range, props.crew || undefined)
  const places = useJobPlaces(localDay(Date.parse(props.range.from), tz), props.crew)
  const live = data?.results.filter((a) => a.status !== 'cancelled') ?? []
  return (
    <section className="tomorrow" aria-label="Tomorrow">
      <h2>
        Tomorrow <span className="muted">{formatDay(props.range.from, tz)}</span>
      </h2>
      {props.off && props.crewName && (
        <p className="notice day-off">{absenceWords(props.crewName, props.off, 'tomorrow')}</p>
      )}
      {data && live.length === 0 && !props.off && (
        <p className="muted">No jobs tomorrow{props.crewName ? ` for ${props.crewName}` : ''}.</p>
      )}
      {live.length > 0 && (
        <ol className="tomorrow-jobs">
          {live.map((a) => {
            const place = places.get(a.id)?.place ?? a.location
            return (
              <li key={a.id} aria-label={`Tomorrow: ${a.clientName}, ${a.serviceName}`}>
                <span className="job-time">
                  {formatTime(a.scheduledAt, tz)}–{formatTime(a.endsAt, tz)}
                </span>
                <span>
                  <strong>{a.clientName}</strong> · {a.serviceName}
                  {place ? <span className="muted"> · {place}</span> : null}
                </span>
                <RiskLine risk={risks.get(a.id)} />
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}

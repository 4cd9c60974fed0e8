import { FileDown, Printer } from 'lucide-react'
import type { DaySheet, DaySheetCrew } from '../../../../shared/contract/day-sheet'
import { daySheetFileName } from '../../../../shared/contract/shell'
import { workedWords } from '../../../../shared/domain/job-day'
import { isManager } from '../../../../shared/domain/permissions'
import { localDay } from '../../../../shared/domain/time'
import { ApiError } from '../../api/client'
import { useChannel } from '../../api/queries'
import { useSettings, useTeam } from '../../api/reference'
import { savePdf } from '../../api/shell'
import { amountOf, formatTime, plural } from '../../app/format'
import { NO_ADDRESS } from '../../app/labels'
import { href, replaceParams, useRoute } from '../../app/router'
import { NamedOptions } from '../../components/NamedOptions'
import { LoadError, Loading } from '../../components/States'
import { Toasts } from '../../components/Toasts'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import './day-sheet.css'

/** "Tuesday, May 4, 2027": a calendar day as written, whatever the laptop's zone. */
const longDate = (day: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  )

/** `#/day-sheet?date=YYYY-MM-DD&crew=<id>|all`: the crew's day, to print or save as PDF. */
export function DaySheetScreen() {
  const { params } = useRoute()
  const { user, crew: led } = useSession()
  const tz = useSettings().timeZone
  const team = useTeam()
  const manager = isManager(user?.role ?? null)
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '')
    ? (params.get('date') as string)
    : localDay(Date.now(), tz)
  // A crew lead's sheet is their own crew's; the office picks anyone's, or everyone's.
  const crew = manager ? params.get('crew') || 'all' : (led ?? '')
  const { data, error, isPending, refetch } = useChannel(
    'daySheet.get',
    { date, crew },
    { enabled: crew !== '' },
  )
  const set = (patch: Record<string, string>) =>
    replaceParams(new URLSearchParams({ date, crew, ...patch }))
  const crewName =
    crew === 'all' ? 'All crews' : (data?.crews[0]?.name ?? team.find((m) => m.id === crew)?.name)

  async function save() {
    try {
      const done = await savePdf(daySheetFileName(date, crewName ?? ''))
      if (done === 'saved') toast.success('Day sheet saved as PDF')
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }

  return (
    <div className="day-sheet-screen">
      <header className="sheet-toolbar">
        <a href={href(manager ? '/calendar' : '/today')}>← Back</a>
        <h1>Day sheet</h1>
        <label>
          Date
          <input
            type="date"
            value={date}
            onChange={(e) => e.target.value && set({ date: e.target.value })}
          />
        </label>
        {manager && (
          <label>
            Crew
            <select value={crew} onChange={(e) => set({ crew: e.target.value })}>
              <option value="all">All crews, one page each</option>
              <NamedOptions items={team} />
            </select>
          </label>
        )}
        <span className="sheet-actions">
          <button type="button" onClick={() => window.print()}>
            <Printer aria-hidden="true" size={16} /> Print
          </button>
          <button type="button" className="primary" onClick={() => void save()}>
            <FileDown aria-hidden="true" size={16} /> Save as PDF
          </button>
        </span>
      </header>
      {!crew && (
        <p className="notice">
          Your user is not linked to a crew: ask the office for your day sheet.
        </p>
      )}
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {isPending && crew && <Loading />}
      {data && <Sheet sheet={data} timeZone={tz} />}
      <Toasts />
    </div>
  )
}

function Sheet({ sheet, timeZone }: { sheet: DaySheet; timeZone: string }) {
  if (sheet.crews.length === 0) {
    return (
      <article className="sheet-page" aria-label="No jobs">
        <SheetHead title="All crews" date={sheet.date} count={0} />
        <p>No jobs on this day.</p>
        <SheetFoot sheet={sheet} />
      </article>
    )
  }
  return (
    <>
      {sheet.crews.map((crew) => (
        <CrewPage
          key={crew.teamMemberId ?? 'unassigned'}
          crew={crew}
          sheet={sheet}
          timeZone={timeZone}
        />
      ))}
    </>
  )
}

function SheetHead({ title, date, count }: { title: string; date: string; count: number }) {
  return (
    <header className="sheet-head">
      <h2>{title}</h2>
      <p>
        <strong>{longDate(date)}</strong> · {plural(count, 'job')}
      </p>
    </header>
  )
}

function SheetFoot({ sheet }: { sheet: DaySheet }) {
  const business = [sheet.businessName ?? 'Groundskeeper', sheet.businessPhone].filter(Boolean)
  return <footer className="sheet-foot">{business.join(' · ')}</footer>
}

/** One crew member's page: a row per job, in time order. */
function CrewPage({
  crew,
  sheet,
  timeZone,
}: {
  crew: DaySheetCrew
  sheet: DaySheet
  timeZone: string
}) {
  return (
    <article className="sheet-page" aria-label={`Day sheet: ${crew.name}`}>
      <SheetHead title={crew.name} date={sheet.date} count={crew.jobs.length} />
      {crew.jobs.length === 0 ? (
        <p>No jobs on this day.</p>
      ) : (
        <table className="sheet-jobs">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Client and address</th>
              <th scope="col">Service and notes</th>
              <th scope="col">Bring</th>
            </tr>
          </thead>
          <tbody>
            {crew.jobs.map((j) => (
              <tr key={j.id}>
                <td className="sheet-time">
                  {formatTime(j.scheduledAt, timeZone)}
                  <span className="sheet-until">to {formatTime(j.endsAt, timeZone)}</span>
                  {j.status !== 'scheduled' && (
                    // When it was really worked: "Started 7:04 AM · Finished 12:40 PM".
                    <span className="sheet-status">
                      {workedWords(j, timeZone) ?? (j.status === 'completed' ? 'Done' : 'Started')}
                    </span>
                  )}
                </td>
                <td>
                  <strong>{j.clientName}</strong>
                  <div>{j.place ?? NO_ADDRESS}</div>
                  {j.clientPhone && <div>Tel. {j.clientPhone}</div>}
                </td>
                <td>
                  <strong>{j.serviceName}</strong>
                  {j.notes && <div className="sheet-notes">{j.notes}</div>}
                </td>
                <td>
                  {j.products.length > 0 ? (
                    <ul className="sheet-products">
                      {j.products.map((p, i) => (
                        // Two lines may name the same product: the index keeps them apart.
                        // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id here
                        <li key={i}>
                          {amountOf(p.quantity, p.unit)} {p.name}
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SheetFoot sheet={sheet} />
    </article>
  )
}

import { useState } from 'react'
import type { PlannedMove, ReassignmentPlan } from '../../../../shared/contract/weather'
import { OPEN_ENDED_REVIEW_DAYS } from '../../../../shared/domain/reassign'
import { addDays } from '../../../../shared/domain/time'
import { useChannel, write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { plural } from '../../app/format'
import { href } from '../../app/router'
import { Empty, LoadError, Loading } from '../../components/States'
import { toast } from '../../stores/toasts'
import { moveProblem } from '../weather/move-errors'
import { MovesTable, UnplacedList } from '../weather/PlanTable'
import { reassignHref } from './TimeOffDialog'
import { rangeText } from './TimeOffList'

/** The review of an open-ended time off's next weeks, after the ones shown. */
const nextWeeks = (p: { teamMemberId: string; to: string }) => {
  const from = addDays(p.to, 1)
  return {
    teamMemberId: p.teamMemberId,
    from,
    to: addDays(from, OPEN_ENDED_REVIEW_DAYS - 1),
    openEnded: true,
  }
}

/** What the office decided for one planned move: skip it, or give it to someone else. */
interface Decision {
  skip?: boolean
  member?: { id: string; name: string }
}

interface Applied {
  moved: number
  skipped: PlannedMove[]
  unplaced: ReassignmentPlan['unplaced']
}

/**
 * Who takes a crew member's jobs while they are out: the core's plan (qualified, free,
 * least busy first; else the nearest day; else why not), row by row: change the crew
 * member, skip, then apply everything left in one move. Opened by URL it asks for a
 * fresh plan; after adding time off it starts from the plan that came back.
 */
export function ReassignReview(props: {
  teamMemberId: string
  from: string
  to: string
  openEnded?: boolean
}) {
  const tz = useSettings().timeZone
  const input = { teamMemberId: props.teamMemberId, from: props.from, to: props.to }
  const member = useChannel('team.get', { id: props.teamMemberId })
  const plan = useChannel('team.reassignmentPlan', input)
  const [decisions, setDecisions] = useState<Record<string, Decision>>({})
  const [changing, setChanging] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [applied, setApplied] = useState<Applied | null>(null)
  const name = member.data?.name ?? 'This crew member'
  const moves = plan.data?.moves ?? []
  const decide = (id: string, d: Decision) => setDecisions((all) => ({ ...all, [id]: d }))
  const loadError = plan.error ?? member.error
  const accepted = moves.filter((m) => !decisions[m.appointmentId]?.skip)

  async function apply() {
    if (!plan.data) return
    setBusy(true)
    setProblem(null)
    try {
      const { moved } = await write('appointments.moveMany', {
        moves: accepted.map((m) => ({
          id: m.appointmentId,
          scheduledAt: m.toStartAt,
          teamMemberId: decisions[m.appointmentId]?.member?.id ?? m.toMemberId,
        })),
      })
      setApplied({
        moved,
        skipped: moves.filter((m) => decisions[m.appointmentId]?.skip),
        unplaced: plan.data.unplaced,
      })
      toast.success(`${plural(moved, 'job')} reassigned`)
    } catch (err) {
      setProblem(moveProblem(err))
    } finally {
      setBusy(false)
    }
  }

  const range = rangeText({ startsOn: props.from, endsOn: props.openEnded ? null : props.to }, tz)
  const planned = rangeText({ startsOn: props.from, endsOn: props.to }, tz)
  return (
    <section className="screen" aria-label="Reassign jobs">
      <header className="screen-head">
        <div className="reassign-title">
          <h1>{`Reassign ${name}'s jobs`}</h1>
          <p className="muted">
            {member.data?.archived
              ? `Archived: every job to come needs someone else (${planned})`
              : `Off ${range.replace(/^From /, 'from ')}`}
          </p>
          {props.openEnded && (
            <p className="muted">
              Jobs {planned} are planned here; later ones stay with {name} until you plan them:{' '}
              <a href={href('/team', reassignHref(nextWeeks(props)))}>
                plan the {OPEN_ENDED_REVIEW_DAYS / 7} weeks after
              </a>
              .
            </p>
          )}
        </div>
        <a href={href('/team')}>Back to the team</a>
      </header>
      {applied ? (
        <Summary name={name} applied={applied} />
      ) : (
        <>
          {loadError && (
            <LoadError
              error={loadError}
              retry={() => {
                void plan.refetch()
                void member.refetch()
              }}
            />
          )}
          {plan.isPending && <Loading label="Planning who takes these jobs…" />}
          {plan.data && moves.length === 0 && plan.data.unplaced.length === 0 && (
            <Empty title={`${name} has no jobs to hand over in these days`} />
          )}
          {problem && (
            <p role="alert" className="form-error">
              {problem}
            </p>
          )}
          {moves.length > 0 && (
            <>
              <p>
                Nothing changes until you apply the plan. Change who takes a job, or skip it to
                leave it as it is.
              </p>
              <MovesTable
                moves={moves}
                label="Planned moves"
                skipped={(m) => !!decisions[m.appointmentId]?.skip}
                member={(m) =>
                  decisions[m.appointmentId]?.skip ? (
                    <span className="muted">—</span>
                  ) : changing === m.appointmentId ? (
                    <MemberPicker
                      move={m}
                      // Given another job of the plan at an overlapping time: not offered.
                      busy={(memberId) =>
                        moves.some((o) => {
                          if (o.appointmentId === m.appointmentId) return false
                          const d = decisions[o.appointmentId]
                          if (d?.skip || (d?.member?.id ?? o.toMemberId) !== memberId) return false
                          const [a, b] = [Date.parse(o.toStartAt), Date.parse(m.toStartAt)]
                          return (
                            a < b + m.durationMinutes * 60_000 && b < a + o.durationMinutes * 60_000
                          )
                        })
                      }
                      value={decisions[m.appointmentId]?.member?.id ?? m.toMemberId}
                      onPick={(picked) => {
                        decide(
                          m.appointmentId,
                          picked.id === m.toMemberId ? {} : { member: picked },
                        )
                        setChanging(null)
                      }}
                    />
                  ) : (
                    (decisions[m.appointmentId]?.member?.name ?? m.toMemberName)
                  )
                }
                actions={(m) => {
                  const d = decisions[m.appointmentId]
                  const who = `${m.clientName}, ${m.serviceName}`
                  return d?.skip ? (
                    <button
                      type="button"
                      aria-label={`Undo skip: ${who}`}
                      onClick={() => decide(m.appointmentId, {})}
                    >
                      Undo skip
                    </button>
                  ) : (
                    <>
                      <button
                        type="button"
                        aria-label={`Change crew member: ${who}`}
                        onClick={() =>
                          setChanging(changing === m.appointmentId ? null : m.appointmentId)
                        }
                      >
                        Change
                      </button>
                      <button
                        type="button"
                        aria-label={`Skip: ${who}`}
                        onClick={() => decide(m.appointmentId, { skip: true })}
                      >
                        Skip
                      </button>
                    </>
                  )
                }}
              />
              <div className="form-actions">
                <button
                  type="button"
                  className="primary"
                  disabled={busy || accepted.length === 0}
                  onClick={() => void apply()}
                >
                  {accepted.length
                    ? `Apply plan (${plural(accepted.length, 'move')})`
                    : 'Nothing to apply'}
                </button>
              </div>
            </>
          )}
          <UnplacedList unplaced={plan.data?.unplaced ?? []} />
        </>
      )}
    </section>
  )
}

/**
 * The crew member planned, or another the plan found qualified, working and free at
 * that time: no one busy, away or off is offered.
 */
function MemberPicker(props: {
  move: PlannedMove
  busy: (memberId: string) => boolean
  value: string
  onPick: (m: { id: string; name: string }) => void
}) {
  const options = [
    { id: props.move.toMemberId, name: props.move.toMemberName },
    ...(props.move.alternatives ?? []).filter((a) => !props.busy(a.id)),
  ]
  if (options.length === 1)
    return (
      <span title="No one else with the specialty is free then">{props.move.toMemberName}</span>
    )
  return (
    <select
      aria-label={`Crew member for ${props.move.clientName}`}
      value={props.value}
      onChange={(e) => {
        const m = options.find((o) => o.id === e.target.value)
        if (m) props.onPick({ id: m.id, name: m.name })
      }}
    >
      {options.map((m) => (
        <option key={m.id} value={m.id}>
          {m.id === props.move.toMemberId ? `${m.name} (as planned)` : m.name}
        </option>
      ))}
    </select>
  )
}

function Summary(props: { name: string; applied: Applied }) {
  const { moved, skipped, unplaced } = props.applied
  return (
    <section className="card reassign-summary" aria-label="Plan applied">
      <h2>Plan applied</h2>
      <p>
        {plural(moved, 'job')} {moved === 1 ? 'has' : 'have'} a new crew member or day.
        {skipped.length > 0 &&
          ` ${plural(skipped.length, 'job')} skipped: still with ${props.name}.`}
        {unplaced.length > 0 && ` ${plural(unplaced.length, 'job')} could not be placed.`}
      </p>
      {skipped.length > 0 && (
        <ul aria-label="Skipped">
          {skipped.map((m) => (
            <li key={m.appointmentId}>
              {m.clientName}, {m.serviceName}
            </li>
          ))}
        </ul>
      )}
      <UnplacedList unplaced={unplaced} />
      <p className="actions-row">
        <a href={href('/team')}>Back to the team</a>
        <a href={href('/calendar', { view: 'timeGridWeek' })}>Open the calendar</a>
      </p>
    </section>
  )
}

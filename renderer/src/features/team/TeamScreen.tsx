import { useMemo, useState } from 'react'
import { contract } from '../../../../shared/contract'
import type { TeamMember } from '../../../../shared/contract/team'
import type { TimeOff } from '../../../../shared/contract/weather'
import { isManager } from '../../../../shared/domain/permissions'
import { addDays } from '../../../../shared/domain/time'
import { covers, describeHours, memberHours } from '../../../../shared/domain/working-hours'
import { ApiError } from '../../api/client'
import { fieldError, useContractForm } from '../../api/forms'
import { useChannel, write } from '../../api/queries'
import { useServices, useSettings } from '../../api/reference'
import { toLocalInput } from '../../app/format'
import { useRoute } from '../../app/router'
import { ContactFields } from '../../components/ContactFields'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { ShowArchived } from '../../components/ShowArchived'
import { Empty, LoadError, Loading } from '../../components/States'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { ArchiveMemberDialog, JobsStillWith } from './ArchiveMemberDialog'
import { ReassignReview } from './ReassignReview'
import { TimeOffDialog } from './TimeOffDialog'
import { TimeOffList } from './TimeOffList'
import { WorkingHoursFields } from './WorkingHoursFields'
import '../weather/weather.css'
import './team.css'

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** How long time off that is over stays on a member's card. */
const RECENT_TIME_OFF_DAYS = 30

/**
 * The crew: who they are, what they can do, and when they are off. `?reassign=<id>
 * &from=&to=` opens the review of who takes that member's jobs in those days.
 */
export function TeamScreen() {
  const { params } = useRoute()
  const reassign = params.get('reassign')
  const from = params.get('from') ?? ''
  const to = params.get('to') ?? ''
  if (reassign && DAY.test(from) && DAY.test(to))
    return (
      <ReassignReview
        key={`${reassign}-${from}-${to}`}
        teamMemberId={reassign}
        from={from}
        to={to}
        openEnded={params.get('open') === '1'}
      />
    )
  return <TeamList />
}

function TeamList() {
  const { user } = useSession()
  const { timeZone: tz, workingHours: business } = useSettings()
  const services = useServices()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<Partial<TeamMember> | null>(null)
  const [addingOff, setAddingOff] = useState<TeamMember | null>(null)
  const [archiving, setArchiving] = useState<TeamMember | null>(null)
  const [showArchived, setShowArchived] = useState(false)
  const { data, error, isPending, refetch } = useChannel(
    'team.list',
    { search, limit: 100, includeArchived: showArchived },
    { keepPrevious: true },
  )
  const manager = isManager(user?.role ?? null)
  const serviceName = new Map(services.map((s) => [s.id, s.name]))
  async function restore(m: TeamMember) {
    try {
      await write('team.archive', { id: m.id, archived: false })
      toast.success(`${m.name} restored`)
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }
  async function markAvailable(m: TeamMember) {
    try {
      await write('team.setAvailability', { id: m.id, isAvailable: true })
      toast.success(`${m.name} is available again`)
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }
  // Time off from today on, by member, and what ended in the last weeks (shown as over):
  // older time off no longer matters here.
  const today = toLocalInput(new Date().toISOString(), tz).slice(0, 10)
  const timeOff = useChannel('team.timeOff.list', { from: addDays(today, -RECENT_TIME_OFF_DAYS) })
  const offBy = useMemo(() => {
    const by = new Map<string, TimeOff[]>()
    for (const t of timeOff.data?.results ?? [])
      by.set(t.teamMemberId, [...(by.get(t.teamMemberId) ?? []), t])
    for (const rows of by.values()) rows.sort((a, b) => a.startsOn.localeCompare(b.startsOn))
    return by
  }, [timeOff.data])

  return (
    <section className="screen" aria-label="Team">
      <header className="screen-head">
        <h1>Team</h1>
        <input
          type="search"
          aria-label="Search team"
          placeholder="Search crew"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <ShowArchived checked={showArchived} onChange={setShowArchived} />
        {manager && (
          <button type="button" className="primary" onClick={() => setEditing({})}>
            New crew member
          </button>
        )}
      </header>
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {isPending && <Loading />}
      {data?.count === 0 && <Empty title="No crew members" />}
      {data && data.count > 0 && (
        <ul className="cards">
          {data.results.map((m) => {
            const off = offBy.get(m.id) ?? []
            const outToday = off.some((t) => covers(t, today))
            return (
              <li
                key={m.id}
                className={m.archived ? 'card member archived' : 'card member'}
                aria-label={m.name}
              >
                <div className="member-head">
                  <span className="swatch" style={{ background: m.color }} aria-hidden="true" />
                  <strong>{m.name}</strong>
                  {m.archived ? (
                    <span className="badge off">Archived</span>
                  ) : (
                    <span className={outToday || !m.markedAvailable ? 'badge off' : 'badge ok'}>
                      {outToday ? 'Off today' : m.markedAvailable ? 'Available' : 'Unavailable'}
                    </span>
                  )}
                </div>
                <div className="muted small">{[m.email, m.phone].filter(Boolean).join(' · ')}</div>
                <p className="specialties">
                  {m.specialtyIds
                    .map((id) => serviceName.get(id))
                    .filter(Boolean)
                    .join(', ') || 'No specialties'}
                </p>
                <p className="muted small">Works {describeHours(memberHours(m, business))}</p>
                <TimeOffList name={m.name} rows={off} manager={manager} />
                {manager && m.archived && <JobsStillWith member={m} />}
                {manager && m.archived && (
                  <div className="row-actions">
                    <button
                      type="button"
                      aria-label={`Restore ${m.name}`}
                      onClick={() => void restore(m)}
                    >
                      Restore
                    </button>
                  </div>
                )}
                {manager && !m.archived && (
                  <div className="row-actions">
                    <button
                      type="button"
                      aria-label={`Add time off: ${m.name}`}
                      onClick={() => setAddingOff(m)}
                    >
                      Add time off
                    </button>
                    <button
                      type="button"
                      aria-label={`Edit ${m.name}`}
                      onClick={() => setEditing(m)}
                    >
                      Edit
                    </button>
                    {!m.markedAvailable && (
                      // Marked unavailable before time off existed: the way back.
                      <button type="button" onClick={() => void markAvailable(m)}>
                        Mark available
                      </button>
                    )}
                    <button
                      type="button"
                      aria-label={`Archive ${m.name}`}
                      onClick={() => setArchiving(m)}
                    >
                      Archive
                    </button>
                  </div>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {editing && <MemberDialog member={editing} onClose={() => setEditing(null)} />}
      {addingOff && <TimeOffDialog member={addingOff} onClose={() => setAddingOff(null)} />}
      {archiving && <ArchiveMemberDialog member={archiving} onClose={() => setArchiving(null)} />}
    </section>
  )
}

// Editing saves the fields and the specialties through their two channels, so the
// form validates against both of their schemas, joined.
const memberUpdate = contract['team.update'].input.extend({
  specialtyIds: contract['team.setSpecialties'].input.shape.serviceIds,
})

export function MemberDialog(props: { member: Partial<TeamMember>; onClose: () => void }) {
  const m = props.member
  const services = useServices()
  const form = useContractForm({
    schema: m.id ? memberUpdate : contract['team.create'].input,
    defaultValues: {
      ...(m.id ? { id: m.id } : {}),
      name: m.name ?? '',
      email: m.email ?? '',
      phone: m.phone ?? '',
      color: m.color ?? '#2e7d32',
      specialtyIds: m.specialtyIds ?? [],
      workingHours: m.workingHours ?? null,
      workingDays: m.workingDays ?? null,
    },
  })
  const business = useSettings().workingHours
  // Both values are the contract's own (null: the business's), set from the fields below.
  const setTime = (name: 'workingHours' | 'workingDays', value: unknown) =>
    form.setValue(name as never, value as never, {
      shouldDirty: true,
      shouldValidate: form.formState.isSubmitted,
    })
  return (
    <RecordDialog
      record={m}
      noun="crew member"
      form={form}
      onClose={props.onClose}
      wide
      onSave={async (input) => {
        if (m.id) {
          const { specialtyIds, ...fields } = input as { id: string; specialtyIds: string[] }
          await write('team.update', fields as never)
          await write('team.setSpecialties', { id: m.id, serviceIds: specialtyIds })
        } else {
          await write('team.create', input as never)
        }
        toast.success(`${form.getValues('name')} saved`)
        props.onClose()
      }}
    >
      <ContactFields register={(n) => form.register(n)} error={(n) => fieldError(form, n)} />
      <Field label="Calendar color" error={fieldError(form, 'color')}>
        <input type="color" {...form.register('color')} />
      </Field>
      <WorkingHoursFields
        business={business}
        hours={form.watch('workingHours' as never) as unknown as string | null}
        days={form.watch('workingDays' as never) as unknown as number[] | null}
        onHours={(v) => setTime('workingHours', v)}
        onDays={(v) => setTime('workingDays', v)}
        hoursError={fieldError(form, 'workingHours')}
        daysError={fieldError(form, 'workingDays')}
      />
      <fieldset className="specialty-picker">
        <legend>Specialties</legend>
        {services
          .filter((s) => s.isActive)
          .map((s) => (
            <label key={s.id} className="check">
              <input type="checkbox" value={s.id} {...form.register('specialtyIds')} />
              {s.name}
            </label>
          ))}
        {fieldError(form, 'specialtyIds') && (
          <small className="error-text">{fieldError(form, 'specialtyIds')}</small>
        )}
      </fieldset>
    </RecordDialog>
  )
}

import { useState } from 'react'
import { contract } from '../../../../shared/contract'
import type { TeamMember } from '../../../../shared/contract/team'
import { isManager } from '../../../../shared/domain/permissions'
import { ApiError } from '../../api/client'
import { fieldError, useContractForm } from '../../api/forms'
import { useChannel, write } from '../../api/queries'
import { useServices } from '../../api/reference'
import { ContactFields } from '../../components/ContactFields'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { Empty, LoadError, Loading } from '../../components/States'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'

/** The crew: who they are, what they can do, and whether they are available. */
export function TeamScreen() {
  const { user } = useSession()
  const services = useServices()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<Partial<TeamMember> | null>(null)
  const { data, error, isPending, refetch } = useChannel(
    'team.list',
    { search, limit: 100 },
    { keepPrevious: true },
  )
  const manager = isManager(user?.role ?? null)
  const serviceName = new Map(services.map((s) => [s.id, s.name]))

  async function toggle(m: TeamMember) {
    try {
      await write('team.setAvailability', { id: m.id, isAvailable: !m.isAvailable })
      toast.success(`${m.name} is now ${m.isAvailable ? 'unavailable' : 'available'}`)
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }

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
          {data.results.map((m) => (
            <li key={m.id} className="card member">
              <div className="member-head">
                <span className="swatch" style={{ background: m.color }} aria-hidden="true" />
                <strong>{m.name}</strong>
                <span className={m.isAvailable ? 'badge ok' : 'badge off'}>
                  {m.isAvailable ? 'Available' : 'Unavailable'}
                </span>
              </div>
              <div className="muted small">{[m.email, m.phone].filter(Boolean).join(' · ')}</div>
              <p className="specialties">
                {m.specialtyIds
                  .map((id) => serviceName.get(id))
                  .filter(Boolean)
                  .join(', ') || 'No specialties'}
              </p>
              {manager && (
                <div className="row-actions">
                  <button
                    type="button"
                    onClick={() => void toggle(m)}
                    aria-label={`${m.isAvailable ? 'Mark unavailable' : 'Mark available'}: ${m.name}`}
                  >
                    {m.isAvailable ? 'Mark unavailable' : 'Mark available'}
                  </button>
                  <button type="button" aria-label={`Edit ${m.name}`} onClick={() => setEditing(m)}>
                    Edit
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {editing && <MemberDialog member={editing} onClose={() => setEditing(null)} />}
    </section>
  )
}

// Editing saves the fields and the specialties through their two channels, so the
// form validates against both of their schemas, joined.
const memberUpdate = contract['team.update'].input.extend({
  specialtyIds: contract['team.setSpecialties'].input.shape.serviceIds,
})

function MemberDialog(props: { member: Partial<TeamMember>; onClose: () => void }) {
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
    },
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
      <Field label="Calendar colour" error={fieldError(form, 'color')}>
        <input type="color" {...form.register('color')} />
      </Field>
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

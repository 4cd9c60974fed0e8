import { type FormEvent, useState } from 'react'
import type { TeamMember } from '../../../../shared/contract/team'
import { ApiError, call } from '../../api/client'
import { type FieldErrors, fieldErrors, useLoad } from '../../api/hooks'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { Empty, LoadError, Loading } from '../../components/States'
import { isManager, useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'

/** The crew: who they are, what they can do, and whether they are available. */
export function TeamScreen() {
  const { user, services, refreshReference } = useSession()
  const [search, setSearch] = useState('')
  const [editing, setEditing] = useState<Partial<TeamMember> | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const { data, error, loading, reload } = useLoad(
    () => call('team.list', { search, limit: 100 }),
    [search],
  )
  const manager = isManager(user)
  const serviceName = new Map(services.map((s) => [s.id, s.name]))
  const changed = () => {
    reload()
    void refreshReference()
  }

  async function toggle(m: TeamMember) {
    try {
      await call('team.setAvailability', { id: m.id, isAvailable: !m.isAvailable })
      toast.success(`${m.name} is now ${m.isAvailable ? 'unavailable' : 'available'}`)
      changed()
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const fields = {
      name: String(f.get('name') ?? ''),
      email: String(f.get('email') ?? ''),
      phone: String(f.get('phone') ?? ''),
      color: String(f.get('color') ?? '#2e7d32'),
    }
    const specialtyIds = f.getAll('specialty').map(String)
    try {
      if (editing?.id) {
        await call('team.update', { id: editing.id, ...fields })
        await call('team.setSpecialties', { id: editing.id, serviceIds: specialtyIds })
      } else {
        await call('team.create', { ...fields, specialtyIds })
      }
      toast.success(`${fields.name} saved`)
      setEditing(null)
      setErrors({})
      changed()
    } catch (err) {
      setErrors(fieldErrors(err))
      if (err instanceof ApiError && err.error.code !== 'VALIDATION') toast.error(err.message)
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
      {error && <LoadError error={error} retry={reload} />}
      {loading && !data && <Loading />}
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
      <RecordDialog
        record={editing}
        noun="crew member"
        onClose={() => setEditing(null)}
        onSubmit={submit}
        wide
      >
        <Field label="Name" error={errors.name}>
          <input name="name" defaultValue={editing?.name ?? ''} />
        </Field>
        <Field label="Email" error={errors.email}>
          <input name="email" type="email" defaultValue={editing?.email ?? ''} />
        </Field>
        <Field label="Phone" error={errors.phone}>
          <input name="phone" type="tel" defaultValue={editing?.phone ?? ''} />
        </Field>
        <Field label="Calendar colour" error={errors.color}>
          <input name="color" type="color" defaultValue={editing?.color ?? '#2e7d32'} />
        </Field>
        <fieldset className="specialty-picker">
          <legend>Specialties</legend>
          {services
            .filter((s) => s.isActive)
            .map((s) => (
              <label key={s.id} className="check">
                <input
                  type="checkbox"
                  name="specialty"
                  value={s.id}
                  defaultChecked={editing?.specialtyIds?.includes(s.id)}
                />
                {s.name}
              </label>
            ))}
        </fieldset>
      </RecordDialog>
    </section>
  )
}

import { type FormEvent, useState } from 'react'
import type { UserRole } from '../../../../shared/domain/enums'
import { MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, needsPin } from '../../../../shared/domain/pin'
import { type FieldErrors, showFieldErrors } from '../../api/hooks'
import { useChannel, write } from '../../api/queries'
import { useTeam } from '../../api/reference'
import { roleOf } from '../../app/labels'
import { Field } from '../../components/Field'
import { NamedOptions } from '../../components/NamedOptions'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { PinInput } from '../setup/PinForm'
import { RoleOptions, UserList } from './UserList'

const text = (f: FormData, name: string) => String(f.get(name) ?? '')

/** An admin's card: the laptop's users (edit, remove), add one, set someone's PIN, the idle time. */
export function UserAdmin() {
  const users = useChannel('session.users', {}).data?.users ?? []
  const team = useTeam()
  const [role, setRole] = useState<UserRole>('crew_lead')
  const [addErrors, setAddErrors] = useState<FieldErrors>({})
  const [resetErrors, setResetErrors] = useState<FieldErrors>({})
  const [idleErrors, setIdleErrors] = useState<FieldErrors>({})
  const idleMinutes = useSession((s) => s.idleMinutes)

  async function addUser(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    const pin = text(f, 'pin')
    try {
      await write('session.createUser', {
        name: text(f, 'name'),
        role,
        teamMemberId: role === 'crew_lead' ? text(f, 'crew') || null : null,
        ...(pin ? { pin } : {}),
      })
      toast.success('User added')
      setAddErrors({})
      form.reset()
    } catch (err) {
      showFieldErrors(err, setAddErrors)
    }
  }

  async function resetPin(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    try {
      const { user } = await write('session.resetPin', {
        userId: text(f, 'userId'),
        pin: text(f, 'pin'),
      })
      toast.success(`${user.name}'s PIN is set`)
      setResetErrors({})
      form.reset()
    } catch (err) {
      showFieldErrors(err, setResetErrors)
    }
  }

  async function saveIdle(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    try {
      const minutes = Number(text(new FormData(e.currentTarget), 'minutes'))
      const next = await write('session.setIdleMinutes', { minutes })
      useSession.setState({ idleMinutes: next.idleMinutes })
      setIdleErrors({})
      toast.success('Saved')
    } catch (err) {
      showFieldErrors(err, setIdleErrors)
    }
  }

  return (
    <section className="card users-admin" aria-labelledby="users-admin">
      <h2 id="users-admin">Users and PINs</h2>
      <h3>People who use this laptop</h3>
      <UserList />
      <h3>Add a user</h3>
      <form className="form-grid compact" onSubmit={addUser} aria-label="Add a user">
        <Field label="New user's name" error={addErrors.name}>
          <input name="name" />
        </Field>
        <Field label="Role" error={addErrors.role}>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
            <RoleOptions />
          </select>
        </Field>
        {role === 'crew_lead' && (
          <Field label="Leads crew" error={addErrors.teamMemberId}>
            <select name="crew">
              <option value="">—</option>
              <NamedOptions items={team} />
            </select>
          </Field>
        )}
        <Field
          label={needsPin(role) ? 'Their PIN' : 'Their PIN (optional)'}
          error={addErrors.pin}
          hint="4 to 12 digits, asked for when someone switches to them"
        >
          <PinInput name="pin" />
        </Field>
        <button type="submit">Add user</button>
      </form>
      <h3>Set someone's PIN</h3>
      <form className="form-grid compact" onSubmit={resetPin} aria-label="Set a user's PIN">
        <Field label="Set the PIN of" error={resetErrors.userId}>
          <select name="userId">
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} — {roleOf(u)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="New PIN" error={resetErrors.pin} hint="Also ends a wait after wrong PINs">
          <PinInput name="pin" />
        </Field>
        <button type="submit">Set PIN</button>
      </form>
      <h3>When nobody is using it</h3>
      <form className="form-grid compact" onSubmit={saveIdle} aria-label="Idle time">
        <Field
          label="Back to the user picker after (minutes without use)"
          error={idleErrors.minutes}
        >
          <input
            name="minutes"
            type="number"
            min={MIN_IDLE_MINUTES}
            max={MAX_IDLE_MINUTES}
            defaultValue={idleMinutes}
            key={idleMinutes}
          />
        </Field>
        <button type="submit">Save idle time</button>
      </form>
    </section>
  )
}

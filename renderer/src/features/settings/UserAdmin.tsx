import { type FormEvent, useEffect, useState } from 'react'
import type { User } from '../../../../shared/contract/session'
import type { TeamMember } from '../../../../shared/contract/team'
import { USER_ROLES, type UserRole } from '../../../../shared/domain/enums'
import { MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, needsPin } from '../../../../shared/domain/pin'
import { ApiError, call } from '../../api/client'
import { type FieldErrors, fieldErrors } from '../../api/hooks'
import { ROLE_LABEL } from '../../app/labels'
import { Field } from '../../components/Field'
import { NamedOptions } from '../../components/NamedOptions'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { PinInput } from '../setup/PinForm'

const fail = (e: unknown) => toast.error(e instanceof ApiError ? e.message : String(e))
const text = (f: FormData, name: string) => String(f.get(name) ?? '')

/** An admin's part of the users card: add a user, set someone's PIN, the idle time. */
export function UserAdmin(props: { users: User[]; onChanged: () => void }) {
  const [team, setTeam] = useState<TeamMember[]>([])
  const [role, setRole] = useState<UserRole>('crew_lead')
  const [addErrors, setAddErrors] = useState<FieldErrors>({})
  const [resetErrors, setResetErrors] = useState<FieldErrors>({})
  const [idleErrors, setIdleErrors] = useState<FieldErrors>({})
  const idleMinutes = useSession((s) => s.idleMinutes)
  useEffect(() => {
    call('team.list', { limit: 100, includeArchived: false }).then((r) => setTeam(r.results), fail)
  }, [])

  async function addUser(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    const pin = text(f, 'pin')
    try {
      await call('session.createUser', {
        name: text(f, 'name'),
        role,
        teamMemberId: role === 'crew_lead' ? text(f, 'crew') || null : null,
        ...(pin ? { pin } : {}),
      })
      toast.success('User added')
      setAddErrors({})
      form.reset()
      props.onChanged()
    } catch (err) {
      setAddErrors(fieldErrors(err))
      fail(err)
    }
  }

  async function resetPin(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    try {
      const { user } = await call('session.resetPin', {
        userId: text(f, 'userId'),
        pin: text(f, 'pin'),
      })
      toast.success(`${user.name}'s PIN is set`)
      setResetErrors({})
      form.reset()
      props.onChanged()
    } catch (err) {
      setResetErrors(fieldErrors(err))
      fail(err)
    }
  }

  async function saveIdle(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    try {
      const minutes = Number(text(new FormData(e.currentTarget), 'minutes'))
      const next = await call('session.setIdleMinutes', { minutes })
      useSession.setState({ idleMinutes: next.idleMinutes })
      setIdleErrors({})
      toast.success('Saved')
    } catch (err) {
      setIdleErrors(fieldErrors(err))
      fail(err)
    }
  }

  return (
    <>
      <form className="form-grid compact" onSubmit={addUser} aria-label="Add a user">
        <Field label="New user's name" error={addErrors.name}>
          <input name="name" />
        </Field>
        <Field label="Role" error={addErrors.role}>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
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
      <form className="form-grid compact" onSubmit={resetPin} aria-label="Set a user's PIN">
        <Field label="Set the PIN of" error={resetErrors.userId}>
          <select name="userId">
            {props.users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} — {ROLE_LABEL[u.role]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="New PIN" error={resetErrors.pin} hint="Also ends a wait after wrong PINs">
          <PinInput name="pin" />
        </Field>
        <button type="submit">Set PIN</button>
      </form>
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
    </>
  )
}

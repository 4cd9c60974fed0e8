import { type FormEvent, useCallback, useEffect, useState } from 'react'
import type { User } from '../../../../shared/contract/session'
import { ApiError, call } from '../../api/client'
import { type FieldErrors, fieldErrors } from '../../api/hooks'
import { ROLE_LABEL } from '../../app/labels'
import { Field } from '../../components/Field'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { asksPin, PinForm, PinInput } from '../setup/PinForm'
import { UserAdmin } from './UserAdmin'

const capped = (role: string) => (ROLE_LABEL[role] ?? role).toLowerCase()
const message = (e: unknown) => (e instanceof ApiError ? e.message : String(e))

/**
 * Who is using this laptop: switch (with the PIN where one is asked), lock back to the
 * user picker, change one's own PIN; an admin also adds users, resets PINs and sets the
 * idle time.
 */
export function UsersCard() {
  const { user, cappedBy } = useSession()
  const [users, setUsers] = useState<User[]>([])
  const [asking, setAsking] = useState<User | null>(null)
  const reload = useCallback(() => {
    call('session.users', {}).then(
      (r) => setUsers(r.users),
      (e: unknown) => toast.error(message(e)),
    )
  }, [])
  useEffect(reload, [reload])

  function choose(id: string) {
    const target = users.find((u) => u.id === id)
    if (!target) return
    if (asksPin(target)) return setAsking(target)
    setAsking(null)
    useSession
      .getState()
      .switchUser(target.id)
      .then(
        () => toast.success(`Switched to ${target.name}`),
        (e: unknown) => toast.error(message(e)),
      )
  }

  return (
    <section className="card" aria-labelledby="who">
      <h2 id="who">Who is using this laptop</h2>
      {cappedBy && (
        <p className="notice">
          This laptop's sync token is a {capped(cappedBy)}'s, so here you can only do what a{' '}
          {capped(cappedBy)} can.
        </p>
      )}
      <Field label="User">
        <select value={asking?.id ?? user?.id ?? ''} onChange={(e) => choose(e.target.value)}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} — {ROLE_LABEL[u.role]}
            </option>
          ))}
        </select>
      </Field>
      {asking && (
        <PinForm
          key={asking.id}
          user={asking}
          onCancel={() => setAsking(null)}
          onDone={() => {
            toast.success(`Switched to ${asking.name}`)
            setAsking(null)
          }}
        />
      )}
      <div className="actions-row">
        <button type="button" onClick={() => void useSession.getState().lock()}>
          Lock
        </button>
      </div>
      {user && <ChangePin hasPin={user.hasPin} onChanged={reload} />}
      {user?.role === 'admin' && <UserAdmin users={users} onChanged={reload} />}
    </section>
  )
}

function ChangePin(props: { hasPin: boolean; onChanged: () => void }) {
  const [errors, setErrors] = useState<FieldErrors>({})
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    const pin = String(f.get('pin') ?? '')
    const currentPin = String(f.get('currentPin') ?? '')
    try {
      await call('session.changePin', { pin, ...(currentPin ? { currentPin } : {}) })
      toast.success('Your PIN is changed')
      setErrors({})
      form.reset()
      props.onChanged()
      void useSession.getState().load()
    } catch (err) {
      setErrors(fieldErrors(err))
      toast.error(message(err))
    }
  }
  return (
    <details>
      <summary>{props.hasPin ? 'Change my PIN' : 'Set a PIN for me'}</summary>
      <form className="form-grid compact" onSubmit={submit} aria-label="My PIN">
        {props.hasPin && (
          <Field label="Current PIN" error={errors.currentPin}>
            <PinInput name="currentPin" />
          </Field>
        )}
        <Field label="New PIN" error={errors.pin} hint="4 to 12 digits">
          <PinInput name="pin" />
        </Field>
        <button type="submit">Save my PIN</button>
      </form>
    </details>
  )
}

import { type FormEvent, type ReactNode, useState } from 'react'
import type { User } from '../../../../shared/contract/session'
import { ApiError } from '../../api/client'
import { type FieldErrors, fieldErrors } from '../../api/hooks'
import { useChannel, write } from '../../api/queries'
import { roleOf } from '../../app/labels'
import { Field } from '../../components/Field'
import { useSession } from '../../stores/session'
import { NameBusinessFirst } from './NameBusiness'
import { asksPin, mustSetPin, PinForm, PinInput } from './PinForm'
import { useIdleLock } from './useIdleLock'

/**
 * Before anything else: on a new laptop, create the first (admin) user with a PIN; on a
 * shared one, say who is using it (office managers and admins with their PIN). An idle
 * laptop comes back here.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const { user, ownRole, setupRequired, idleMinutes } = useSession()
  useIdleLock(!!user, idleMinutes)
  if (setupRequired) return <FirstUser />
  if (!user) return <ChooseUser />
  if (mustSetPin(user, ownRole)) return <SetOwnPin name={user.name} />
  return <NameBusinessFirst>{children}</NameBusinessFirst>
}

/**
 * An admin let in without a PIN (a laptop upgraded from before PINs) sets theirs before
 * anything else: the core refuses everything else until then.
 */
function SetOwnPin(props: { name: string }) {
  const [errors, setErrors] = useState<FieldErrors>({})
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const pin = String(f.get('pin') ?? '')
    if (pin !== String(f.get('confirm') ?? ''))
      return setErrors({ confirm: 'does not match the PIN above' })
    try {
      await write('session.changePin', { pin })
      await useSession.getState().load()
    } catch (err) {
      const fields = fieldErrors(err)
      setErrors(fields.pin ? fields : { pin: err instanceof ApiError ? err.message : String(err) })
    }
  }
  return (
    <main className="gate">
      <form className="card" onSubmit={submit} aria-labelledby="set-pin">
        <h1 id="set-pin">Set your PIN, {props.name}</h1>
        <p>
          Admins and office managers now need a PIN to switch in. Set yours before going on; then
          you can set the PINs of the others under Settings.
        </p>
        <Field label="Your new PIN" error={errors.pin} hint="4 to 12 digits">
          <PinInput name="pin" autoFocus />
        </Field>
        <Field label="The PIN again" error={errors.confirm}>
          <PinInput name="confirm" />
        </Field>
        <div className="actions-row">
          <button type="button" onClick={() => void useSession.getState().lock()}>
            Not me
          </button>
          <button type="submit" className="primary">
            Set my PIN
          </button>
        </div>
      </form>
    </main>
  )
}

function FirstUser() {
  const [errors, setErrors] = useState<FieldErrors>({})
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const name = String(f.get('name') ?? '')
    const pin = String(f.get('pin') ?? '')
    if (pin !== String(f.get('confirm') ?? ''))
      return setErrors({ confirm: 'does not match the PIN above' })
    try {
      await write('session.createUser', { name, role: 'admin', ...(pin ? { pin } : {}) })
      await useSession.getState().load()
    } catch (err) {
      const fields = fieldErrors(err)
      setErrors(
        fields.name || fields.pin
          ? fields
          : { name: err instanceof ApiError ? err.message : String(err) },
      )
    }
  }
  return (
    <main className="gate">
      <form className="card" onSubmit={submit} aria-labelledby="welcome">
        <h1 id="welcome">Welcome to Groundskeeper</h1>
        <p>Set up this laptop: you will be its first admin.</p>
        <Field label="Your name" error={errors.name}>
          <input name="name" autoComplete="name" />
        </Field>
        <Field
          label="Your PIN"
          error={errors.pin}
          hint="4 to 12 digits, asked for whenever someone switches to you"
        >
          <PinInput name="pin" />
        </Field>
        <Field label="The PIN again" error={errors.confirm}>
          <PinInput name="confirm" />
        </Field>
        <button type="submit" className="primary">
          Start
        </button>
      </form>
    </main>
  )
}

function ChooseUser() {
  const list = useChannel('session.users', {})
  const users = list.data?.users ?? []
  const [failure, setError] = useState<string | null>(null)
  const error = failure ?? list.error?.message ?? null
  const [asking, setAsking] = useState<User | null>(null)
  function choose(user: User) {
    if (asksPin(user)) return setAsking(user)
    useSession
      .getState()
      .switchUser(user.id)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)))
  }
  return (
    <main className="gate">
      <div className="card">
        <h1>Who is using this laptop?</h1>
        {error && <p role="alert">{error}</p>}
        {asking ? (
          <PinForm user={asking} onCancel={() => setAsking(null)} />
        ) : (
          <ul className="user-list">
            {users.map((u) => (
              <li key={u.id}>
                <button type="button" className="big" onClick={() => choose(u)}>
                  {u.name}
                  <span className="muted"> — {roleOf(u)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </main>
  )
}

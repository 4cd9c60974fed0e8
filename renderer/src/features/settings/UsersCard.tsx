import { type FormEvent, useState } from 'react'
import type { User } from '../../../../shared/contract/session'
import { ApiError } from '../../api/client'
import { type FieldErrors, showFieldErrors } from '../../api/hooks'
import { useChannel, write } from '../../api/queries'
import { ROLE_LABEL, roleOf } from '../../app/labels'
import { Field } from '../../components/Field'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { asksPin, PinForm, PinInput } from '../setup/PinForm'

/** "a crew lead", "an office manager". */
const capped = (role: string) => {
  const name = (ROLE_LABEL[role] ?? role).toLowerCase()
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`
}
const message = (e: unknown) => (e instanceof ApiError ? e.message : String(e))

/**
 * Who is using this laptop: switch (with the PIN where one is asked), lock back to the
 * user picker, change one's own PIN. Admins manage users and PINs in `UserAdmin`.
 */
export function UsersCard() {
  const { user, cappedBy } = useSession()
  const users = useChannel('session.users', {}).data?.users ?? []
  const [asking, setAsking] = useState<User | null>(null)

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
    <section className="card users-card" aria-labelledby="who">
      <h2 id="who">Who is using this laptop</h2>
      {cappedBy && (
        <p className="notice">
          This laptop's sync token is {capped(cappedBy)}'s, so here you can only do what{' '}
          {capped(cappedBy)} can. An admin can still disconnect it under Sync.
        </p>
      )}
      <Field label="User">
        <select value={asking?.id ?? user?.id ?? ''} onChange={(e) => choose(e.target.value)}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} — {roleOf(u)}
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
      {user && <ChangePin hasPin={user.hasPin} />}
    </section>
  )
}

function ChangePin(props: { hasPin: boolean }) {
  const [errors, setErrors] = useState<FieldErrors>({})
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    const pin = String(f.get('pin') ?? '')
    const currentPin = String(f.get('currentPin') ?? '')
    // A PIN mistyped once would lock its owner out: typed twice, as on the first run.
    if (pin !== String(f.get('confirm') ?? ''))
      return setErrors({ confirm: 'does not match the PIN above' })
    try {
      await write('session.changePin', { pin, ...(currentPin ? { currentPin } : {}) })
      toast.success('Your PIN is changed')
      setErrors({})
      form.reset()
      void useSession.getState().load()
    } catch (err) {
      showFieldErrors(err, setErrors)
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
        <Field label="New PIN again" error={errors.confirm}>
          <PinInput name="confirm" />
        </Field>
        <button type="submit">Save my PIN</button>
      </form>
    </details>
  )
}

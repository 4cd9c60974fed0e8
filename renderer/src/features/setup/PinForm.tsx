import { type FormEvent, useEffect, useState } from 'react'
import type { User } from '../../../../shared/contract/session'
import type { UserRole } from '../../../../shared/domain/enums'
import { needsPin, waitInWords } from '../../../../shared/domain/pin'
import { ApiError } from '../../api/client'
import { fieldErrors } from '../../api/hooks'
import { Field } from '../../components/Field'
import { useSession } from '../../stores/session'

/**
 * Whether switching to `user` asks for a PIN: only when they have one. Without one the
 * core decides: a crew lead passes, an admin on a laptop upgraded from before PINs is
 * let in to set theirs, anyone else hears that an admin must set it first.
 */
export const asksPin = (user: User) => user.hasPin

/** Signed in as an office manager or admin who has no PIN yet: they must set one first. */
export const mustSetPin = (user: User | null, ownRole: UserRole | null) =>
  !!user && !!ownRole && needsPin(ownRole) && !user.hasPin

/**
 * A PIN field as every PIN form uses it: digits, hidden, never autofilled. Other props
 * (the id and descriptions `Field` adds) go to the input.
 */
export function PinInput({
  autoFocus,
  ...props
}: { name: string; autoFocus?: boolean } & Record<string, unknown>) {
  return (
    <input
      {...props}
      type="password"
      inputMode="numeric"
      autoComplete="off"
      maxLength={12}
      // biome-ignore lint/a11y/noAutofocus: the form opens for exactly this field
      autoFocus={autoFocus}
    />
  )
}

/** Asks for `user`'s PIN and switches to them; wrong PINs and waits show under the field. */
export function PinForm(props: { user: User; onCancel: () => void; onDone?: () => void }) {
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  // A PIN locked for a while: the wait counts down where it is said, then says it is over.
  const [lockedUntil, setLockedUntil] = useState<number | null>(null)
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    if (lockedUntil === null) return
    const tick = window.setInterval(() => setNow(Date.now()), 1000)
    return () => window.clearInterval(tick)
  }, [lockedUntil])
  const locked = lockedUntil !== null && lockedUntil > now
  const shown =
    lockedUntil === null
      ? error
      : locked
        ? `${error?.split(': try again in')[0] ?? 'Locked'}: try again in ${waitInWords((lockedUntil - now) / 1000)}`
        : 'You can try again now'
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const pin = String(new FormData(form).get('pin') ?? '')
    if (!pin) return setError(`Enter ${props.user.name}'s PIN`)
    setBusy(true)
    try {
      await useSession.getState().switchUser(props.user.id, pin)
      props.onDone?.()
    } catch (err) {
      setError(fieldErrors(err).pin ?? (err instanceof ApiError ? err.message : String(err)))
      const wait = err instanceof ApiError ? err.error.retryAfterMs : undefined
      setNow(Date.now())
      setLockedUntil(wait ? Date.now() + wait : null)
      form.reset()
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="pin-form" onSubmit={submit} aria-label={`PIN for ${props.user.name}`}>
      <Field label={`${props.user.name}'s PIN`} error={shown}>
        <PinInput name="pin" autoFocus />
      </Field>
      <div className="actions-row">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy || locked}>
          Switch
        </button>
      </div>
    </form>
  )
}

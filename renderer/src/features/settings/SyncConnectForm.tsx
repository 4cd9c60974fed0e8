import { type FormEvent, type ReactNode, useState } from 'react'
import { contract } from '../../../../shared/contract'
import { ApiError } from '../../api/client'
import { type FieldErrors, fieldErrors } from '../../api/hooks'
import { Field } from '../../components/Field'
import { useSync } from '../../stores/sync'
import { toast } from '../../stores/toasts'

/**
 * An admin connects this laptop to the sync server with the token made for it. `intro`
 * replaces the words above the fields (the first run explains joining its own way).
 */
export function SyncConnectForm(props: { intro?: ReactNode }) {
  const [errors, setErrors] = useState<FieldErrors>({})
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function connect(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const parsed = contract['sync.configure'].input.safeParse({
      serverUrl: String(f.get('serverUrl') ?? ''),
      token: String(f.get('token') ?? ''),
      allowInsecure: f.get('allowInsecure') === 'on',
    })
    setProblem(null)
    if (!parsed.success) return setErrors(fieldErrors(parsed.error))
    setErrors({})
    setBusy(true)
    try {
      const status = await useSync.getState().configure(parsed.data)
      toast.success(`Connected to ${status.serverUrl ?? 'the sync server'}`)
    } catch (err) {
      const fields = fieldErrors(err)
      if (Object.keys(fields).length) setErrors(fields)
      else if (err instanceof ApiError && err.error.code === 'UNAVAILABLE')
        setProblem(
          // Something answered, but not as a sync server does: the address is wrong.
          /unreadable reply|refused the request/i.test(err.message)
            ? `Something answered at this address, but not a Groundskeeper sync server (${err.message}). Check the address and its port, then try again.`
            : // The core's reason, unless it only says the same ("cannot be reached").
              `The server could not be reached${/cannot be reached/i.test(err.message) ? '' : ` (${err.message})`}. Check the address and this laptop's connection, then try again.`,
        )
      else setProblem(err instanceof ApiError ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="form-grid compact"
      aria-label="Connect to a sync server"
      noValidate
      onSubmit={connect}
    >
      {props.intro ?? (
        <p className="muted">
          This laptop works on its own. Connect it to your sync server to share the schedule with
          the office and the other laptops.
        </p>
      )}
      <Field label="Server address" error={errors.serverUrl}>
        <input
          name="serverUrl"
          type="url"
          placeholder="https://sync.example.com"
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <Field
        label="Device token"
        error={errors.token}
        hint="Made on the server for this laptop; it decides what this laptop may change."
      >
        <input name="token" type="password" autoComplete="off" spellCheck={false} />
      </Field>
      <label className="check">
        <input name="allowInsecure" type="checkbox" />
        Allow an unencrypted (http://) server on this network
      </label>
      {problem && (
        <p className="notice error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Connecting…' : 'Connect'}
      </button>
    </form>
  )
}

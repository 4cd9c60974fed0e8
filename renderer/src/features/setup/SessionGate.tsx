import { type FormEvent, type ReactNode, useState } from 'react'
import { ApiError, call } from '../../api/client'
import { fieldErrors, useLoad } from '../../api/hooks'
import { ROLE_LABEL } from '../../app/labels'
import { Field } from '../../components/Field'
import { useSession } from '../../stores/session'

/**
 * Before anything else: on a new laptop, create the first (admin) user; on a shared one,
 * say who is using it. The role decides what the app shows and allows.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const { user, setupRequired } = useSession()
  if (setupRequired) return <FirstUser />
  if (!user) return <ChooseUser />
  return <>{children}</>
}

function FirstUser() {
  const [error, setError] = useState<string | undefined>()
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const name = String(new FormData(e.currentTarget).get('name') ?? '')
    try {
      await call('session.createUser', { name, role: 'admin' })
      await useSession.getState().load()
    } catch (err) {
      setError(fieldErrors(err).name ?? (err instanceof ApiError ? err.message : String(err)))
    }
  }
  return (
    <main className="gate">
      <form className="card" onSubmit={submit} aria-labelledby="welcome">
        <h1 id="welcome">Welcome to Groundskeeper</h1>
        <p>Set up this laptop: you will be its first admin.</p>
        <Field label="Your name" error={error}>
          <input name="name" autoComplete="name" />
        </Field>
        <button type="submit" className="primary">
          Start
        </button>
      </form>
    </main>
  )
}

function ChooseUser() {
  const { data } = useLoad(() => call('session.users', {}), [])
  return (
    <main className="gate">
      <div className="card">
        <h1>Who is using this laptop?</h1>
        <ul className="user-list">
          {data?.users.map((u) => (
            <li key={u.id}>
              <button
                type="button"
                className="big"
                onClick={() => void useSession.getState().switchUser(u.id)}
              >
                {u.name}
                <span className="muted"> — {ROLE_LABEL[u.role]}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </main>
  )
}

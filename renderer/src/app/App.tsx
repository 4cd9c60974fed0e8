import { useEffect, useState } from 'react'
import type { ChannelOutput } from '../../../shared/contract'
import { ApiError, call } from '../api/client'

type Status = ChannelOutput<'system.status'>

export function App() {
  const [status, setStatus] = useState<Status | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    call('system.status', {})
      .then(setStatus)
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : String(e)))
  }, [])

  return (
    <main className="shell">
      <header className="topbar">
        <h1>Groundskeeper</h1>
        <span className="subtitle">Scheduling for landscaping crews</span>
      </header>
      <section className="card" aria-labelledby="db-heading">
        <h2 id="db-heading">Database</h2>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {!status && !error && <p aria-busy="true">Opening the database…</p>}
        {status && (
          <>
            <p className="ok" role="status">
              {status.database.open ? 'Database open' : 'Database closed'}
            </p>
            <dl className="facts">
              <dt>Location</dt>
              <dd>{status.database.location}</dd>
              <dt>Durability</dt>
              <dd>
                {status.database.durability === 'fsync'
                  ? 'Every save is flushed to disk'
                  : 'Saves are flushed by the operating system'}
              </dd>
              <dt>Schema</dt>
              <dd>{status.database.migrations.at(-1) ?? 'none'}</dd>
              <dt>Clients</dt>
              <dd>{status.database.counts.clients.toLocaleString()}</dd>
              <dt>Services</dt>
              <dd>{status.database.counts.services.toLocaleString()}</dd>
              <dt>Team members</dt>
              <dd>{status.database.counts.teamMembers.toLocaleString()}</dd>
              <dt>Appointments</dt>
              <dd>{status.database.counts.appointments.toLocaleString()}</dd>
              <dt>Version</dt>
              <dd>{status.version}</dd>
            </dl>
          </>
        )}
      </section>
    </main>
  )
}

import { useState } from 'react'
import type { Client } from '../../../../shared/contract/clients'
import { isManager } from '../../../../shared/domain/permissions'
import { ApiError, call } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { plural } from '../../app/format'
import { href } from '../../app/router'
import { Dialog } from '../../components/Dialog'
import { ShowArchived } from '../../components/ShowArchived'
import { Empty, LoadError, Loading, Pager } from '../../components/States'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { ClientDialog } from './ClientDialog'

/** The client book: search, add, edit, archive; each client links to their appointments. */
export function ClientsScreen() {
  const { user } = useSession()
  const [search, setSearch] = useState('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<Partial<Client> | null>(null)
  const [showArchived, setShowArchived] = useState(false)
  const { data, error, isPending, refetch } = useChannel(
    'clients.list',
    { search, offset, limit: 25, includeArchived: showArchived },
    { keepPrevious: true },
  )
  const manager = isManager(user?.role ?? null)

  const [asking, setAsking] = useState<{ client: Client; upcoming: number } | null>(null)

  /**
   * Archiving a client with visits still to come asks first: the visits stay booked (and
   * their reminders go out) unless they are cancelled, which archiving does not do.
   */
  async function askArchive(c: Client) {
    if (c.archived) return archive(c)
    try {
      const { count } = await call('appointments.list', {
        clientId: c.id,
        scheduledFrom: new Date().toISOString(),
        status: ['scheduled', 'in_progress'],
        limit: 1,
      })
      if (count > 0) return setAsking({ client: c, upcoming: count })
    } catch {
      // Not known: archive as asked, with its Undo.
    }
    return archive(c)
  }

  // An Undo brings a client straight back; "Show archived" lists them to restore later.
  async function archive(c: Client) {
    setAsking(null)
    try {
      await write('clients.archive', { id: c.id, archived: !c.archived })
      if (!c.archived)
        toast.undoable(`${c.name} archived`, () =>
          write('clients.archive', { id: c.id, archived: false }),
        )
      else toast.success(`${c.name} restored`)
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }

  return (
    <section className="screen" aria-label="Clients">
      <header className="screen-head">
        <h1>Clients</h1>
        <input
          type="search"
          aria-label="Search clients"
          placeholder="Name, email, phone, address or postcode"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value)
            setOffset(0)
          }}
        />
        <ShowArchived
          checked={showArchived}
          onChange={(checked) => {
            setShowArchived(checked)
            setOffset(0)
          }}
        />
        {manager && (
          <button type="button" className="primary" onClick={() => setEditing({})}>
            New client
          </button>
        )}
      </header>
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {isPending && <Loading />}
      {data?.count === 0 && <Empty title={search ? 'No client matches' : 'No clients yet'} />}
      {data && data.count > 0 && (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>Name</th>
                <th>Contact</th>
                <th>Address</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((c) => (
                <tr key={c.id} className={c.archived ? 'archived' : ''}>
                  <td>
                    {c.name}
                    {c.archived && <span className="muted small"> (archived)</span>}
                  </td>
                  <td>
                    <div>{c.email ?? '—'}</div>
                    <div className="muted small">{c.phone}</div>
                  </td>
                  <td>
                    {c.address} {c.postalCode}
                  </td>
                  <td className="row-actions">
                    <a href={href('/appointments', { client: c.id })}>Appointments</a>
                    {manager && (
                      <>
                        <button
                          type="button"
                          aria-label={`Edit ${c.name}`}
                          onClick={() => setEditing(c)}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          aria-label={`${c.archived ? 'Restore' : 'Archive'} ${c.name}`}
                          onClick={() => void askArchive(c)}
                        >
                          {c.archived ? 'Restore' : 'Archive'}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager count={data.count} limit={data.limit} offset={data.offset} onPage={setOffset} />
        </>
      )}
      {editing && <ClientDialog client={editing} onClose={() => setEditing(null)} />}
      <Dialog
        title={asking ? `Archive ${asking.client.name}?` : ''}
        role="alertdialog"
        open={asking !== null}
        onClose={() => setAsking(null)}
        footer={
          asking && (
            <>
              <a href={href('/appointments', { client: asking.client.id })}>Show their visits</a>
              <button type="button" onClick={() => setAsking(null)}>
                Cancel
              </button>
              <button type="button" className="danger" onClick={() => void archive(asking.client)}>
                Archive anyway
              </button>
            </>
          )
        }
      >
        {asking && (
          <p>
            {asking.client.name} still has {plural(asking.upcoming, 'visit')} to come.{' '}
            {asking.upcoming === 1
              ? 'Archiving keeps it booked, and its reminder goes out: cancel it first if the work is over.'
              : 'Archiving keeps them booked, and their reminders go out: cancel them first if the work is over.'}
          </p>
        )}
      </Dialog>
    </section>
  )
}

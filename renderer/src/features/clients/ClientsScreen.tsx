import { type FormEvent, useState } from 'react'
import type { Client } from '../../../../shared/contract/clients'
import { ApiError, call } from '../../api/client'
import { type FieldErrors, fieldErrors, useLoad } from '../../api/hooks'
import { href } from '../../app/router'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { Empty, LoadError, Loading, Pager } from '../../components/States'
import { isManager, useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'

/** The client book: search, add, edit, archive; each client links to their appointments. */
export function ClientsScreen() {
  const { user } = useSession()
  const [search, setSearch] = useState('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<Partial<Client> | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const { data, error, loading, reload } = useLoad(
    () => call('clients.list', { search, offset, limit: 25 }),
    [search, offset],
  )
  const manager = isManager(user)

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const fields = {
      name: String(f.get('name') ?? ''),
      email: String(f.get('email') ?? ''),
      phone: String(f.get('phone') ?? ''),
      address: String(f.get('address') ?? ''),
      postalCode: String(f.get('postalCode') ?? ''),
      notes: String(f.get('notes') ?? ''),
    }
    try {
      if (editing?.id) await call('clients.update', { id: editing.id, ...fields })
      else await call('clients.create', fields)
      toast.success(`${fields.name} saved`)
      setEditing(null)
      setErrors({})
      reload()
    } catch (err) {
      setErrors(fieldErrors(err))
      if (err instanceof ApiError && err.error.code !== 'VALIDATION') toast.error(err.message)
    }
  }

  async function archive(c: Client) {
    try {
      await call('clients.archive', { id: c.id })
      toast.success(`${c.name} archived`, {
        label: 'Undo',
        run: () => void call('clients.archive', { id: c.id, archived: false }).then(reload),
      })
      reload()
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
          placeholder="Search name, email, phone, address"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value)
            setOffset(0)
          }}
        />
        {manager && (
          <button type="button" className="primary" onClick={() => setEditing({})}>
            New client
          </button>
        )}
      </header>
      {error && <LoadError error={error} retry={reload} />}
      {loading && !data && <Loading />}
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
                <tr key={c.id}>
                  <td>{c.name}</td>
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
                          aria-label={`Archive ${c.name}`}
                          onClick={() => void archive(c)}
                        >
                          Archive
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
      <RecordDialog
        record={editing}
        noun="client"
        onClose={() => setEditing(null)}
        onSubmit={submit}
      >
        <Field label="Name" error={errors.name}>
          <input name="name" defaultValue={editing?.name ?? ''} />
        </Field>
        <Field label="Email" error={errors.email}>
          <input name="email" type="email" defaultValue={editing?.email ?? ''} />
        </Field>
        <Field label="Phone" error={errors.phone}>
          <input name="phone" type="tel" defaultValue={editing?.phone ?? ''} />
        </Field>
        <Field label="Address" error={errors.address}>
          <input name="address" defaultValue={editing?.address ?? ''} />
        </Field>
        <Field label="Postal code" error={errors.postalCode}>
          <input name="postalCode" defaultValue={editing?.postalCode ?? ''} />
        </Field>
        <Field label="Notes" error={errors.notes}>
          <textarea name="notes" rows={2} defaultValue={editing?.notes ?? ''} />
        </Field>
      </RecordDialog>
    </section>
  )
}

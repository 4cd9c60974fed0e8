import { type FormEvent, useState } from 'react'
import { contract } from '../../../../shared/contract'
import type { Service } from '../../../../shared/contract/catalog'
import { SERVICE_PRIORITIES } from '../../../../shared/domain/enums'
import { ApiError, call } from '../../api/client'
import { type FieldErrors, fieldErrors, useLoad } from '../../api/hooks'
import { money } from '../../app/format'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { Empty, LoadError, Loading } from '../../components/States'
import { isManager, useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { ProductsTab } from './ProductsTab'

type Tab = 'services' | 'products'

/** The service catalog and the products sold on jobs, with their prices. */
export function CatalogScreen() {
  const [tab, setTab] = useState<Tab>('services')
  return (
    <section className="screen" aria-label="Catalog">
      <header className="screen-head">
        <h1>Catalog</h1>
        <div role="tablist" aria-label="Catalog" className="tabs">
          {(['services', 'products'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
            >
              {t === 'services' ? 'Services' : 'Products'}
            </button>
          ))}
        </div>
      </header>
      <div role="tabpanel">{tab === 'services' ? <Services /> : <ProductsTab />}</div>
    </section>
  )
}

function Services() {
  const { user, refreshReference } = useSession()
  const [showArchived, setShowArchived] = useState(false)
  const [editing, setEditing] = useState<Partial<Service> | null>(null)
  const { data, error, loading, reload } = useLoad(
    () => call('catalog.services.list', { limit: 100, includeArchived: showArchived }),
    [showArchived],
  )
  const manager = isManager(user)
  const changed = () => {
    reload()
    void refreshReference()
  }
  async function archive(s: Service) {
    try {
      await call('catalog.services.archive', { id: s.id, archived: s.isActive })
      toast.success(s.isActive ? `${s.name} archived` : `${s.name} restored`)
      changed()
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }
  return (
    <>
      <div className="toolbar">
        <label className="check">
          <input
            type="checkbox"
            checked={showArchived}
            onChange={(e) => setShowArchived(e.target.checked)}
          />
          Show archived
        </label>
        {manager && (
          <button type="button" className="primary" onClick={() => setEditing({})}>
            New service
          </button>
        )}
      </div>
      {error && <LoadError error={error} retry={reload} />}
      {loading && !data && <Loading />}
      {data?.count === 0 && <Empty title="No services yet" />}
      {data && data.count > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Service</th>
              <th>Priority</th>
              <th>Duration</th>
              <th className="num">Base price</th>
              <th>State</th>
              {manager && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {data.results.map((s) => (
              <tr key={s.id} className={s.isActive ? '' : 'archived'}>
                <td>
                  <strong>{s.name}</strong>
                  <div className="muted small">{s.description}</div>
                </td>
                <td>
                  <span className={`badge priority-${s.priority}`}>{s.priority.toLowerCase()}</span>
                </td>
                <td>{s.durationMinutes} min</td>
                <td className="num">{money(s.basePrice)}</td>
                <td>{s.isActive ? 'Active' : 'Archived'}</td>
                {manager && (
                  <td className="row-actions">
                    <button
                      type="button"
                      aria-label={`Edit ${s.name}`}
                      onClick={() => setEditing(s)}
                    >
                      Edit
                    </button>
                    <button type="button" onClick={() => void archive(s)}>
                      {s.isActive ? 'Archive' : 'Restore'}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ServiceDialog
        service={editing}
        onClose={(saved) => {
          setEditing(null)
          if (saved) changed()
        }}
      />
    </>
  )
}

function ServiceDialog(props: {
  service: Partial<Service> | null
  onClose: (saved: boolean) => void
}) {
  const s = props.service
  const [errors, setErrors] = useState<FieldErrors>({})
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const fields = {
      name: String(f.get('name') ?? ''),
      description: String(f.get('description') ?? ''),
      priority: String(f.get('priority') ?? 'MEDIUM'),
      basePrice: String(f.get('basePrice') ?? '').trim(),
      durationMinutes: Number(f.get('durationMinutes') || Number.NaN),
    }
    const input = s?.id ? { id: s.id, ...fields } : fields
    const schema = s?.id
      ? contract['catalog.services.update'].input
      : contract['catalog.services.create'].input
    const parsed = schema.safeParse(input)
    if (!parsed.success) return setErrors(fieldErrors(parsed.error))
    try {
      if (s?.id) await call('catalog.services.update', parsed.data as never)
      else await call('catalog.services.create', parsed.data as never)
      toast.success(`${fields.name} saved`)
      setErrors({})
      props.onClose(true)
    } catch (err) {
      setErrors(fieldErrors(err))
      toast.error(err instanceof ApiError ? err.message : String(err))
    }
  }
  return (
    <RecordDialog record={s} noun="service" onClose={() => props.onClose(false)} onSubmit={submit}>
      <Field label="Name" error={errors.name}>
        <input name="name" defaultValue={s?.name ?? ''} />
      </Field>
      <Field label="Priority" error={errors.priority}>
        <select name="priority" defaultValue={s?.priority ?? 'MEDIUM'}>
          {SERVICE_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p.toLowerCase()}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Base price" error={errors.basePrice}>
        <input name="basePrice" inputMode="decimal" defaultValue={s?.basePrice ?? ''} />
      </Field>
      <Field label="Duration (minutes)" error={errors.durationMinutes}>
        <input name="durationMinutes" type="number" defaultValue={s?.durationMinutes ?? 60} />
      </Field>
      <Field label="Description" error={errors.description}>
        <textarea name="description" rows={2} defaultValue={s?.description ?? ''} />
      </Field>
    </RecordDialog>
  )
}

import { useState } from 'react'
import { contract } from '../../../../shared/contract'
import type { Service } from '../../../../shared/contract/catalog'
import { durationLabel } from '../../../../shared/domain/duration'
import { SERVICE_PRIORITIES } from '../../../../shared/domain/enums'
import { isManager } from '../../../../shared/domain/permissions'
import { ApiError } from '../../api/client'
import { fieldError, useContractForm } from '../../api/forms'
import { useChannel, write } from '../../api/queries'
import { useSettings } from '../../api/reference'
import { money } from '../../app/format'
import { priorityLabel } from '../../app/labels'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { ShowArchived } from '../../components/ShowArchived'
import { Empty, LoadError, Loading } from '../../components/States'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { ProductsTab } from './ProductsTab'
import {
  KIND_LABEL,
  ServiceWeatherFields,
  type WeatherValues,
  weatherDefaults,
  weatherInput,
} from './ServiceWeatherFields'

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
  const { user } = useSession()
  const [showArchived, setShowArchived] = useState(false)
  const [editing, setEditing] = useState<Partial<Service> | null>(null)
  const { data, error, isPending, refetch } = useChannel('catalog.services.list', {
    limit: 100,
    includeArchived: showArchived,
  })
  const manager = isManager(user?.role ?? null)
  async function archive(s: Service) {
    try {
      await write('catalog.services.archive', { id: s.id, archived: s.isActive })
      if (s.isActive)
        toast.undoable(`${s.name} archived`, () =>
          write('catalog.services.archive', { id: s.id, archived: false }),
        )
      else toast.success(`${s.name} restored`)
    } catch (e) {
      toast.error(e instanceof ApiError ? e.message : String(e))
    }
  }
  return (
    <>
      <div className="toolbar">
        <ShowArchived checked={showArchived} onChange={setShowArchived} />
        {manager && (
          <button type="button" className="primary" onClick={() => setEditing({})}>
            New service
          </button>
        )}
      </div>
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {isPending && <Loading />}
      {data?.count === 0 && <Empty title="No services yet" />}
      {data && data.count > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Service</th>
              <th>Priority</th>
              <th>Duration</th>
              <th>Kind of work</th>
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
                  <span className={`badge priority-${s.priority}`}>
                    {priorityLabel(s.priority)}
                  </span>
                </td>
                <td>{durationLabel(s.durationMinutes)}</td>
                <td>
                  {KIND_LABEL[s.weatherKind ?? '']}
                  {s.weatherLimits && <div className="muted small">its own limits</div>}
                </td>
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
      {editing && <ServiceDialog service={editing} onClose={() => setEditing(null)} />}
    </>
  )
}

export function ServiceDialog(props: { service: Partial<Service>; onClose: () => void }) {
  const s = props.service
  // The units the limits were shown in when the dialog opened: what they are read back in.
  const settings = useSettings()
  const [units] = useState(settings.units)
  const form = useContractForm({
    schema: s.id
      ? contract['catalog.services.update'].input
      : contract['catalog.services.create'].input,
    defaultValues: {
      ...(s.id ? { id: s.id } : {}),
      name: s.name ?? '',
      description: s.description ?? '',
      priority: s.priority ?? 'MEDIUM',
      basePrice: s.basePrice ?? '',
      durationMinutes: s.durationMinutes ?? 60,
      ...weatherDefaults(s, units),
    },
    absent: { basePrice: 'Enter a price, such as 55 or $1,200' },
    // The weather inputs hold text (in the business's units) and a switch; the channel
    // takes a kind and metric limits.
    toInput: ({ weatherKind, ownLimits, weatherLimits, limitsShown, ...rest }) => ({
      ...rest,
      ...weatherInput(
        { weatherKind, ownLimits, weatherLimits, limitsShown } as WeatherValues,
        units,
      ),
    }),
  })
  return (
    <RecordDialog
      record={s}
      noun="service"
      form={form}
      onClose={props.onClose}
      onSave={async (input) => {
        if (s.id) await write('catalog.services.update', input as never)
        else await write('catalog.services.create', input as never)
        toast.success(`${form.getValues('name')} saved`)
        props.onClose()
      }}
    >
      <Field label="Name" error={fieldError(form, 'name')}>
        <input {...form.register('name')} />
      </Field>
      <Field label="Priority" error={fieldError(form, 'priority')}>
        <select {...form.register('priority')}>
          {SERVICE_PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {priorityLabel(p)}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Base price" error={fieldError(form, 'basePrice')}>
        <input inputMode="decimal" {...form.register('basePrice', { setValueAs: trimmed })} />
      </Field>
      <Field label="Duration (minutes)" error={fieldError(form, 'durationMinutes')}>
        <input type="number" {...form.register('durationMinutes', { valueAsNumber: true })} />
      </Field>
      <Field label="Description" error={fieldError(form, 'description')}>
        <textarea rows={2} {...form.register('description')} />
      </Field>
      <ServiceWeatherFields form={form as never} units={units} />
    </RecordDialog>
  )
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v)

import { type FormEvent, useState } from 'react'
import type { Product } from '../../../../shared/contract/catalog'
import { call } from '../../api/client'
import { type FieldErrors, fieldErrors, useLoad } from '../../api/hooks'
import { money } from '../../app/format'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { Empty, LoadError, Loading } from '../../components/States'
import { isManager, useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'

/** Products sold on jobs (mulch by the yard, sod by the square foot) and their prices. */
export function ProductsTab() {
  const { user } = useSession()
  const [editing, setEditing] = useState<Partial<Product> | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const { data, error, loading, reload } = useLoad(
    () => call('catalog.products.list', { limit: 100 }),
    [],
  )
  const manager = isManager(user)
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const fields = {
      name: String(f.get('name') ?? ''),
      unit: String(f.get('unit') ?? ''),
      unitPrice: String(f.get('unitPrice') ?? '').trim(),
    }
    try {
      if (editing?.id) await call('catalog.products.update', { id: editing.id, ...fields })
      else await call('catalog.products.create', fields)
      toast.success(`${fields.name} saved`)
      setEditing(null)
      setErrors({})
      reload()
    } catch (err) {
      setErrors(fieldErrors(err))
    }
  }
  return (
    <>
      <div className="toolbar">
        {manager && (
          <button type="button" className="primary" onClick={() => setEditing({})}>
            New product
          </button>
        )}
      </div>
      {error && <LoadError error={error} retry={reload} />}
      {loading && !data && <Loading />}
      {data?.count === 0 && <Empty title="No products yet" />}
      {data && data.count > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Product</th>
              <th>Unit</th>
              <th className="num">Unit price</th>
              {manager && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {data.results.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>{p.unit}</td>
                <td className="num">{money(p.unitPrice)}</td>
                {manager && (
                  <td>
                    <button
                      type="button"
                      aria-label={`Edit ${p.name}`}
                      onClick={() => setEditing(p)}
                    >
                      Edit
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <RecordDialog
        record={editing}
        noun="product"
        onClose={() => setEditing(null)}
        onSubmit={submit}
      >
        <Field label="Name" error={errors.name}>
          <input name="name" defaultValue={editing?.name ?? ''} />
        </Field>
        <Field label="Unit" error={errors.unit}>
          <input name="unit" defaultValue={editing?.unit ?? 'each'} />
        </Field>
        <Field label="Unit price" error={errors.unitPrice}>
          <input name="unitPrice" inputMode="decimal" defaultValue={editing?.unitPrice ?? ''} />
        </Field>
      </RecordDialog>
    </>
  )
}

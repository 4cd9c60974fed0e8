import { useState } from 'react'
import { contract } from '../../../../shared/contract'
import type { Product } from '../../../../shared/contract/catalog'
import { isManager } from '../../../../shared/domain/permissions'
import { ApiError } from '../../api/client'
import { fieldError, useContractForm } from '../../api/forms'
import { useChannel, write } from '../../api/queries'
import { money } from '../../app/format'
import { Field } from '../../components/Field'
import { RecordDialog } from '../../components/RecordDialog'
import { ShowArchived } from '../../components/ShowArchived'
import { Empty, LoadError, Loading } from '../../components/States'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'

/** Products sold on jobs (mulch by the yard, sod by the square foot) and their prices. */
export function ProductsTab() {
  const { user } = useSession()
  const [editing, setEditing] = useState<Partial<Product> | null>(null)
  const [showArchived, setShowArchived] = useState(false)
  const { data, error, isPending, refetch } = useChannel('catalog.products.list', {
    limit: 100,
    includeArchived: showArchived,
  })
  const manager = isManager(user?.role ?? null)
  // Archived products stay on the jobs that used them; an Undo brings one straight back,
  // and "Show archived" lists them to restore later.
  async function archive(p: Product) {
    try {
      await write('catalog.products.archive', { id: p.id, archived: p.isActive })
      if (p.isActive)
        toast.undoable(`${p.name} archived`, () =>
          write('catalog.products.archive', { id: p.id, archived: false }),
        )
      else toast.success(`${p.name} restored`)
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
            New product
          </button>
        )}
      </div>
      {error && <LoadError error={error} retry={() => void refetch()} />}
      {isPending && <Loading />}
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
              <tr key={p.id} className={p.isActive ? '' : 'archived'}>
                <td>
                  {p.name}
                  {!p.isActive && <span className="muted small"> (archived)</span>}
                </td>
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
                    </button>{' '}
                    <button
                      type="button"
                      aria-label={`${p.isActive ? 'Archive' : 'Restore'} ${p.name}`}
                      onClick={() => void archive(p)}
                    >
                      {p.isActive ? 'Archive' : 'Restore'}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <ProductDialog product={editing} onClose={() => setEditing(null)} />}
    </>
  )
}

function ProductDialog(props: { product: Partial<Product>; onClose: () => void }) {
  const p = props.product
  const form = useContractForm({
    schema: p.id
      ? contract['catalog.products.update'].input
      : contract['catalog.products.create'].input,
    defaultValues: {
      ...(p.id ? { id: p.id } : {}),
      name: p.name ?? '',
      unit: p.unit ?? 'each',
      unitPrice: p.unitPrice ?? '',
    },
    absent: { unitPrice: 'Enter a price, such as 12.50' },
  })
  return (
    <RecordDialog
      record={p}
      noun="product"
      form={form}
      onClose={props.onClose}
      onSave={async (input) => {
        if (p.id) await write('catalog.products.update', input as never)
        else await write('catalog.products.create', input as never)
        toast.success(`${form.getValues('name')} saved`)
        props.onClose()
      }}
    >
      <Field label="Name" error={fieldError(form, 'name')}>
        <input {...form.register('name')} />
      </Field>
      <Field label="Unit" error={fieldError(form, 'unit')}>
        <input {...form.register('unit')} />
      </Field>
      <Field label="Unit price" error={fieldError(form, 'unitPrice')}>
        <input inputMode="decimal" {...form.register('unitPrice')} />
      </Field>
    </RecordDialog>
  )
}

import { type ReactNode, useEffect, useRef, useState } from 'react'
import { isManager } from '../../../../shared/domain/permissions'
import { ApiError } from '../../api/client'
import { useChannel, write } from '../../api/queries'
import { useSession } from '../../stores/session'
import { toast } from '../../stores/toasts'
import { ServiceDialog } from '../catalog/CatalogScreen'
import { ClientDialog } from '../clients/ClientDialog'
import '../setup/setup.css'

/**
 * A booking needs a client and a bookable service. Without them the booking form would
 * be a dead end, so this says what is missing, with the way to add it, instead; once
 * both exist (the lists refetch when a client or service is saved) the form shows.
 */
export function BookingNeeds({ children }: { children: ReactNode }) {
  const manager = isManager(useSession((s) => s.user?.role ?? null))
  const clients = useChannel('clients.list', { limit: 1 })
  const services = useChannel('catalog.services.list', { limit: 1 })
  const [adding, setAdding] = useState<'client' | 'service' | null>(null)
  const [busy, setBusy] = useState(false)
  // While either list is loading the form shows: in a business with data, it is right.
  const noClients = clients.data?.count === 0
  const noServices = services.data?.count === 0
  const ready = !noClients && !noServices
  // The dialog this explanation stood in; when the form takes its place, focus starts on
  // the form's first field, as when the dialog opens on the form.
  const dialog = useRef<HTMLDialogElement | null>(null)
  useEffect(() => {
    if (!ready || !dialog.current) return
    dialog.current.querySelector<HTMLElement>('.dialog-body :is(input, select, textarea)')?.focus()
    dialog.current = null
  }, [ready])
  if (ready) return <>{children}</>

  async function addStarter() {
    setBusy(true)
    try {
      const { added } = await write('catalog.services.addStarter', {})
      toast.success(`${added.length} services added to the catalog: adjust them under Catalog`)
    } catch (err) {
      toast.error(err instanceof ApiError ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div
      className="setup-stack booking-needs"
      role="status"
      ref={(el) => {
        if (el) dialog.current = el.closest('dialog')
      }}
    >
      <p>
        <strong>Before booking, the business needs:</strong>
      </p>
      <ul>
        {noClients && (
          <li>
            <p>A client: every appointment is for a client.</p>
            {manager && (
              <div className="actions-row">
                <button type="button" className="primary" onClick={() => setAdding('client')}>
                  Add a client
                </button>
              </div>
            )}
          </li>
        )}
        {noServices && (
          <li>
            <p>A service: what the crew does, with its usual length and price.</p>
            {manager && (
              <div className="actions-row">
                <button type="button" className="primary" disabled={busy} onClick={addStarter}>
                  Add a starter catalog
                </button>
                <button type="button" onClick={() => setAdding('service')}>
                  Add a service
                </button>
              </div>
            )}
          </li>
        )}
      </ul>
      {!manager && <p className="muted">An office manager or admin can add them.</p>}
      {adding === 'client' && <ClientDialog client={{}} onClose={() => setAdding(null)} />}
      {adding === 'service' && <ServiceDialog service={{}} onClose={() => setAdding(null)} />}
    </div>
  )
}

import { type ReactNode, useState } from 'react'
import { isManager, may } from '../../../../shared/domain/permissions'
import { useChannel } from '../../api/queries'
import { useSession } from '../../stores/session'
import { useSync } from '../../stores/sync'
import { SyncConnectForm } from '../settings/SyncConnectForm'
import { BusinessNameForm } from './SetupDialogs'

/**
 * On a laptop set up from empty, the business's name comes right after the first user,
 * before anything else; then the getting-started checklist takes over. A laptop for a
 * business that already runs Groundskeeper joins its sync server instead: the name,
 * like everything else, comes from there (a name typed here would only differ from it).
 */
export function NameBusinessFirst({ children }: { children: ReactNode }) {
  const user = useSession((s) => s.user)
  const manager = isManager(user?.role ?? null)
  const setup = useChannel('setup.get', {}, { enabled: manager })
  const sync = useSync((s) => s.status)
  const [joining, setJoining] = useState(false)
  if (manager && (setup.isPending || !sync))
    return (
      <main className="gate">
        <p aria-busy="true">Opening Groundskeeper…</p>
      </main>
    )
  const connected = !!sync?.serverUrl
  if (!manager || !setup.data?.open || setup.data.done.businessName || connected)
    return <>{children}</>
  const admin = !!user && may(user.role, 'data.admin')
  if (joining && admin)
    return (
      <main className="gate">
        <div className="card">
          <h1>Join your business's sync server</h1>
          <SyncConnectForm
            intro={
              <p>
                Enter the address of your sync server and the device token made there for this
                laptop. The schedule, clients, crew and settings then come from the server; the sync
                indicator shows while they arrive.
              </p>
            }
          />
          <div className="actions-row">
            <button type="button" onClick={() => setJoining(false)}>
              Back: this is a new business
            </button>
          </div>
        </div>
      </main>
    )
  return (
    <main className="gate">
      <div className="card">
        <h1>What is your business called?</h1>
        <p>
          Clients see it on their confirmations and reminders. Next, a short list of what to set up
          before the first booking.
        </p>
        {/* The checklist query refetches when the name is saved; this screen then gives way. */}
        <BusinessNameForm onDone={() => {}} />
        {admin && (
          <p className="muted setup-join">
            Your business already uses Groundskeeper on another laptop?{' '}
            <button type="button" className="link" onClick={() => setJoining(true)}>
              Join its sync server instead
            </button>
          </p>
        )}
      </div>
    </main>
  )
}

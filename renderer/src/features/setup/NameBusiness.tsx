import type { ReactNode } from 'react'
import { isManager } from '../../../../shared/domain/permissions'
import { useChannel } from '../../api/queries'
import { useSession } from '../../stores/session'
import { BusinessNameForm } from './SetupDialogs'

/**
 * On a laptop set up from empty, the business's name comes right after the first user,
 * before anything else; then the getting-started checklist takes over.
 */
export function NameBusinessFirst({ children }: { children: ReactNode }) {
  const user = useSession((s) => s.user)
  const manager = isManager(user?.role ?? null)
  const setup = useChannel('setup.get', {}, { enabled: manager })
  if (manager && setup.isPending)
    return (
      <main className="gate">
        <p aria-busy="true">Opening Groundskeeper…</p>
      </main>
    )
  if (!manager || !setup.data?.open || setup.data.done.businessName) return <>{children}</>
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
      </div>
    </main>
  )
}

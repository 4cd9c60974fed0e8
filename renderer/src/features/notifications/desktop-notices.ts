import { useEffect } from 'react'
import type { ChangedNotice } from '../../../../shared/contract/tables'
import type { UserRole } from '../../../../shared/domain/enums'
import { navigate } from '../../app/router'
import { useSession } from '../../stores/session'

type Alert = NonNullable<ChangedNotice['alerts']>[number]

/** The system's notifications (Electron's, or the browser's over the bridge), if any. */
const system = (): typeof Notification | null =>
  typeof window !== 'undefined' && 'Notification' in window ? window.Notification : null

let asking: Promise<NotificationPermission> | null = null

/**
 * Asks the person for permission to show desktop notices, once for the life of the
 * page: asked again and again, people learn to say no. Where they have already
 * answered (or the desktop app allows notices), nothing is asked.
 */
function permission(): Promise<NotificationPermission> {
  const api = system()
  if (!api) return Promise.resolve('denied')
  if (api.permission !== 'default') return Promise.resolve(api.permission)
  asking ??= api.requestPermission().catch(() => 'denied' as const)
  return asking
}

/**
 * Shows a crew lead the office's changes to their crew's jobs for today and tomorrow
 * (the core words them; see shared/notifications/crew-alerts.ts). Only for a crew lead
 * signed in: notices reaching the page while someone else uses the laptop are dropped.
 * Clicking one opens the day.
 */
export function showDesktopNotices(alerts: readonly Alert[]): void {
  if (!alerts.length || useSession.getState().ownRole !== 'crew_lead') return
  const api = system()
  if (!api) return
  void permission().then((answer) => {
    if (answer !== 'granted') return
    for (const alert of alerts) {
      const notice = new api(alert.title, { body: alert.body })
      notice.onclick = () => {
        window.focus()
        navigate('/today')
      }
    }
  })
}

/** Asks for permission when a crew lead signs in (never for the office or an admin). */
export function useDesktopNotices(role: UserRole | null): void {
  useEffect(() => {
    if (role === 'crew_lead') void permission()
  }, [role])
}

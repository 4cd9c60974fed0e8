import { Notification } from 'electron'
import electronUpdater from 'electron-updater'
import { log } from './core/log'
import { scopedLog } from './logging'
import { nextCheckInMs, type UpdatePlan, updateReadyNotice } from './update-plan'

/**
 * Carries out the update plan (update-plan.ts) with electron-updater: nothing at all when
 * it is off (`autoUpdater` is created on first use, so not even then). When on: checks
 * on the plan's schedule, downloads in the background, tells the user once a download is
 * ready and installs it when the app quits. Failures are logged, never shown: the app
 * works the same without an update. Returns a function that stops the checks.
 */
export function startUpdates(plan: UpdatePlan): () => void {
  if (!plan.enabled) {
    if (plan.reason === 'invalid address') log.warn('updates', plan.detail ?? 'off')
    else log.info('updates', `off (${plan.reason})`)
    return () => {}
  }
  // electron-updater is CommonJS: its named exports are read from the default import.
  const { autoUpdater } = electronUpdater
  autoUpdater.logger = scopedLog('updater')
  autoUpdater.autoDownload = true
  autoUpdater.autoInstallOnAppQuit = true
  autoUpdater.setFeedURL(plan.feed)
  autoUpdater.on('error', (e) =>
    log.warn('updates', 'checking or downloading failed', { error: e }),
  )
  autoUpdater.on('update-downloaded', (info) => {
    log.info('updates', `downloaded ${info.version}; it installs when the app quits`)
    if (Notification.isSupported()) new Notification(updateReadyNotice(info.version)).show()
  })
  let timer: NodeJS.Timeout | undefined
  let lastCheckAt: number | null = null
  const schedule = () => {
    timer = setTimeout(check, nextCheckInMs(plan, lastCheckAt, Date.now()))
    timer.unref()
  }
  const check = () => {
    lastCheckAt = Date.now()
    // A failure is reported through the 'error' event too; the next check still comes.
    autoUpdater
      .checkForUpdates()
      .catch(() => {})
      .finally(schedule)
  }
  log.info('updates', 'on', { feed: plan.feed.url })
  schedule()
  return () => clearTimeout(timer)
}

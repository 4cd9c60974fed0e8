import type { SyncStatus } from '../../../../shared/contract/sync'
import type { SyncedTable } from '../../../../shared/sync/protocol'
import { formatAgo, plural } from '../../app/format'

/** How the sync state reads in the shell and in Settings. */
export type SyncTone = 'ok' | 'busy' | 'warn' | 'paused' | 'error'

const PHASE_TONE: Record<SyncStatus['phase'], SyncTone> = {
  off: 'paused',
  idle: 'ok',
  syncing: 'busy',
  offline: 'warn',
  paused: 'paused',
  error: 'error',
}

/** The one line next to the dot: "Synced 2 min ago", "Offline · 3 changes waiting". */
export function syncHeadline(s: SyncStatus, now = Date.now()): string {
  switch (s.phase) {
    case 'syncing':
      return 'Syncing…'
    case 'offline':
      return s.pending ? `Offline · ${plural(s.pending, 'change')} waiting` : 'Offline'
    case 'paused':
      return 'Sync paused'
    case 'error':
      return 'Sync error'
    case 'idle':
      if (s.stuck > 0) return `Synced · ${plural(s.stuck, 'change')} not merged`
      return s.lastSyncAt ? `Synced ${formatAgo(s.lastSyncAt, now)}` : 'Not synced yet'
    default:
      return 'Sync off'
  }
}

/** The dot's colour: up to date, but holding changes it cannot merge, is not all well. */
export const syncTone = (s: SyncStatus): SyncTone =>
  s.phase === 'idle' && s.stuck > 0 ? 'warn' : PHASE_TONE[s.phase]

/** What Settings says about the phase, in a sentence. */
export const PHASE_TEXT: Record<SyncStatus['phase'], string> = {
  off: 'Not connected',
  idle: 'Up to date',
  syncing: 'Syncing now',
  offline: 'The server cannot be reached; this laptop keeps trying',
  paused: 'Paused: nothing is sent or received until you resume, or press Sync now',
  error: 'Syncing failed',
}

export const TABLE_LABEL: Record<SyncedTable, string> = {
  appointments: 'Appointment',
  clients: 'Client',
  services: 'Service',
  products: 'Product',
  team_members: 'Crew member',
  team_member_specialties: 'Specialty',
  business_settings: 'Business settings',
  appointment_products: 'Product on a job',
  notification_templates: 'Message template',
  notifications: 'Message to a client',
  time_off: 'Time off',
  series: 'Recurring visits',
  weather_forecasts: 'Weather forecast',
  geocodes: 'Place on the map',
}

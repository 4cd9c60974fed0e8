import type { Channel } from './index'

/**
 * Which tables each channel reads and writes: the one rule behind "changed" notices.
 * After a successful call the core announces the tables its channel writes; the
 * renderer refetches every query whose channel reads one of them. The map must name
 * every channel (`satisfies`), so a new channel cannot forget to say what it touches.
 *
 * Names are the database's table names (as the sync protocol uses them), plus
 * `sync_state` for this laptop's link to the server (its conflicts list, its config).
 */
export const DATA_TABLES = [
  'appointments',
  'appointment_products',
  'clients',
  'services',
  'products',
  'team_members',
  'team_member_specialties',
  'users',
  'app_settings',
  'business_settings',
  'notifications',
  'notification_templates',
  'time_off',
  'series',
  'weather_forecasts',
  'geocodes',
  'sync_state',
] as const
export type DataTable = (typeof DATA_TABLES)[number]

interface Touches {
  reads: readonly DataTable[]
  writes: readonly DataTable[]
}

// An appointment row shows its client, service and crew member by name and colour.
const APPOINTMENT_VIEW = ['appointments', 'clients', 'services', 'team_members'] as const
const APPOINTMENT_WRITE = ['appointments', 'appointment_products'] as const
const TEAM = ['team_members', 'team_member_specialties'] as const
const SERIES_WRITE = ['series', ...APPOINTMENT_WRITE] as const
const none = [] as const
// Forecasts are per day in the business's time zone.
const WEATHER_VIEW = [
  ...APPOINTMENT_VIEW,
  'weather_forecasts',
  'geocodes',
  'business_settings',
] as const
// Whether a crew member is off today: their time off, in the business's time zone.
const TEAM_VIEW = [...TEAM, 'time_off', 'business_settings'] as const

export const CHANNEL_TABLES = {
  'appointments.list': { reads: APPOINTMENT_VIEW, writes: none },
  'appointments.get': { reads: APPOINTMENT_VIEW, writes: none },
  'appointments.create': { reads: none, writes: APPOINTMENT_WRITE },
  'appointments.update': { reads: none, writes: APPOINTMENT_WRITE },
  'appointments.reschedule': { reads: none, writes: APPOINTMENT_WRITE },
  'appointments.setStatus': { reads: none, writes: APPOINTMENT_WRITE },
  'appointments.delete': { reads: none, writes: APPOINTMENT_WRITE },
  'appointments.restore': { reads: none, writes: APPOINTMENT_WRITE },
  'calendar.range': { reads: APPOINTMENT_VIEW, writes: none },
  'daySheet.get': {
    reads: [...APPOINTMENT_VIEW, 'appointment_products', 'products', 'business_settings'],
    writes: none,
  },
  'catalog.services.list': { reads: ['services'], writes: none },
  'catalog.services.get': { reads: ['services'], writes: none },
  'catalog.services.create': { reads: none, writes: ['services'] },
  'catalog.services.update': { reads: none, writes: ['services'] },
  'catalog.services.archive': { reads: none, writes: ['services'] },
  'catalog.services.addStarter': { reads: none, writes: ['services'] },
  'catalog.products.list': { reads: ['products'], writes: none },
  'catalog.products.get': { reads: ['products'], writes: none },
  'catalog.products.create': { reads: none, writes: ['products'] },
  'catalog.products.update': { reads: none, writes: ['products'] },
  'catalog.products.archive': { reads: none, writes: ['products'] },
  'clients.list': { reads: ['clients'], writes: none },
  'clients.get': { reads: ['clients'], writes: none },
  'clients.create': { reads: none, writes: ['clients'] },
  'clients.update': { reads: none, writes: ['clients'] },
  'clients.archive': { reads: none, writes: ['clients'] },
  // Read once, into a file: listed for completeness (nothing keeps an export on screen).
  'data.export': {
    reads: [
      'appointments',
      'appointment_products',
      'clients',
      'services',
      'products',
      'team_members',
      'business_settings',
    ],
    writes: none,
  },
  'data.import': { reads: none, writes: ['clients', 'services', 'series', 'appointments'] },
  'data.backup': { reads: none, writes: none },
  'data.backups': { reads: none, writes: none },
  'data.backupRead': { reads: none, writes: none },
  'data.backupAdd': { reads: none, writes: none },
  'data.deleteBackup': { reads: none, writes: none },
  'data.progress': { reads: none, writes: none },
  // A restore replaces the whole database.
  'data.restore': { reads: none, writes: DATA_TABLES },
  'data.replaced': { reads: none, writes: none },
  'data.putBack': { reads: none, writes: DATA_TABLES },
  'team.list': { reads: TEAM_VIEW, writes: none },
  'team.get': { reads: TEAM_VIEW, writes: none },
  'team.create': { reads: none, writes: TEAM },
  'team.update': { reads: none, writes: TEAM },
  'team.setAvailability': { reads: none, writes: TEAM },
  'team.setSpecialties': { reads: none, writes: TEAM },
  'team.archive': { reads: none, writes: TEAM },
  'notifications.draft': {
    reads: [
      'notifications',
      'notification_templates',
      'appointments',
      'clients',
      'business_settings',
    ],
    writes: none,
  },
  'session.get': { reads: ['users', 'app_settings', 'sync_state'], writes: none },
  // A crew lead's user names their crew member.
  'session.users': { reads: ['users', 'team_members'], writes: none },
  'session.switch': { reads: none, writes: ['app_settings'] },
  'session.lock': { reads: none, writes: ['app_settings'] },
  // Activity only: announcing it would refetch screens on every keystroke.
  'session.touch': { reads: none, writes: none },
  'session.createUser': { reads: none, writes: ['users'] },
  'session.updateUser': { reads: none, writes: ['users'] },
  'session.removeUser': { reads: none, writes: ['users'] },
  'session.restoreUser': { reads: none, writes: ['users'] },
  'session.changePin': { reads: none, writes: ['users'] },
  'session.resetPin': { reads: none, writes: ['users'] },
  'session.setIdleMinutes': { reads: none, writes: ['app_settings'] },
  // Business settings moved from app_settings to their own synced table.
  'settings.get': { reads: ['app_settings', 'business_settings'], writes: none },
  'settings.update': { reads: none, writes: ['app_settings', 'business_settings'] },
  // The checklist reads whether each kind of record exists yet.
  'setup.get': {
    reads: [
      'app_settings',
      'business_settings',
      'services',
      'team_members',
      'clients',
      'appointments',
    ],
    writes: none,
  },
  'setup.dismiss': { reads: none, writes: ['app_settings'] },
  // The status is polled on its own; sync rounds announce the rows they merge.
  // Its conflicts' times are told in the business's time zone.
  'sync.status': { reads: ['business_settings'], writes: none },
  'sync.configure': { reads: none, writes: ['sync_state', 'app_settings'] },
  'sync.disconnect': { reads: none, writes: ['sync_state', 'app_settings'] },
  'sync.pause': { reads: none, writes: none },
  // The list of refused changes is kept beside the sync state, and read with it.
  'sync.clearRefused': { reads: none, writes: ['sync_state'] },
  'sync.now': { reads: none, writes: ['sync_state'] },
  'sync.conflicts': { reads: ['sync_state'], writes: none },
  // Settling a conflict may restore or change a row of any synced table.
  'sync.resolve': { reads: none, writes: DATA_TABLES },
  // How much the laptop holds: its records counted.
  'system.status': { reads: ['appointments', 'clients', 'services', 'team_members'], writes: none },
  // A message names its client.
  'notifications.list': { reads: ['notifications', 'clients'], writes: none },
  'notifications.retry': { reads: none, writes: ['notifications'] },
  // Which messages this laptop sends is a setting of its own; the log's screens show it.
  'notifications.sendLeft': { reads: none, writes: ['notifications', 'app_settings'] },
  'notifications.templates': { reads: ['notification_templates'], writes: none },
  'notifications.saveTemplate': { reads: none, writes: ['notification_templates'] },
  // A template filled in with a real visit's values.
  'notifications.preview': {
    reads: ['appointments', 'clients', 'services', 'team_members', 'series', 'business_settings'],
    writes: none,
  },
  // The messages left to a server are counted from the log.
  'notifications.settings': {
    reads: ['business_settings', 'app_settings', 'sync_state', 'notifications'],
    writes: none,
  },
  'notifications.updateSettings': { reads: none, writes: ['business_settings', 'app_settings'] },
  // A risk reads the job, its client's place, its service's limits and the forecasts.
  'weather.risks': { reads: WEATHER_VIEW, writes: none },
  'weather.days': { reads: WEATHER_VIEW, writes: none },
  'weather.betterDays': { reads: [...WEATHER_VIEW, ...TEAM, 'time_off'], writes: none },
  'weather.planDay': { reads: [...WEATHER_VIEW, ...TEAM, 'time_off'], writes: none },
  'weather.status': { reads: ['weather_forecasts', 'app_settings', 'sync_state'], writes: none },
  'weather.refresh': { reads: none, writes: ['weather_forecasts', 'geocodes', 'app_settings'] },
  'weather.updateSettings': { reads: none, writes: ['app_settings'] },
  'team.timeOff.list': { reads: ['time_off', 'team_members'], writes: none },
  'team.timeOff.add': { reads: none, writes: ['time_off'] },
  'team.timeOff.remove': { reads: none, writes: ['time_off'] },
  'team.reassignmentPlan': { reads: [...APPOINTMENT_VIEW, ...TEAM_VIEW], writes: none },
  'appointments.moveMany': { reads: none, writes: APPOINTMENT_WRITE },
  // A series writes its own rows and its visits; its view reads both.
  'series.create': { reads: none, writes: SERIES_WRITE },
  'series.get': { reads: ['series', 'appointments'], writes: none },
  'series.update': { reads: none, writes: SERIES_WRITE },
  'series.skip': { reads: none, writes: SERIES_WRITE },
  // Kept in this laptop's settings, checked again against the jobs as they are.
  'series.clashes': { reads: ['app_settings', ...APPOINTMENT_VIEW], writes: none },
  'series.keepClash': { reads: none, writes: ['app_settings'] },
  'series.end': { reads: none, writes: SERIES_WRITE },
} as const satisfies Record<Channel, Touches>

export function tablesWrittenBy(channel: Channel): readonly DataTable[] {
  return CHANNEL_TABLES[channel].writes
}

/** Whether a query of `channel` may show something from one of `tables`. */
export function readsAny(channel: Channel, tables: readonly string[]): boolean {
  const reads: readonly string[] = CHANNEL_TABLES[channel].reads
  return tables.some((t) => reads.includes(t))
}

/** The body of a "changed" notice, from the core to the screens. */
export interface ChangedNotice {
  tables: string[]
  /**
   * For the crew lead using this laptop: jobs of their crew, today or tomorrow, that a
   * pulled change added, moved or cancelled (shown as desktop notifications).
   */
  alerts?: { title: string; body: string }[]
}

/** The IPC channel main uses to push "changed" notices to the window. */
export const CHANGED_CHANNEL = 'groundskeeper:changed'

/** A notice as it arrives from outside the renderer's own code: checked, never trusted. */
export function parseChangedNotice(value: unknown): ChangedNotice | null {
  const tables = (value as { tables?: unknown } | null)?.tables
  if (!Array.isArray(tables) || !tables.every((t) => typeof t === 'string')) return null
  const alerts = (value as { alerts?: unknown }).alerts
  const fine = (a: unknown): a is { title: string; body: string } =>
    typeof a === 'object' &&
    a !== null &&
    typeof (a as { title?: unknown }).title === 'string' &&
    typeof (a as { body?: unknown }).body === 'string'
  if (Array.isArray(alerts) && alerts.length && alerts.every(fine))
    return {
      tables: [...tables],
      alerts: alerts.map((a) => ({ title: a.title.slice(0, 200), body: a.body.slice(0, 500) })),
    }
  return { tables: [...tables] }
}

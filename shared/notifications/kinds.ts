/**
 * What the notification service sends, how, and where each message stands. The value
 * sets are shared by the database's checks, the contract, the engine and the screens.
 */
export const NOTIFICATION_KINDS = [
  'confirmation',
  'reminder',
  'rescheduled',
  'cancelled',
  'weather',
] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]

export const CHANNELS = ['email', 'sms'] as const
export type Channel = (typeof CHANNELS)[number]

/**
 * scheduled: planned for a later time (a reminder, or a message held to sending hours);
 * queued: due, waiting for a sender; processing: written to the log, being sent;
 * failed: the last attempt failed, another is planned; dead: 5 attempts failed, waiting
 * for someone to retry it; sent and skipped (with the reason) are final.
 */
export const NOTIFICATION_STATUSES = [
  'scheduled',
  'queued',
  'processing',
  'sent',
  'skipped',
  'failed',
  'dead',
] as const
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number]

/** Statuses a sender still has to act on. */
export const PENDING_STATUSES: readonly NotificationStatus[] = [
  'scheduled',
  'queued',
  'processing',
  'failed',
]
export const isPending = (s: string) => (PENDING_STATUSES as readonly string[]).includes(s)

/** After this many failed attempts a notification is dead (the original's dead-letter rule). */
export const MAX_ATTEMPTS = 5
/** The send log keeps a message this long after it was made. */
export const RETENTION_DAYS = 90

export const KIND_LABELS: Record<NotificationKind, string> = {
  confirmation: 'Booking confirmation',
  reminder: 'Reminder',
  rescheduled: 'Change of time',
  cancelled: 'Cancellation',
  weather: 'Weather notice',
}

export const CHANNEL_LABELS: Record<Channel, string> = { email: 'Email', sms: 'SMS' }

/** The default lead time of a reminder, in minutes (the day before). */
export const DEFAULT_REMINDER_LEAD_MINUTES = 24 * 60
/** The default hours messages to clients may go out, in the business's time zone. */
export const DEFAULT_SENDING_HOURS = '08:00-20:00'
export const DEFAULT_LOCALE = 'en'
export const LOCALES = ['en', 'es', 'fr', 'de'] as const
export type Locale = (typeof LOCALES)[number]
export const isLocale = (l: string): l is Locale => (LOCALES as readonly string[]).includes(l)

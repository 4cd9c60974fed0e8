import {
  CHANNEL_LABELS,
  type Channel,
  KIND_LABELS,
  type NotificationKind,
  type NotificationStatus,
} from '../../../../shared/notifications/kinds'
import type { SmsParts } from '../../../../shared/notifications/sms-parts'
import { plural } from '../../app/format'

/** Where a message stands, as the office reads it (the log's statuses in words). */
export const STATUS_LABELS: Record<NotificationStatus, string> = {
  scheduled: 'Scheduled',
  queued: 'Waiting to send',
  processing: 'Sending',
  sent: 'Sent',
  skipped: 'Not sent',
  failed: 'Failed, will retry',
  dead: 'Failed, gave up',
}

/** The same, in one line each, for the status filter's hints. */
export const STATUS_HINTS: Record<NotificationStatus, string> = {
  scheduled: 'waiting for its time or for sending hours',
  queued: 'due, about to go',
  processing: 'being handed to the provider',
  sent: 'taken by the mail or SMS provider',
  skipped: 'not sent, for the reason shown (no address, opted out, no provider)',
  failed: 'the last try failed; another is planned',
  dead: 'the provider refused it, or 5 tries failed: retry it by hand',
}

/** The languages templates and clients may have. */
export const LOCALE_LABELS: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
}

export const kindLabel = (k: NotificationKind) => KIND_LABELS[k]
export const channelLabel = (c: Channel) => CHANNEL_LABELS[c]
/** The channel inside a sentence: "by email", "by SMS" (an acronym keeps its capitals). */
export const channelInSentence = (c: Channel) => (c === 'sms' ? 'SMS' : 'email')

const KIND_PLURALS: Record<NotificationKind, string> = {
  confirmation: 'booking confirmations',
  reminder: 'reminders',
  rescheduled: 'change-of-time notices',
  cancelled: 'cancellation notices',
  weather: 'weather notices',
}

/** "No SMS reminders", "No email booking confirmations": an override as a person says it. */
export function overrideLabel(kind: NotificationKind, channel: Channel): string {
  return `No ${channel === 'sms' ? 'SMS' : 'email'} ${KIND_PLURALS[kind]}`
}

/** What an SMS costs: its parts, and why there are more when a character forces UCS-2. */
export function partsText(p: SmsParts): string {
  const counted = `${plural(p.length, 'character')}, sent as ${plural(p.parts, 'SMS part')}`
  if (p.encoding === 'GSM-7') return counted
  const shown = p.outside.slice(0, 3).map((ch) => `“${ch}”`)
  return `${counted} of up to ${p.parts > 1 ? 67 : 70} characters: ${shown.join(', ')}${p.outside.length > 3 ? ' and others' : ''} ${p.outside.length > 1 ? 'are' : 'is'} outside the SMS alphabet, which holds 160 a part`
}

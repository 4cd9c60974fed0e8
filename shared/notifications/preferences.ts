import {
  CHANNEL_LABELS,
  CHANNELS,
  type Channel,
  KIND_LABELS,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from './kinds'

/**
 * A client's wishes about messages: email is on unless they opt out, SMS is opt-in, and
 * either can be turned off for one kind only ("no SMS reminders"). The overrides are one
 * text column of `kind:channel` pairs so that sync merges them like any field.
 */
export interface ClientContact {
  email: string | null
  phone: string | null
  notifyEmail: boolean
  notifySms: boolean
  /** `kind:channel` pairs turned off, comma-separated: "reminder:sms,cancelled:email". */
  notifyOff: string
  deleted?: boolean
}

export type Override = `${NotificationKind}:${Channel}`

const OVERRIDE = new RegExp(`^(${NOTIFICATION_KINDS.join('|')}):(${CHANNELS.join('|')})$`)

export function parseOverrides(text: string): Override[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is Override => OVERRIDE.test(s))
}

export function formatOverrides(pairs: readonly Override[]): string {
  return [...new Set(pairs)].sort().join(',')
}

export const isOverrides = (text: string) =>
  text === '' || text.split(',').every((s) => OVERRIDE.test(s.trim()))

/**
 * A phone number as E.164 ("+14155550123"): spaces, dots, dashes and brackets are
 * dropped; a number without its country code is not guessed at. Null when not one.
 */
export function toE164(phone: string | null | undefined): string | null {
  if (!phone) return null
  const compact = phone.replace(/[\s.\-()]/g, '')
  return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : null
}

/**
 * Why a client's opt-in to texts cannot stand, as a message for the phone field (null when
 * it can, or texts are off): texts go to a number in E.164, so one is needed in that form.
 */
export function smsNumberProblem(c: {
  phone?: string | null | undefined
  notifySms?: boolean | undefined
}): string | null {
  if (!c.notifySms) return null
  if (!c.phone?.trim()) return 'is needed for text messages (or turn texts off)'
  return toE164(c.phone)
    ? null
    : 'needs + and the country code for text messages, such as +1 415 555 0100'
}

/**
 * Whether a message was skipped for a reason `reach` gives (every one of them speaks of
 * the client): a change to the client may lift it, unlike an unset-up sender's.
 */
export const isReachReason = (reason: string | null | undefined): boolean =>
  !!reason && /^the client('s)? /.test(reason)

export type Reach = { ok: true; recipient: string } | { ok: false; reason: string }

/** Whether a client gets this kind of message on this channel now, and where. */
export function reach(client: ClientContact, kind: NotificationKind, channel: Channel): Reach {
  const what = `${CHANNEL_LABELS[channel].toLowerCase()} ${KIND_LABELS[kind].toLowerCase()}s`
  if (client.deleted) return { ok: false, reason: 'the client was deleted' }
  if (channel === 'email' ? !client.notifyEmail : !client.notifySms)
    return {
      ok: false,
      reason:
        channel === 'email'
          ? 'the client opted out of email'
          : 'the client has not opted in to SMS',
    }
  if (parseOverrides(client.notifyOff).includes(`${kind}:${channel}`))
    return { ok: false, reason: `the client turned off ${what}` }
  if (channel === 'email') {
    return client.email
      ? { ok: true, recipient: client.email }
      : { ok: false, reason: 'the client has no email address' }
  }
  if (!client.phone) return { ok: false, reason: 'the client has no phone number' }
  const e164 = toE164(client.phone)
  return e164
    ? { ok: true, recipient: e164 }
    : {
        ok: false,
        reason: `the client's phone number "${client.phone}" is not in international form (+ and country code)`,
      }
}

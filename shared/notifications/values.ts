import { v5 as uuidv5 } from 'uuid'
import { instantWords } from '../domain/when'
import { BUILT_IN_TEMPLATES } from './built-in-templates'
import { type Channel, DEFAULT_LOCALE, isLocale, type NotificationKind } from './kinds'
import type { TemplateText, TemplateValues } from './templates'

/** What a message about a visit says, gathered from the visit, its client and the business. */
export interface MessageFacts {
  clientName: string
  serviceName: string
  crewName: string | null
  location: string | null
  visitAtMs: number | null
  previousVisitAtMs: number | null
  timeZone: string
  businessName: string | null
  businessPhone: string | null
  weather?: string | null
  /** The language of the template the message is written with: its dates are in it. */
  locale?: string
}

export function messageValues(f: MessageFacts): TemplateValues {
  const none = { date: '', time: '', when: '' }
  const { date, time, when } =
    f.visitAtMs === null ? none : instantWords(f.visitAtMs, f.timeZone, f.locale)
  return {
    client_name: f.clientName,
    service: f.serviceName,
    date,
    time,
    when,
    previous_when:
      f.previousVisitAtMs === null
        ? ''
        : instantWords(f.previousVisitAtMs, f.timeZone, f.locale).when,
    crew_member: f.crewName ?? '',
    location: f.location ?? '',
    business_name: f.businessName ?? '',
    business_phone: f.businessPhone ?? '',
    weather: f.weather ?? '',
  }
}

export interface SavedTemplate extends TemplateText {
  kind: NotificationKind
  channel: Channel
  locale: string
  version: number
  deleted?: boolean
}

/**
 * The template a message is written with: the admins' own for the client's language,
 * else the built-in one in that language (version 0). A language the app has no words
 * for (a row written elsewhere) gets the admins' English, else the built-in English.
 */
export function pickTemplate(
  saved: readonly SavedTemplate[],
  kind: NotificationKind,
  channel: Channel,
  locale: string,
): TemplateText & { version: number; locale: string } {
  const mine = (l: string) =>
    saved.find((t) => !t.deleted && t.kind === kind && t.channel === channel && t.locale === l)
  const found = mine(locale) ?? (isLocale(locale) ? undefined : mine(DEFAULT_LOCALE))
  if (found)
    return {
      subject: found.subject,
      body: found.body,
      version: found.version,
      locale: found.locale,
    }
  const language = isLocale(locale) ? locale : DEFAULT_LOCALE
  return { ...BUILT_IN_TEMPLATES[language][kind][channel], version: 0, locale: language }
}

const TEMPLATE_NAMESPACE = 'c1d4e8a2-5f3b-4a7c-8e91-3b2f6d0a9c57'

/** A saved template's id, from its kind, channel and locale: two laptops editing one edit one row. */
export const templateId = (kind: NotificationKind, channel: Channel, locale: string) =>
  uuidv5(`${kind}|${channel}|${locale}`, TEMPLATE_NAMESPACE)

import type { PGlite, Transaction } from '@electric-sql/pglite'
import type { ChannelSender } from '../../../../notify/channels'
import { emailSender } from '../../../../notify/email'
import { smsSender } from '../../../../notify/sms'
import type { Channel } from '../../../../shared/notifications/kinds'
import { writeAppSetting } from '../app-settings'
import type { SecretBox } from './secrets'

/**
 * This laptop's own providers, used when it sends itself (no sync server): kept in its
 * local settings, never synced (the server's providers live in its environment), with
 * the password and token sealed by the SecretBox.
 */
export interface StoredEmail {
  host: string
  port: number
  secure: boolean
  user: string | null
  from: string
  /** Sealed. */
  password: string | null
}

export interface StoredSms {
  accountSid: string
  from: string
  baseUrl: string | null
  /** Sealed. */
  token: string | null
}

export const EMAIL_KEY = 'notify.email'
export const SMS_KEY = 'notify.sms'

type Queryable = PGlite | Transaction

export async function readProviders(
  pg: Queryable,
): Promise<{ email: StoredEmail | null; sms: StoredSms | null }> {
  const { rows } = await pg.query<{ key: string; value: unknown }>(
    'SELECT key, value FROM app_settings WHERE key = ANY($1)',
    [[EMAIL_KEY, SMS_KEY]],
  )
  const find = (k: string) => rows.find((r) => r.key === k)?.value ?? null
  return { email: find(EMAIL_KEY) as StoredEmail | null, sms: find(SMS_KEY) as StoredSms | null }
}

export async function writeProvider(
  pg: Queryable,
  key: typeof EMAIL_KEY | typeof SMS_KEY,
  value: StoredEmail | StoredSms | null,
): Promise<void> {
  await writeAppSetting(pg, key, value)
}

export function smtpUrl(e: StoredEmail, password: string | null): string {
  const auth = e.user
    ? `${encodeURIComponent(e.user)}${password ? `:${encodeURIComponent(password)}` : ''}@`
    : ''
  return `${e.secure ? 'smtps' : 'smtp'}://${auth}${e.host}:${e.port}`
}

let cached: { key: string; senders: Partial<Record<Channel, ChannelSender>> } | null = null

/** The senders these settings make; the same ones (and their connections) while they hold. */
export async function sendersFromSettings(
  pg: Queryable,
  secrets: SecretBox,
): Promise<Partial<Record<Channel, ChannelSender>>> {
  const { email, sms } = await readProviders(pg)
  const key = JSON.stringify([email, sms])
  if (cached?.key === key) return cached.senders
  for (const s of Object.values(cached?.senders ?? {})) await s?.close()
  const senders: Partial<Record<Channel, ChannelSender>> = {}
  if (email) {
    const password = email.password ? secrets.open(email.password) : null
    senders.email = emailSender({ url: smtpUrl(email, password), from: email.from })
  }
  if (sms?.token) {
    const token = secrets.open(sms.token)
    if (token)
      senders.sms = smsSender({
        accountSid: sms.accountSid,
        authToken: token,
        from: sms.from,
        ...(sms.baseUrl ? { baseUrl: sms.baseUrl } : {}),
      })
  }
  cached = { key, senders }
  return senders
}

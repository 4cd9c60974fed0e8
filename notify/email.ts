import nodemailer from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import { isLoopbackHost } from '../shared/sync/server-address'
import {
  type ChannelSender,
  type Delivered,
  errorText,
  isUnreachable,
  type OutgoingMessage,
  ProviderError,
} from './channels'

/**
 * Email over SMTP with nodemailer: one pooled transport (a few connections kept open,
 * so hundreds of messages a second do not each pay a handshake). The Message-ID is made
 * from the notification's id, so a message sent again after an interrupted attempt is
 * the same message to every mail system that sees both.
 */
export interface EmailSettings {
  /** smtp://[user:pass@]host:port (STARTTLS when offered) or smtps:// (TLS). */
  url: string
  /** The sender, "Greenway Gardens <office@greenway.example>". */
  from: string
  /** Connections kept open (default 4). */
  connections?: number
  timeoutMs?: number
}

/** An SMTP address as it may be shown or logged: whatever stands for a password hidden. */
export const withoutPassword = (url: string) =>
  url.replace(/^([^:/]*:\/\/[^:@/]*:)[^@]*@/, '$1***@')

export function parseEmailSettings(url: string, from: string): EmailSettings {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new TypeError(
      `the SMTP address "${withoutPassword(url)}" is not a URL such as smtp://user:pass@host:587`,
    )
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new TypeError(
      `the SMTP address must start with smtp:// or smtps://, not ${parsed.protocol}//`,
    )
  if (!parsed.hostname) throw new TypeError('the SMTP address names no host')
  if (!/^[^<>@\s]+@[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/.test(from.trim()))
    throw new TypeError(`the sender "${from}" is not an email address`)
  return { url, from: from.trim() }
}

/** Whether `url` logs in over a connection not encrypted from the start, to another computer. */
function passwordInClear(url: string): boolean {
  const u = new URL(url)
  return u.protocol === 'smtp:' && u.password !== '' && !isLoopbackHost(u.hostname)
}

/** The domain of the sender's address, for Message-IDs. */
const domainOf = (from: string) => /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'groundskeeper.invalid'

export const messageIdFor = (notificationId: string, from: string) =>
  `<${notificationId}@${domainOf(from)}>`

export function emailSender(settings: EmailSettings): ChannelSender {
  const timeout = settings.timeoutMs ?? 20_000
  const transport = nodemailer.createTransport({
    url: settings.url,
    // A password never crosses the network in clear: over smtp:// it waits for STARTTLS,
    // and a server that offers none is refused (this computer's own excepted, as in tests).
    requireTLS: passwordInClear(settings.url),
    pool: true,
    maxConnections: settings.connections ?? 4,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as SMTPTransport.Options)
  return {
    channel: 'email',
    async send(m: OutgoingMessage): Promise<Delivered> {
      const messageId = messageIdFor(m.id, settings.from)
      try {
        await transport.sendMail({
          from: settings.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          ...(m.html ? { html: m.html } : {}),
          messageId,
          headers: { 'X-Groundskeeper-Notification': m.id },
        })
        return { providerId: messageId }
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode
        if (isUnreachable(e)) throw new ProviderError(errorText(e), true, null, true)
        // SMTP 4xx: try again later; 5xx: refused (a bad address, a rejected sender).
        throw new ProviderError(errorText(e), code === undefined || code < 500)
      }
    },
    // SMTP cannot be asked what it accepted: the message goes again with its Message-ID.
    find: async () => null,
    close: async () => transport.close(),
  }
}

import twilio from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'
import type Response from 'twilio/lib/http/response.js'
import { parseRetryAfter } from '../shared/notifications/timing'
import { plainHttpRefusal } from '../shared/sync/server-address'
import {
  type ChannelSender,
  type Delivered,
  errorText,
  isUnreachable,
  neverConnected,
  type OutgoingMessage,
  ProviderError,
} from './channels'

/**
 * SMS through Twilio's REST API with the official client. Its HTTP client is ours (the
 * package takes one): it sends to the configured base URL instead of api.twilio.com (a
 * local stand-in in tests, a regional or proxy address in the field) and turns every
 * error answer into a `ProviderError` that keeps `Retry-After`, which the package's own
 * error drops.
 */
export interface SmsSettings {
  accountSid: string
  authToken: string
  /** The sender: an E.164 number or a Messaging Service SID ("MG..."). */
  from: string
  /** Default https://api.twilio.com. */
  baseUrl?: string
  timeoutMs?: number
}

export const TWILIO_API = 'https://api.twilio.com'

export function parseSmsSettings(s: SmsSettings): SmsSettings {
  if (!/^AC[0-9a-fA-F]{32}$/.test(s.accountSid))
    throw new TypeError('the Twilio account SID must be AC followed by 32 hexadecimal digits')
  if (!s.authToken) throw new TypeError('the Twilio auth token is required')
  if (!/^\+[1-9]\d{7,14}$/.test(s.from) && !/^MG[0-9a-fA-F]{32}$/.test(s.from))
    throw new TypeError(
      'the SMS sender must be an E.164 number (+14155550100) or a Messaging Service SID',
    )
  if (s.baseUrl !== undefined) {
    let url: URL
    try {
      url = new URL(s.baseUrl)
    } catch {
      throw new TypeError(`the SMS base URL "${s.baseUrl}" is not a URL`)
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new TypeError('the SMS base URL must be http:// or https://')
    const refused = plainHttpRefusal(s.baseUrl)
    if (refused) throw new TypeError(`the SMS base URL ${refused}`)
  }
  return s
}

class RoutedClient extends twilio.RequestClient {
  constructor(
    private readonly base: string,
    timeout: number,
  ) {
    super({ timeout, keepAlive: true })
  }

  override async request<T>(opts: RequestClient.RequestOptions<T>): Promise<Response<T>> {
    const uri = new URL(opts.uri)
    const target = new URL(this.base)
    uri.protocol = target.protocol
    uri.host = target.host
    // A base below a path (a proxy's "/twilio") keeps it in front of Twilio's own path.
    uri.pathname = `${target.pathname.replace(/\/+$/, '')}${uri.pathname}`
    let res: Response<T>
    try {
      res = await super.request<T>({ ...opts, uri: uri.href })
    } catch (e) {
      const timedOut = (e as { code?: string }).code === 'ECONNABORTED'
      // No answer: unless the connection was never made, Twilio may have taken the
      // message and only its answer was lost.
      throw new ProviderError(
        timedOut ? 'Twilio did not answer in time' : errorText(e),
        true,
        null,
        !timedOut && isUnreachable(e),
        !neverConnected(e),
      )
    }
    if (res.statusCode >= 400) {
      const body = (typeof res.body === 'string' ? safeJson(res.body) : res.body) as {
        message?: string
        code?: number
      } | null
      const words = body?.message ?? `HTTP ${res.statusCode}`
      const retryAfter = parseRetryAfter(
        (res.headers as Record<string, string> | undefined)?.['retry-after'],
        Date.now(),
      )
      const transient = res.statusCode >= 500 || res.statusCode === 429 || res.statusCode === 408
      throw new ProviderError(
        `Twilio refused it (${res.statusCode}${body?.code ? `, error ${body.code}` : ''}): ${words}`,
        transient,
        retryAfter,
      )
    }
    return res
  }
}

const safeJson = (text: string) => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

export function smsSender(settings: SmsSettings): ChannelSender {
  const client = twilio(settings.accountSid, settings.authToken, {
    httpClient: new RoutedClient(settings.baseUrl ?? TWILIO_API, settings.timeoutMs ?? 15_000),
  })
  const sender = settings.from.startsWith('MG')
    ? { messagingServiceSid: settings.from }
    : { from: settings.from }
  return {
    channel: 'sms',
    async send(m: OutgoingMessage): Promise<Delivered> {
      const sent = await client.messages.create({ to: m.to, body: m.text, ...sender })
      return { providerId: sent.sid }
    },
    // Twilio keeps what it accepted: a message to this number with this text created
    // since the message was logged (a minute's grace for the clocks) is the one it
    // accepted from an attempt cut off or unanswered. (Listed newest first; filtered on
    // its creation, not its sending: a queued message has no sending date yet.)
    async find(m: OutgoingMessage, sinceMs: number): Promise<Delivered | null> {
      const list = await client.messages.list({ to: m.to, limit: 50 })
      const found = list.find(
        (x) => x.body === m.text && x.dateCreated && x.dateCreated.getTime() >= sinceMs - 60_000,
      )
      return found ? { providerId: found.sid } : null
    },
    close: async () => {},
  }
}

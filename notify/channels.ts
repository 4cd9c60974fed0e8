import type { Channel } from '../shared/notifications/kinds'

/**
 * The way out for one channel: email over SMTP, SMS through Twilio. The engine hands a
 * channel a rendered message and gets the provider's id of it back, or a
 * `ProviderError` saying whether trying again can help and when.
 */
export interface OutgoingMessage {
  /** The notification's id: the idempotency key, carried to the provider. */
  id: string
  to: string
  subject: string
  text: string
  html: string | null
}

export interface Delivered {
  /** The provider's id of the message: the SMTP Message-ID, the Twilio message SID. */
  providerId: string
}

export interface ChannelSender {
  readonly channel: Channel
  send(message: OutgoingMessage): Promise<Delivered>
  /**
   * After an attempt that may have reached the provider (the sender died before it
   * wrote down the outcome, or the provider never answered): the provider's id of that
   * message, if the provider has it. `sinceMs`: no earlier attempt can have begun before
   * it (the message's creation in the log). Null: it did not get there, or the provider
   * cannot be asked (then the message goes again, as itself: email with the same
   * Message-ID).
   */
  find(message: OutgoingMessage, sinceMs: number): Promise<Delivered | null>
  close(): Promise<void>
}

/**
 * A failure the provider reported, or the network. `transient`: another attempt may
 * succeed (a timeout, a 5xx, a 429, an SMTP 4xx); otherwise the message cannot go as it
 * is (an address refused, credentials wrong) and is not tried again on its own.
 * `offline`: the provider could not be reached at all (no network): on a laptop that
 * does not count as an attempt. `unanswered`: the request may have reached the provider
 * and been taken, only its answer lost (a timeout, a connection cut once it was made):
 * the provider is asked for the message before it is sent again.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly retryAfterMs: number | null = null,
    readonly offline = false,
    readonly unanswered = false,
  ) {
    super(message)
    this.name = 'ProviderError'
  }
}

const UNREACHABLE = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKET',
  'ECONNECTION',
  'EDNS',
])

/** Failures before a connection was made: nothing was sent, so nothing can have been taken. */
const NEVER_CONNECTED = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNREFUSED',
  'EDNS',
])

/** Whether an error (or one of its causes) has one of `codes`. */
function hasCode(e: unknown, codes: ReadonlySet<string>): boolean {
  let cur: unknown = e
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code
    if (typeof code === 'string' && codes.has(code)) return true
    cur = (cur as { cause?: unknown }).cause
  }
  return false
}

/** Whether an error is the network's (no route, no answer) rather than the provider's. */
export const isUnreachable = (e: unknown): boolean => hasCode(e, UNREACHABLE)

/**
 * Whether a request that failed without an answer never left this computer (no address,
 * no route, refused). Anything else (a timeout, a reset) may have been taken.
 */
export const neverConnected = (e: unknown): boolean => hasCode(e, NEVER_CONNECTED)

/** The words of an error, short enough for the send log. */
export const errorText = (e: unknown) =>
  (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 500)

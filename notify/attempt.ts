import { MAX_ATTEMPTS } from '../shared/notifications/kinds'
import {
  holdToSendingHours,
  retryDelayMs,
  type SendingWindow,
} from '../shared/notifications/timing'
import { type ChannelSender, errorText, type OutgoingMessage, ProviderError } from './channels'
import type { Claim, DeliverOptions, Finish, NotificationRow, Outcome } from './engine'

/**
 * One claimed message to its provider, and what to write of it: rules 4 to 6 of the
 * engine (engine.ts): ask before sending again, hold to the sending hours, the outcome.
 */

/**
 * Written at the end of a failure's reason when the failed attempt may have reached the
 * provider and been taken (no answer came: a timeout, a connection cut once made; or
 * the provider could not be asked about an attempt cut off). The next attempt asks the
 * provider for the message before sending it again, so an answer lost on its way is
 * never a second message. The send log keeps it in `reason` (read by both sides' log,
 * synced with the row); the words are this constant's, never a provider's.
 */
export const MAY_HAVE_BEEN_TAKEN =
  ' (no answer came: the provider may have taken it, so it is asked before the message goes again)'

/**
 * Whether an earlier attempt at a message may have reached its provider without the log
 * knowing how it ended: left processing (its sender died), or failed unanswered.
 */
export const unsettled = (row: Pick<NotificationRow, 'status' | 'reason'>): boolean =>
  row.status === 'processing' || (row.reason?.endsWith(MAY_HAVE_BEEN_TAKEN) ?? false)

export type Prepared = {
  row: NotificationRow
  /** Left processing by an attempt cut off: this attempt goes on with it, uncounted. */
  resumed: boolean
  /** See `unsettled`: the provider is asked first, and the message goes as it went. */
  unsettled: boolean
  /**
   * Found due outside the sending hours: it is not sent before this time (an unsettled
   * one is still asked about now: asking sends nothing). Null: it goes now.
   */
  heldUntil: number | null
  window: SendingWindow
  /** The visit it is about (for the sending hours: a message useless after it). */
  visitAtMs: number
  sender: ChannelSender
  message: OutgoingMessage
  claim: Claim
}

type Result = { finish: Finish; outcome: Outcome }

export async function attempt(p: Prepared, opts: DeliverOptions): Promise<Result> {
  const { row, sender, message } = p
  let asking = false
  try {
    if (p.unsettled) {
      asking = true
      // No attempt can have begun before the message was logged.
      const found = await sender.find(message, row.createdAtMs)
      asking = false
      if (found) {
        const reason = p.resumed
          ? 'the provider had it from an attempt that was cut off'
          : 'the provider had it from an attempt it did not answer'
        return {
          finish: { status: 'sent', providerId: found.providerId, sentAtMs: opts.nowMs(), reason },
          outcome: { status: 'sent', providerId: found.providerId, settled: true },
        }
      }
    }
    if (p.heldUntil !== null) return held(p, p.heldUntil)
    const sent = await sender.send(message)
    return {
      finish: { status: 'sent', providerId: sent.providerId, sentAtMs: opts.nowMs(), reason: null },
      outcome: { status: 'sent', providerId: sent.providerId, settled: false },
    }
  } catch (e) {
    const failure =
      e instanceof ProviderError ? e : new ProviderError(errorText(e), true, null, false, true)
    // Still unknown whether an earlier attempt got there (the provider could not be
    // asked), or this one went unanswered: the next attempt asks first.
    return failed(p, failure, asking || failure.unanswered, opts)
  }
}

/**
 * Outside the sending hours: not an attempt. It is scheduled again, due when they open,
 * its attempts as they were; the senders pick it up then.
 */
function held(p: Prepared, untilMs: number): Result {
  const reason = `held to the sending hours (${p.window.hours}): it goes when they open`
  return {
    finish: { status: 'scheduled', reason, dueAtMs: untilMs, attempts: p.row.attempts },
    outcome: { status: 'failed', reason, retryAtMs: untilMs, held: true },
  }
}

function failed(
  p: Prepared,
  failure: ProviderError,
  unknown: boolean,
  opts: DeliverOptions,
): Result {
  const { row } = p
  const attempts = p.claim.attempts
  const note = unknown ? MAY_HAVE_BEEN_TAKEN : ''
  if (failure.offline && opts.offlineCounts === false) {
    // Not an attempt: the network is away. It waits, due as it was, for the caller's
    // next pass (which stops trying this channel for the rest of the pass).
    return {
      finish: {
        status: 'failed',
        // No answer at all: the network, or the provider's address (a server not
        // running, a wrong port). Said as such, never as a refusal by the provider.
        reason: `waiting until the ${row.channel === 'sms' ? 'SMS provider' : 'mail server'} can be reached (no network, or not running at that address): ${failure.message}${note}`,
        dueAtMs: row.dueAtMs,
        attempts: row.attempts,
      },
      outcome: {
        status: 'failed',
        reason: failure.message,
        retryAtMs: row.dueAtMs,
        offline: true,
      },
    }
  }
  if (!failure.transient || attempts >= MAX_ATTEMPTS) {
    const reason = `${
      failure.transient
        ? `${MAX_ATTEMPTS} attempts failed; the last: ${failure.message}`
        : failure.message
    }${note}`
    return { finish: { status: 'dead', reason }, outcome: { status: 'dead', reason } }
  }
  const backedOff =
    opts.nowMs() + retryDelayMs(attempts, failure.retryAfterMs, opts.random?.() ?? Math.random())
  // Never at night either: held to the sending hours by the planner's own rule. From the
  // back-off's end, as if it were now: never before it (nor before Retry-After).
  const retryAtMs = holdToSendingHours(backedOff, backedOff, p.visitAtMs, p.window)
  return {
    finish: { status: 'failed', reason: `${failure.message}${note}`, dueAtMs: retryAtMs },
    outcome: { status: 'failed', reason: failure.message, retryAtMs },
  }
}

import type { NotificationKind } from './kinds'
import type { Visit } from './plan'

/** Why a message is no longer to be sent, from what became of its visit. */
export const VISIT_SKIPS = {
  gone: 'the visit is no longer there',
  uncancelled: 'the visit is no longer cancelled',
  deleted: 'the visit was deleted',
  cancelled: 'the visit was cancelled',
  done: 'the visit is done',
  started: 'the visit has started',
  passed: 'the visit time passed before it could be sent',
  moved: 'the visit moved',
  movedAgain: 'the visit moved again',
  improved: 'the forecast improved',
  otherClient: 'the visit was given to another client',
} as const
export const VISIT_SKIP_REASONS: readonly string[] = Object.values(VISIT_SKIPS)

/**
 * Whether a message may be sent again: a failed or dead one, or one skipped for what can
 * change (an address added, a sender set up); never one its visit left behind (moved,
 * cancelled, done): what the client needs to hear of it was planned anew.
 */
export const mayRetry = (n: { status: string; reason: string | null }): boolean =>
  n.status === 'failed' ||
  n.status === 'dead' ||
  (n.status === 'skipped' && !VISIT_SKIP_REASONS.includes(n.reason ?? ''))

/**
 * Whether a due message still goes out, checked by the sender just before sending
 * (the visit or the client may have changed since it was planned). Null: send it.
 */
export function skipReason(
  m: { kind: NotificationKind; visitAtMs: number | null },
  visit: Visit | null,
  nowMs: number,
): string | null {
  if (!visit) return m.kind === 'weather' ? null : VISIT_SKIPS.gone
  if (m.kind === 'cancelled') {
    return visit.deleted || visit.status === 'cancelled' ? null : VISIT_SKIPS.uncancelled
  }
  if (visit.deleted) return VISIT_SKIPS.deleted
  if (visit.status === 'cancelled') return VISIT_SKIPS.cancelled
  if (visit.status === 'completed') return VISIT_SKIPS.done
  if (visit.scheduledAtMs <= nowMs) return VISIT_SKIPS.passed
  // A reminder, a change notice or a weather notice speaks of the visit's time: gone with it.
  if (m.kind !== 'confirmation' && m.visitAtMs !== visit.scheduledAtMs) return VISIT_SKIPS.moved
  return null
}

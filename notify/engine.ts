import type { Channel, NotificationKind, NotificationStatus } from '../shared/notifications/kinds'
import { CHANNEL_LABELS, KIND_LABELS } from '../shared/notifications/kinds'
import type { Visit } from '../shared/notifications/plan'
import { type ClientContact, reach } from '../shared/notifications/preferences'
import { skipReason } from '../shared/notifications/skips'
import {
  type RenderedMessage,
  renderTemplate,
  type TemplateText,
  type TemplateValues,
} from '../shared/notifications/templates'
import { holdToSendingHours, type SendingWindow } from '../shared/notifications/timing'
import { attempt, type Prepared, unsettled } from './attempt'
import type { ChannelSender, OutgoingMessage } from './channels'

/**
 * Sending one message, exactly once, the same way on the central worker and on a laptop
 * without a server; only the store differs (`NotificationStore`: the server writes
 * through its sync merge, a laptop into its PGlite).
 *
 * 1. The message is read; a final one (sent, skipped, dead) is left alone, and so is
 *    one another sender is at (processing, recently).
 * 2. It is checked against the visit and the client as they are now (moved, cancelled,
 *    opted out: skipped with the reason) and written with its template.
 * 3. The send log is written before sending: status processing, the attempt counted,
 *    the text as it goes. The write is conditional on the row being as it was read, so
 *    of two senders at one message only one goes on.
 * 4. A message whose last attempt may have reached the provider without the log
 *    knowing how it ended (found processing: its sender died between the provider and
 *    the log; or failed unanswered: a timeout, or the provider could not be asked) is
 *    settled by the provider's id: Twilio is asked for the message it accepted before
 *    anything is sent again; SMTP cannot be asked, so the email goes again with the same
 *    Message-ID, which mail systems take as the same message.
 * 5. Never at night: a message found due outside the business's sending hours is not
 *    sent but waits for their opening (not an attempt), unless holding it would make it
 *    pointless (its visit comes first): the planner's rule, `holdToSendingHours`, applied
 *    again as it goes, since a laptop back online at 23:00 finds what was due at 19:00.
 * 6. The outcome is written: sent with the provider's id; a failure that can pass is
 *    failed with the time of the next attempt (exponential back-off with jitter, never
 *    before Retry-After, held to the sending hours); after 5 attempts, or a refusal that
 *    cannot pass, dead.
 */
export interface NotificationRow {
  id: string
  kind: NotificationKind
  channel: Channel
  clientId: string
  appointmentId: string | null
  recipient: string | null
  visitAtMs: number | null
  previousVisitAtMs: number | null
  dueAtMs: number
  status: NotificationStatus
  /** A weather notice's forecast, in words. */
  detail: string | null
  attempts: number
  subject: string | null
  body: string | null
  /** The last failure, or why it waits; says when the last attempt went unanswered. */
  reason: string | null
  /** When it was logged: no attempt at it can have begun before. */
  createdAtMs: number
  /** When the row last changed: how long a processing row has been left. */
  updatedAtMs: number
}

export interface SendContext {
  visit: Visit | null
  client: ClientContact
  values: TemplateValues
  template: TemplateText & { version: number }
  /** The business's sending hours, in its time zone. */
  window: SendingWindow
}

export interface Claim {
  status: 'processing'
  attempts: number
  recipient: string
  subject: string
  body: string
  templateVersion: number
  visitAtMs: number | null
}

export type Finish =
  | { status: 'sent'; providerId: string; sentAtMs: number; reason: string | null }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string; dueAtMs: number; attempts?: number }
  /** Found due outside the sending hours: waiting for them, not an attempt. */
  | { status: 'scheduled'; reason: string; dueAtMs: number; attempts: number }
  | { status: 'dead'; reason: string }

export interface NotificationStore {
  read(ids: readonly string[]): Promise<NotificationRow[]>
  contexts(rows: readonly NotificationRow[]): Promise<Map<string, SendContext>>
  /**
   * Writes each claim if its row still has the status and attempts it was read with;
   * returns the ids claimed (another sender changed the others first).
   */
  claim(claims: readonly { row: NotificationRow; claim: Claim }[]): Promise<Set<string>>
  finish(finishes: readonly { row: NotificationRow; finish: Finish }[]): Promise<void>
}

export interface DeliverOptions {
  nowMs: () => number
  /** A processing row older than this was left by a sender that died (default 2 min). */
  staleMs?: number
  random?: () => number
  /**
   * Whether a provider that cannot be reached at all counts as an attempt: on a laptop
   * it does not (it is offline; the message waits for the network).
   */
  offlineCounts?: boolean
}

export type Outcome =
  | { status: 'sent'; providerId: string; settled: boolean }
  | { status: 'skipped'; reason: string }
  | {
      status: 'failed'
      reason: string
      retryAtMs: number
      /** Not an attempt: the provider could not be reached (a laptop offline). */
      offline?: boolean
      /** Not an attempt: found due outside the sending hours, due when they open. */
      held?: boolean
    }
  | { status: 'dead'; reason: string }
  | { status: 'left'; why: 'missing' | 'final' | 'busy' | 'not due' }

const NOT_SET_UP: Record<Channel, string> = {
  email: 'no email server is set up',
  sms: 'no SMS provider is set up',
}

/** Sends one message (see `deliverMany`). */
export async function deliver(
  store: NotificationStore,
  senders: Partial<Record<Channel, ChannelSender>>,
  id: string,
  opts: DeliverOptions,
): Promise<Outcome> {
  return (await deliverMany(store, senders, [id], opts)).get(id) as Outcome
}

/**
 * Sends a batch of messages: read in one go, claimed in one write, sent side by side,
 * their outcomes written in one write. The rules are per message, as above.
 */
export async function deliverMany(
  store: NotificationStore,
  senders: Partial<Record<Channel, ChannelSender>>,
  ids: readonly string[],
  opts: DeliverOptions,
): Promise<Map<string, Outcome>> {
  const outcomes = new Map<string, Outcome>()
  const now = opts.nowMs()
  const rows = await store.read([...new Set(ids)])
  for (const id of ids) outcomes.set(id, { status: 'left', why: 'missing' })
  const live: NotificationRow[] = []
  for (const row of rows) {
    const resumed = row.status === 'processing'
    if (row.status === 'sent' || row.status === 'skipped' || row.status === 'dead')
      outcomes.set(row.id, { status: 'left', why: 'final' })
    else if (resumed && now - row.updatedAtMs < (opts.staleMs ?? 120_000))
      outcomes.set(row.id, { status: 'left', why: 'busy' })
    else if (row.dueAtMs > now) outcomes.set(row.id, { status: 'left', why: 'not due' })
    else live.push(row)
  }
  if (!live.length) return outcomes

  const contexts = await store.contexts(live)
  const skips: { row: NotificationRow; finish: Finish }[] = []
  const ready: Prepared[] = []
  for (const row of live) {
    const ctx = contexts.get(row.id) as SendContext
    const sender = senders[row.channel]
    const to = reach(ctx.client, row.kind, row.channel)
    const skip =
      skipReason(row, ctx.visit, now) ??
      (to.ok ? null : to.reason) ??
      (sender ? null : NOT_SET_UP[row.channel])
    if (skip !== null || !to.ok || !sender) {
      const reason = skip ?? 'it cannot be sent'
      skips.push({ row, finish: { status: 'skipped', reason } })
      outcomes.set(row.id, { status: 'skipped', reason })
      continue
    }
    const resumed = row.status === 'processing'
    // An attempt that may have got there goes again as it went: its words, to its
    // recipient (what the provider is asked for, and what a second try would repeat).
    const asIt = unsettled(row)
    let rendered: RenderedMessage
    try {
      rendered = renderTemplate(row.channel, ctx.template, ctx.values)
    } catch (e) {
      // A template saved before its check knew of this fault: this message waits for the
      // office (fix the template, then retry it); the others go on.
      const fault = (e instanceof Error ? e.message : String(e)).split('\n')[0]
      const reason = `its template cannot be used (${fault}): correct the template "${KIND_LABELS[row.kind]}" (${CHANNEL_LABELS[row.channel]}) in Settings → Notifications, then retry`
      skips.push({ row, finish: { status: 'dead', reason } })
      outcomes.set(row.id, { status: 'dead', reason })
      continue
    }
    const message: OutgoingMessage = {
      id: row.id,
      to: asIt && row.recipient ? row.recipient : to.recipient,
      subject: asIt && row.subject !== null ? row.subject : rendered.subject,
      text: asIt && row.body !== null ? row.body : rendered.text,
      html: rendered.html,
    }
    // Every message in this log is to a client, and every kind is planned within the
    // sending hours (plan.ts): each is held to them again as it goes. A message without
    // a visit (a weather notice's, gone) is useful at any later time.
    const visitAtMs = ctx.visit?.scheduledAtMs ?? row.visitAtMs ?? Number.POSITIVE_INFINITY
    const goesAt = holdToSendingHours(row.dueAtMs, now, visitAtMs, ctx.window)
    ready.push({
      row,
      resumed,
      unsettled: asIt,
      heldUntil: goesAt > now ? goesAt : null,
      window: ctx.window,
      visitAtMs,
      sender,
      message,
      claim: {
        status: 'processing',
        attempts: resumed ? row.attempts : row.attempts + 1,
        recipient: message.to,
        subject: message.subject,
        body: message.text,
        templateVersion: ctx.template.version,
        visitAtMs: ctx.visit?.scheduledAtMs ?? row.visitAtMs,
      },
    })
  }
  if (skips.length) await store.finish(skips)
  if (!ready.length) return outcomes

  const claimed = await store.claim(ready.map((p) => ({ row: p.row, claim: p.claim })))
  const finishes: { row: NotificationRow; finish: Finish }[] = []
  await Promise.all(
    ready.map(async (p) => {
      if (!claimed.has(p.row.id)) {
        outcomes.set(p.row.id, { status: 'left', why: 'busy' })
        return
      }
      const row: NotificationRow = { ...p.row, status: 'processing', attempts: p.claim.attempts }
      const { finish, outcome } = await attempt(p, opts)
      finishes.push({ row, finish })
      outcomes.set(p.row.id, outcome)
    }),
  )
  await store.finish(finishes)
  return outcomes
}

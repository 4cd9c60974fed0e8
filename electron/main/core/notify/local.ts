import type { PGlite } from '@electric-sql/pglite'
import type { ChannelSender } from '../../../../notify/channels'
import { deliver, type NotificationStore } from '../../../../notify/engine'
import { planVisit } from '../../../../notify/plan-visit'
import {
  businessFacts,
  pruneLog,
  readRows,
  sendContexts,
  timingOf,
  visitsToReplan,
} from '../../../../notify/sql'
import type { Channel } from '../../../../shared/notifications/kinds'
import { readAppSetting, writeAppSetting } from '../app-settings'
import type { ChangeFeed } from '../changes'
import type { Db } from '../db/create-db'
import { getState } from '../sync/store'
import { turnTaker } from '../turns'
import type { SecretBox } from './secrets'
import { sendersFromSettings } from './settings'

/**
 * A laptop with no sync server sends its clients' messages itself, with the same planner
 * and engine as the central worker, from its own tables: the send log is its queue.
 * Connected to a server it never plans or sends (the server's worker does; the log
 * syncs), so no message goes out from two machines. Offline, a message waits: a
 * provider that cannot be reached does not count as an attempt, and the next pass (every
 * 15 s, and at once after a change) tries again; a reminder whose time passed meanwhile
 * goes late only while the visit is still ahead.
 */
/**
 * Set when this laptop leaves a sync server (the instant it did): the messages it held
 * then were planned with that server, whose worker still sends them, so this laptop does
 * not send them too (no message goes out twice). Messages planned here after it are its
 * own. Cleared when it connects again, or when the office takes them over
 * (`notifications.sendLeft`: the server is gone for good).
 */
export const LEFT_TO_SERVER_KEY = 'notify.leftToServer'

/** The pending messages a laptop leaves to the server it left (0 when it left none). */
export async function leftToServer(pg: PGlite): Promise<number> {
  const since = await readAppSetting<string>(pg, LEFT_TO_SERVER_KEY)
  if (!since) return 0
  const { rows } = await pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notifications
     WHERE deleted_at IS NULL AND status IN ('queued', 'scheduled', 'failed', 'processing')
       AND created_at <= $1::timestamptz`,
    [since],
  )
  return rows[0]?.n ?? 0
}

export function localStore(pg: PGlite): NotificationStore {
  return {
    read: (ids) => readRows(pg, ids),
    contexts: (rows) => sendContexts(pg, rows),
    async claim(claims) {
      const taken = new Set<string>()
      for (const { row, claim: c } of claims) {
        const { rows } = await pg.query(
          `UPDATE notifications SET status = 'processing', attempts = $3, recipient = $4,
             subject = $5, body = $6, template_version = $7, visit_at = $8, updated_at = now()
           WHERE id = $1 AND status = $2 AND attempts = $9 RETURNING id`,
          [
            row.id,
            row.status,
            c.attempts,
            c.recipient,
            c.subject,
            c.body,
            c.templateVersion,
            c.visitAtMs === null ? null : new Date(c.visitAtMs).toISOString(),
            row.attempts,
          ],
        )
        if (rows.length === 1) taken.add(row.id)
      }
      return taken
    },
    async finish(finishes) {
      for (const { row, finish: f } of finishes) {
        if (f.status === 'sent')
          await pg.query(
            `UPDATE notifications SET status = 'sent', provider_id = $2, sent_at = $3, reason = $4,
               updated_at = now() WHERE id = $1`,
            [row.id, f.providerId, new Date(f.sentAtMs).toISOString(), f.reason],
          )
        else if (f.status === 'failed' || f.status === 'scheduled')
          await pg.query(
            `UPDATE notifications SET status = $5, reason = $2, due_at = $3,
               attempts = coalesce($4, attempts), updated_at = now() WHERE id = $1`,
            [row.id, f.reason, new Date(f.dueAtMs).toISOString(), f.attempts ?? null, f.status],
          )
        else
          await pg.query(
            'UPDATE notifications SET status = $2, reason = $3, updated_at = now() WHERE id = $1',
            [row.id, f.status, f.reason],
          )
      }
    },
  }
}

const CURSOR_KEY = 'notify.cursor'

export interface LocalNotifierOptions {
  intervalMs?: number
  nowMs?: () => number
  /** How long a pass plans before letting other callers in (turns.ts); 25 ms. */
  turnMs?: number
  /** Providers to use instead of this laptop's settings (tests). */
  senders?: Partial<Record<Channel, ChannelSender>>
  onError?: (e: unknown) => void
}

export class LocalNotifier {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false
  private unsubscribe: (() => void) | null = null
  /** Where the search for visits to plan again stands (`plan`); read from the cursor first. */
  private replanFrom: { seen: string; timing: string | null } | null = null
  private stopped = true
  private prunedAt = 0
  private announcing = false

  constructor(
    private readonly db: () => Db,
    private readonly secrets: SecretBox,
    private readonly changes: ChangeFeed,
    private readonly opts: LocalNotifierOptions = {},
  ) {}

  /** Whether it runs (started and not stopped). */
  get active(): boolean {
    return !this.stopped
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.unsubscribe = this.changes.subscribe(({ tables }) => {
      // Its own notice (below) is for the screens, not a reason to look again.
      if (this.announcing) return
      if (tables.some((t) => t === 'appointments' || t === 'clients' || t === 'notifications'))
        this.poke()
    })
    this.schedule(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    if (this.timer) clearTimeout(this.timer)
    await this.running
  }

  /** Something changed: plan and send soon. */
  poke(): void {
    if (this.stopped) return
    if (this.running) this.again = true
    else this.schedule(50)
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.pass(), ms)
    this.timer.unref?.()
  }

  /** One pass: plan what changed, then send what is due. Resolves when done. */
  async pass(): Promise<'server' | 'done'> {
    if (this.running) {
      this.again = true
      await this.running
      return 'done'
    }
    let result: 'server' | 'done' = 'done'
    this.running = (async () => {
      try {
        result = await this.work()
      } catch (e) {
        // A database closed under a pass (the laptop closing) is not an error of ours.
        if (!this.db().pg.closed) this.opts.onError?.(e)
      }
    })()
    await this.running
    this.running = null
    if (!this.stopped) this.schedule(this.again ? 0 : (this.opts.intervalMs ?? 15_000))
    this.again = false
    return result
  }

  private async work(): Promise<'server' | 'done'> {
    const pg = this.db().pg
    const now = (this.opts.nowMs ?? Date.now)()
    if (now - this.prunedAt >= 3_600_000) {
      while ((await pruneLog(pg, 'sync_versions')) > 0);
      this.prunedAt = now
    }
    // A laptop that syncs leaves the messages to the server.
    if (await getState(pg, 'config')) return 'server'
    const planned = await this.plan(pg, now)
    const senders = this.opts.senders ?? (await sendersFromSettings(pg, this.secrets))
    const store = localStore(pg)
    const left = (await readAppSetting<string>(pg, LEFT_TO_SERVER_KEY)) ?? null
    const { rows } = await pg.query<{ id: string }>(
      `SELECT id FROM notifications
       WHERE deleted_at IS NULL AND (
         (status IN ('queued', 'scheduled', 'failed') AND due_at <= $1)
         OR (status = 'processing' AND updated_at < $1::timestamptz - interval '2 minutes'))
         AND ($2::timestamptz IS NULL OR created_at > $2::timestamptz)
       ORDER BY due_at LIMIT 100`,
      [new Date(now).toISOString(), left],
    )
    const { rows: channels } = await pg.query<{ id: string; channel: Channel }>(
      'SELECT id, channel FROM notifications WHERE id = ANY($1::uuid[])',
      [rows.map((r) => r.id)],
    )
    const channelOf = new Map(channels.map((c) => [c.id, c.channel]))
    // A channel whose provider cannot be reached is not tried again in this pass.
    const away = new Set<Channel>()
    let changed = planned
    for (const { id } of rows) {
      if (this.stopped) break
      const channel = channelOf.get(id)
      if (channel && away.has(channel)) continue
      const outcome = await deliver(store, senders, id, {
        nowMs: this.opts.nowMs ?? Date.now,
        offlineCounts: false,
      })
      if (outcome.status !== 'left') changed = true
      if (outcome.status === 'failed' && outcome.offline && channel) away.add(channel)
    }
    // The screens showing the send log follow what this pass wrote.
    if (changed) {
      this.announcing = true
      try {
        this.changes.emit(['notifications'])
      } finally {
        this.announcing = false
      }
    }
    return 'done'
  }

  /** Plans the visits changed since the last pass (new ones are confirmed); true if it wrote. */
  private async plan(pg: PGlite, now: number): Promise<boolean> {
    let wrote = false
    // New lead time or sending hours re-plan every upcoming visit: seconds of queries,
    // during which the screens must still be answered.
    const breathe = turnTaker(this.opts.turnMs)
    // Planning yields to others, so the laptop may be stopped or connected to a server
    // between two visits: its messages are then the server's to plan, never both.
    const goOn = async () => !this.stopped && !(await getState(pg, 'config'))
    const cursor = await readAppSetting<{
      since: string
      seen: string
      /** Clients changed up to here have had their visits planned again. */
      clientsSeen?: string
      /** The lead time and sending hours the visits were planned with. */
      timing?: string
    }>(pg, CURSOR_KEY)
    if (!cursor) {
      // The first pass: what exists was booked before messages were sent from here. The
      // cursor is in the database's time, the time of `updated_at`.
      const { rows: clock } = await pg.query<{ at: string }>('SELECT clock_timestamp()::text AS at')
      const at = clock[0]?.at as string
      const timing = timingOf(await businessFacts(pg))
      await writeAppSetting(pg, CURSOR_KEY, { since: at, seen: at, clientsSeen: at, timing })
      return false
    }
    for (;;) {
      const { rows } = await pg.query<{ id: string; is_new: boolean; seen: string }>(
        `SELECT id, created_at >= $2::timestamptz AS is_new, updated_at::text AS seen
         FROM appointments WHERE updated_at > $1::timestamptz ORDER BY updated_at, id LIMIT 200`,
        [cursor.seen, cursor.since],
      )
      if (!rows.length) break
      for (const r of rows) {
        // Stopping (the app closing, a restore) or connected meanwhile (the server plans
        // from then on): the batch is planned again next time, if ever.
        if (!(await goOn())) return wrote
        if (await this.writePlan(pg, await planVisit(pg, r.id, r.is_new, now))) wrote = true
        await breathe()
      }
      cursor.seen = rows.at(-1)?.seen ?? cursor.seen
      await writeAppSetting(pg, CURSOR_KEY, cursor)
    }
    // A client's number fixed or texts turned on, the lead time or sending hours changed:
    // their upcoming visits are planned again (a reminder moves, a text is added). Where
    // the search stands is kept in memory, and stored only with what it planned: a client
    // changed with nothing to plan writes nothing.
    const from = this.replanFrom ?? {
      seen: cursor.clientsSeen ?? cursor.since,
      timing: cursor.timing ?? null,
    }
    const again = await visitsToReplan(pg, from.seen, now, from.timing)
    let replanned = false
    for (const id of again.ids) {
      // Stopping or connected: where the search stands is not moved on.
      if (!(await goOn())) return wrote || replanned
      if (await this.writePlan(pg, await planVisit(pg, id, false, now))) replanned = true
      await breathe()
    }
    this.replanFrom = { seen: again.seen, timing: again.timing }
    if (replanned || again.timing !== cursor.timing) {
      await writeAppSetting(pg, CURSOR_KEY, {
        ...cursor,
        clientsSeen: again.seen,
        timing: again.timing,
      })
    }
    return wrote || replanned
  }

  /**
   * A job's weather risk changed (this laptop's own refresh): its client's weather notice
   * is planned like any other message. Nothing happens while a server syncs: its own
   * refresh raises the alerts there.
   */
  async weatherChanged(
    appointmentId: string,
    weather: { risk: 'low' | 'moderate' | 'high' | 'unknown'; reason: string },
  ): Promise<void> {
    const pg = this.db().pg
    if (this.stopped || (await getState(pg, 'config'))) return
    const now = (this.opts.nowMs ?? Date.now)()
    if (await this.writePlan(pg, await planVisit(pg, appointmentId, false, now, weather)))
      this.poke()
  }

  /** Writes a visit's planned messages in one transaction; true if there were any. */
  private async writePlan(pg: PGlite, p: Awaited<ReturnType<typeof planVisit>>): Promise<boolean> {
    if (!p.writes.length) return false
    await pg.transaction(async (tx) => {
      for (const w of p.writes) {
        const cols = Object.keys(w.fields)
        const values = [w.id, ...cols.map((c) => w.fields[c])]
        const sets = cols.map((c, i) => `${c} = $${i + 2}`).join(', ')
        // A new message is inserted (once: its id is what it is about); a dropped one
        // is updated.
        if (Object.hasOwn(w.fields, 'kind'))
          await tx.query(
            `INSERT INTO notifications (id, ${cols.join(', ')})
             VALUES ($1, ${cols.map((_, i) => `$${i + 2}`).join(', ')}) ON CONFLICT (id) DO NOTHING`,
            values,
          )
        else
          await tx.query(
            `UPDATE notifications SET ${sets}, updated_at = now() WHERE id = $1`,
            values,
          )
      }
    })
    return true
  }
}

import { isManager } from '../../../../shared/domain/permissions'
import { planSize } from '../../../../shared/domain/series'
import type { ChangeFeed } from '../changes'
import type { Db } from '../db/create-db'
import { getState } from '../sync/store'
import { yieldToOthers } from '../turns'
import { dropSettled, recordClashes } from './clash-record'
import { reconcileRoots } from './store'

/** Series reconciled in one transaction. */
const ROOTS_AT_ONCE = 4

/**
 * Keeps every series booked 12 weeks ahead on this laptop: when the app opens, as days
 * pass (hourly: cheap when nothing is due), and after a pull brings series rows (another
 * laptop created, split or ended a series). Each run reconciles every series with the
 * shared rule, so two laptops extending the same series write the same visit ids and the
 * same values: nothing is booked twice.
 *
 * A laptop connected with a crew lead's token never writes series visits: the server
 * would refuse a crew lead's bookings; the office's laptops extend them.
 *
 * A visit it books that double-books its crew member is booked all the same (as a series
 * write books it) and kept in the office's list to review (clash-record.ts), not
 * accepted: a server still lists it as a double booking.
 */
export interface SeriesHorizonOptions {
  intervalMs?: number
  nowMs?: () => number
  onError?: (e: unknown) => void
}

export class SeriesHorizon {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<number> = Promise.resolve(0)
  private stopped = true

  constructor(
    private readonly db: () => Db,
    private readonly changes: ChangeFeed,
    private readonly opts: SeriesHorizonOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.later(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.settled()
  }

  /** After a sync round: series rows pulled from elsewhere may want visits here. */
  pulled(tables: readonly string[]): void {
    if (!this.stopped && tables.includes('series')) void this.run().catch(this.failed)
  }

  /** Resolves when the runs asked for so far have finished. */
  async settled(): Promise<void> {
    await this.running.catch(() => undefined)
  }

  /** One run after any running one (runs never overlap); the number of visits written. */
  run(): Promise<number> {
    const next = this.running.catch(() => 0).then(() => this.extend())
    this.running = next
    return next
  }

  private readonly failed = (e: unknown) => {
    if (!this.db().pg.closed) this.opts.onError?.(e)
  }

  private later(ms: number) {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      void this.run()
        .catch(this.failed)
        .finally(() => this.later(this.opts.intervalMs ?? 3_600_000))
    }, ms)
    this.timer.unref?.()
  }

  private async extend(): Promise<number> {
    const db = this.db()
    if (db.pg.closed) return 0
    const role = (await getState(db.pg, 'config'))?.device.role ?? null
    if (role !== null && !isManager(role)) return 0
    const now = this.opts.nowMs?.() ?? Date.now()
    // A few series at a time, each few in a transaction of its own, with a turn for the
    // screens in between: hundreds of series (all re-planned after a new time zone) would
    // otherwise hold the database, and every call waiting on it, for many seconds.
    const { rows } = await db.pg.query<{ root: string }>(
      'SELECT DISTINCT root_id AS root FROM series ORDER BY 1',
    )
    const roots = rows.map((r) => r.root)
    let written = 0
    let clashed = false
    for (let i = 0; i < roots.length; i += ROOTS_AT_ONCE) {
      const some = roots.slice(i, i + ROOTS_AT_ONCE)
      const plans = await db.db.transaction(async (tx) => {
        const plans = await reconcileRoots(tx, some, now)
        // Double bookings are checked for every visit booked, as a series write checks
        // them; nobody is here to be asked, so they are kept for the office to review.
        if (await recordClashes(tx, plans, now)) clashed = true
        return plans
      })
      written += plans.reduce((n, p) => n + planSize(p), 0)
      await yieldToOthers()
    }
    // What no longer clashes (moved, reassigned, past) leaves the list.
    if (await db.db.transaction((tx) => dropSettled(tx, now))) clashed = true
    const tables = [...(written ? ['appointments'] : []), ...(clashed ? ['app_settings'] : [])]
    if (tables.length) this.changes.emit(tables)
    return written
  }
}

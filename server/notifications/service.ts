import type pg from 'pg'
import type PgBoss from 'pg-boss'
import { v5 as uuidv5 } from 'uuid'
import type { ChannelSender } from '../../notify/channels'
import { deliverMany, type Outcome } from '../../notify/engine'
import { planVisit } from '../../notify/plan-visit'
import { pruneLog, visitsToReplan } from '../../notify/sql'
import type { Envelope } from '../../shared/events/envelope'
import type { EventType } from '../../shared/events/types'
import type { Channel } from '../../shared/notifications/kinds'
import type { ServerClock } from '../api/clock'
import { readAppState, writeAppState } from '../app-state'
import type { Subscribers } from '../events/subscribers'
import { ensureWorkerDevice, serverStore, writeLog } from './store'

/**
 * The central notification worker. A subscriber of the event stream plans each visit's
 * messages when it is booked, moved, given to another client, or its status changes
 * (the planner in shared/), writing them to the send log; each message then waits as a
 * pg-boss job due at its time (a reminder the day before, a confirmation now), and a
 * worker sends it with the engine in notify/. Several instances may run: pg-boss hands
 * a job to one worker, the send log's claim lets one sender through, and ids made from
 * what a message is about keep one row per message however often an event is delivered.
 */
export const SEND_QUEUE = 'notification_send'

export const PLANNED_TYPES = [
  'scheduling.appointment.created.v1',
  'scheduling.appointment.rescheduled.v1',
  'scheduling.appointment.status_changed.v1',
  'scheduling.appointment.cancelled.v1',
  'scheduling.appointment.client_changed.v1',
  'weather.alert.updated.v1',
] as const satisfies readonly EventType[]

export interface NotificationServiceOptions {
  pool: pg.Pool
  clock: ServerClock
  senders: Partial<Record<Channel, ChannelSender>>
  /** How often due messages without a job are looked for (default 30 s). */
  sweepMs?: number
  /** A processing message untouched this long was left by a sender that died. */
  staleMs?: number
  nowMs?: () => number
  random?: () => number
  /** How many sends a worker runs at once (default 32). */
  concurrency?: number
  onSent?: (outcome: Outcome, id: string) => void
  onError?: (e: unknown) => void
}

const JOB_NAMESPACE = 'a3c9e2f4-7b1d-4e8a-9c55-2f0d3e6b7a19'
/** One job per message, attempt and time: sending the same job twice inserts one. */
const jobId = (id: string, attempts: number, dueAtMs: number) =>
  uuidv5(`${id}|${attempts}|${dueAtMs}`, JOB_NAMESPACE)

export interface NotificationService {
  /** The event handler the stream delivers appointment events to. */
  subscribe(subscribers: Subscribers): void
  /** Starts sending through `boss` (the event stream's); false: plan only. */
  start(boss: PgBoss, opts?: { workers?: boolean }): Promise<void>
  /** Looks once for due messages without a job (the sweeper's pass). */
  sweep(): Promise<number>
  /** Plans again the visits whose clients or timing changed since the last pass. */
  replan(): Promise<number>
  /** Forgets messages past their retention (hourly at most); returns how many. */
  prune(): Promise<number>
  stop(): Promise<void>
}

/**
 * Where the search for visits to plan again stands: clients changed up to `since`
 * (database time), and the lead time and sending hours last planned with.
 */
export const REPLAN_KEY = 'notifications.replan'
interface ReplanFrom {
  since: string
  timing: string | null
}

export function notificationService(opts: NotificationServiceOptions): NotificationService {
  const { pool, clock } = opts
  const now = opts.nowMs ?? Date.now
  const store = serverStore(pool, clock)
  let boss: PgBoss | null = null
  let worker: string | null = null
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  const enqueue = async (jobs: { id: string; attempts: number; dueAtMs: number }[]) => {
    if (!boss || !jobs.length) return
    await boss.insert(
      jobs.map((j) => ({
        name: SEND_QUEUE,
        id: jobId(j.id, j.attempts, j.dueAtMs),
        data: { id: j.id },
        startAfter: new Date(j.dueAtMs),
      })),
    )
    // A message due now need not wait for this instance's worker to poll.
    if (worker && jobs.some((j) => j.dueAtMs <= now())) boss.notifyWorker(worker)
  }

  /** One visit's messages planned as it stands, written to the log, those due queued. */
  const planOne = async (
    appointmentId: string,
    isNew: boolean,
    weather?: { risk: 'low' | 'moderate' | 'high' | 'unknown'; reason: string },
  ) => {
    const p = await planVisit(pool, appointmentId, isNew, now(), weather)
    await writeLog(pool, clock, p.writes)
    await enqueue(p.due.map((d) => ({ id: d.id, attempts: 0, dueAtMs: d.dueAtMs })))
  }

  const plan = async (event: Envelope) => {
    const appointmentId = (event.data as { appointmentId: string }).appointmentId
    // A booking made now is confirmed; not a deletion undone, nor a laptop's existing
    // visits arriving as it joins (their clients heard of them when they were booked).
    const created = event.data as { restored: boolean; uploaded?: boolean }
    const isNew =
      event.type === 'scheduling.appointment.created.v1' && !created.restored && !created.uploaded
    const weather =
      event.type === 'weather.alert.updated.v1'
        ? (event.data as { risk: 'low' | 'moderate' | 'high' | 'unknown'; reason: string })
        : undefined
    await planOne(appointmentId, isNew, weather && { risk: weather.risk, reason: weather.reason })
  }

  /**
   * A client's number fixed or texts turned on, the lead time or sending hours changed:
   * their upcoming visits are planned again (a reminder moves, a text is added). These
   * changes raise no event of their own, so each pass of the sweeper looks for them,
   * from where the last pass got to (REPLAN_KEY: kept in the database, so a change made
   * just before a restart, or while no instance ran, is planned all the same).
   */
  const replan = async () => {
    const stored = await readAppState<ReplanFrom>(pool, REPLAN_KEY)
    let since = stored?.since
    if (!since) {
      const { rows } = await pool.query<{ at: string }>('SELECT now()::text AS at')
      since = rows[0]?.at as string
    }
    const again = await visitsToReplan(pool, since, now(), stored?.timing ?? null)
    for (const id of again.ids) await planOne(id, false)
    await writeAppState<ReplanFrom>(pool, REPLAN_KEY, { since: again.seen, timing: again.timing })
    return again.ids.length
  }

  /** Sends a batch of messages (one read, one claim, one write of outcomes). */
  const send = async (ids: string[]) => {
    const outcomes = await deliverMany(store, opts.senders, ids, {
      nowMs: now,
      staleMs: opts.staleMs ?? 120_000,
      random: opts.random ?? Math.random,
    })
    const retries = [...outcomes].filter(([, o]) => o.status === 'failed')
    if (retries.length) {
      const rows = new Map((await store.read(retries.map(([id]) => id))).map((r) => [r.id, r]))
      await enqueue(
        retries.map(([id, o]) => ({
          id,
          attempts: rows.get(id)?.attempts ?? 0,
          dueAtMs: o.status === 'failed' ? o.retryAtMs : now(),
        })),
      )
    }
    for (const [id, o] of outcomes) opts.onSent?.(o, id)
    return outcomes
  }

  const SWEEP_PAGE = 1000
  /** Where the sweep is in a backlog bigger than a page: (due_at, id) of the last found. */
  let sweptTo: [string, string] | null = null
  /**
   * One page of due messages (and ones a dead sender left processing) queued as jobs,
   * in (due, id) order from where the last page ended: a backlog is gone through page
   * after page, not the same first page again. Returns how many it found.
   */
  const sweep = async () => {
    const stale = `${Math.round((opts.staleMs ?? 120_000) / 1000)} seconds`
    const { rows } = await pool.query<{ id: string; attempts: number; due_at: string }>(
      `SELECT id, attempts, due_at::text FROM notifications
       WHERE deleted_at IS NULL AND (
         (status IN ('queued', 'scheduled', 'failed') AND due_at <= now() + interval '1 minute')
         OR (status = 'processing' AND updated_at < now() - $1::interval))
         AND ($2::timestamptz IS NULL OR (due_at, id) > ($2::timestamptz, $3::uuid))
       ORDER BY due_at, id LIMIT ${SWEEP_PAGE}`,
      [stale, sweptTo?.[0] ?? null, sweptTo?.[1] ?? null],
    )
    await enqueue(
      rows.map((r) => ({ id: r.id, attempts: r.attempts, dueAtMs: Date.parse(r.due_at) })),
    )
    const last = rows.at(-1)
    sweptTo = rows.length === SWEEP_PAGE && last ? [last.due_at, last.id] : null
    return rows.length
  }

  let prunedAt = 0
  /** Forgets messages past their retention, at most hourly, a batch at a time. */
  const prune = async () => {
    if (now() - prunedAt < 3_600_000) return 0
    let total = 0
    for (let n = -1; n !== 0; ) {
      n = await pruneLog(pool, 'sync_rows')
      total += n
    }
    prunedAt = now()
    return total
  }

  return {
    subscribe(subscribers) {
      subscribers.subscribe('notifications', PLANNED_TYPES, (event) => plan(event as Envelope))
    },
    async start(b, o = {}) {
      await ensureWorkerDevice(pool)
      boss = b
      await b.createQueue(SEND_QUEUE, { name: SEND_QUEUE, expireInSeconds: 300, retryLimit: 3 })
      if (o.workers === false) return
      worker = await b.work<{ id: string }>(
        SEND_QUEUE,
        { batchSize: opts.concurrency ?? 32, pollingIntervalSeconds: 1 },
        async (jobs) => {
          // The batch is sent side by side; each message's failure is the engine's to
          // record. A failure here (the database) fails the batch's jobs: pg-boss retries.
          await send(jobs.map((j) => j.data.id)).catch((e) => {
            opts.onError?.(e)
            throw e
          })
          // A full batch: more are waiting; fetch again without waiting for the poll.
          if (jobs.length >= (opts.concurrency ?? 32) && worker) b.notifyWorker(worker)
        },
      )
      const loop = () => {
        if (stopped) return
        sweep()
          .then(replan)
          .then(prune)
          .catch((e) => opts.onError?.(e))
          .finally(() => {
            // The next page of a backlog at once; otherwise after the interval.
            if (!stopped) timer = setTimeout(loop, sweptTo ? 0 : (opts.sweepMs ?? 30_000))
          })
      }
      loop()
    },
    sweep,
    replan,
    prune,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await Promise.all(Object.values(opts.senders).map((s) => s?.close()))
    },
  }
}

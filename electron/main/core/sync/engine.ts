import { MAX_PULL_CHANGES, MAX_PUSH_MUTATIONS } from '../../../../shared/sync/protocol'
import type { Db } from '../db/create-db'
import { log } from '../log'
import { yieldToOthers } from '../turns'
import { type FailureKind, SyncHttp, SyncHttpError } from './http'
import { heldJobs, pullSnapshot } from './snapshot'
import {
  applyInbox,
  getState,
  type JobChange,
  readOutbox,
  type SyncConfig,
  setState,
  settleOutbox,
  stagePull,
  startOver,
} from './store'
import { ServerWatch } from './watch'

/**
 * The sync loop of one laptop. A round pushes the outbox (oldest first, in batches),
 * pulls every change after the cursor into the inbox, merges the inbox into the tables
 * and refreshes the conflicts list. It runs in the background: rounds are started by a
 * timer, by a local write (the outbox triggers notify), or by "Sync now"; one runs at a
 * time, and a failing server is retried with exponential back-off instead of
 * hammered. Nothing here holds the database for long: every step is a short
 * transaction, so the app's own reads and writes go between them.
 */
export type SyncPhase = 'off' | 'paused' | 'idle' | 'syncing' | 'offline' | 'error'

export interface SyncEngineOptions {
  /** false: rounds run only when asked (`syncNow`), never on timers or writes. */
  auto?: boolean
  fetch?: typeof fetch
  /** Time between rounds while everything is fine. */
  intervalMs?: number
  /** First retry delay after a failure; doubles up to `maxRetryMs`. */
  minRetryMs?: number
  maxRetryMs?: number
  /**
   * While the server cannot be reached, how often to ask it cheaply whether it is back
   * (GET /health), so that a round starts within seconds of its return instead of at
   * the end of a back-off of up to `maxRetryMs`.
   */
  probeMs?: number
  /** Delay between a local write and the round that pushes it. */
  writeDelayMs?: number
  /**
   * false: no request held open between rounds for the server's news of others'
   * changes (`ServerWatch`); they come with the next round.
   */
  watch?: boolean
  pushBatch?: number
  pullLimit?: number
  applyChunk?: number
  /** false: a new laptop's first pull goes page by page, as with a server without snapshots. */
  snapshot?: boolean
  /** Rows per transaction when loading a first pull's snapshot. */
  snapshotChunk?: number
  timeoutMs?: number
  random?: () => number
  /** Told which tables a round merged pulled rows into (only when it merged some). */
  onApplied?: (tables: string[], jobs?: JobChange[]) => void
  /**
   * Told when what `snapshot()` reports may have changed: a round began (`settled`
   * false), or a round ended or the settings were read again (true). The screens follow
   * the link through it instead of asking.
   */
  onStatus?: (settled: boolean) => void
  /**
   * Whether this round should also report the jobs a merge changed, before and after
   * (for a crew lead's notices): asked once a round, so other laptops pay nothing.
   */
  watchJobs?: () => Promise<boolean>
}

export interface RoundReport {
  pushed: number
  rejected: number
  pulled: number
  applied: number
  failed: number
}

export interface EngineSnapshot {
  phase: SyncPhase
  error: string | null
  failures: number
  nextAttemptAt: string | null
}

/** How often automatic rounds try again pulled rows that could not be merged. */
const STUCK_RETRY_MS = 10 * 60_000

export class SyncEngine {
  private phase: SyncPhase = 'off'
  private error: string | null = null
  private failures = 0
  private stuckTriedAt = 0
  private timer: NodeJS.Timeout | null = null
  private probe: NodeJS.Timeout | null = null
  private nextAt: number | null = null
  private running: Promise<RoundReport | null> | null = null
  private again = false
  private started = false
  private unlisten: (() => Promise<void>) | null = null
  /** Cuts the round in progress short (pause, disconnect, quit). */
  private abort: AbortController | null = null
  /** Between rounds: the server's news of another laptop's change starts one at once. */
  private readonly watch: ServerWatch
  private readonly opts: Required<
    Omit<SyncEngineOptions, 'fetch' | 'onApplied' | 'watchJobs' | 'onStatus'>
  > &
    Pick<SyncEngineOptions, 'fetch' | 'onApplied' | 'watchJobs' | 'onStatus'>

  constructor(
    private readonly db: () => Db,
    options: SyncEngineOptions = {},
  ) {
    this.opts = {
      intervalMs: 30_000,
      minRetryMs: 2_000,
      maxRetryMs: 5 * 60_000,
      writeDelayMs: 1_000,
      probeMs: 5_000,
      pushBatch: MAX_PUSH_MUTATIONS,
      pullLimit: MAX_PULL_CHANGES,
      applyChunk: 500,
      snapshot: true,
      snapshotChunk: 5000,
      timeoutMs: 30_000,
      random: Math.random,
      auto: true,
      watch: true,
      ...options,
    }
    this.watch = new ServerWatch({
      fetch: this.opts.fetch,
      onNews: () => {
        if (!this.started || this.phase !== 'idle') return
        if (this.running) this.again = true
        else this.schedule(0)
      },
    })
  }

  /** Starts watching the database of the moment; call again after it was replaced. */
  async start(): Promise<void> {
    this.started = true
    const pg = this.db().pg
    this.unlisten = await pg.listen('sync_outbox', () => this.poke())
    const config = await getState(pg, 'config')
    const paused = (await getState(pg, 'paused')) ?? false
    this.phase = !config ? 'off' : paused ? 'paused' : 'idle'
    if (config && !paused) this.schedule(0)
    this.opts.onStatus?.(true)
  }

  /** Stops the timers and waits for a round in progress to finish. */
  async stop(): Promise<void> {
    this.started = false
    this.watch.stop()
    this.clearTimer()
    const unlisten = this.unlisten
    this.unlisten = null
    this.abort?.abort()
    await this.running?.catch(() => null)
    await unlisten?.().catch(() => {})
  }

  snapshot(): EngineSnapshot {
    return {
      phase: this.running ? 'syncing' : this.phase,
      error: this.error,
      failures: this.failures,
      nextAttemptAt: this.nextAt ? new Date(this.nextAt).toISOString() : null,
    }
  }

  /** A local write happened: push it soon, unless the server is being given a rest. */
  poke(): void {
    if (!this.started || this.phase === 'off' || this.phase === 'paused') return
    if (this.running) {
      this.again = true
      return
    }
    if (this.failures > 0) return
    const at = Date.now() + this.opts.writeDelayMs
    if (this.nextAt === null || at < this.nextAt) this.schedule(this.opts.writeDelayMs)
  }

  /**
   * The machine woke from sleep or its network came back: if the server could not be
   * reached, ask it now whether it is back; otherwise sync soon.
   */
  wake(): void {
    if (!this.started || !this.opts.auto || this.running) return
    if (this.phase === 'offline') this.startProbe(0)
    else if (this.phase === 'idle') this.schedule(Math.min(this.opts.writeDelayMs, this.pending()))
  }

  private pending(): number {
    return this.nextAt === null ? Number.POSITIVE_INFINITY : Math.max(0, this.nextAt - Date.now())
  }

  /**
   * Asks GET /health every `probeMs` while the server cannot be reached, and starts a
   * round as soon as it answers. Only an unreachable server is probed: one that answers
   * with an error, or asks us to wait, is left to the back-off (a healthy /health
   * would only send the failing round again and again).
   */
  private startProbe(delayMs: number) {
    this.stopProbe()
    const check = async () => {
      this.probe = null
      const config = await getState(this.db().pg, 'config').catch(() => undefined)
      if (!config || !this.probing()) return
      const http = new SyncHttp({
        serverUrl: config.serverUrl,
        token: config.token,
        ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}),
      })
      const up = await http.reachable(Math.min(this.opts.probeMs, 3_000))
      if (!this.probing()) return
      if (up) this.schedule(0)
      else this.startProbe(this.opts.probeMs)
    }
    this.probe = setTimeout(() => void check(), delayMs)
    this.probe.unref?.()
  }

  private probing(): boolean {
    return this.started && this.opts.auto && this.phase === 'offline' && !this.running
  }

  private stopProbe() {
    if (this.probe) clearTimeout(this.probe)
    this.probe = null
  }

  /** Runs a round now (after the one in progress, if any) and reports it. */
  async syncNow(): Promise<RoundReport | null> {
    // One round at a time, however many callers wait.
    while (this.running) await this.running.catch(() => null)
    this.clearTimer()
    return this.round(true)
  }

  /** Re-reads configuration and pause (after settings changed) and reschedules. */
  async reload(): Promise<void> {
    this.watch.reset()
    this.clearTimer()
    this.abort?.abort()
    if (this.running) await this.running.catch(() => null)
    this.failures = 0
    this.error = null
    const pg = this.db().pg
    const config = await getState(pg, 'config')
    const paused = (await getState(pg, 'paused')) ?? false
    this.phase = !config ? 'off' : paused ? 'paused' : 'idle'
    if (config && !paused && this.started) this.schedule(0)
    this.opts.onStatus?.(true)
  }

  private clearTimer() {
    this.stopProbe()
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.nextAt = null
  }

  private schedule(delayMs: number) {
    this.clearTimer()
    if (!this.started || !this.opts.auto) return
    this.nextAt = Date.now() + delayMs
    this.timer = setTimeout(() => {
      this.timer = null
      this.nextAt = null
      if (this.running) this.again = true
      else void this.round(false)
    }, delayMs)
    this.timer.unref?.()
  }

  private round(manual: boolean): Promise<RoundReport | null> {
    const run = this.runRound(manual).finally(() => {
      this.running = null
      this.opts.onStatus?.(true)
      if (this.again && this.started && this.phase === 'idle') {
        this.again = false
        this.schedule(this.opts.writeDelayMs)
      }
    })
    this.running = run
    this.opts.onStatus?.(false)
    return run
  }

  private async runRound(manual: boolean): Promise<RoundReport | null> {
    const pg = this.db().pg
    const config = await getState(pg, 'config')
    const paused = (await getState(pg, 'paused')) ?? false
    if (!config) {
      this.phase = 'off'
      return null
    }
    if (paused && !manual) {
      this.phase = 'paused'
      return null
    }
    const startedAt = new Date().toISOString()
    const abort = new AbortController()
    this.abort = abort
    // What the round pulls, the watch need not announce.
    this.watch.stop()
    try {
      const report = await this.exchange(config, abort.signal, manual)
      this.failures = 0
      this.error = null
      this.phase = paused ? 'paused' : 'idle'
      await setState(pg, 'lastAttempt', { at: startedAt, ok: true })
      await setState(pg, 'lastSuccessAt', new Date().toISOString())
      if (!paused) {
        this.schedule(this.opts.intervalMs)
        if (this.started && this.opts.auto && this.opts.watch)
          this.watch.start(config, (await getState(pg, 'cursor')) ?? 0)
      }
      return report
    } catch (e) {
      // Stopped on purpose: not a failure, and whoever stopped it decides what is next.
      if (abort.signal.aborted) return null
      const failure =
        e instanceof SyncHttpError
          ? e
          : new SyncHttpError('server', 'this laptop could not store what it received')
      if (!(e instanceof SyncHttpError)) log.error('sync', 'round failed', { error: e })
      this.failures += 1
      this.error = failure.message
      this.phase = failure.kind === 'offline' ? 'offline' : 'error'
      await setState(pg, 'lastAttempt', { at: startedAt, ok: false, error: failure.message }).catch(
        () => {},
      )
      if (!paused) {
        this.schedule(this.retryDelay(failure.kind, failure.retryAfterMs))
        if (failure.kind === 'offline') this.startProbe(this.opts.probeMs)
      }
      if (manual) throw failure
      return null
    } finally {
      if (this.abort === abort) this.abort = null
    }
  }

  private retryDelay(kind: FailureKind, retryAfterMs?: number): number {
    const { minRetryMs, maxRetryMs, random } = this.opts
    // A token or protocol problem will not fix itself soon: try rarely.
    if (kind === 'unauthorized' || kind === 'forbidden' || kind === 'protocol') return maxRetryMs
    const exponential = Math.min(maxRetryMs, minRetryMs * 2 ** Math.min(this.failures - 1, 20))
    const jittered = exponential * (0.8 + 0.4 * random())
    return Math.max(retryAfterMs ?? 0, Math.round(jittered))
  }

  /** One push-pull-apply exchange with the server. */
  private async exchange(
    config: SyncConfig,
    signal: AbortSignal,
    manual = false,
  ): Promise<RoundReport> {
    const http = new SyncHttp({
      serverUrl: config.serverUrl,
      token: config.token,
      timeoutMs: this.opts.timeoutMs,
      signal,
      ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}),
    })
    const report: RoundReport = { pushed: 0, rejected: 0, pulled: 0, applied: 0, failed: 0 }
    const pg = () => this.db().pg

    for (;;) {
      const batch = await readOutbox(pg(), this.opts.pushBatch)
      if (!batch.length) break
      const results = await http.push(batch.map((b) => b.mutation))
      const settled = await settleOutbox(pg(), batch, results)
      report.pushed += settled.applied
      report.rejected += settled.rejected
      // Refused changes put back as the server has them: the screens show that again.
      if (settled.reverted.length) this.opts.onApplied?.(settled.reverted, [])
      if (settled.applied + settled.rejected === 0) break
    }

    const pause = async () => {
      if (signal.aborted) throw new SyncHttpError('stopped', 'the sync round was stopped')
      await yieldToOthers()
    }
    let cursor = (await getState(pg(), 'cursor')) ?? 0
    if (cursor === 0 && this.opts.snapshot) {
      const first = await pullSnapshot(pg, http, `${config.serverUrl} ${config.device.id}`, {
        chunk: this.opts.snapshotChunk,
        applyChunk: this.opts.applyChunk,
        pause,
        ...(this.opts.onApplied ? { onTables: this.opts.onApplied } : {}),
        ...(config.device.role === 'crew_lead' && config.device.crew
          ? { held: await heldJobs(pg(), config.device.crew) }
          : {}),
      })
      if (first) {
        cursor = first.cursor
        report.pulled += first.rows
        report.applied += first.loaded
      }
    }
    let epoch = await getState(pg(), 'epoch')
    for (;;) {
      const page = await http.pull(cursor, this.opts.pullLimit)
      const otherCopy = !!page.epoch && !!epoch && page.epoch !== epoch && cursor > 0
      if (page.restarted || otherCopy) {
        // The server was restored from a backup older than what this laptop pulled: it
        // may lack this laptop's acknowledged writes, and it numbers new changes below
        // the cursor. As on joining a server: everything is sent and pulled again.
        log.warn('sync', 'the server was restored from a backup; sending and pulling again')
        await startOver(pg(), config.device.role, page.epoch)
        this.again = true
        break
      }
      if (page.epoch && page.epoch !== epoch) {
        epoch = page.epoch
        await setState(pg(), 'epoch', epoch)
      }
      await stagePull(pg(), page.changes, page.cursor)
      report.pulled += page.changes.length
      cursor = page.cursor
      if (!page.more) break
      await yieldToOthers()
    }

    // Pulled rows this laptop could not merge are tried again when something may have
    // changed for them (store.ts), on "Sync now", and otherwise now and then.
    const retryStuck = manual || Date.now() - this.stuckTriedAt >= STUCK_RETRY_MS
    if (retryStuck) this.stuckTriedAt = Date.now()
    const applied = await applyInbox(pg(), {
      chunk: this.opts.applyChunk,
      pause,
      retryStuck,
      watchJobs: !!this.opts.onApplied && ((await this.opts.watchJobs?.()) ?? false),
    })
    report.applied += applied.applied
    report.failed = applied.failed
    if (applied.tables.length) this.opts.onApplied?.(applied.tables, applied.jobs)

    if (config.device.role !== 'crew_lead') {
      try {
        const list = await http.conflicts('open')
        await setState(pg(), 'conflicts', { fetchedAt: new Date().toISOString(), list })
      } catch (e) {
        // A server without the conflicts list still syncs.
        if (!(e instanceof SyncHttpError) || e.kind !== 'protocol') throw e
      }
    }
    return report
  }
}

import type pg from 'pg'

/**
 * Tells waiting laptops that there is something new to pull (GET /v1/sync/changes).
 * While any request waits, one timer per server instance reads the last change number
 * committed, once every `everyMs`, and answers the requests waiting for a number beyond
 * theirs: a laptop's open calendar follows another laptop's change within a second or
 * two instead of at its next round, and asks nothing meanwhile but one request held
 * open. One short read a second however many laptops wait, and none when none does;
 * no connection is held (a LISTEN would hold one, and the single-session database the
 * tests fall back to has only one).
 */
interface Waiter {
  after: number
  settle: () => void
}

export class ChangeWatch {
  private latest: number | null = null
  private readonly waiters = new Set<Waiter>()
  private timer: NodeJS.Timeout | null = null
  private closed = false

  constructor(
    private readonly pool: pg.Pool,
    private readonly everyMs = 1_000,
    /** Where a failed read is told (the server's log); the waiters keep waiting. */
    private readonly warn: (message: string, error: Error) => void = () => {},
  ) {}

  /**
   * The last change number committed, once it is not `after` any more (beyond it; or
   * below it: the database was restored, and the laptop's next round finds out), or
   * after `waitMs`, or when `signal` aborts (the laptop went away).
   */
  async wait(after: number, waitMs: number, signal?: AbortSignal): Promise<number> {
    const now = await this.read()
    if (now !== after || waitMs <= 0 || signal?.aborted || this.closed) return now
    return new Promise<number>((resolve) => {
      const waiter: Waiter = {
        after,
        settle: () => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', waiter.settle)
          this.waiters.delete(waiter)
          resolve(this.latest ?? now)
        },
      }
      const timer = setTimeout(waiter.settle, waitMs)
      signal?.addEventListener('abort', waiter.settle)
      this.waiters.add(waiter)
      this.tick()
    })
  }

  /** Lets every request go, with the number as it is. */
  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    for (const w of [...this.waiters]) w.settle()
  }

  private async read(): Promise<number> {
    const { rows } = await this.pool.query<{ latest: string }>(
      'SELECT coalesce(max(seq), 0)::text AS latest FROM sync_rows',
    )
    this.latest = Number(rows[0]?.latest ?? 0)
    return this.latest
  }

  /** Reads again in `everyMs` while anyone waits, and answers those it has news for. */
  private tick() {
    if (this.timer || this.closed) return
    this.timer = setTimeout(async () => {
      try {
        const latest = await this.read()
        for (const w of [...this.waiters]) if (latest !== w.after) w.settle()
      } catch (e) {
        this.warn('reading the last change for waiting laptops failed', e as Error)
      }
      this.timer = null
      if (this.waiters.size) this.tick()
    }, this.everyMs)
    this.timer.unref?.()
  }
}

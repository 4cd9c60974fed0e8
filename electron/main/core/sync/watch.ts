import { MAX_CHANGES_WAIT_SECONDS } from '../../../../shared/sync/protocol'
import { SyncHttp } from './http'
import type { SyncConfig } from './store'

/**
 * Between rounds, one request held open on the server (GET /v1/sync/changes): answered
 * as soon as another laptop's change lands there, when `onNews` starts a round. The open
 * screens then follow a change made elsewhere within a second or two, where the timer
 * alone would take up to its interval. A failure ends the watch quietly: noticing a
 * server that is gone is the rounds' and the back-off's to do, and the next good round
 * starts the watch again. A server without the route is not asked again.
 */
export class ServerWatch {
  private abort: AbortController | null = null
  private unsupported = false

  constructor(
    private readonly opts: {
      onNews: () => void
      fetch?: typeof fetch | undefined
      waitSeconds?: number
    },
  ) {}

  /** Waits for news beyond `cursor` from the server `config` names, unless already. */
  start(config: SyncConfig, cursor: number): void {
    if (this.abort || this.unsupported) return
    const abort = new AbortController()
    this.abort = abort
    void this.loop(config, cursor, abort.signal).finally(() => {
      if (this.abort === abort) this.abort = null
    })
  }

  /** Lets go of the request held open (a round starts, the link changes, the app quits). */
  stop(): void {
    this.abort?.abort()
    this.abort = null
  }

  /** Another server, or the same one upgraded: worth asking again. */
  reset(): void {
    this.stop()
    this.unsupported = false
  }

  private async loop(config: SyncConfig, cursor: number, signal: AbortSignal) {
    const wait = this.opts.waitSeconds ?? MAX_CHANGES_WAIT_SECONDS
    const http = new SyncHttp({
      serverUrl: config.serverUrl,
      token: config.token,
      timeoutMs: (wait + 10) * 1000,
      signal,
      ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}),
    })
    while (!signal.aborted) {
      let latest: number | null
      try {
        latest = await http.changes(cursor, wait)
      } catch {
        return
      }
      if (signal.aborted) return
      if (latest === null) {
        this.unsupported = true
        return
      }
      if (latest !== cursor) return this.opts.onNews()
    }
  }
}

import type { ChangedNotice } from '../../../shared/contract/tables'
import { log } from './log'

type Listener = (notice: ChangedNotice) => void

/**
 * "These tables changed": told after a write through dispatch, after a sync round
 * merged pulled rows, after a restore. Screens subscribe (IPC in the app, Server-Sent
 * Events over the bridge) and refetch what reads those tables. A listener that throws
 * never stops the others or the write that caused the notice: the write has committed.
 */
export class ChangeFeed {
  private readonly listeners = new Set<Listener>()

  emit(tables: readonly string[], alerts?: ChangedNotice['alerts']): void {
    if (!tables.length) return
    const notice: ChangedNotice = {
      tables: [...new Set(tables)],
      ...(alerts?.length ? { alerts } : {}),
    }
    for (const listener of this.listeners) {
      try {
        listener(notice)
      } catch (e) {
        log.error('changes', 'a listener failed', { error: (e as Error)?.name })
      }
    }
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get size(): number {
    return this.listeners.size
  }
}

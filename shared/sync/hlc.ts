/**
 * Hybrid logical clock (Kulkarni et al.): a timestamp that follows wall time but never
 * goes backwards and orders causally related events, even when laptops' clocks
 * disagree. Encoded as a fixed-width string that sorts as the clock does:
 * `<15-digit ms>-<5-digit counter>-<node>`, so "later wins" is string comparison.
 */
export interface Hlc {
  ms: number
  counter: number
  node: string
}

export const MAX_COUNTER = 99_999
/** How far ahead of our wall clock a remote timestamp may be before it is refused. */
export const MAX_DRIFT_MS = 5 * 60_000

export class ClockError extends Error {
  override name = 'ClockError'
}

const NODE = /^[0-9a-z]{1,32}$/

export function encode(h: Hlc): string {
  return `${String(h.ms).padStart(15, '0')}-${String(h.counter).padStart(5, '0')}-${h.node}`
}

export function decode(s: string): Hlc {
  const m = /^(\d{15})-(\d{5})-([0-9a-z]{1,32})$/.exec(s)
  if (!m) throw new ClockError('not a clock value')
  return { ms: Number(m[1]), counter: Number(m[2]), node: m[3] as string }
}

export class Clock {
  private last: Hlc

  constructor(
    readonly node: string,
    private readonly now: () => number = Date.now,
    start?: string,
  ) {
    if (!NODE.test(node)) throw new ClockError('a node id is 1-32 lowercase letters or digits')
    this.last = start ? decode(start) : { ms: 0, counter: 0, node }
  }

  /** A timestamp for a local event. */
  tick(): string {
    const wall = this.now()
    if (wall > this.last.ms) this.last = { ms: wall, counter: 0, node: this.node }
    else this.last = this.bump(this.last.ms, this.last.counter + 1)
    return encode(this.last)
  }

  /** Merges a timestamp received from another node; refuses one too far in the future. */
  receive(remote: string): string {
    const r = decode(remote)
    const wall = this.now()
    if (r.ms - wall > MAX_DRIFT_MS) throw new ClockError('remote clock is too far ahead')
    const ms = Math.max(wall, this.last.ms, r.ms)
    let counter = 0
    if (ms === this.last.ms && ms === r.ms) counter = Math.max(this.last.counter, r.counter) + 1
    else if (ms === this.last.ms) counter = this.last.counter + 1
    else if (ms === r.ms) counter = r.counter + 1
    this.last = this.bump(ms, counter)
    return encode(this.last)
  }

  private bump(ms: number, counter: number): Hlc {
    if (counter > MAX_COUNTER) throw new ClockError('clock counter overflow')
    return { ms, counter, node: this.node }
  }
}

import { encode } from './hlc'

/**
 * Clock values for a device that a test or a benchmark plays (pushing straight to the
 * server): strictly increasing for one node, following the given wall clock. This is
 * not the laptop's clock — that one is SQL (`sync_tick()`), tested in
 * electron/main/core/sync/clock.test.ts — only a source of well-formed, ordered stamps.
 */
export function deviceStamps(node: string, now: () => number = Date.now): () => string {
  let ms = 0
  let counter = 0
  return () => {
    const wall = now()
    if (wall > ms) {
      ms = wall
      counter = 0
    } else {
      counter += 1
    }
    return encode({ ms, counter, node })
  }
}

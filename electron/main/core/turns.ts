/**
 * PGlite runs each query in this thread and settles it without going back to the event
 * loop, so a loop of many queries holds every IPC call, bridge request and "changed"
 * notice until it ends. Long loops let the rest of the process in.
 */
export const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve))

/** For a loop over many items: call the result once per item; every `ms` it yields. */
export function turnTaker(ms = 25): () => Promise<void> {
  let at = Date.now()
  return async () => {
    if (Date.now() - at < ms) return
    await yieldToOthers()
    at = Date.now()
  }
}

/** What the watch listens to: Electron's `powerMonitor` in the app, an emitter in tests. */
export interface PowerEvents {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown
  off(event: 'resume' | 'unlock-screen', listener: () => void): unknown
}

/**
 * Back from sleep, or the network came back: `wake` (the sync loop asks the server at
 * once instead of waiting out its back-off). Electron has no network-change event in the
 * main process, so the OS's view of being online (`isOnline`, a cheap local call, no
 * traffic) is read every few seconds; going from offline to online wakes. Returns what
 * stops the watch.
 */
export function watchWakeUps(
  power: PowerEvents,
  isOnline: () => boolean,
  wake: () => void,
  everyMs = 3_000,
): () => void {
  const onWake = () => wake()
  power.on('resume', onWake)
  power.on('unlock-screen', onWake)
  let online = isOnline()
  const timer = setInterval(() => {
    const now = isOnline()
    if (now && !online) wake()
    online = now
  }, everyMs)
  timer.unref?.()
  return () => {
    clearInterval(timer)
    power.off('resume', onWake)
    power.off('unlock-screen', onWake)
  }
}

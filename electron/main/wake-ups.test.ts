import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { watchWakeUps } from './wake-ups'

describe('wake-ups', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('wakes the sync loop on resume, on unlock, and once when the network comes back', () => {
    vi.useFakeTimers()
    const power = new EventEmitter()
    let online = false
    const wake = vi.fn()
    const stop = watchWakeUps(power, () => online, wake, 1_000)
    power.emit('resume')
    power.emit('unlock-screen')
    expect(wake).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(3_000)
    expect(wake).toHaveBeenCalledTimes(2)
    online = true
    vi.advanceTimersByTime(1_000)
    expect(wake).toHaveBeenCalledTimes(3)
    // Staying online is not coming back.
    vi.advanceTimersByTime(5_000)
    expect(wake).toHaveBeenCalledTimes(3)
    online = false
    vi.advanceTimersByTime(1_000)
    online = true
    vi.advanceTimersByTime(1_000)
    expect(wake).toHaveBeenCalledTimes(4)
    stop()
    power.emit('resume')
    online = false
    vi.advanceTimersByTime(1_000)
    online = true
    vi.advanceTimersByTime(1_000)
    expect(wake).toHaveBeenCalledTimes(4)
    expect(power.listenerCount('resume')).toBe(0)
  })
})

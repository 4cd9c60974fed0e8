import { useEffect } from 'react'
import { call } from '../../api/client'
import { useSession } from '../../stores/session'

const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const
/** The core hears of activity at most this often; its idle limit is whole minutes. */
const TOUCH_EVERY_MS = 30_000
const CHECK_EVERY_MS = 5_000

/**
 * Drops back to the user picker after `minutes` without keyboard, mouse or touch
 * input, and tells the core someone is working (it signs idle elevated sessions out on
 * its own, whatever the renderer does). A screen at rest sends nothing: touches follow
 * input only, and the idle check is a local timer.
 */
export function useIdleLock(signedIn: boolean, minutes: number) {
  useEffect(() => {
    if (!signedIn) return
    let lastInput = Date.now()
    let lastTouch = 0
    const lock = () =>
      void useSession
        .getState()
        .lock()
        .catch(() => {})
    const onInput = () => {
      lastInput = Date.now()
      if (lastInput - lastTouch < TOUCH_EVERY_MS) return
      lastTouch = lastInput
      call('session.touch', {}).then(
        ({ active }) => {
          if (!active) lock()
        },
        () => {},
      )
    }
    const timer = setInterval(() => {
      if (Date.now() - lastInput >= minutes * 60_000) lock()
    }, CHECK_EVERY_MS)
    for (const name of INPUT_EVENTS)
      window.addEventListener(name, onInput, { capture: true, passive: true })
    return () => {
      clearInterval(timer)
      for (const name of INPUT_EVENTS) window.removeEventListener(name, onInput, { capture: true })
    }
  }, [signedIn, minutes])
}

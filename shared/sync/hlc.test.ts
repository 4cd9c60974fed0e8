import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Clock, ClockError, decode, encode, MAX_DRIFT_MS } from './hlc'

describe('hybrid logical clock', () => {
  it('encodes so that string order is clock order', () => {
    const a = encode({ ms: 5, counter: 9, node: 'b' })
    const b = encode({ ms: 5, counter: 10, node: 'a' })
    const c = encode({ ms: 6, counter: 0, node: 'a' })
    expect([c, b, a].sort()).toEqual([a, b, c])
    expect(decode(b)).toEqual({ ms: 5, counter: 10, node: 'a' })
    expect(() => decode('yesterday')).toThrow(ClockError)
  })

  it('never goes backwards, even when the wall clock does', () => {
    let wall = 1000
    const clock = new Clock('laptop1', () => wall)
    const first = clock.tick()
    wall = 500
    const second = clock.tick()
    expect(second > first).toBe(true)
  })

  it('orders a received event after what caused it', () => {
    const a = new Clock('a', () => 1000)
    const b = new Clock('b', () => 10) // b's wall clock is far behind
    const sent = a.tick()
    const received = b.receive(sent)
    expect(received > sent).toBe(true)
    expect(b.tick() > received).toBe(true)
  })

  it('refuses a remote clock too far in the future', () => {
    const clock = new Clock('a', () => 0)
    expect(() => clock.receive(encode({ ms: MAX_DRIFT_MS + 1, counter: 0, node: 'b' }))).toThrow(
      ClockError,
    )
  })

  it('stays strictly increasing under any mix of ticks and receives', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.boolean(),
            fc.integer({ min: 0, max: 1000 }),
            fc.integer({ min: 0, max: 50 }),
          ),
        ),
        (steps) => {
          let wall = 0
          const clock = new Clock('n', () => wall)
          let last = ''
          for (const [local, jump, counter] of steps) {
            wall += jump - 400
            const next = local
              ? clock.tick()
              : clock.receive(encode({ ms: Math.max(0, wall + 100), counter, node: 'm' }))
            expect(next > last).toBe(true)
            last = next
          }
        },
      ),
    )
  })
})

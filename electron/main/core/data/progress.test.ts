import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelOutput } from '../../../../shared/contract'
import type { AppContext } from '../context'
import { DEMO_PIN } from '../seed/demo-pin'
import { seed } from '../seed/seed'
import { call, callError, memoryCore } from '../test/helpers'

type Job = ChannelOutput<'data.progress'>['jobs'][number]

let ctx: AppContext
beforeAll(async () => {
  ctx = await memoryCore()
  await seed(ctx.db.pg, { appointments: 5000, clients: 50, anchor: new Date('2026-06-01') })
  const { users } = await call(ctx, 'session.users', {})
  await call(ctx, 'session.switch', {
    userId: users.find((u) => u.role === 'admin')?.id ?? '',
    pin: DEMO_PIN,
  })
})
afterAll(async () => {
  await ctx.db.close()
})

/**
 * Runs `work` while asking `data.progress` what runs, as the screen does, at every turn
 * of the event loop until the work ends; returns what was seen, in order.
 */
async function watch<T>(work: () => Promise<T>): Promise<{ result: T; seen: Job[] }> {
  const seen: Job[] = []
  let running = true
  const sampler = (async () => {
    while (running) {
      seen.push(...(await call(ctx, 'data.progress', {})).jobs)
      await new Promise((resolve) => setImmediate(resolve))
    }
  })()
  try {
    return { result: await work(), seen }
  } finally {
    running = false
    await sampler
  }
}

describe('data.progress', () => {
  it('follows an export row by row, rising to the total', async () => {
    const { result, seen } = await watch(() =>
      call(ctx, 'data.export', { kind: 'appointments', format: 'csv' }),
    )
    expect(result.rows).toBe(5000)
    const counted = seen.filter((j) => j.task === 'export' && j.total !== null)
    expect(counted.every((j) => j.step === 'Exporting appointments' && j.total === 5000)).toBe(true)
    const done = counted.map((j) => j.done)
    // Seen part way, and never going back.
    expect(
      done.some((n) => n > 0 && n < 5000),
      done.join(','),
    ).toBe(true)
    expect(done).toEqual([...done].sort((a, b) => a - b))
    expect(done.at(-1)).toBe(5000)
    expect((await call(ctx, 'data.progress', {})).jobs).toEqual([])
  })

  it('follows an import by rows written, and forgets a job that failed', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) => `Progress Client ${i}`)
    const csv = `name\n${lines.join('\n')}\n`
    const { result, seen } = await watch(() => call(ctx, 'data.import', { kind: 'clients', csv }))
    expect(result.created).toBe(1500)
    const done = seen.filter((j) => j.step === 'Importing clients').map((j) => j.done)
    expect(
      done.some((n) => n > 0 && n < 1500),
      done.join(','),
    ).toBe(true)
    expect(done).toEqual([...done].sort((a, b) => a - b))
    expect(done.at(-1)).toBe(1500)

    expect((await callError(ctx, 'data.import', { kind: 'clients', csv: 'nom\nA\n' })).code).toBe(
      'VALIDATION',
    )
    expect((await call(ctx, 'data.progress', {})).jobs).toEqual([])
  })
})

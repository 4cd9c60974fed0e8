import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from './context'
import { dispatch } from './dispatch'
import { handlers } from './handlers'
import { memoryCore } from './test/helpers'

let ctx: AppContext
beforeAll(async () => {
  ctx = await memoryCore()
})
afterAll(() => ctx.db.close())

describe('dispatch', () => {
  it('answers a known channel with its validated output', async () => {
    const result = await dispatch(ctx, 'system.status', {})
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.data).toMatchObject({
      version: 'test',
      database: {
        open: true,
        migrations: expect.arrayContaining(['0002_service_priority_not_null']),
      },
    })
  })

  it.each([
    ['an unknown channel', 'system.nope', {}, 'NOT_FOUND'],
    ['a channel that is not a string', 42, {}, 'NOT_FOUND'],
    ['a prototype key as channel', '__proto__', {}, 'NOT_FOUND'],
    ['unknown input fields', 'system.status', { extra: 1 }, 'VALIDATION'],
    ['input of the wrong type', 'system.status', 'hello', 'VALIDATION'],
    ['a NUL byte the database cannot store', 'clients.create', { name: 'a\u0000b' }, 'VALIDATION'],
  ])('refuses %s with a typed error', async (_, channel, input, code) => {
    const result = await dispatch(ctx, channel, input)
    expect(result).toMatchObject({ ok: false, error: { code } })
  })

  it('says a change was saved when only its answer failed, and the screens still refetch', async () => {
    const real = handlers['clients.create']
    const told: string[][] = []
    const stop = ctx.changes.subscribe((n) => told.push(n.tables))
    // A handler answering outside its own contract (a bug): its write is committed.
    ;(handlers as Record<string, unknown>)['clients.create'] = async (...args: never[]) => {
      await (real as (...a: never[]) => Promise<unknown>)(...args)
      return { client: { id: 'not an id' } }
    }
    try {
      const result = await dispatch(ctx, 'clients.create', { name: 'Answer Bug' })
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'INTERNAL', message: expect.stringMatching(/^the change was saved/) },
      })
      expect(told).toContainEqual(['clients'])
      const { rows } = await ctx.db.pg.query("SELECT 1 FROM clients WHERE name = 'Answer Bug'")
      expect(rows).toHaveLength(1)
    } finally {
      ;(handlers as Record<string, unknown>)['clients.create'] = real
      stop()
    }
  })

  it('does not speak of an unsaved change when a read fails', async () => {
    const real = handlers['clients.list']
    ;(handlers as Record<string, unknown>)['clients.list'] = async () => {
      throw new Error('a fault')
    }
    try {
      expect(await dispatch(ctx, 'clients.list', {})).toMatchObject({
        ok: false,
        error: { code: 'INTERNAL', message: 'something went wrong reading this; try again' },
      })
    } finally {
      ;(handlers as Record<string, unknown>)['clients.list'] = real
    }
  })
})

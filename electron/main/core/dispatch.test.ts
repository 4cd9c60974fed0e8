import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from './context'
import { dispatch } from './dispatch'
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
    ['a NUL byte the database cannot store', 'clients.list', { search: 'a\u0000b' }, 'VALIDATION'],
  ])('refuses %s with a typed error', async (_, channel, input, code) => {
    const result = await dispatch(ctx, channel, input)
    expect(result).toMatchObject({ ok: false, error: { code } })
  })
})

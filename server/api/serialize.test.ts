import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { serializerFor } from './serialize'

describe('the API serializer', () => {
  const page = z.object({
    count: z.number().int(),
    results: z.array(z.object({ id: z.string(), notes: z.string().nullable() })),
  })

  it("writes the schema's fields only, nulls included", () => {
    const text = serializerFor(page)({
      count: 1,
      results: [{ id: 'a', notes: null, token_hash: 'never leaves' }],
      internal: true,
    })
    expect(JSON.parse(text)).toEqual({ count: 1, results: [{ id: 'a', notes: null }] })
  })
})

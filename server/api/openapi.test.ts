import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPOINTMENT_STATUSES } from '../../shared/domain/enums'
import { APPOINTMENT_SEARCH } from '../../shared/domain/search-terms'
import { type ApiFixture, apiFixture } from './api.test-support'
import { CLIENT_ORDERINGS, ORDERING_TERMS, SERVICE_ORDERINGS, TEAM_ORDERINGS } from './schemas'

/**
 * What the OpenAPI document says of the list parameters, against what the server does
 * (its validity as OpenAPI 3 is checked in edges.test.ts).
 */
let f: ApiFixture
let doc: {
  paths: Record<
    string,
    { get: { description?: string; parameters: { name: string; [k: string]: unknown }[] } }
  >
}
beforeAll(async () => {
  f = await apiFixture()
  doc = (await f.call(null, { url: '/api/v1/openapi.json' })).json()
})
afterAll(() => f.close())

const list = (path: string) => doc.paths[path]?.get
const param = (path: string, name: string) =>
  list(path)?.parameters.find((p) => p.name === name) as
    | { schema: Record<string, unknown>; description: string; [k: string]: unknown }
    | undefined

describe('the OpenAPI document', () => {
  it('names every field that search reads, in the parameter and the operation', () => {
    const texts = [
      param('/api/v1/appointments/', 'search')?.description,
      list('/api/v1/appointments/')?.description,
    ]
    for (const text of texts) {
      for (const [table, columns] of Object.entries(APPOINTMENT_SEARCH))
        for (const column of columns)
          expect(text, `${table}.${column}`).toContain(column.replaceAll('_', ' '))
      expect(text).toContain(
        "the client's name, address or postal code, the service's name, or the job's notes or location",
      )
    }
  })

  it('lists the statuses, for one value and for a repeated one, and each is taken', async () => {
    const status = param('/api/v1/appointments/', 'status')
    expect(status?.schema).toEqual({
      anyOf: [
        { type: 'string', enum: [...APPOINTMENT_STATUSES] },
        { type: 'array', maxItems: 8, items: { type: 'string', enum: [...APPOINTMENT_STATUSES] } },
      ],
    })
    const url = '/api/v1/appointments/?status='
    for (const value of APPOINTMENT_STATUSES)
      expect((await f.call(f.tokens.office, { url: url + value })).statusCode, value).toBe(200)
    expect((await f.call(f.tokens.office, { url: `${url}postponed` })).statusCode).toBe(400)
  })

  it('lists the orderings as a list written with commas, and each is taken', async () => {
    const aliases = ['client__name', 'service__name', 'team_member__name', 'scheduled_at']
    for (const [path, terms, written] of [
      ['/api/v1/appointments/', ORDERING_TERMS, aliases.flatMap((a) => [a, `-${a}`])],
      ['/api/v1/clients/', CLIENT_ORDERINGS, []],
      ['/api/v1/services/', SERVICE_ORDERINGS, []],
      ['/api/v1/team-members/', TEAM_ORDERINGS, []],
    ] as const) {
      const ordering = param(path, 'ordering')
      expect(ordering?.schema, path).toEqual({
        type: 'array',
        items: { type: 'string', enum: [...terms, ...written] },
        maxItems: 4,
      })
      // OpenAPI's form style, not exploded: `?ordering=a,b`, as the server reads it.
      expect(ordering?.style, path).toBe('form')
      expect(ordering?.explode, path).toBe(false)
      for (const term of [...terms, ...written]) {
        const res = await f.call(f.tokens.office, { url: `${path}?ordering=${term}` })
        expect(res.statusCode, `${path} ${term}`).toBe(200)
      }
      const res = await f.call(f.tokens.office, {
        url: `${path}?ordering=${terms.slice(0, 4).join(',')}`,
      })
      expect(res.statusCode, path).toBe(200)
      // As DRF's OrderingFilter: a field off the list is dropped, not refused.
      const ids = async (url: string) => {
        const page = await f.call(f.tokens.office, { url })
        expect(page.statusCode, url).toBe(200)
        return (page.json() as { results: { id: string }[] }).results.map((r) => r.id)
      }
      expect(await ids(`${path}?ordering=nope,-bogus`)).toEqual(await ids(path))
    }
  })

  it('describes limit and offset as whole numbers with whole-number defaults', () => {
    for (const path of ['/api/v1/appointments/', '/api/v1/clients/']) {
      expect(param(path, 'limit')?.schema, path).toMatchObject({
        type: 'integer',
        minimum: 1,
        maximum: 100,
        default: 20,
      })
      expect(param(path, 'offset')?.schema, path).toMatchObject({
        type: 'integer',
        minimum: 0,
        default: 0,
      })
    }
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../context'
import { snapshot } from '../test/fixture'
import { call, callError, memoryCore } from '../test/helpers'

/**
 * An import recognises the records already here: by email (case aside), else by name
 * and phone; it updates what changed, skips what did not, and refuses what it cannot
 * tell apart. Each test has its own clients, told apart by name.
 */
let ctx: AppContext
beforeAll(async () => {
  ctx = await memoryCore()
  await call(ctx, 'session.createUser', { name: 'Importer', role: 'admin', pin: '2468' })
})
afterAll(() => ctx.db.close())

const importClients = (csv: string, mode: 'all' | 'valid' = 'valid') =>
  call(ctx, 'data.import', { kind: 'clients', csv, mode })

const client = async (name: string) =>
  (await call(ctx, 'clients.list', { search: name })).results.filter((c) => c.name === name)

describe('importing clients that are already here', () => {
  it('creates nothing the second time the same file is imported', async () => {
    const csv = 'name,email,phone\nAnn Able,ann@example.com,\nBo Baker,,555 0101\nCy Cole,,\n'
    expect(await importClients(csv)).toMatchObject({ created: 3, updated: 0, skipped: 0 })
    const before = await snapshot(ctx)
    const again = await importClients(csv)
    expect(again).toMatchObject({ imported: 0, created: 0, updated: 0, skipped: 3, refused: 0 })
    expect(again.lines).toEqual({ created: [], updated: [], skipped: [2, 3, 4] })
    expect(await snapshot(ctx)).toBe(before)
  })

  it('matches by email whatever its case, and updates only the fields that changed', async () => {
    await call(ctx, 'clients.create', {
      name: 'Maria Lopez',
      email: 'maria@example.com',
      phone: '+1 555 0102',
      notes: 'Gate code 1234',
    })
    const report = await importClients(
      'name,email,phone,address,notes\nmaria  lopez,MARIA@Example.com,(1) 555-0102,12 Elm St,\n',
    )
    expect(report).toMatchObject({ created: 0, updated: 1, lines: { updated: [2] } })
    // Spacing and case of the name, the email's case and the phone's punctuation are not
    // changes; the empty notes cell erases nothing.
    expect(await client('Maria Lopez')).toMatchObject([
      {
        email: 'maria@example.com',
        phone: '+1 555 0102',
        address: '12 Elm St',
        notes: 'Gate code 1234',
      },
    ])
  })

  it('else matches by name and phone, adding an email the record lacked', async () => {
    await call(ctx, 'clients.create', { name: 'Green Lawn HOA', phone: '(555) 010-2000' })
    const report = await importClients(
      'name,email,phone\nGreen Lawn HOA,office@green.example,555 010 2000\n',
    )
    expect(report).toMatchObject({ created: 0, updated: 1 })
    expect(await client('Green Lawn HOA')).toMatchObject([
      { email: 'office@green.example', phone: '(555) 010-2000' },
    ])
  })

  it('treats the same name and phone with another email as another client', async () => {
    await call(ctx, 'clients.create', {
      name: 'Dan Dale',
      email: 'dan@one.example',
      phone: '555 0303',
    })
    expect(
      await importClients('name,email,phone\nDan Dale,dan@two.example,555 0303\n'),
    ).toMatchObject({
      created: 1,
      updated: 0,
    })
    expect(await client('Dan Dale')).toHaveLength(2)
  })

  it('refuses a row it cannot tell apart, and a row repeating an earlier one, writing nothing in mode all', async () => {
    await call(ctx, 'clients.create', { name: 'Eve East', email: 'twice@example.com' })
    await call(ctx, 'clients.create', { name: 'Eve West', email: 'twice@example.com' })
    const csv = [
      'name,email',
      'Eve North,twice@example.com',
      'Fay Fern,fay@example.com',
      'Fay Fern,FAY@example.com',
    ].join('\n')
    const before = await snapshot(ctx)
    const report = await importClients(csv, 'all')
    expect(report).toMatchObject({ written: false, imported: 0, created: 0, refused: 2 })
    expect(report.errors).toEqual([
      {
        line: 2,
        field: 'email',
        message:
          '2 clients already have this email: merge or archive them in the app, then import again',
      },
      { line: 4, field: 'email', message: 'is the same client as line 3' },
    ])
    expect(await snapshot(ctx)).toBe(before)

    expect(await importClients(csv, 'valid')).toMatchObject({
      written: true,
      created: 1,
      refused: 2,
    })
    expect(await client('Fay Fern')).toHaveLength(1)
  })

  it('reads back exactly what it exported, formula guard and all', async () => {
    const risky = {
      name: '@Home Gardens',
      phone: '+1 555 0101',
      notes: '-1+HYPERLINK("http://example.com")',
      address: "'=quoted already",
    }
    await call(ctx, 'clients.create', risky)
    const exported = await call(ctx, 'data.export', { kind: 'clients', format: 'csv' })
    expect(exported.content).toContain(`'+1 555 0101`)
    const before = await snapshot(ctx)
    expect(await importClients(exported.content)).toMatchObject({
      created: 0,
      updated: 0,
      refused: 0,
    })
    expect(await snapshot(ctx)).toBe(before)

    const other = await memoryCore()
    try {
      await call(other, 'session.createUser', { name: 'Importer', role: 'admin', pin: '2468' })
      await call(other, 'data.import', { kind: 'clients', csv: exported.content })
      const copy = (await call(other, 'clients.list', { search: '@Home' })).results[0]
      expect(copy).toMatchObject(risky)
    } finally {
      await other.db.close()
    }
  })
})

describe('people sharing an email', () => {
  it('are told apart by name, in whatever order the file lists them', async () => {
    await call(ctx, 'clients.create', { name: 'Gus Gray', email: 'grays@example.com' })
    const report = await importClients(
      'name,email,phone\nGwen Gray,grays@example.com,555 0404\nGus Gray,grays@example.com,555 0405\n',
    )
    // Gus is known (his email and name); Gwen shares the email but is someone else.
    expect(report).toMatchObject({ lines: { created: [2], updated: [3], skipped: [] } })
    expect((await client('Gus Gray'))[0]?.phone).toBe('555 0405')
    expect(await client('Gwen Gray')).toHaveLength(1)
    const again = await importClients(
      'name,email,phone\nGus Gray,grays@example.com,555 0405\nGwen Gray,grays@example.com,555 0404\n',
    )
    expect(again).toMatchObject({ created: 0, updated: 0, skipped: 2 })
  })
})

describe('a service imported with is_active', () => {
  it('reads yes and no in their usual spellings, and refuses anything else, changing nothing', async () => {
    await call(ctx, 'data.import', {
      kind: 'services',
      csv: 'name,base_price,duration_minutes,is_active\nEdging,40,30,yes\nDethatch,90,60,N\n',
      mode: 'all',
    })
    const active = async (name: string) =>
      (
        await call(ctx, 'catalog.services.list', { includeArchived: true, limit: 100 })
      ).results.find((s) => s.name === name)?.isActive
    expect(await active('Edging')).toBe(true)
    expect(await active('Dethatch')).toBe(false)
    const before = await snapshot(ctx)
    const report = await call(ctx, 'data.import', {
      kind: 'services',
      csv: 'name,base_price,duration_minutes,is_active\nEdging,40,30,Y\nEdging,40,30,maybe\n',
      mode: 'valid',
    })
    expect(report.errors).toEqual([
      { line: 3, field: 'is_active', message: 'must be true or false (or yes / no, 1 / 0)' },
    ])
    // "Y" is a yes: Edging stays bookable.
    expect(await active('Edging')).toBe(true)
    expect(report.created + report.updated).toBe(0)
    expect(await snapshot(ctx)).toBe(before)
  })
})

describe('a file whose columns are not split by commas', () => {
  it('is refused saying so, not as unknown columns', async () => {
    for (const [sep, word] of [
      [';', 'semicolons'],
      ['\t', 'tabs'],
    ] as const) {
      const refused = await callError(ctx, 'data.import', {
        kind: 'clients',
        csv: `name${sep}email${sep}phone\nAda${sep}ada@example.com${sep}555\n`,
        mode: 'all',
      })
      expect(refused.message).toBe(
        `the columns are separated by ${word}, not commas: save the file as CSV with commas (“CSV UTF-8 (Comma delimited)”) and import it again`,
      )
    }
  })
})

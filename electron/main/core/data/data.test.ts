import { createHash, randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ChannelOutput } from '../../../../shared/contract'
import { zonedIso } from '../../../../shared/domain/time'
import { openCore } from '../app-core'
import type { AppContext } from '../context'
import { sourceResources } from '../paths'
import { DEMO_PIN } from '../seed/demo-pin'
import { seed } from '../seed/seed'
import { snapshot } from '../test/fixture'
import { call, callError, memoryCore, tempDir } from '../test/helpers'

const dir = tempDir()
let ctx: AppContext
beforeAll(async () => {
  ctx = await openCore({
    dataDir: dir.path,
    resources: sourceResources(),
    version: 'test',
    durability: 'os',
  })
  await seed(ctx.db.pg, { appointments: 500, clients: 120, anchor: new Date('2026-06-01') })
  const { users } = await call(ctx, 'session.users', {})
  await call(ctx, 'session.switch', {
    userId: users.find((u) => u.role === 'admin')?.id ?? '',
    pin: DEMO_PIN,
  })
})
afterAll(async () => {
  await ctx.db.close()
  dir.cleanup()
})

async function emptyCore() {
  const other = await memoryCore()
  await call(other, 'session.createUser', { name: 'Importer', role: 'admin', pin: DEMO_PIN })
  return other
}

const rowsOf = async (c: AppContext, sql: string) => (await c.db.pg.query(sql)).rows

describe('export and import', () => {
  it("names an export by the business's day, not the UTC one", async () => {
    const zone = (await call(ctx, 'settings.get', {})).timeZone
    try {
      // 7 PM on Nov 30 in Chicago is already Dec 1 in UTC.
      vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-01T01:00:00Z') })
      await call(ctx, 'settings.update', { timeZone: 'America/Chicago' })
      const file = await call(ctx, 'data.export', { kind: 'services', format: 'csv' })
      expect(file.filename).toBe('groundskeeper-services-2026-11-30.csv')
    } finally {
      vi.useRealTimers()
      await call(ctx, 'settings.update', { timeZone: zone })
    }
  })

  it('reproduces clients and services in an empty database', async () => {
    // How clients want to hear from the business goes with them: an opt-out above all.
    const [first, second] = (await call(ctx, 'clients.list', { limit: 2 })).results
    await call(ctx, 'clients.update', {
      id: first?.id ?? '',
      notifyEmail: false,
      locale: 'es',
    })
    await call(ctx, 'clients.update', {
      id: second?.id ?? '',
      notifyOff: ['reminder:email', 'cancelled:email'],
    })
    const clients = await call(ctx, 'data.export', { kind: 'clients', format: 'csv' })
    expect(clients.content.split(/\r?\n/)[0]).toBe(
      'name,email,phone,address,postal_code,latitude,longitude,notes,notify_email,notify_sms,notify_off,locale',
    )
    const services = await call(ctx, 'data.export', { kind: 'services', format: 'csv' })
    expect(clients.rows).toBe(120)
    const other = await emptyCore()
    try {
      expect(
        await call(other, 'data.import', { kind: 'clients', csv: clients.content }),
      ).toMatchObject({
        rows: 120,
        imported: 120,
        created: 120,
        updated: 0,
        skipped: 0,
        errors: [],
      })
      expect(
        (await call(other, 'data.import', { kind: 'services', csv: services.content })).imported,
      ).toBe(40)
      for (const sql of [
        `SELECT name, email, phone, address, postal_code, latitude, longitude, notes,
           notify_email, notify_sms, notify_off, locale FROM clients ORDER BY name, email`,
        'SELECT name, description, priority, base_price, duration_minutes, is_active FROM services ORDER BY name',
      ]) {
        expect(await rowsOf(other, sql)).toEqual(await rowsOf(ctx, sql))
      }
      // The same files again: every row is known and unchanged.
      const before = await snapshot(other)
      const again = await call(other, 'data.import', { kind: 'clients', csv: clients.content })
      expect(again).toMatchObject({ created: 0, updated: 0, skipped: 120, refused: 0 })
      expect(again.lines.skipped).toEqual(Array.from({ length: 120 }, (_, i) => i + 2))
      expect(
        await call(other, 'data.import', { kind: 'services', csv: services.content }),
      ).toMatchObject({ created: 0, updated: 0, skipped: 40 })
      expect(await snapshot(other)).toBe(before)
    } finally {
      await other.db.close()
    }
  })

  it("refuses a client's message preferences it cannot read, naming the column", async () => {
    const csv = [
      'name,phone,notify_email,notify_sms,notify_off,locale',
      'Pref One,,maybe,,,',
      'Pref Two,,,,reminder:fax,',
      'Pref Three,,,,,klingon',
      'Pref Four,+1 415 555 0199,no,yes,"reminder:sms, cancelled:email",ES',
      'Pref Five,555-0199,,yes,,',
    ].join('\n')
    const report = await call(ctx, 'data.import', { kind: 'clients', csv, mode: 'valid' })
    expect(report.errors).toEqual([
      { line: 2, field: 'notify_email', message: 'must be true or false (or yes / no, 1 / 0)' },
      {
        line: 3,
        field: 'notify_off',
        message:
          'must list messages turned off as kind:channel, separated by commas (such as reminder:sms,cancelled:email)',
      },
      { line: 4, field: 'locale', message: 'must be one of en, es, fr, de' },
      {
        line: 6,
        field: 'phone',
        message: 'needs + and the country code for text messages, such as +1 415 555 0100',
      },
    ])
    expect(report.created).toBe(1)
    expect(
      await rowsOf(
        ctx,
        "SELECT notify_email, notify_sms, notify_off, locale FROM clients WHERE name = 'Pref Four'",
      ),
    ).toEqual([
      {
        notify_email: false,
        notify_sms: true,
        notify_off: 'cancelled:email,reminder:sms',
        locale: 'es',
      },
    ])
  })

  it('reports every bad row and writes nothing, unless asked to import the good rows', async () => {
    const csv = [
      'name,base_price,duration_minutes,priority',
      'Snow blowing,85,45,high',
      ',10,30,LOW',
      'Lawn mowing,55,45,LOW',
      'Salt delivery,-3,0,URGENT',
      'Snow blowing,85,45,HIGH',
    ].join('\n')
    const before = await snapshot(ctx)
    const report = await call(ctx, 'data.import', { kind: 'services', csv, mode: 'all' })
    expect(report).toMatchObject({ written: false, imported: 0, created: 0, refused: 3 })
    expect(report.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'name'],
      [5, 'priority'],
      [5, 'base_price'],
      [5, 'duration_minutes'],
      [6, 'name'],
    ])
    expect(report.errors.at(-1)?.message).toBe('is the same service as line 2')
    expect(await snapshot(ctx)).toBe(before)

    // Lawn mowing exists (MEDIUM): the file changes its priority and nothing else.
    const partial = await call(ctx, 'data.import', { kind: 'services', csv, mode: 'valid' })
    expect(partial).toMatchObject({
      written: true,
      imported: 2,
      created: 1,
      updated: 1,
      refused: 3,
    })
    expect(partial.lines).toEqual({ created: [2], updated: [4], skipped: [] })
    expect((await call(ctx, 'catalog.services.list', { search: 'Snow blowing' })).count).toBe(1)
    const mowing = await call(ctx, 'catalog.services.list', { search: 'Lawn mowing' })
    expect(mowing.results.find((m) => m.name === 'Lawn mowing')).toMatchObject({
      priority: 'LOW',
      basePrice: '55.00',
      durationMinutes: 45,
    })
  })

  it('refuses a file that is not CSV or has the wrong columns, changing nothing', async () => {
    const before = await snapshot(ctx)
    expect(
      (await callError(ctx, 'data.import', { kind: 'clients', csv: 'name,"unclosed\n' })).message,
    ).toMatch(/not valid CSV/)
    expect(
      (await callError(ctx, 'data.import', { kind: 'clients', csv: 'nom,courriel\nA,b\n' }))
        .message,
    ).toMatch(/missing: "name"; not known: "nom", "courriel"/)
    expect(await snapshot(ctx)).toBe(before)
  })

  it('reads column names as a spreadsheet writes them: "Postal Code" is postal_code', async () => {
    const report = await call(ctx, 'data.import', {
      kind: 'clients',
      csv: 'Name,Postal Code,Notify-Email\nHeader Gardens,60601,yes\n',
    })
    expect(report.errors).toEqual([])
    const [client] = (await call(ctx, 'clients.list', { search: 'Header Gardens' })).results
    expect(client).toMatchObject({ postalCode: '60601' })
  })

  it('exports appointments with the list filters as CSV, JSON and iCalendar', async () => {
    const filters = {
      status: ['completed' as const],
      scheduledFrom: '2026-03-01T00:00:00Z',
      scheduledTo: '2026-03-31T23:59:59Z',
    }
    const listed = await call(ctx, 'appointments.list', { ...filters, limit: 1 })
    const csv = await call(ctx, 'data.export', { kind: 'appointments', format: 'csv', filters })
    expect(csv.rows).toBe(listed.count)
    const lines = csv.content.trim().split('\r\n')
    expect(lines).toHaveLength(listed.count + 1)
    // Times in the business's zone, the zone named in the header.
    const { timeZone } = await call(ctx, 'settings.get', {})
    const header = lines[0]?.split(',') ?? []
    expect(header[1]).toBe(`scheduled_at (${timeZone})`)
    const first = listed.results[0]
    const row = lines.slice(1).find((l) => l.startsWith(first?.id ?? '-'))
    const written = row?.split(',')[1] ?? ''
    expect(written).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/)
    expect(Date.parse(written)).toBe(Date.parse(first?.scheduledAt ?? ''))
    const json = await call(ctx, 'data.export', { kind: 'appointments', format: 'json', filters })
    const parsed = JSON.parse(json.content) as {
      id: string
      status: string
      scheduledAt: string
      timeZone: string
    }[]
    expect(parsed.every((a) => a.status === 'completed')).toBe(true)
    // JSON too: the business's zone named in each record, its times written in it.
    expect(parsed.every((a) => a.timeZone === timeZone)).toBe(true)
    expect(parsed.find((a) => a.id === first?.id)?.scheduledAt).toBe(written)
    const ics = await call(ctx, 'data.export', { kind: 'calendar', format: 'ics', filters })
    expect(ics.content.match(/BEGIN:VEVENT/g)).toHaveLength(listed.count)
    expect(ics.mimeType).toBe('text/calendar')
  })
})

/**
 * A backup with its header rewritten (and its payload replaced), the checksum made to
 * match the payload: a file made by hand, not by a damaged disk.
 */
function resealed(
  header: (manifest: Record<string, unknown>) => unknown,
  payload?: Buffer,
): (b: Buffer) => Buffer {
  return (b) => {
    const magic = b.indexOf(10) + 1
    const end = b.indexOf(10, magic)
    const manifest = JSON.parse(b.subarray(magic, end).toString('utf8'))
    const body = payload ?? b.subarray(end + 1)
    const sealed = {
      ...manifest,
      sha256: createHash('sha256').update(body).digest('hex'),
      bytes: body.byteLength,
    }
    return Buffer.concat([
      b.subarray(0, magic),
      Buffer.from(`${JSON.stringify(header(sealed))}\n`),
      body,
    ])
  }
}

describe('backup and restore', () => {
  it("names a backup file by the business's clocks, a second one in the same second apart", async () => {
    const zone = (await call(ctx, 'settings.get', {})).timeZone
    await call(ctx, 'settings.update', { timeZone: 'Pacific/Auckland' })
    try {
      const first = await call(ctx, 'data.backup', {})
      const second = await call(ctx, 'data.backup', {})
      const local = (iso: string) => zonedIso(iso, 'Pacific/Auckland').slice(0, 19)
      expect(first.file).toBe(
        `groundskeeper-${local(first.createdAt).replace('T', '-').replaceAll(':', '-')}.gkbackup`,
      )
      if (local(first.createdAt) === local(second.createdAt))
        expect(second.file).toBe(first.file.replace('.gkbackup', '-2.gkbackup'))
      expect(second.file).not.toBe(first.file)
      for (const b of [first, second]) await call(ctx, 'data.deleteBackup', { file: b.file })
    } finally {
      await call(ctx, 'settings.update', { timeZone: zone })
    }
  })

  it('restores the database as it was, keeping the one it replaced', async () => {
    // Older restores' copies: only the newest few are kept.
    for (const at of ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-04']) {
      mkdirSync(join(dir.path, `pgdata.before-restore-${at}T00-00-00-000Z`))
    }
    const taken = await call(ctx, 'data.backup', {})
    const before = await snapshot(ctx)
    await call(ctx, 'clients.create', { name: 'Added after the backup' })
    expect(await snapshot(ctx)).not.toBe(before)
    const restored = await call(ctx, 'data.restore', { file: taken.file })
    expect(restored.restoredFrom).toBe(taken.file)
    expect(restored.previousDataKept).toMatch(/^pgdata\.before-restore-/)
    expect(
      readdirSync(dir.path)
        .filter((f) => f.startsWith('pgdata.before-restore-'))
        .sort(),
    ).toEqual([
      'pgdata.before-restore-2020-01-03T00-00-00-000Z',
      'pgdata.before-restore-2020-01-04T00-00-00-000Z',
      restored.previousDataKept,
    ])
    expect(await snapshot(ctx)).toBe(before)
    expect((await call(ctx, 'data.backups', {})).backups.map((b) => b.file)).toContain(taken.file)
  })

  it('puts back the data a restore replaced, and that too can be put back', async () => {
    const taken = await call(ctx, 'data.backup', {})
    await call(ctx, 'clients.create', { name: 'Made after the backup' })
    const mine = await snapshot(ctx)
    const restored = await call(ctx, 'data.restore', { file: taken.file })
    const restoredData = await snapshot(ctx)
    expect(restoredData).not.toBe(mine)
    const { copies } = await call(ctx, 'data.replaced', {})
    expect(copies[0]?.name).toBe(restored.previousDataKept)
    expect(Date.parse(copies[0]?.replacedAt ?? '')).toBeGreaterThan(Date.now() - 60_000)

    const back = await call(ctx, 'data.putBack', { name: restored.previousDataKept })
    expect(await snapshot(ctx)).toBe(mine)
    expect(back.putBack).toBe(restored.previousDataKept)
    const after = (await call(ctx, 'data.replaced', {})).copies.map((c) => c.name)
    expect(after[0]).toBe(back.previousDataKept)
    expect(after).not.toContain(restored.previousDataKept)
    // The restored data was kept in its turn: putting it back redoes the restore.
    await call(ctx, 'data.putBack', { name: back.previousDataKept })
    expect(await snapshot(ctx)).toBe(restoredData)
    const again = (await call(ctx, 'data.replaced', {})).copies[0]?.name ?? ''
    await call(ctx, 'data.putBack', { name: again })
    expect(await snapshot(ctx)).toBe(mine)
  })

  it('refuses to put back what is not data a restore kept, and changes nothing', async () => {
    const before = await snapshot(ctx)
    const unknown = await callError(ctx, 'data.putBack', {
      name: 'pgdata.before-restore-1999-01-01T00-00-00-000Z',
    })
    expect(unknown.code).toBe('NOT_FOUND')
    // An emptied folder would open as a new, empty database.
    const empty = 'pgdata.before-restore-2000-01-01T00-00-00-000Z'
    mkdirSync(join(dir.path, empty))
    const refused = await callError(ctx, 'data.putBack', { name: empty })
    expect(refused.issues?.[0]?.message).toBe('this folder does not hold a database')
    const outside = await callError(ctx, 'data.putBack', { name: '../pgdata' })
    expect(outside.code).toBe('VALIDATION')
    expect(await snapshot(ctx)).toBe(before)
  })

  it("keeps this laptop's users and PINs: a backup brings back neither old users nor old PINs", async () => {
    const taken = await call(ctx, 'data.backup', {})
    const added = await call(ctx, 'session.createUser', {
      name: 'Added After',
      role: 'office_manager',
      pin: DEMO_PIN,
    })
    await call(ctx, 'data.restore', { file: taken.file })
    const { users } = await call(ctx, 'session.users', {})
    expect(users.map((u) => u.name)).toContain('Added After')
    // With the PIN set after the backup.
    await call(ctx, 'session.switch', { userId: added.user.id, pin: DEMO_PIN })
    expect((await call(ctx, 'session.get', {})).user?.name).toBe('Added After')
    await call(ctx, 'session.switch', {
      userId: users.find((u) => u.role === 'admin')?.id ?? '',
      pin: DEMO_PIN,
    })
  })

  it.each([
    [
      'a file that is not a backup',
      (b: Buffer) => Buffer.from(`just some text${b.length}`),
      /not a Groundskeeper backup/,
    ],
    ['a truncated backup', (b: Buffer) => b.subarray(0, b.length - 100), /incomplete or damaged/],
    [
      'a corrupted backup',
      (b: Buffer) => {
        const c = Buffer.from(b)
        c[c.length - 50] = (c[c.length - 50] ?? 0) ^ 0xff
        return c
      },
      /incomplete or damaged/,
    ],
    [
      'a backup from a newer version',
      (b: Buffer) =>
        Buffer.from(
          b.toString('latin1').replace('"tag":"0000_initial"', '"tag":"0099_future"'),
          'latin1',
        ),
      /newer or different version/,
    ],
    ['a header of null', resealed(() => null), /header is damaged/],
    [
      'a header without its migrations',
      resealed((m) => ({ ...m, migrations: 'x' })),
      /header is damaged/,
    ],
    ['a header without its date', resealed((m) => ({ ...m, createdAt: undefined })), /header/],
    // Checksums made to match: only the payload itself shows what it is.
    [
      'a payload that starts like gzip but is not',
      resealed((m) => m, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(1000, 120)])),
      /its database could not be opened/,
    ],
    [
      'a payload of gzipped noise',
      resealed((m) => m, gzipSync(Buffer.alloc(50_000, 7))),
      /its database could not be opened/,
    ],
  ])(
    'refuses %s with a clear message and leaves the database untouched',
    async (_, damage, message) => {
      const good = await call(ctx, 'data.backup', {})
      const path = join(dir.path, 'backups', good.file)
      const bad = `bad-${good.file}`
      writeFileSync(join(dir.path, 'backups', bad), damage(readFileSync(path)))
      const before = await snapshot(ctx)
      const err = await callError(ctx, 'data.restore', { file: bad })
      expect(err.code).toBe('VALIDATION')
      expect(err.message).toMatch(message)
      expect(await snapshot(ctx)).toBe(before)
    },
  )

  /** Another laptop with a data folder of its own and its admin. */
  async function secondLaptop() {
    const elsewhere = tempDir()
    const other = await openCore({
      dataDir: elsewhere.path,
      resources: sourceResources(),
      version: 'test',
      durability: 'os',
    })
    await call(other, 'session.createUser', { name: 'Second', role: 'admin', pin: DEMO_PIN })
    return { other, elsewhere }
  }

  /** A backup file as the screen sends it: base64 pieces under one upload id. */
  async function upload(target: AppContext, bytes: Buffer, pieceBytes = 1000) {
    const id = randomUUID()
    let last: ChannelOutput<'data.backupAdd'> | undefined
    for (let offset = 0; offset === 0 || offset < bytes.length; offset += pieceBytes) {
      const content = bytes.subarray(offset, offset + pieceBytes).toString('base64')
      const end = offset + pieceBytes >= bytes.length
      last = await call(target, 'data.backupAdd', { upload: id, offset, content, last: end })
    }
    return last
  }

  /** A backup file read the way the screen saves a copy: piece by piece. */
  async function download(source: AppContext, file: string) {
    const pieces: Buffer[] = []
    let offset = 0
    for (;;) {
      const piece = await call(source, 'data.backupRead', { file, offset })
      pieces.push(Buffer.from(piece.content, 'base64'))
      offset += pieces.at(-1)?.length ?? 0
      if (offset >= piece.total) return Buffer.concat(pieces)
    }
  }

  it("saves a copy elsewhere and restores another laptop's backup brought as a file", async () => {
    const taken = await call(ctx, 'data.backup', {})
    const copy = await download(ctx, taken.file)
    expect(copy.equals(readFileSync(join(dir.path, 'backups', taken.file)))).toBe(true)

    const { other, elsewhere } = await secondLaptop()
    try {
      const added = await upload(other, copy, 64 * 1024)
      expect(added).toMatchObject({
        added: true,
        file: taken.file,
        createdAt: taken.createdAt,
        already: false,
        appointments: 500,
      })
      // Dated by the backup itself, not by when the copy arrived.
      expect((await call(other, 'data.backups', {})).backups).toEqual([
        { file: taken.file, bytes: copy.length, createdAt: taken.createdAt },
      ])
      expect(await upload(other, copy, 64 * 1024)).toMatchObject({ added: true, already: true })
      expect((await call(other, 'data.backups', {})).backups).toHaveLength(1)

      await call(other, 'data.restore', { file: taken.file })
      // The business as the first laptop had it (users stay each laptop's own).
      const business = `SELECT md5(string_agg(t::text, '|' ORDER BY id)) AS h FROM (
          SELECT id, row_to_json(a)::text AS t FROM appointments a
          UNION ALL SELECT id, row_to_json(c)::text FROM clients c
          UNION ALL SELECT id, row_to_json(s)::text FROM services s) x`
      expect(await rowsOf(other, business)).toEqual(await rowsOf(ctx, business))
      // The laptop's own user stays, with the backup's data.
      const { users } = await call(other, 'session.users', {})
      expect(users.map((u) => u.name)).toContain('Second')
    } finally {
      await other.db.close()
      elsewhere.cleanup()
    }
  })

  it('refuses a file that is not a sound backup, out-of-order pieces, and lists nothing of them', async () => {
    const before = (await call(ctx, 'data.backups', {})).backups
    const taken = await call(ctx, 'data.backup', {})
    const good = readFileSync(join(dir.path, 'backups', taken.file))
    const damaged = Buffer.from(good)
    damaged[damaged.length - 50] = (damaged[damaged.length - 50] ?? 0) ^ 0xff
    const id = randomUUID()
    const whole = damaged.toString('base64')
    const err = await callError(ctx, 'data.backupAdd', {
      upload: id,
      offset: 0,
      content: whole.slice(0, 4 * 1024 * 1024),
      last: true,
    })
    expect(err).toMatchObject({ code: 'VALIDATION' })
    expect(err.message).toMatch(/incomplete or damaged/)
    const text = Buffer.from('name,email\nNot,a@backup.test\n')
    await expect(upload(ctx, text)).rejects.toThrow(/not a Groundskeeper backup/)

    const second = randomUUID()
    const piece = good.subarray(0, 1000).toString('base64')
    await call(ctx, 'data.backupAdd', { upload: second, offset: 0, content: piece, last: false })
    const skipped = await callError(ctx, 'data.backupAdd', {
      upload: second,
      offset: 5000,
      content: piece,
      last: true,
    })
    expect(skipped.message).toMatch(/had 1000 bytes, not 5000: it is dropped/)
    const unknown = await callError(ctx, 'data.backupAdd', {
      upload: randomUUID(),
      offset: 1000,
      content: piece,
      last: true,
    })
    expect(unknown.message).toMatch(/this upload is not under way/)
    expect(
      (
        await callError(ctx, 'data.backupAdd', {
          upload: 'x',
          offset: 0,
          content: '@@',
          last: true,
        })
      ).issues?.map((i) => i.path),
    ).toEqual(['upload', 'content'])
    // Base64 as written, whole: a stray character or a cut end is refused, not read as less.
    for (const content of ['A', 'AAAAA', 'QUJD=']) {
      const bad = await callError(ctx, 'data.backupAdd', {
        upload: id,
        offset: 0,
        content,
        last: true,
      })
      expect(bad.issues).toEqual([{ path: 'content', message: 'must be base64' }])
    }

    const listed = (await call(ctx, 'data.backups', {})).backups.map((b) => b.file)
    expect(listed.sort()).toEqual([...before.map((b) => b.file), taken.file].sort())
    // The upload out of step is dropped with the rest: nothing half-sent is left.
    expect(readdirSync(join(dir.path, 'backups')).filter((f) => f.endsWith('.partial'))).toEqual([])
    await call(ctx, 'data.deleteBackup', { file: taken.file })
    expect((await callError(ctx, 'data.deleteBackup', { file: taken.file })).code).toBe('NOT_FOUND')
    expect((await callError(ctx, 'data.backupRead', { file: taken.file })).code).toBe('NOT_FOUND')
  })

  it('keeps the bytes it checked: a piece sent under the same upload meanwhile changes nothing', async () => {
    const taken = await call(ctx, 'data.backup', {})
    const good = readFileSync(join(dir.path, 'backups', taken.file))
    await call(ctx, 'data.deleteBackup', { file: taken.file })
    const id = randomUUID()
    const half = Math.floor(good.length / 2 / 3) * 3
    const send = (offset: number, bytes: Buffer, last: boolean) =>
      call(ctx, 'data.backupAdd', { upload: id, offset, content: bytes.toString('base64'), last })
    await send(0, good.subarray(0, half), false)
    const results = await Promise.allSettled([
      send(half, good.subarray(half), true),
      send(good.length, Buffer.from('JUNKJUNK'), false),
      send(0, Buffer.from('hello'), false),
    ])
    expect(results[0]?.status).toBe('fulfilled')
    for (const b of (await call(ctx, 'data.backups', {})).backups) {
      if (b.createdAt === taken.createdAt)
        expect(readFileSync(join(dir.path, 'backups', b.file)).equals(good)).toBe(true)
    }
    expect(readFileSync(join(dir.path, 'backups', taken.file)).equals(good)).toBe(true)

    // A damaged file under the backup's own name does not stand in for the good copy.
    writeFileSync(join(dir.path, 'backups', taken.file), good.subarray(0, good.length - 10))
    const again = await upload(ctx, good, 256 * 1024)
    expect(again).toMatchObject({ added: true, already: false })
    expect(again?.added && again.file).toBe(taken.file.replace('.gkbackup', '-2.gkbackup'))
    await call(ctx, 'data.deleteBackup', { file: taken.file })
  })

  it('says what is wrong when the backups folder is a file, and writes nothing', async () => {
    const { other, elsewhere } = await secondLaptop()
    try {
      writeFileSync(join(elsewhere.path, 'backups'), 'not a folder')
      for (const err of [
        await callError(other, 'data.backup', {}),
        await callError(other, 'data.backups', {}),
      ]) {
        expect(err.code).toBe('UNAVAILABLE')
        expect(err.message).toMatch(/a file of that name is there: move it aside/)
      }
      expect(readFileSync(join(elsewhere.path, 'backups'), 'utf8')).toBe('not a folder')
    } finally {
      await other.db.close()
      elsewhere.cleanup()
    }
  })

  it('only lets an admin back up, restore, put back and import', async () => {
    const { users } = await call(ctx, 'session.users', {})
    await call(ctx, 'session.switch', {
      userId: users.find((u) => u.role === 'office_manager')?.id ?? '',
      pin: DEMO_PIN,
    })
    expect((await callError(ctx, 'data.backup', {})).code).toBe('FORBIDDEN')
    for (const [channel, input] of [
      ['data.backupRead', { file: 'x.gkbackup' }],
      ['data.deleteBackup', { file: 'x.gkbackup' }],
      ['data.putBack', { name: 'pgdata.before-restore-2020-01-01T00-00-00-000Z' }],
      ['data.replaced', {}],
      ['data.backupAdd', { upload: randomUUID(), offset: 0, content: '', last: false }],
    ] as const) {
      expect((await callError(ctx, channel, input)).code).toBe('FORBIDDEN')
    }
    expect((await callError(ctx, 'data.import', { kind: 'clients', csv: 'name\nX\n' })).code).toBe(
      'FORBIDDEN',
    )
    expect((await call(ctx, 'data.export', { kind: 'products' })).rows).toBe(16)
    await call(ctx, 'session.switch', {
      userId: users.find((u) => u.role === 'admin')?.id ?? '',
      pin: DEMO_PIN,
    })
  })
})

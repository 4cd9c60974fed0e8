import { describe, expect, it } from 'vitest'
import { isPersonalKey, REDACTED, redact, redactLogArgs, redactText } from './log-redact'

const home = '/home/ann.lee'
const text = (s: string) => redactText(s, { home })

describe('log redaction: text', () => {
  it('masks emails, phone numbers and tokens', () => {
    expect(text('sent to ann.lee+work@example.co.uk')).toBe('sent to [email]')
    expect(text('SMS to +1 (555) 123-4567 failed')).toBe('SMS to [phone] failed')
    expect(text('call 555.123.4567 or 0207 946 0958')).toBe('call [phone] or [phone]')
    expect(text('to 5551234567')).toBe('to [phone]')
    expect(text('Authorization: Bearer abc.DEF-123_x')).toBe(`Authorization: Bearer ${REDACTED}`)
    const token = 'q3Vx9kLmP0aZ7yTbN2cR8dWfE5gH1jUo4sIw6eQ'
    expect(text(`device key ${token} refused`)).toBe('device key [secret] refused')
  })

  it("masks a URL's password and query, keeping where it points", () => {
    expect(text('postgres://admin:hunter2@db.local:5432/gk')).toBe(
      `postgres://${REDACTED}@db.local:5432/gk`,
    )
    expect(text('GET https://sync.example.com/v1/pull?cursor=9&token=abc failed')).toBe(
      `GET https://sync.example.com/v1/pull?${REDACTED} failed`,
    )
  })

  it('masks the values a database error quotes', () => {
    expect(
      text('Failed query: insert into "clients" values ($1, $2)\nparams: Ann Lee,4 Elm St'),
    ).toBe(`Failed query: insert into "${REDACTED}" values ($1, $2)\nparams: ${REDACTED}`)
    expect(text('Key (name)=(Ann Lee) already exists.')).toBe(
      `Key (name)=(${REDACTED}) already exists.`,
    )
    expect(text('invalid input syntax for type uuid: "Ann Lee"')).toBe(
      `invalid input syntax for type uuid: "${REDACTED}"`,
    )
  })

  it("replaces the user's home folder (their account name) with ~", () => {
    expect(text('at open (/home/ann.lee/.config/Groundskeeper/data/pg.js:3:9)')).toBe(
      'at open (~/.config/Groundskeeper/data/pg.js:3:9)',
    )
  })

  it('keeps what is not personal: dates, times, ids, counts, addresses of servers', () => {
    const kept = [
      'round at 2025-06-01 10:30:00 took 1234 ms',
      'appointment 0190a5b2-7c3e-7abc-8def-0123456789ab moved',
      'server http://192.168.1.20:8080/v1 unreachable',
      'pushed 120 of 4500 mutations (version 0.1.0)',
      'electron 45.5.0 on linux x64',
    ]
    for (const line of kept) expect(text(line)).toBe(line)
  })

  it('cuts very long text', () => {
    const long = 'x '.repeat(5_000)
    expect(text(long).length).toBeLessThan(2_100)
    expect(text(long)).toMatch(/… \(10000 chars\)$/)
  })
})

describe('log redaction: values', () => {
  it('replaces personal and secret keys whatever they hold, at any depth', () => {
    expect(
      redact(
        {
          channel: 'clients.create',
          count: 3,
          client: { id: 'c1', name: 'Ann Lee', email: 'x', phone: 5551234, notes: ['gate'] },
          clientName: 'Ann',
          to_phone: '+15551234567',
          authToken: 'abc',
          pin: '2468',
          address: { street: '4 Elm' },
          coordinates: { latitude: 41.9, longitude: -87.6 },
        },
        { home },
      ),
    ).toEqual({
      channel: 'clients.create',
      count: 3,
      client: { id: 'c1', name: REDACTED, email: REDACTED, phone: REDACTED, notes: REDACTED },
      clientName: REDACTED,
      to_phone: REDACTED,
      authToken: REDACTED,
      pin: REDACTED,
      address: REDACTED,
      coordinates: { latitude: REDACTED, longitude: REDACTED },
    })
  })

  it("reduces an error to its type, code, cleaned message and first frames, never a driver's detail", () => {
    const e = Object.assign(new Error('duplicate key for "ann@example.com"'), {
      code: '23505',
      detail: 'Key (email)=(ann@example.com) already exists.',
      params: ['Ann Lee'],
      query: 'insert into clients ...',
    })
    e.stack = `Error: duplicate key\n    at insert (${home}/gk/out/main/index.js:10:5)\n    at a (x.js:1:1)\n    at b (x.js:2:2)\n    at c (x.js:3:3)`
    const summary = redact({ error: e }, { home }) as { error: Record<string, unknown> }
    expect(summary.error).toEqual({
      error: 'Error',
      code: '23505',
      message: `duplicate key for "${REDACTED}"`,
      at: ['at insert (~/gk/out/main/index.js:10:5)', 'at a (x.js:1:1)', 'at b (x.js:2:2)'],
    })
    expect(JSON.stringify(summary)).not.toMatch(/Ann|ann@|insert into/)
  })

  it('follows causes, and survives cycles, depth and long arrays', () => {
    const cause = new Error('SMS to 555-123-4567 refused')
    const e = new Error('send failed', { cause })
    const summary = redact(e, { home }) as { cause: { message: string } }
    expect(summary.cause.message).toBe('SMS to [phone] refused')
    const loop: Record<string, unknown> = { id: 1 }
    loop.self = loop
    expect(redact(loop)).toEqual({ id: 1, self: '[circular]' })
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } }
    expect(JSON.stringify(redact(deep))).toContain('[…]')
    const many = redact(Array.from({ length: 80 }, (_, i) => i)) as unknown[]
    expect(many).toHaveLength(51)
    expect(many.at(-1)).toBe('… 30 more')
  })

  it('cleans every argument of a log call', () => {
    expect(redactLogArgs(['mail to ann@example.com', { email: 'a' }, 42], { home })).toEqual([
      'mail to [email]',
      { email: REDACTED },
      42,
    ])
  })

  it('names personal keys by their last word, in any case or separator', () => {
    for (const key of ['name', 'clientName', 'client_name', 'TO-PHONE', 'pinHash', 'apiKey'])
      expect(isPersonalKey(key), key).toBe(true)
    for (const key of ['id', 'channel', 'code', 'error', 'count', 'status', 'phase', 'tables'])
      expect(isPersonalKey(key), key).toBe(false)
  })
})

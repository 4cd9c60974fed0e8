import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../main/core/context'
import { DEMO_PIN } from '../main/core/seed/demo-pin'
import { memoryCore, tempDir } from '../main/core/test/helpers'
import { newBridgeToken } from './guard'
import { createBridge, listen } from './server'

let ctx: AppContext
let server: Server
let base: string
const root = tempDir('gk-bridge-events-')
const token = newBridgeToken()
const auth = { authorization: `Bearer ${token}` }

beforeAll(async () => {
  ctx = await memoryCore()
  server = createBridge(ctx, root.path, token)
  base = `http://127.0.0.1:${await listen(server, 0)}`
})
afterAll(async () => {
  server.closeAllConnections()
  server.close()
  await ctx.db.close()
  root.cleanup()
})

/** Reads an event stream until `done` says the text so far is enough. */
async function readUntil(body: ReadableStream<Uint8Array>, done: (text: string) => boolean) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let text = ''
  while (!done(text)) {
    const { value, done: ended } = await reader.read()
    if (ended) break
    text += value
  }
  await reader.cancel()
  return text
}

const rpc = (channel: string, input: unknown) =>
  fetch(`${base}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ channel, input }),
  }).then((r) => r.json() as Promise<{ ok: boolean }>)

describe('GET /events', () => {
  it('streams a changed notice for each write, and lets go when the page leaves', async () => {
    // The core's own listeners (the notifier) are there before any page.
    const own = ctx.changes.size
    const abort = new AbortController()
    const res = await fetch(`${base}/events`, { signal: abort.signal, headers: auth })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const body = res.body
    if (!body) throw new Error('no body')
    await expect.poll(() => ctx.changes.size).toBe(own + 1)

    const created = await rpc('session.createUser', {
      name: 'Ada Admin',
      role: 'admin',
      pin: DEMO_PIN,
    })
    expect(created.ok).toBe(true)
    expect((await rpc('clients.list', {})).ok).toBe(true)
    expect((await rpc('clients.create', { name: 'Smith family' })).ok).toBe(true)
    const text = await readUntil(body, (t) => t.includes('"clients"'))
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('event: changed'))
      .map((block) => JSON.parse(block.split('data: ')[1] ?? 'null'))
    expect(events).toEqual([{ tables: ['users'] }, { tables: ['clients'] }])

    abort.abort()
    await expect.poll(() => ctx.changes.size).toBe(own)
  })

  it('asks for the bridge token like /rpc, and is read-only', async () => {
    expect((await fetch(`${base}/events`)).status).toBe(401)
    const res = await fetch(`${base}/events`, { method: 'POST', body: '{}', headers: auth })
    expect(res.status).toBe(405)
  })
})

import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { request, type Server } from 'node:http'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../main/core/context'
import { memoryCore, tempDir } from '../main/core/test/helpers'
import { newBridgeToken, TOKEN_META, tokenCookie } from './guard'
import { createBridge, listen, MAX_BODY_BYTES } from './server'

let ctx: AppContext
let server: Server
let port: number
let base: string
const token = newBridgeToken()
const root = tempDir('gk-bridge-')
const auth = { authorization: `Bearer ${token}` }

beforeAll(async () => {
  ctx = await memoryCore()
  mkdirSync(join(root.path, 'assets'))
  writeFileSync(
    join(root.path, 'index.html'),
    '<!doctype html><html><head><title>Groundskeeper</title></head></html>',
  )
  writeFileSync(join(root.path, 'assets', 'app.js'), 'console.log(1)')
  server = createBridge(ctx, root.path, token)
  port = await listen(server, 0)
  base = `http://127.0.0.1:${port}`
})
afterAll(async () => {
  server.closeAllConnections()
  server.close()
  await ctx.db.close()
  root.cleanup()
})

const rpc = (body: string, headers: Record<string, string> = auth) =>
  fetch(`${base}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
const SESSION = JSON.stringify({ channel: 'session.get', input: {} })

/** A request with full control of the headers (fetch will not set Host) and of the raw path. */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          text += c
          // An event stream never ends: its first bytes are enough.
          if (res.headers['content-type']?.startsWith('text/event-stream')) res.destroy()
        })
        res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

describe('the browser bridge', () => {
  it('listens on loopback only', () => {
    const address = server.address()
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1')
  })

  it('answers POST /rpc with the same result envelope as IPC', async () => {
    const res = await rpc(SESSION)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, data: { user: null } })
    const bad = await rpc(JSON.stringify({ channel: 'clients.get', input: { id: 'x' } }))
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it.each([
    ['not JSON', '{nope', 400],
    ['an array', '[1,2]', 400],
    ['a string', '"hello"', 400],
  ])('refuses a body that is %s', async (_, body, status) => {
    const res = await rpc(body)
    expect(res.status).toBe(status)
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('refuses a body that is not UTF-8, and text with a character cut in two', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"channel":"clients.create","input":{"name":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ])
    const res = await fetch(`${base}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: bytes,
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'request body is not UTF-8 text' },
    })
    const broken = await rpc('{"channel":"clients.create","input":{"name":"a\\ud800b"}}')
    expect(await broken.json()).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        issues: [{ path: 'name', message: 'has a broken character (half of a pair)' }],
      },
    })
  })

  it('refuses an oversized body with 413', async () => {
    const res = await rpc(
      JSON.stringify({ channel: 'clients.list', input: { search: 'x'.repeat(MAX_BODY_BYTES) } }),
    )
    expect(res.status).toBe(413)
  })

  it('only accepts POST on /rpc and GET elsewhere', async () => {
    expect((await fetch(`${base}/rpc`, { headers: auth })).status).toBe(405)
    expect((await fetch(`${base}/`, { method: 'DELETE' })).status).toBe(405)
  })

  it('serves the renderer, falls back to the shell for app routes, and never leaves its folder', async () => {
    const index = await fetch(`${base}/`)
    expect(index.headers.get('content-type')).toContain('text/html')
    expect(await index.text()).toContain('Groundskeeper')
    expect((await fetch(`${base}/assets/app.js`)).headers.get('content-type')).toContain(
      'javascript',
    )
    expect(await (await fetch(`${base}/calendar/week`)).text()).toContain('Groundskeeper')
    const outside = `${basename(root.path)}-secret.txt`
    writeFileSync(join(root.path, '..', outside), 'not for the browser')
    const escapes = [
      '/../package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/../../x',
      `/..%2F${outside}`,
      `/assets/..%2F..%2F${outside}`,
      `/..%5C${outside}`,
    ]
    for (const path of escapes) {
      const res = await fetch(`${base}${path}`)
      const text = await res.text()
      expect(text, path).not.toContain('"name"')
      expect(text, path).not.toContain('not for the browser')
    }
    rmSync(join(root.path, '..', outside))
  })
})

describe('the bridge against other pages and programs', () => {
  it('asks for the secret on /rpc: the header only, never the cookie', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${newBridgeToken()}` },
      { authorization: token },
      { cookie: `${tokenCookie(port)}=${token}` },
    ]
    for (const headers of attempts) {
      const res = await rpc(SESSION, headers)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
  })

  it('hands the secret to the page it serves, never cached', async () => {
    for (const path of ['/', '/index.html', '/calendar/week']) {
      const page = await fetch(`${base}${path}`)
      expect(await page.text()).toContain(`<meta name="${TOKEN_META}" content="${token}" />`)
      expect(page.headers.get('cache-control')).toBe('no-store')
      expect(page.headers.get('set-cookie')).toBe(
        `${tokenCookie(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`,
      )
    }
    expect(await (await fetch(`${base}/assets/app.js`)).text()).not.toContain(token)
  })

  it('streams /events with the header or the page cookie, and nothing without', async () => {
    const cookie = `${tokenCookie(port)}=${token}`
    for (const headers of [auth, { cookie }, { cookie: `other=1; ${cookie}` }]) {
      const res = await raw('/events', { headers })
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
    }
    const refused: Record<string, string>[] = [
      {},
      { cookie: `${tokenCookie(port)}=${newBridgeToken()}` },
      { cookie: `${tokenCookie(port + 1)}=${token}` },
      // The cookie is sent by pages on other ports of 127.0.0.1 too (same site).
      { cookie, 'sec-fetch-site': 'same-site' },
    ]
    for (const headers of refused) {
      expect((await raw('/events', { headers })).status).toBe(401)
    }
  })

  it('serves only loopback names on its own port (no DNS rebinding)', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await raw('/', { headers: { host } })).status).toBe(200)
    }
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      '127.0.0.1',
    ]) {
      expect((await raw('/', { headers: { host } })).status).toBe(403)
      const call = await raw('/rpc', {
        method: 'POST',
        headers: { host, ...auth, 'content-type': 'application/json' },
        body: SESSION,
      })
      expect(call.status).toBe(403)
    }
  })

  it('refuses requests from another origin, even with the secret', async () => {
    for (const origin of ['https://evil.example', `http://127.0.0.1:${port + 1}`, 'null']) {
      const res = await rpc(SESSION, { ...auth, origin })
      expect(res.status).toBe(403)
      expect((await raw('/', { headers: { origin } })).status).toBe(403)
    }
    expect((await rpc(SESSION, { ...auth, origin: base })).status).toBe(200)
  })

  it('refuses a body that is not JSON with 415, whatever it holds', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      const res = await raw('/rpc', {
        method: 'POST',
        headers: { ...auth, ...(type ? { 'content-type': type } : {}) },
        body: SESSION,
      })
      expect(res.status).toBe(415)
      expect(JSON.parse(res.text)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    }
    expect(
      (await rpc(SESSION, { ...auth, 'content-type': 'application/json; charset=utf-8' })).status,
    ).toBe(200)
  })

  it('answers a malformed URL with 400 and keeps serving', async () => {
    for (const path of ['/%', '/%zz', '/rpc%', '/assets/%E0%A4%A']) {
      expect((await raw(path)).status).toBe(400)
    }
    expect((await rpc(SESSION)).status).toBe(200)
  })
})

import { mkdirSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../main/core/context'
import { memoryCore, tempDir } from '../main/core/test/helpers'
import { createBridge, listen, MAX_BODY_BYTES } from './server'

let ctx: AppContext
let server: Server
let base: string
const root = tempDir('gk-bridge-')

beforeAll(async () => {
  ctx = await memoryCore()
  mkdirSync(join(root.path, 'assets'))
  writeFileSync(join(root.path, 'index.html'), '<!doctype html><title>Groundskeeper</title>')
  writeFileSync(join(root.path, 'assets', 'app.js'), 'console.log(1)')
  server = createBridge(ctx, root.path)
  base = `http://127.0.0.1:${await listen(server, 0)}`
})
afterAll(async () => {
  server.close()
  await ctx.db.close()
  root.cleanup()
})

const rpc = (body: string) =>
  fetch(`${base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })

describe('the browser bridge', () => {
  it('listens on loopback only', () => {
    const address = server.address()
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1')
  })

  it('answers POST /rpc with the same result envelope as IPC', async () => {
    const res = await rpc(JSON.stringify({ channel: 'session.get', input: {} }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, data: { user: null, setupRequired: true } })
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

  it('refuses an oversized body with 413', async () => {
    const res = await rpc(
      JSON.stringify({ channel: 'clients.list', input: { search: 'x'.repeat(MAX_BODY_BYTES) } }),
    )
    expect(res.status).toBe(413)
  })

  it('only accepts POST on /rpc and GET elsewhere', async () => {
    expect((await fetch(`${base}/rpc`)).status).toBe(405)
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
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x']) {
      const res = await fetch(`${base}${path}`)
      expect(await res.text()).not.toContain('"name"')
    }
  })
})

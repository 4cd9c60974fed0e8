import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../context'
import { normalizeServerUrl } from '../sync/http'
import { call, callError, memoryCore } from '../test/helpers'

/** Connecting never sends the device token in clear to another machine unless told to. */
describe('sync.configure and plain http://', () => {
  let ctx: AppContext
  beforeAll(async () => {
    ctx = await memoryCore()
  })
  afterAll(() => ctx.db.close())
  const token = `gk_${'a'.repeat(43)}`

  it('refuses a non-loopback http:// address before contacting it, and stays disconnected', async () => {
    const error = await callError(ctx, 'sync.configure', {
      serverUrl: 'http://192.0.2.10:8787',
      token,
    })
    expect(error).toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'serverUrl', message: expect.stringMatching(/must start with https:\/\//) }],
    })
    expect((await call(ctx, 'sync.status', {})).phase).toBe('off')
  })

  it('tries the server when insecure connections are allowed, or the address is this computer', async () => {
    // Nothing listens on port 1: the check let the call through to the network.
    for (const input of [
      { serverUrl: 'http://0.0.0.0:1', token, allowInsecure: true },
      { serverUrl: 'http://127.0.0.1:1', token },
    ]) {
      expect(await callError(ctx, 'sync.configure', input)).toMatchObject({ code: 'UNAVAILABLE' })
    }
  })

  it("takes an address copied with the routes' /v1 as the server's own", () => {
    expect(normalizeServerUrl('https://sync.example.com/v1/')).toBe('https://sync.example.com')
    expect(normalizeServerUrl('https://example.com/gk/v1')).toBe('https://example.com/gk')
    expect(normalizeServerUrl('https://sync.example.com/')).toBe('https://sync.example.com')
  })
})

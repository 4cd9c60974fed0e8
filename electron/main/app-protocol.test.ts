import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ORIGIN, appBase, devServerUrl, resolveAppFile } from './app-protocol'

const ROOT = join('/opt', 'Groundskeeper', 'resources', 'app.asar', 'out', 'renderer')

describe('the app:// scheme', () => {
  it('serves the built renderer, index.html at the root', () => {
    expect(resolveAppFile(`${APP_ORIGIN}/`, ROOT)).toEqual({
      ok: true,
      file: join(ROOT, 'index.html'),
      type: 'text/html; charset=utf-8',
    })
    expect(resolveAppFile(`${APP_ORIGIN}/assets/index-1.js?v=2#x`, ROOT)).toMatchObject({
      ok: true,
      file: join(ROOT, 'assets', 'index-1.js'),
      type: 'text/javascript; charset=utf-8',
    })
    expect(resolveAppFile(`${APP_ORIGIN}/assets/a%20b.css`, ROOT)).toMatchObject({
      file: join(ROOT, 'assets', 'a b.css'),
    })
    expect(resolveAppFile(`${APP_ORIGIN}/`, `${ROOT}/`)).toMatchObject({ ok: true })
  })

  it.each([
    '/../package.json',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/..%2f..%2f..%2fmain/index.js',
    '/assets/%2e%2e%5c%2e%2e%5cx',
    '/..%5c..%5cwindows',
    '/index.html%00.png',
    '/%2fetc%2fpasswd',
  ])('never leaves the renderer folder: %s', (path) => {
    const found = resolveAppFile(`${APP_ORIGIN}${path}`, ROOT)
    if (found.ok) expect(found.file.startsWith(`${ROOT}/`)).toBe(true)
    else expect(found.status).toBe(404)
  })

  it('refuses other hosts and schemes, writes, and malformed paths', () => {
    expect(resolveAppFile('app://elsewhere/index.html', ROOT)).toEqual({ ok: false, status: 404 })
    expect(resolveAppFile('file:///etc/passwd', ROOT)).toEqual({ ok: false, status: 404 })
    expect(resolveAppFile(`${APP_ORIGIN}/`, ROOT, 'POST')).toEqual({ ok: false, status: 400 })
    expect(resolveAppFile(`${APP_ORIGIN}/%`, ROOT)).toEqual({ ok: false, status: 400 })
    expect(resolveAppFile('not a url', ROOT)).toEqual({ ok: false, status: 400 })
  })
})

describe('where the pages come from', () => {
  const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }
  it('honours ELECTRON_RENDERER_URL only in an unpackaged app', () => {
    expect(devServerUrl(env, false)).toBe('http://localhost:5173/')
    expect(devServerUrl(env, true)).toBeUndefined()
    expect(devServerUrl({}, false)).toBeUndefined()
    expect(appBase(devServerUrl(env, true))).toBe(`${APP_ORIGIN}/`)
  })
})

import { describe, expect, it } from 'vitest'
import { isAppUrl, refuseCaller } from './ipc-guard'

const BUILT = 'file:///opt/Groundskeeper/resources/app.asar/out/renderer/'
const DEV = 'http://localhost:5173/'

describe('isAppUrl', () => {
  it('accepts the built renderer and the dev server only', () => {
    expect(isAppUrl(`${BUILT}index.html#/calendar`, BUILT)).toBe(true)
    expect(isAppUrl('file:///etc/passwd', BUILT)).toBe(false)
    expect(
      isAppUrl('file:///opt/Groundskeeper/resources/app.asar/out/renderer-evil/x.html', BUILT),
    ).toBe(false)
    expect(isAppUrl('http://localhost:5173/calendar', DEV)).toBe(true)
    expect(isAppUrl('http://localhost:5173.evil.example/', DEV)).toBe(false)
    expect(isAppUrl('https://example.com/', DEV)).toBe(false)
    expect(isAppUrl('not a url', DEV)).toBe(false)
  })
})

describe('refuseCaller', () => {
  const ok = { fromAppWindow: true, fromMainFrame: true, frameUrl: `${BUILT}index.html` }
  it('lets the app page call', () => {
    expect(refuseCaller(ok, BUILT)).toBeNull()
  })
  it.each([
    [{ ...ok, fromAppWindow: false }],
    [{ ...ok, fromMainFrame: false }],
    [{ ...ok, frameUrl: 'https://evil.example/' }],
  ])('refuses %j', (caller) => {
    expect(refuseCaller(caller, BUILT)).not.toBeNull()
  })
})

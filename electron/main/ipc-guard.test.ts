import { describe, expect, it } from 'vitest'
import { APP_ORIGIN } from './app-protocol'
import { callerFacts, isAppUrl, permissionAllowed, refuseCaller } from './ipc-guard'

const BUILT = `${APP_ORIGIN}/`
const DEV = 'http://localhost:5173/'

describe('isAppUrl', () => {
  it('accepts the app scheme and, unpackaged, the dev server only', () => {
    expect(isAppUrl(`${BUILT}index.html#/calendar`, BUILT)).toBe(true)
    expect(isAppUrl('app://groundskeeper/assets/x.js', BUILT)).toBe(true)
    for (const url of [
      'file:///opt/Groundskeeper/resources/app.asar/out/renderer/index.html',
      'file:///etc/passwd',
      'app://groundskeeper.evil/index.html',
      'app://evil/index.html',
      'app://groundskeeper@evil/index.html',
      'app://x@groundskeeper/index.html',
      'https://groundskeeper/',
      'http://localhost:5173/',
    ]) {
      expect(isAppUrl(url, BUILT), url).toBe(false)
    }
    expect(isAppUrl('http://localhost:5173/calendar', DEV)).toBe(true)
    expect(isAppUrl('http://localhost:5173.evil.example/', DEV)).toBe(false)
    expect(isAppUrl('http://localhost:5174/', DEV)).toBe(false)
    expect(isAppUrl(`${BUILT}index.html`, DEV)).toBe(false)
    expect(isAppUrl('https://example.com/', DEV)).toBe(false)
    expect(isAppUrl('not a url', DEV)).toBe(false)
  })

  it('never takes file:// as the app, even as a base', () => {
    const base = 'file:///opt/Groundskeeper/out/renderer/'
    expect(isAppUrl(`${base}index.html`, base)).toBe(false)
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
    [{ ...ok, frameUrl: 'file:///opt/Groundskeeper/out/renderer/index.html' }],
  ])('refuses %j', (caller) => {
    expect(refuseCaller(caller, BUILT)).not.toBeNull()
  })
})

describe('callerFacts', () => {
  const mainFrame = { url: `${BUILT}index.html` }
  const win = { webContents: { mainFrame } }
  it("reads an event from the app window's main frame as the app page", () => {
    const facts = callerFacts({ sender: win.webContents, senderFrame: mainFrame }, win)
    expect(facts).toEqual({ fromAppWindow: true, fromMainFrame: true, frameUrl: mainFrame.url })
    expect(refuseCaller(facts, BUILT)).toBeNull()
  })
  it('tells another sender, a sub-frame and a missing window apart', () => {
    const frame = { url: `${BUILT}index.html` }
    expect(callerFacts({ sender: {}, senderFrame: mainFrame }, win).fromAppWindow).toBe(false)
    expect(callerFacts({ sender: win.webContents, senderFrame: frame }, win).fromMainFrame).toBe(
      false,
    )
    const none = callerFacts({ sender: win.webContents, senderFrame: null }, undefined)
    expect(none).toEqual({ fromAppWindow: false, fromMainFrame: false, frameUrl: '' })
  })
})

describe('permissionAllowed', () => {
  it("grants notifications to the app's own pages only, and nothing else to anyone", () => {
    expect(permissionAllowed('notifications', `${BUILT}index.html#/today`, BUILT)).toBe(true)
    expect(permissionAllowed('notifications', 'https://evil.example/', BUILT)).toBe(false)
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal'])
      expect(permissionAllowed(p, `${BUILT}index.html`, BUILT)).toBe(false)
  })
})

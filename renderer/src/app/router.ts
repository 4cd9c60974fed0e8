import { useMemo, useSyncExternalStore } from 'react'

/**
 * A small hash router: `#/appointments?status=scheduled&offset=20`. The hash works the
 * same under file:// (the desktop app) and http:// (the bridge), and keeping screen
 * state in it makes every view reloadable and shareable.
 */
export interface Route {
  path: string
  params: URLSearchParams
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/'
  const [path = '/', query = ''] = raw.split('?')
  return { path, params: new URLSearchParams(query) }
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/**
 * The current route. The same hash gives the same object: screens key their data on
 * `params`, and a fresh object each render would ask for the data again each render.
 */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash)
  return useMemo(() => parse(hash), [hash])
}

export function href(path: string, params?: URLSearchParams | Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : ''
  return `#${path}${query ? `?${query}` : ''}`
}

export function navigate(path: string, params?: URLSearchParams | Record<string, string>) {
  leave(() => {
    window.location.hash = href(path, params)
  })
}

/**
 * A screen with unsaved work asks before it is left: while a guard is set, following an
 * in-app link or `navigate` calls it with the way out (`go`), to call once the person
 * agrees (or never). Several forms on one screen may each hold one: the latest asks.
 * The back button is not held: it is the browser's own.
 */
export type LeaveGuard = (go: () => void) => void
const guards: LeaveGuard[] = []

/** Holds leaving with `guard` until the returned release is called. */
export function guardLeaving(guard: LeaveGuard): () => void {
  guards.push(guard)
  return () => {
    const at = guards.lastIndexOf(guard)
    if (at >= 0) guards.splice(at, 1)
  }
}

function leave(go: () => void) {
  const guard = guards.at(-1)
  if (guard) guard(go)
  else go()
}

// Links are followed by the browser: a click on one is held here, before it happens.
if (typeof document !== 'undefined')
  document.addEventListener(
    'click',
    (e) => {
      if (!guards.length || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey) return
      const link = (e.target as Element | null)?.closest?.('a[href^="#"]')
      const to = link?.getAttribute('href')
      if (!to || to === window.location.hash) return
      e.preventDefault()
      leave(() => {
        window.location.hash = to
      })
    },
    true,
  )

/**
 * A list's filters in the route's query: `patch` sets the given ones (an empty value
 * removes it); any change but paging starts again at the first page.
 */
export function patchParams(
  params: URLSearchParams,
  patch: Record<string, string>,
  keepOffset = false,
) {
  const next = new URLSearchParams(params)
  for (const [k, v] of Object.entries(patch)) {
    if (v) next.set(k, v)
    else next.delete(k)
  }
  if (!keepOffset) next.delete('offset')
  replaceParams(next)
}

/** Replaces the query of the current route (no new history entry for each keystroke). */
export function replaceParams(params: URLSearchParams) {
  const { path } = parse(window.location.hash)
  const next = href(path, params)
  if (next !== window.location.hash) {
    window.history.replaceState(null, '', next)
    window.dispatchEvent(new HashChangeEvent('hashchange'))
  }
}

import type { FastifyInstance } from 'fastify'

/**
 * The methods each registered path answers, so that a wrong method on a real path is
 * told apart from a path that does not exist: 405 with `Allow`, as HTTP (and the
 * original's framework) has it, rather than 404. Fastify sends both to its not-found
 * handler; this is what the handlers ask.
 */
export class KnownRoutes {
  private readonly routes: { pattern: RegExp; method: string }[] = []

  add(url: string, method: string | readonly string[]): void {
    const path = url.replace(/\/+$/, '') || '/'
    const body = path
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')
    const pattern = new RegExp(`^${body}/?$`)
    for (const m of [method].flat()) this.routes.push({ pattern, method: m.toUpperCase() })
  }

  /** The methods `path` answers (none: there is no such path). */
  allowed(path: string): string[] {
    const bare = path.split('?')[0] ?? path
    return [...new Set(this.routes.filter((r) => r.pattern.test(bare)).map((r) => r.method))]
  }
}

/** Collects every route `app` (and what it registers) defines from here on. */
export function knownRoutes(app: FastifyInstance): KnownRoutes {
  const known = new KnownRoutes()
  app.addHook('onRoute', (route) => known.add(route.url, route.method))
  return known
}

import type { FastifyRequest } from 'fastify'

/**
 * DRF's LimitOffsetPagination links: absolute, keeping every other query parameter as
 * the caller sent it (a repeated `status` stays repeated), with `limit` set to the limit
 * in force (a limit above 100 shows as 100). `next` is null on the last page; `previous`
 * is null on the first, and leaves `offset` out when it would be 0. The links start with
 * the server's public address when it has one (`--public-url`); otherwise, as DRF's
 * `build_absolute_uri`, with the scheme and host the request came with.
 */
export function pageLinks(
  req: FastifyRequest,
  page: { count: number; limit: number; offset: number },
  publicUrl?: string,
): { next: string | null; previous: string | null } {
  const link = (offset: number) => {
    const url = publicUrl
      ? new URL(`${publicUrl.replace(/\/+$/, '')}${req.url}`)
      : new URL(req.url, `${req.protocol}://${req.host || 'localhost'}`)
    url.searchParams.set('limit', String(page.limit))
    if (offset > 0) url.searchParams.set('offset', String(offset))
    else url.searchParams.delete('offset')
    return url.toString()
  }
  const { count, limit, offset } = page
  return {
    next: offset + limit < count ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
  }
}

import { detailBody, fieldErrorBody } from './schemas'

/** Error responses as the OpenAPI document lists them (and the serializer checks them). */
const ERROR_BODIES = {
  400: fieldErrorBody.or(detailBody),
  401: detailBody,
  403: detailBody,
  404: detailBody,
  409: detailBody,
  429: detailBody,
  503: detailBody,
} as const
type ErrorStatus = keyof typeof ERROR_BODIES

export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(statuses.map((s) => [s, ERROR_BODIES[s]])) as {
    [K in S]: (typeof ERROR_BODIES)[K]
  }
}

/**
 * DRF's URLs end with a slash; clients also call them without it. Both are served, and
 * the OpenAPI document lists the original's (the other is hidden from it).
 */
export function withAlias(url: string, define: (url: string, hide: boolean) => void) {
  define(url, false)
  define(url.replace(/\/$/, ''), true)
}

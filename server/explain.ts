import type { z } from 'zod'
import { PROTOCOL_VERSION } from '../shared/sync/protocol'

/** The first problem of a refused body, by path (never the values). */
export const explain = (error: z.ZodError, body: unknown) => {
  const issue = error.issues[0]
  // A version number that is not this server's: releases apart. None, or not a number:
  // not a request of the sync protocol at all.
  if (issue?.path[0] === 'protocol')
    return typeof (body as { protocol?: unknown } | null)?.protocol === 'number'
      ? `unsupported protocol version (this server speaks ${PROTOCOL_VERSION}): the laptop's app and the server must be of the same release, so update the older one`
      : `invalid request: protocol must be the number of the version this server speaks (${PROTOCOL_VERSION})`
  // An id is picked from a list on the screens; here it is a value the caller sends.
  const message =
    issue?.code === 'invalid_format' && issue.format === 'uuid' ? 'must be a UUID' : issue?.message
  return `invalid request${issue ? `: ${issue.path.join('.') || 'body'} ${message}` : ''}`
}

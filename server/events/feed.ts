import type { FastifyInstance, FastifyReply } from 'fastify'
import type pg from 'pg'
import { z } from 'zod'
import { readEvents } from './outbox'

/**
 * `GET /v1/events?after=CURSOR&limit=N`: the outbox, in order, for integrations to catch
 * up from wherever they stopped (admin devices only). `cursor` in the answer is what to
 * pass as `after` next; it is the last event's sequence number, which grows in commit
 * order, so paging never skips an event that commits late. It stays where it was when
 * there is nothing new.
 */
export const MAX_FEED_EVENTS = 1000

export const feedQuery = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,18}$/, 'must be a cursor from an earlier answer (digits)')
    .default('0'),
  limit: z.coerce.number().int().min(1).max(MAX_FEED_EVENTS).default(100),
})

const refuse = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).send({ ok: false, error: { code, message } })

/** Registers the feed on the `/v1` scope, whose hook has authenticated the device. */
export function registerEventFeed(v1: FastifyInstance, pool: pg.Pool): void {
  v1.get('/events', async (req, reply) => {
    if (req.device?.role !== 'admin')
      return refuse(reply, 403, 'FORBIDDEN', 'an admin device is required')
    const query = feedQuery.safeParse(req.query)
    if (!query.success) {
      const issue = query.error.issues[0]
      return refuse(
        reply,
        400,
        'VALIDATION',
        `invalid request: ${issue?.path.join('.') || 'query'} ${issue?.message ?? ''}`.trim(),
      )
    }
    const { after, limit } = query.data
    // One more than asked, to tell whether more wait.
    const rows = await readEvents(pool, after, limit + 1)
    const page = rows.slice(0, limit)
    return {
      ok: true,
      data: {
        events: page.map((r) => r.envelope),
        cursor: page.at(-1)?.seq ?? after,
        more: rows.length > limit,
      },
    }
  })
}

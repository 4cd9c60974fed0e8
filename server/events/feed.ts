import type { FastifyInstance, FastifyReply } from 'fastify'
import type pg from 'pg'
import { z } from 'zod'
import { readEvents } from './outbox'

/**
 * `GET /v1/events?after=CURSOR&limit=N`: the outbox, in order, for integrations to catch
 * up from wherever they stopped (admin devices only). `cursor` in the answer is what to
 * pass as `after` next; it is the last event's sequence number, which grows in commit
 * order, so paging never skips an event that commits late. It stays where it was when
 * there is nothing new. Each answer names the database's `epoch`; a cursor past every
 * number handed out (the database was restored from an older backup) is answered with
 * `restarted` and cursor 0: the integration reads again from the start, events being
 * recognised by their ids.
 */
export const MAX_FEED_EVENTS = 1000

export const feedQuery = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,18}$/, 'must be a cursor from an earlier answer (digits)')
    .default('0'),
  // Decimal digits only: a plain Number() would also read "0x10", "1e1" or "0b11".
  limit: z
    .string({ error: 'must be a whole number' })
    .regex(/^\d{1,7}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_FEED_EVENTS))
    .default(100),
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
    const { rows: numbered } = await pool.query<{ last: string; epoch: string | null }>(
      `SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM domain_events_seq_seq)::text AS last,
              (SELECT epoch::text FROM sync_epoch) AS epoch`,
    )
    const { last = '0', epoch = null } = numbered[0] ?? {}
    if (BigInt(after) > BigInt(last))
      return { ok: true, data: { events: [], cursor: '0', more: false, restarted: true, epoch } }
    // One more than asked, to tell whether more wait.
    const rows = await readEvents(pool, after, limit + 1)
    const page = rows.slice(0, limit)
    return {
      ok: true,
      data: {
        events: page.map((r) => r.envelope),
        cursor: page.at(-1)?.seq ?? after,
        more: rows.length > limit,
        epoch,
      },
    }
  })
}

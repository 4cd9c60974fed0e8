import type { z } from 'zod'
import { type Channel, contract, isChannel } from '../../../shared/contract'
import { tablesWrittenBy } from '../../../shared/contract/tables'
import { AppError, type Result } from '../../../shared/errors'
import type { AppContext } from './context'
import { fromDbError } from './db-errors'
import { handlers } from './handlers'
import type { Handler } from './handlers/types'
import { log } from './log'

/** The only way into the handlers: IPC, the browser bridge and tests all come through here. */
export async function dispatch(
  ctx: AppContext,
  channel: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  try {
    if (!isChannel(channel)) throw new AppError('NOT_FOUND', 'unknown channel')
    // Between closing the old database and opening the restored one.
    if (ctx.db.pg.closed)
      throw new AppError('UNAVAILABLE', 'the data is being restored; try again in a moment')
    const spec = contract[channel]
    const parsed = spec.input.safeParse(input ?? {})
    if (!parsed.success) {
      throw new AppError(
        'VALIDATION',
        'invalid input',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      )
    }
    const handler = handlers[channel] as Handler<Channel>
    const output = await handler(ctx, parsed.data as never)
    // Committed: the screens showing these tables refetch (even should the answer fail).
    ctx.changes.emit(tablesWrittenBy(channel))
    const data = spec.output.safeParse(output)
    if (!data.success) return { ok: false, error: outputError(data.error, channel) }
    return { ok: true, data: data.data }
  } catch (e) {
    return { ok: false, error: toErrorData(e, isChannel(channel) ? channel : undefined) }
  }
}

/**
 * The handler returned something its own contract does not allow: a bug, not input, and
 * after the handler's work was done (a change it made is saved). Paths and codes only in
 * the log: the values may be personal data.
 */
function outputError(e: z.ZodError, channel: Channel) {
  log.error('dispatch', 'output validation failed', {
    channel,
    issues: e.issues.map((i) => `${i.path.join('.')}: ${i.code}`),
  })
  const message = tablesWrittenBy(channel).length
    ? 'the change was saved, but something went wrong showing it; reopen the screen to see it'
    : 'something went wrong reading this; try again'
  return new AppError('INTERNAL', message).toData()
}

function toErrorData(e: unknown, channel: Channel | undefined) {
  if (e instanceof AppError) return e.toData()
  // Drizzle wraps driver errors; the PostgreSQL code is on the cause.
  const mapped = fromDbError(e) ?? fromDbError((e as { cause?: unknown })?.cause)
  if (mapped) return mapped.toData()
  // Never the message or the values: a driver message can quote the row it refused.
  const err = e as { name?: string; code?: string; stack?: string }
  log.error('dispatch', 'handler failed', {
    channel,
    error: err?.name,
    code: err?.code,
    at: err?.stack?.split('\n')[1]?.trim(),
  })
  // A handler's writes are one transaction: one that threw has changed nothing (a few
  // finish with steps after their commit, such as connecting sync; those are rare).
  const message =
    channel && !tablesWrittenBy(channel).length
      ? 'something went wrong reading this; try again'
      : 'something went wrong; the change was not saved'
  return new AppError('INTERNAL', message).toData()
}

import { DEFAULT_SERVICE_PRIORITY } from '../../shared/domain/enums'
import type { SqlRunner } from './sql-runner'

/**
 * Stage 2 of the priority rollout: set NULL `services.priority` to MEDIUM in bounded
 * batches. Each batch is its own short transaction (an UPDATE of at most `batchSize`
 * rows, walked in primary-key order), so a large table is never locked for long and an
 * interrupted run loses at most the batch in flight; running again simply continues
 * with the rows still NULL.
 */
export interface BackfillProgress {
  done: number
  total: number
  batches: number
}

export interface BackfillOptions {
  batchSize?: number
  /** Pause between batches, to leave room for other work on a busy database. */
  pauseMs?: number
  onProgress?: (progress: BackfillProgress) => void
}

/** The migration the batched priority backfill must precede (a gate of `migrate`). */
export const PRIORITY_NOT_NULL_MIGRATION = '0002_service_priority_not_null'

export const BACKFILL_DEFAULT_BATCH_SIZE = 5000
export const BACKFILL_MAX_BATCH_SIZE = 100_000

export class BackfillError extends Error {
  override name = 'BackfillError'
}

export async function priorityColumnState(
  runner: SqlRunner,
): Promise<'missing' | 'nullable' | 'not-null'> {
  const rows = await runner.query<{ is_nullable: string }>(
    `SELECT is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = 'services' AND column_name = 'priority'`,
  )
  const row = rows[0]
  if (!row) return 'missing'
  return row.is_nullable === 'YES' ? 'nullable' : 'not-null'
}

export async function backfillPriority(
  runner: SqlRunner,
  options: BackfillOptions = {},
): Promise<BackfillProgress> {
  const batchSize = options.batchSize ?? BACKFILL_DEFAULT_BATCH_SIZE
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > BACKFILL_MAX_BATCH_SIZE) {
    throw new BackfillError(`batch size must be an integer from 1 to ${BACKFILL_MAX_BATCH_SIZE}`)
  }
  const state = await priorityColumnState(runner)
  if (state === 'missing') {
    throw new BackfillError(
      'services.priority does not exist yet: apply migration 0001_service_priority_nullable first',
    )
  }
  const progress: BackfillProgress = { done: 0, total: 0, batches: 0 }
  if (state === 'not-null') {
    options.onProgress?.(progress)
    return progress
  }
  const [countRow] = await runner.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM services WHERE priority IS NULL',
  )
  progress.total = countRow?.n ?? 0
  options.onProgress?.({ ...progress })
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    const rows = await runner.query<{ last: string | null; n: number }>(
      `WITH batch AS (
         SELECT id FROM services WHERE id > $1 AND priority IS NULL ORDER BY id LIMIT $2
       ), updated AS (
         UPDATE services s SET priority = $3 FROM batch WHERE s.id = batch.id RETURNING s.id
       )
       SELECT max(id::text) AS last, count(*)::int AS n FROM updated`,
      [after, batchSize, DEFAULT_SERVICE_PRIORITY],
    )
    const n = rows[0]?.n ?? 0
    if (n === 0 || !rows[0]?.last) break
    after = rows[0].last
    progress.done += n
    progress.batches += 1
    options.onProgress?.({ ...progress, total: Math.max(progress.total, progress.done) })
    if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs))
  }
  return progress
}

import { AsyncLocalStorage } from 'node:async_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../../../shared/contract'
import { CHANNEL_TABLES, DATA_TABLES, type DataTable } from '../../../../shared/contract/tables'
import { closeCore } from '../app-core'
import type { AppContext } from '../context'
import { buildFixture, type Fixture, TEST_PIN } from '../test/fixture'
import { call, memoryCore } from '../test/helpers'
import { validInputs } from './valid-inputs'

/**
 * The "changed" notices refetch a query when a table its channel reads is written
 * (shared/contract/tables.ts). A channel that reads a table it does not declare shows
 * stale data after that table changes. Each read-only channel is called here while the
 * SQL it sends is recorded; every table named in a FROM or JOIN must be declared.
 *
 * The signed-in user and this laptop's link (users, app_settings, sync_state) are read
 * by every call to check who may do what; screens follow them through the session, so
 * they are left out.
 */
const SESSION: readonly DataTable[] = ['users', 'app_settings', 'sync_state']

let ctx: AppContext
let f: Fixture
/** The SQL sent by the call under test (not by the core's background work meanwhile). */
const calling = new AsyncLocalStorage<string[]>()
beforeAll(async () => {
  ctx = await memoryCore()
  f = await buildFixture(ctx)
  const pg = ctx.db.pg as unknown as Record<string, (...a: unknown[]) => unknown>
  const record = (target: Record<string, (...a: unknown[]) => unknown>) => {
    for (const name of ['query', 'exec'] as const) {
      const original = target[name]?.bind(target)
      if (!original) continue
      target[name] = (text: unknown, ...rest: unknown[]) => {
        calling.getStore()?.push(String(text))
        return original(text, ...rest)
      }
    }
  }
  record(pg)
  const transaction = pg.transaction?.bind(pg) as (
    fn: (tx: Record<string, (...a: unknown[]) => unknown>) => unknown,
  ) => unknown
  pg.transaction = ((fn: (tx: Record<string, (...a: unknown[]) => unknown>) => unknown) =>
    transaction((tx) => {
      record(tx)
      return fn(tx)
    })) as never
})
afterAll(() => closeCore(ctx))

const TABLE_NAMES = new Set<string>(DATA_TABLES)
const tablesIn = (text: string): DataTable[] =>
  [...text.matchAll(/\b(?:from|join)\s+"?([a-z_]+)"?/gi)]
    .map((m) => (m[1] ?? '').toLowerCase())
    .filter((t): t is DataTable => TABLE_NAMES.has(t))

describe('the tables each read-only channel declares', () => {
  const readOnly = CHANNELS.filter((c) => CHANNEL_TABLES[c].writes.length === 0)

  it.each(readOnly)('%s reads only what it declares', async (channel) => {
    await call(ctx, 'session.switch', { userId: f.admin.id, pin: TEST_PIN })
    const { appointment } = await call(ctx, 'appointments.create', {
      clientId: f.smith.id,
      serviceId: f.mowing.id,
      teamMemberId: f.ana.id,
      scheduledAt: '2027-01-05T15:00:00Z',
      acceptConflict: true,
    })
    const seen: string[] = []
    await calling.run(seen, async () => {
      try {
        await call(ctx, channel, validInputs[channel](f, appointment.id) as never)
      } catch {
        // A channel refused here (no server linked, say) still declares what it read.
      }
    })
    const declared = new Set<DataTable>([...CHANNEL_TABLES[channel].reads, ...SESSION])
    const undeclared = [...new Set(seen.flatMap(tablesIn))].filter((t) => !declared.has(t))
    expect(undeclared).toEqual([])
  })
})

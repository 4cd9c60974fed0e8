import type { SyncStatus } from '../../../../shared/contract/sync'
import { AppError } from '../../../../shared/errors'
import { type Conflict, RESOLUTIONS, type Resolution } from '../../../../shared/sync/protocol'
import { insecureServerRefusal } from '../../../../shared/sync/server-address'
import { writeAppSetting } from '../app-settings'
import { requireActor } from '../auth'
import type { AppContext } from '../context'
import { LEFT_TO_SERVER_KEY } from '../notify/local'
import { normalizeServerUrl, SyncHttp, SyncHttpError } from '../sync/http'
import { describeChange, nameRows } from '../sync/row-names'
import {
  clearState,
  enqueueRows,
  getState,
  pendingCount,
  type SyncConfig,
  setState,
  waitingCount,
} from '../sync/store'
import { readSettings } from './settings'
import type { Handlers } from './types'

export async function syncStatus(ctx: AppContext): Promise<SyncStatus> {
  const pg = ctx.db.pg
  const engine = ctx.sync.snapshot()
  const config = await getState(pg, 'config')
  const [pending, waiting, lastSuccess, lastAttempt, conflicts] = await Promise.all([
    pendingCount(pg),
    waitingCount(pg),
    getState(pg, 'lastSuccessAt'),
    getState(pg, 'lastAttempt'),
    getState(pg, 'conflicts'),
  ])
  const { rows: rejected } = await pg.query<{
    table_name: SyncStatus['rejected'][number]['table']
    row_id: string
    reason: string
    fields: Record<string, unknown>
    rejected_at: string
    total: number
  }>(
    `SELECT table_name, row_id, reason, fields, rejected_at, count(*) OVER ()::int AS total
     FROM sync_rejected ORDER BY rejected_at DESC LIMIT 20`,
  )
  const { rows: stuck } = await pg.query<{
    table_name: SyncStatus['rejected'][number]['table']
    row_id: string
    error: string
  }>(
    'SELECT table_name, row_id, error FROM sync_inbox WHERE error IS NOT NULL ORDER BY seq LIMIT 20',
  )
  const { timeZone } = await readSettings(ctx)
  const names = await nameRows(
    pg,
    [...rejected, ...stuck].map((r) => ({ table: r.table_name, rowId: r.row_id })),
    timeZone,
  )
  const nameOf = (table: string, rowId: string) => names.get(`${table}:${rowId}`) ?? null
  return {
    phase: config ? engine.phase : 'off',
    serverUrl: config?.serverUrl ?? null,
    device: config
      ? { label: config.device.label, user: config.device.user, role: config.device.role }
      : null,
    pending,
    waiting: waiting.waiting,
    stuck: waiting.stuck,
    stuckReasons: stuck.map((s) => ({
      table: s.table_name,
      rowId: s.row_id,
      name: nameOf(s.table_name, s.row_id),
      reason: s.error,
    })),
    rejected: rejected.map((r) => ({
      table: r.table_name,
      rowId: r.row_id,
      name: nameOf(r.table_name, r.row_id),
      reason: r.reason,
      change: describeChange(r.fields, timeZone),
      at: new Date(r.rejected_at).toISOString(),
    })),
    rejectedCount: rejected[0]?.total ?? 0,
    lastSyncAt: lastSuccess ?? null,
    lastAttemptAt: lastAttempt?.at ?? null,
    nextAttemptAt: config ? engine.nextAttemptAt : null,
    error: config
      ? (engine.error ?? (lastAttempt?.ok === false ? (lastAttempt.error ?? null) : null))
      : null,
    openConflicts: config ? (conflicts?.list.length ?? 0) : 0,
  }
}

const unavailable = (e: unknown) =>
  e instanceof SyncHttpError
    ? new AppError(
        e.kind === 'unauthorized' || e.kind === 'forbidden' ? 'FORBIDDEN' : 'UNAVAILABLE',
        e.message,
      )
    : e

/** A client for the channels' own requests to the server (the loop keeps its own). */
const httpFor = (config: SyncConfig) =>
  new SyncHttp({ serverUrl: config.serverUrl, token: config.token, timeoutMs: 10_000 })

async function requireConfig(ctx: AppContext) {
  const config = await getState(ctx.db.pg, 'config')
  if (!config) throw new AppError('VALIDATION', 'this laptop is not connected to a sync server')
  return config
}

/** Runs a round now, as "Sync now" and the conflict resolution need it. */
async function roundNow(ctx: AppContext) {
  try {
    await ctx.sync.syncNow()
  } catch (e) {
    throw unavailable(e)
  }
}

/** Ids in conflict versions that people know by name. */
async function namesFor(ctx: AppContext, conflicts: Conflict[]) {
  const ids = new Set<string>()
  for (const c of conflicts)
    for (const side of c.sides)
      for (const key of ['client_id', 'service_id', 'team_member_id'])
        if (typeof side.values[key] === 'string') ids.add(side.values[key] as string)
  if (!ids.size) return {}
  const { rows } = await ctx.db.pg.query<{ id: string; name: string }>(
    `SELECT id, name FROM clients WHERE id = ANY($1::uuid[])
     UNION ALL SELECT id, name FROM services WHERE id = ANY($1::uuid[])
     UNION ALL SELECT id, name FROM team_members WHERE id = ANY($1::uuid[])`,
    [[...ids]],
  )
  return Object.fromEntries(rows.map((r) => [r.id, r.name]))
}

/** The local data change a resolution stands for; it reaches the server as a push. */
async function applyResolution(ctx: AppContext, c: Conflict, resolution: Resolution) {
  const pg = ctx.db.pg
  const table = c.table
  const exists = async (id: string) =>
    (await pg.query(`SELECT 1 FROM "${table}" WHERE id = $1`, [id])).rows.length > 0
  const target =
    resolution === 'unassign_second'
      ? c.sides[1].rowId
      : resolution === 'unassign_first'
        ? c.sides[0].rowId
        : c.rowId
  if (resolution !== 'keep_both' && !(await exists(target)))
    throw new AppError('UNAVAILABLE', 'this laptop does not have the row yet; sync and try again')
  // A person's decision about a visit of a series makes it an exception, as any change
  // made to one visit does: the series leaves it be from then on.
  const exception =
    table === 'appointments' ? ', series_exception = series_exception OR series_id IS NOT NULL' : ''
  if (resolution === 'restore')
    await pg.query(
      `UPDATE "${table}" SET deleted_at = NULL, updated_at = now()${exception} WHERE id = $1`,
      [target],
    )
  if (resolution === 'keep_deleted')
    await pg.query(
      `UPDATE "${table}" SET deleted_at = coalesce(deleted_at, now()), updated_at = now()${exception} WHERE id = $1`,
      [target],
    )
  if (resolution === 'unassign_first' || resolution === 'unassign_second')
    await pg.query(
      `UPDATE appointments SET team_member_id = NULL, updated_at = now()${exception} WHERE id = $1`,
      [target],
    )
}

export const syncHandlers = {
  'sync.status': async (ctx) => syncStatus(ctx),

  'sync.configure': async (ctx, input) => {
    await requireActor(ctx, 'data.admin')
    let serverUrl: string
    try {
      serverUrl = normalizeServerUrl(input.serverUrl)
    } catch {
      throw new AppError('VALIDATION', 'invalid input', [
        { path: 'serverUrl', message: 'must be an address such as https://sync.example.com' },
      ])
    }
    // Checked before the token is sent anywhere.
    const insecure = insecureServerRefusal(serverUrl, input.allowInsecure)
    if (insecure)
      throw new AppError('VALIDATION', 'invalid input', [{ path: 'serverUrl', message: insecure }])
    let device: Awaited<ReturnType<SyncHttp['whoami']>>
    try {
      device = await new SyncHttp({ serverUrl, token: input.token, timeoutMs: 10_000 }).whoami()
    } catch (e) {
      if (e instanceof SyncHttpError && e.kind === 'unauthorized')
        throw new AppError('VALIDATION', 'invalid input', [
          { path: 'token', message: 'the server does not accept this token' },
        ])
      throw unavailable(e)
    }
    const pg = ctx.db.pg
    const before = await getState(pg, 'config')
    // Another server, or this one under another device: everything is pulled again, and
    // everything this laptop holds is sent, since that server may never have had it.
    const startsOver = before?.serverUrl !== serverUrl || before?.device.id !== device.id
    await pg.transaction(async (tx) => {
      if (startsOver) {
        await setState(tx, 'cursor', 0)
        await clearState(tx, ['epoch'])
      }
      await setState(tx, 'config', {
        serverUrl,
        token: input.token,
        device: {
          id: device.id,
          label: device.label,
          user: device.userName,
          role: device.role,
          crew: device.teamMemberId ?? null,
        },
      })
      await clearState(tx, ['conflicts', 'lastAttempt'])
      // Connected, nothing is sent from here at all; the messages left are the server's.
      await writeAppSetting(tx, LEFT_TO_SERVER_KEY, null)
    })
    // A laptop that already holds data uploads it; a crew lead's device only receives.
    if (device.role !== 'crew_lead') await enqueueRows(pg, startsOver ? 'all' : 'new')
    await ctx.sync.reload()
    return syncStatus(ctx)
  },

  'sync.disconnect': async (ctx) => {
    // An admin (who gave their PIN) can always disconnect, even a laptop whose token's
    // lower role caps them: otherwise such a laptop could never be re-pointed.
    await requireActor(ctx, 'data.admin', { uncapped: true })
    const pg = ctx.db.pg
    const connected = await getState(pg, 'config')
    await pg.transaction(async (tx) => {
      await clearState(tx, [
        'config',
        'cursor',
        'paused',
        'conflicts',
        'lastAttempt',
        'lastSuccessAt',
      ])
      // What the server planned stays the server's to send (notify/local.ts).
      if (connected) await writeAppSetting(tx, LEFT_TO_SERVER_KEY, new Date().toISOString())
    })
    await ctx.sync.reload()
    return syncStatus(ctx)
  },

  'sync.pause': async (ctx, input) => {
    await requireActor(ctx, 'settings.write')
    await requireConfig(ctx)
    await setState(ctx.db.pg, 'paused', input.paused)
    await ctx.sync.reload()
    return syncStatus(ctx)
  },

  'sync.clearRefused': async (ctx) => {
    // Whoever uses the laptop reads the list (a crew lead's refused note is theirs to
    // pass on): whoever has read it may clear it. What was refused is gone from here.
    await requireActor(ctx)
    await ctx.db.pg.query('DELETE FROM sync_rejected')
    return syncStatus(ctx)
  },

  'sync.now': async (ctx) => {
    await requireActor(ctx)
    await requireConfig(ctx)
    await roundNow(ctx)
    return syncStatus(ctx)
  },

  'sync.conflicts': async (ctx, input) => {
    await requireActor(ctx, 'sync.conflicts')
    const config = await requireConfig(ctx)
    const cached = await getState(ctx.db.pg, 'conflicts')
    let conflicts: Conflict[]
    let fetchedAt: string | null
    let offline = false
    try {
      conflicts = await httpFor(config).conflicts(input.status)
      fetchedAt = new Date().toISOString()
      if (input.status === 'open')
        await setState(ctx.db.pg, 'conflicts', { fetchedAt, list: conflicts })
    } catch (e) {
      if (!(e instanceof SyncHttpError) || e.kind !== 'offline') throw unavailable(e)
      offline = true
      const list = (cached?.list ?? []) as Conflict[]
      conflicts = input.status === 'resolved' ? [] : list
      fetchedAt = cached?.fetchedAt ?? null
    }
    return { conflicts, names: await namesFor(ctx, conflicts), fetchedAt, offline }
  },

  'sync.resolve': async (ctx, input) => {
    await requireActor(ctx, 'sync.conflicts')
    const config = await requireConfig(ctx)
    const http = httpFor(config)
    // Bring this laptop up to date first, so the decision applies to the latest rows.
    await roundNow(ctx)
    let open: Conflict[]
    try {
      open = await http.conflicts('open', 200)
    } catch (e) {
      throw unavailable(e)
    }
    const c = open.find((x) => x.id === input.id)
    if (!c)
      throw new AppError('NOT_FOUND', 'no such open conflict (it may have been resolved already)')
    if (!(RESOLUTIONS[c.kind] as readonly string[]).includes(input.resolution))
      throw new AppError('VALIDATION', 'invalid input', [
        {
          path: 'resolution',
          message: `does not settle a ${c.kind.replaceAll('_', ' ')} conflict`,
        },
      ])
    await applyResolution(ctx, c, input.resolution)
    await roundNow(ctx)
    try {
      await http.resolve(c.id, input.resolution)
    } catch (e) {
      throw unavailable(e)
    }
    await setState(ctx.db.pg, 'conflicts', {
      fetchedAt: new Date().toISOString(),
      list: open.filter((x) => x.id !== c.id),
    })
    return syncStatus(ctx)
  },
} satisfies Partial<Handlers>

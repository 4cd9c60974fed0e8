import { z } from 'zod'
import { ALL_RESOLUTIONS, conflict, SYNCED_TABLES, type SyncedTable } from '../sync/protocol'
import { instant, storableText } from './common'

/** This laptop's link to the central server: status, settings and the conflicts inbox. */
export const syncPhase = z.enum(['off', 'paused', 'idle', 'syncing', 'offline', 'error'])

const table = z.enum(SYNCED_TABLES as [SyncedTable, ...SyncedTable[]])

export const syncStatus = z.object({
  /** off: no server set; idle: in sync as of lastSyncAt; offline: server unreachable. */
  phase: syncPhase,
  serverUrl: z.string().nullable(),
  device: z.object({ label: z.string(), user: z.string(), role: z.string() }).nullable(),
  /** Local changes not yet acknowledged by the server. */
  pending: z.number().int(),
  /** Pulled changes not merged yet; `stuck` of them refused by this database. */
  waiting: z.number().int(),
  stuck: z.number().int(),
  /** `name`: the row as a person knows it, or null when this laptop does not hold it. */
  stuckReasons: z.array(
    z.object({ table, rowId: z.string(), name: z.string().nullable(), reason: z.string() }),
  ),
  /** Local changes the server refused, newest first (at most 20), and how many in all. */
  rejected: z.array(
    z.object({
      table,
      rowId: z.string(),
      name: z.string().nullable(),
      reason: z.string(),
      /** What the refused change wrote, in words (a refused note's text, say). */
      change: z.string().nullable(),
      at: z.string(),
    }),
  ),
  rejectedCount: z.number().int(),
  lastSyncAt: instant.nullable(),
  lastAttemptAt: instant.nullable(),
  nextAttemptAt: instant.nullable(),
  error: z.string().nullable(),
  openConflicts: z.number().int(),
})
export type SyncStatus = z.infer<typeof syncStatus>

export const syncContract = {
  'sync.status': { input: z.strictObject({}), output: syncStatus },
  /** Admin: connect this laptop; the token is checked against the server first. */
  'sync.configure': {
    input: z.strictObject({
      serverUrl: storableText()
        .trim()
        .max(500)
        .regex(/^https?:\/\/\S+$/, 'must be an address such as https://sync.example.com'),
      token: storableText()
        .trim()
        .min(20, 'is not a device token')
        .max(200, 'is not a device token'),
      /** Accept a plain http:// address that is not this computer (unencrypted). */
      allowInsecure: z.boolean().default(false),
    }),
    output: syncStatus,
  },
  /** Admin: forget the server; unsent changes stay in the outbox. */
  'sync.disconnect': { input: z.strictObject({}), output: syncStatus },
  'sync.pause': { input: z.strictObject({ paused: z.boolean() }), output: syncStatus },
  /** Empties the list of changes the server refused, once read (this laptop's own list). */
  'sync.clearRefused': { input: z.strictObject({}), output: syncStatus },
  /** Runs a round now; fails with UNAVAILABLE (and the reason) when the server cannot be reached. */
  'sync.now': { input: z.strictObject({}), output: syncStatus },
  /** The conflicts inbox: from the server when reachable, else as last fetched. */
  'sync.conflicts': {
    input: z.strictObject({ status: z.enum(['open', 'resolved', 'all']).default('open') }),
    output: z.object({
      conflicts: z.array(conflict),
      /** Display names of the ids the conflicts mention (clients, services, crew). */
      names: z.record(z.string(), z.string()),
      fetchedAt: instant.nullable(),
      offline: z.boolean(),
    }),
  },
  /** Office manager: settle a conflict; the data change is made here and pushed. */
  'sync.resolve': {
    input: z.strictObject({ id: z.uuid(), resolution: z.enum(ALL_RESOLUTIONS) }),
    output: syncStatus,
  },
} as const

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Channel, ChannelInput, ChannelOutput } from '../../../../shared/contract'
import type { ErrorData } from '../../../../shared/errors'
import { type OpenCoreOptions, openCore } from '../app-core'
import type { AppContext } from '../context'
import { type CreateDbOptions, createDb, type Db } from '../db/create-db'
import { dispatch } from '../dispatch'
import { sourceResources } from '../paths'

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix = 'gk-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) }
}

/**
 * A core on an in-memory database, as the app opens it (no user yet: setup mode); given
 * weather options, its forecast refresh runs with them (a test's own clock).
 */
export function memoryCore(opts: Pick<OpenCoreOptions, 'weather'> = {}): Promise<AppContext> {
  return openCore({
    dataDir: null,
    resources: sourceResources(),
    version: 'test',
    durability: 'os',
    ...opts,
  })
}

/** Calls a channel through the real dispatch and returns the data, or throws its error. */
export async function call<C extends Channel>(
  ctx: AppContext,
  channel: C,
  input: ChannelInput<C>,
): Promise<ChannelOutput<C>> {
  const result = await dispatch(ctx, channel, input)
  if (!result.ok) throw Object.assign(new Error(result.error.message), { error: result.error })
  return result.data as ChannelOutput<C>
}

/** Calls a channel expecting failure; returns the error data. */
export async function callError(
  ctx: AppContext,
  channel: string,
  input: unknown,
): Promise<ErrorData> {
  const result = await dispatch(ctx, channel, input)
  if (result.ok) throw new Error(`${channel} unexpectedly succeeded`)
  return result.error
}

/** A database at the latest migration, in memory, loaded from the template (~1 s). */
export function memoryDb(options: Partial<CreateDbOptions> = {}): Promise<Db> {
  return createDb({ dataDir: null, resources: sourceResources(), ...options })
}

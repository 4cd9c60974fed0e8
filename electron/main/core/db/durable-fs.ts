import { fsyncSync } from 'node:fs'
import type { PGlite } from '@electric-sql/pglite'
import { NodeFS } from '@electric-sql/pglite/nodefs'

/**
 * PGlite's Node file system writes straight through to the OS (a killed process loses
 * nothing it committed), but Emscripten's NODEFS has no fsync: what sits in the OS page
 * cache is lost if the machine itself dies. This file system gives NODEFS a real fsync,
 * and PGlite is started with fsync on and `wal_sync_method=fsync`, so a commit returns
 * only after its WAL is on disk.
 */
type Mod = { FS: { filesystems: { NODEFS: { stream_ops: Record<string, unknown> } } } }
type InitOptions = Parameters<NodeFS['init']>[1]
type PreRun = NonNullable<InitOptions['preRun']>[number]

export class DurableNodeFS extends NodeFS {
  /** How many fsyncs reached the disk (for tests and benchmarks). */
  fsyncCount = 0

  override async init(pg: PGlite, opts: InitOptions): ReturnType<NodeFS['init']> {
    const result = await super.init(pg, opts)
    const addFsync = (mod: Mod) => {
      mod.FS.filesystems.NODEFS.stream_ops.fsync = (stream: { nfd?: number }) => {
        if (stream.nfd !== undefined) {
          fsyncSync(stream.nfd)
          this.fsyncCount += 1
        }
        return 0
      }
    }
    result.emscriptenOpts.preRun = [
      ...(result.emscriptenOpts.preRun ?? []),
      addFsync as unknown as PreRun,
    ]
    return result
  }
}

import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * PGlite is a single-process database: two processes on one data directory would
 * corrupt it. The lock is a file holding the owner's pid, created exclusively; a lock
 * whose process is gone (a crash) is taken over.
 */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
  constructor(readonly pid: number) {
    super(`the data folder is in use by another Groundskeeper process (pid ${pid})`)
  }
}

/** The lock's path is taken by something that is not a lock file (a folder, say). */
export class DataDirLockUnusableError extends Error {
  override name = 'DataDirLockUnusableError'
  constructor(readonly lockPath: string) {
    super(
      `the data folder's lock file ${lockPath} is not a file Groundskeeper can use: move it away, then open the app again`,
    )
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The process a lock names, or null where it names none that could hold it: not a
 * process id (empty, after a crash between creating and writing it), 0 or below (which
 * `kill` takes for process groups and every process, all "alive"), or this process's
 * own id when this process does not hold it (left by an earlier run that had the same
 * id, as a container's first process does).
 */
function holder(text: string): number | null {
  const pid = /^\s*(\d+)\s*$/.exec(text)?.[1]
  const n = pid === undefined ? Number.NaN : Number(pid)
  if (!Number.isSafeInteger(n) || n <= 0 || n === process.pid) return null
  return alive(n) ? n : null
}

/** The locks this process holds: its own id in a lock is stale only when not one of them. */
const held = new Set<string>()

export function acquireLock(lockPath: string): () => void {
  const key = resolve(lockPath)
  if (held.has(key)) throw new DataDirLockedError(process.pid)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      held.add(key)
      return () => {
        held.delete(key)
        rmSync(lockPath, { force: true })
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      let text: string
      try {
        text = readFileSync(lockPath, 'utf8')
      } catch (read) {
        // Gone meanwhile (its owner closed): try again. Anything else is not a lock.
        if ((read as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw new DataDirLockUnusableError(lockPath)
      }
      const pid = holder(text)
      if (pid !== null) throw new DataDirLockedError(pid)
      rmSync(lockPath, { force: true })
    }
  }
  throw new Error('could not lock the data folder')
}

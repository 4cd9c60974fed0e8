import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'

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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function acquireLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(lockPath, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10)
      if (Number.isInteger(pid) && alive(pid)) {
        throw new DataDirLockedError(pid)
      }
      rmSync(lockPath, { force: true })
    }
  }
  throw new Error('could not lock the data folder')
}

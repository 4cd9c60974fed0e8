import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../test/helpers'
import { acquireLock, DataDirLockedError, DataDirLockUnusableError } from './data-dir-lock'

describe("the data folder's lock", () => {
  const lockIn = () => join(tempDir('gk-lock-').path, 'groundskeeper.lock')

  it('is refused while a live process holds it, and taken over from one that is gone', () => {
    const path = lockIn()
    // The test runner's parent is alive and is not this process.
    writeFileSync(path, String(process.ppid))
    expect(() => acquireLock(path)).toThrow(DataDirLockedError)
    writeFileSync(path, '999999999')
    const release = acquireLock(path)
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid))
    release()
    expect(existsSync(path)).toBe(false)
  })

  it.each([
    ['empty', ''],
    ['not a number', 'abc'],
    ['zero (a process group to kill)', '0'],
    ['negative (every process to kill)', '-1'],
    ['this process itself, from an earlier run', String(process.pid)],
  ])('is taken over when it names no other process: %s', (_, text) => {
    const path = lockIn()
    writeFileSync(path, text)
    const release = acquireLock(path)
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid))
    release()
  })

  it('is refused to this process while it holds it already', () => {
    const path = lockIn()
    const release = acquireLock(path)
    expect(() => acquireLock(path)).toThrow(DataDirLockedError)
    release()
    acquireLock(path)()
  })

  it('says what to do when its place is taken by a folder', () => {
    const path = lockIn()
    mkdirSync(path)
    expect(() => acquireLock(path)).toThrow(DataDirLockUnusableError)
    expect(() => acquireLock(path)).toThrow(/is not a file Groundskeeper can use: move it away/)
  })
})

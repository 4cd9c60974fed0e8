import { amcheck } from '@electric-sql/pglite/contrib/amcheck'
import { afterEach, describe, expect, it } from 'vitest'
import { runTs } from '../../../../scripts/lib/run-ts'
import { sourceResources } from '../paths'
import { tempDir } from '../test/helpers'
import { createDb } from './create-db'
import { DataDirLockedError } from './data-dir-lock'
import type { DurableNodeFS } from './durable-fs'
import { checkIntegrity } from './integrity'

const resources = sourceResources()
let cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups) c()
  cleanups = []
})

function dir() {
  const d = tempDir()
  cleanups.push(d.cleanup)
  return d.path
}

describe('durability', () => {
  it('keeps every acknowledged write when the process is SIGKILLed mid-stream', async () => {
    const dataDir = dir()
    // Create the database first so the kill lands in the write stream, not in set-up.
    await (await createDb({ dataDir, resources })).close()
    const acked = new Map<number, string>()
    const killAfter = 150 + Math.floor(Math.random() * 150)
    const run = await runTs('electron/main/core/test/writer-child.ts', [dataDir], (line, kill) => {
      const m = /^ack (\d+) (\S+)$/.exec(line)
      if (!m) return
      acked.set(Number(m[1]), m[2] as string)
      if (acked.size === killAfter) kill('SIGKILL')
    })
    expect(run.signal).toBe('SIGKILL')
    expect(acked.size).toBeGreaterThanOrEqual(killAfter)

    const db = await createDb({ dataDir, resources, extensions: { amcheck } })
    try {
      const { rows } = await db.pg.query<{ id: string }>(
        "SELECT id FROM clients WHERE name LIKE 'Crash client %'",
      )
      const stored = new Set(rows.map((r) => r.id))
      for (const id of acked.values()) expect(stored.has(id)).toBe(true)
      // Atomic transactions: the counter matches the rows, and nothing beyond one
      // in-flight, unacknowledged transaction exists.
      const counter = await db.pg.query<{ n: number }>(
        "SELECT (value)::int AS n FROM app_settings WHERE key = 'crash.counter'",
      )
      expect(counter.rows[0]?.n).toBe(stored.size)
      expect(stored.size - acked.size).toBeLessThanOrEqual(1)
      const report = await checkIntegrity(db.pg)
      expect(report.problems).toEqual([])
      expect(report.indexes).toBeGreaterThan(10)
    } finally {
      await db.close()
    }
  })

  it('flushes the WAL to disk on every commit in fsync mode', async () => {
    const db = await createDb({ dataDir: dir(), resources })
    try {
      const fs = (db.pg as unknown as { fs: DurableNodeFS }).fs
      const before = fs.fsyncCount
      for (let i = 0; i < 20; i++) {
        await db.pg.query("INSERT INTO app_settings (key, value) VALUES ($1, '1')", [`k${i}`])
      }
      expect(fs.fsyncCount - before).toBeGreaterThanOrEqual(20)
    } finally {
      await db.close()
    }
  })

  it('lets only one process open a data folder at a time, and takes over a stale lock', async () => {
    const dataDir = dir()
    const first = await createDb({ dataDir, resources })
    try {
      await expect(createDb({ dataDir, resources })).rejects.toBeInstanceOf(DataDirLockedError)
    } finally {
      await first.close()
    }
    // A lock left by a process that died is not an obstacle.
    const { writeFileSync } = await import('node:fs')
    writeFileSync(`${dataDir}/groundskeeper.lock`, '999999')
    const again = await createDb({ dataDir, resources })
    await again.close()
  })
})

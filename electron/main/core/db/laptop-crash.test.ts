import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { amcheck } from '@electric-sql/pglite/contrib/amcheck'
import { afterAll, describe, expect, it, onTestFinished } from 'vitest'
import { sourceResources, sourceRoot } from '../paths'
import { tempDir } from '../test/helpers'
import { createDb } from './create-db'
import { checkIntegrity } from './integrity'

/**
 * The laptop crashes again and again: a child process opens the app's core on one data
 * folder and books clients through the real dispatch, recording each acknowledged write
 * in a file it fsyncs (`crash-writer-child.ts`); it is SIGKILLed at random moments —
 * half of them while it writes, half anywhere from its start, opening and recovery
 * included — at least KILLS times. Each new child first checks that every write
 * acknowledged so far is there, so every kill is followed by a reopening of the same
 * folder; at the end the folder opens once more and is checked in full.
 */
const KILLS = 50
const dir = tempDir('gk-crash-')
afterAll(() => dir.cleanup())
const dataDir = join(dir.path, 'data')
const ackFile = join(dir.path, 'acks')

interface Run {
  /** ms from `go` to `verified`, when it got that far. */
  readyAfter: number | null
  verified: number | null
  exit: { code: number | null; signal: NodeJS.Signals | null }
  output: string
}

interface Victim {
  /** Lets it open the folder; resolves when it has been killed. */
  go(kill: { afterReady: boolean; ms: number }): Promise<Run>
  /** Ends one that will not be used (a failed test). */
  discard(): void
}

/**
 * A child with its code loaded, waiting for `go`; killed `kill.ms` after `go` or after
 * its `verified` line.
 */
function victim(): Victim {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'electron/main/core/test/crash-writer-child.ts', dataDir, ackFile],
    { cwd: sourceRoot(), stdio: ['pipe', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    output += c
  })
  const closed = new Promise<Run['exit']>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  const loaded = new Promise<void>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      if (output.includes('loaded')) resolve()
    })
  })
  return {
    discard: () => child.kill('SIGKILL'),
    async go(kill) {
      await Promise.race([loaded, closed])
      const started = Date.now()
      let readyAfter: number | null = null
      let verified: number | null = null
      const timer = kill.afterReady ? null : setTimeout(() => child.kill('SIGKILL'), kill.ms)
      child.stdout.on('data', () => {
        const m = /verified (\d+)/.exec(output)
        if (m && verified === null) {
          verified = Number(m[1])
          readyAfter = Date.now() - started
          if (kill.afterReady) setTimeout(() => child.kill('SIGKILL'), kill.ms)
        }
      })
      child.stdin.end('go\n')
      const exit = await closed
      if (timer) clearTimeout(timer)
      return { readyAfter, verified, exit, output }
    },
  }
}

function acknowledged(): string[] {
  if (!existsSync(ackFile)) return []
  const text = readFileSync(ackFile, 'utf8')
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
}

describe('a laptop killed at random moments', () => {
  it(`keeps every acknowledged write through ${KILLS} kills, and always opens`, async () => {
    let readyMs = 3000
    let killedWhileWriting = 0
    let next = victim()
    onTestFinished(() => next.discard())
    for (let k = 0; k < KILLS; k++) {
      const whileWriting = k % 2 === 0
      const current = next
      // The next victim loads its code meanwhile; it opens the folder only after this one died.
      if (k + 1 < KILLS) next = victim()
      const run = await current.go(
        whileWriting
          ? { afterReady: true, ms: Math.floor(Math.random() * 250) }
          : { afterReady: false, ms: Math.floor(Math.random() * readyMs) },
      )
      // Only the kill ends a run: an exit of its own is a failure to open, or a lost write.
      expect(run.exit, run.output).toEqual({ code: null, signal: 'SIGKILL' })
      if (run.readyAfter !== null) readyMs = run.readyAfter
      if (run.verified !== null && whileWriting) killedWhileWriting += 1
    }
    expect(killedWhileWriting).toBeGreaterThanOrEqual(KILLS / 2 - 2)
    const acked = acknowledged()
    expect(acked.length).toBeGreaterThan(KILLS)

    const db = await createDb({ dataDir, resources: sourceResources(), extensions: { amcheck } })
    try {
      const { rows } = await db.pg.query<{ id: string }>('SELECT id FROM clients')
      const stored = new Set(rows.map((r) => r.id))
      expect(acked.filter((id) => !stored.has(id))).toEqual([])
      // At most the write in flight at each kill is there without its acknowledgement.
      expect(stored.size - acked.length).toBeLessThanOrEqual(KILLS)
      expect((await checkIntegrity(db.pg)).problems).toEqual([])
    } finally {
      await db.close()
    }
  }, 600_000)
})

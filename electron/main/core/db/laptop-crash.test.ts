import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { amcheck } from '@electric-sql/pglite/contrib/amcheck'
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest'
import { sourceResources, sourceRoot } from '../paths'
import { bundleForNode } from '../test/bundle'
import { tempDir } from '../test/helpers'
import { createDb } from './create-db'
import { checkIntegrity } from './integrity'

/**
 * The laptop crashes again and again: a child process opens the app's core on one data
 * folder and books clients through the real dispatch, recording each acknowledged write
 * in a file it fsyncs (`crash-writer-child.ts`); it is SIGKILLed at random moments,
 * KILLS times. Half of the kills come while it writes: a random delay counted from its
 * first acknowledged write, so each of them leaves at least one acknowledgement however
 * slow the machine is. The other half come at a random delay counted from when it was
 * told to open, within the time the last opening took: opening and recovery included.
 * Each new child first checks that every write acknowledged so far is there, so every
 * kill is followed by a reopening of the same folder; at the end the folder opens once
 * more and is checked in full.
 *
 * The child's code is bundled once into plain JavaScript (loading it through tsx took a
 * second of CPU per child), and the next children are started and loaded while the
 * current one runs, so no kill waits on loading code.
 */
const KILLS = 50
/** Kills while writing come within this many ms of the first acknowledged write. */
const WRITING_MS = 150
const dir = tempDir('gk-crash-')
/** Set when the test fails: the folder is kept for a look at what would not open. */
let keep = false
afterAll(() => {
  if (!keep) dir.cleanup()
})
const dataDir = join(dir.path, 'data')
const ackFile = join(dir.path, 'acks')
/** Beside node_modules, which the bundle leaves external (PGlite finds its wasm there). */
const bundleDir = join(sourceRoot(), '.tmp', `crash-child-${process.pid}`)
const childJs = join(bundleDir, 'crash-writer-child.mjs')
/** Children loaded and waiting, besides the one running. */
const WARM = 2

beforeAll(async () => {
  await bundleForNode(join(sourceRoot(), 'electron/main/core/test/crash-writer-child.ts'), childJs)
})
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }))

interface Run {
  /** ms from `go` to its first acknowledged write, when it got that far. */
  writingAfter: number | null
  exit: { code: number | null; signal: NodeJS.Signals | null }
  output: string
}

interface Kill {
  /** Counted from `go`, or from its first acknowledged write. */
  from: 'go' | 'writing'
  ms: number
}

interface Victim {
  /** Lets it open the folder; resolves when it has been killed (or exited). */
  go(kill: Kill): Promise<Run>
  /** Ends one that will not be used (a failed test). */
  discard(): void
}

/** A child with its code loaded, waiting for `go`. */
function victim(): Victim {
  const child = spawn(process.execPath, [childJs, dataDir, ackFile, sourceRoot()], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    output += c
  })
  const lines = createInterface({ input: child.stdout })
  const closed = new Promise<Run['exit']>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  const seen = new Set<string>()
  const waiters = new Map<string, () => void>()
  lines.on('line', (line) => {
    output += `${line}\n`
    const word = line.split(' ')[0] ?? ''
    seen.add(word)
    waiters.get(word)?.()
  })
  const when = (word: string) =>
    new Promise<void>((resolve) => {
      if (seen.has(word)) resolve()
      else waiters.set(word, resolve)
    })
  const kill = () => child.kill('SIGKILL')
  return {
    discard: kill,
    async go({ from, ms }) {
      await Promise.race([when('loaded'), closed])
      const started = Date.now()
      let writingAfter: number | null = null
      const writing = when('writing').then(() => {
        writingAfter = Date.now() - started
      })
      const timer = from === 'go' ? setTimeout(kill, ms) : null
      if (from === 'writing') void writing.then(() => setTimeout(kill, ms))
      child.stdin.end('go\n')
      const exit = await closed
      if (timer) clearTimeout(timer)
      return { writingAfter, exit, output }
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
    /** How long the last child took from `go` to its first acknowledged write. */
    let openMs = 3000
    let killedWhileWriting = 0
    const warm = Array.from({ length: WARM }, victim)
    onTestFinished(() => {
      for (const v of warm) v.discard()
    })
    onTestFailed(() => {
      keep = true
      console.error(`laptop crash test: data folder kept in ${dir.path}`)
    })
    for (let k = 0; k < KILLS; k++) {
      const current = warm.shift() as Victim
      // Another victim loads its code meanwhile; each opens the folder only after the
      // one before it died.
      if (k + warm.length + 1 < KILLS) warm.push(victim())
      const run = await current.go(
        k % 2 === 0
          ? { from: 'writing', ms: Math.floor(Math.random() * WRITING_MS) }
          : { from: 'go', ms: Math.floor(Math.random() * openMs) },
      )
      // Only the kill ends a run: an exit of its own is a failure to open, or a lost write.
      expect(run.exit, run.output).toEqual({ code: null, signal: 'SIGKILL' })
      if (run.writingAfter !== null) {
        openMs = run.writingAfter
        killedWhileWriting += 1
      }
    }
    // Every other kill waited for a write to be acknowledged.
    expect(killedWhileWriting).toBeGreaterThanOrEqual(KILLS / 2)
    const acked = acknowledged()
    expect(acked.length).toBeGreaterThanOrEqual(killedWhileWriting)

    const db = await createDb({ dataDir, resources: sourceResources(), extensions: { amcheck } })
    try {
      const { rows } = await db.pg.query<{ name: string }>(
        "SELECT name FROM clients WHERE name LIKE 'Crash %'",
      )
      const stored = new Set(rows.map((r) => r.name))
      expect(acked.filter((name) => !stored.has(name))).toEqual([])
      // At most the write in flight at each kill is there without its acknowledgement.
      expect(stored.size - acked.length).toBeLessThanOrEqual(KILLS)
      expect((await checkIntegrity(db.pg)).problems).toEqual([])
    } finally {
      await db.close()
    }
  }, 300_000)
})

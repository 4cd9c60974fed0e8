import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'

/**
 * A second bridge on an empty data folder: a new laptop, as someone unpacking the app
 * finds it (no users, no business). The specs' shared bridge is seeded, so a first run
 * needs its own. `restart` stops the bridge and starts it again on the same folder, as
 * closing and reopening the app does.
 */
export class FreshLaptop {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'gk-e2e-fresh-'))
  private child: ChildProcess | null = null
  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`
  }

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/bridge.ts',
        '--data-dir',
        this.dataDir,
        '--port',
        String(this.port),
      ],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    this.child = child
    let output = ''
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the bridge did not start:\n${output}`)),
        60_000,
      )
      const read = (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('bridge listening')) {
          clearTimeout(timer)
          resolve()
        }
      }
      child.stdout?.on('data', read)
      child.stderr?.on('data', read)
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`the bridge exited (${code}):\n${output}`))
      })
    })
  }

  async stop(): Promise<void> {
    const child = this.child
    this.child = null
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }

  async restart(): Promise<void> {
    await this.stop()
    await this.start()
  }

  async remove(): Promise<void> {
    await this.stop()
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}

/** On a new laptop's welcome form: its first admin, Ada, with a PIN typed twice. */
export async function createFirstAdmin(page: Page): Promise<void> {
  const welcome = page.getByRole('form', { name: 'Welcome to Groundskeeper' })
  await welcome.getByLabel('Your name').fill('Ada Admin')
  await welcome.getByLabel('Your PIN').fill('2468')
  await welcome.getByLabel('The PIN again').fill('2468')
  await welcome.getByRole('button', { name: 'Start' }).click()
}

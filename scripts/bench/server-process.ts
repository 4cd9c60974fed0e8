import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { sourceRoot } from '../../electron/main/core/paths'

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/**
 * `scripts/server.ts` as its own process on a free port, as it runs in production,
 * returned once `/ready` answers. Many clients come from loopback here: each names its
 * own address (X-Forwarded-For, believed from 127.0.0.1), as laptops and office clients
 * in the field have, so the per-address rate limit counts them one by one.
 */
export async function startServerProcess(
  databaseUrl: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(sourceRoot(), 'scripts/server.ts'),
      '--database-url',
      databaseUrl,
      '--port',
      String(port),
      '--trust-proxy',
      '127.0.0.1',
    ],
    { cwd: sourceRoot(), stdio: ['ignore', 'ignore', 'inherit'] },
  )
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/ready`)).ok) return { url, child }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill()
  throw new Error('the server did not start')
}

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createBridge, listen } from '../electron/bridge/server'
import { closeCore, openCore } from '../electron/main/core/app-core'
import { sourceResources, sourceRoot } from '../electron/main/core/paths'
import { parseFlags, runCommand } from './lib/cli'

const USAGE = 'npm run bridge -- --data-dir DIR [--port P]'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'data-dir': { type: 'string', required: true },
    port: { type: 'int', default: 5174, min: 0, max: 65535 },
  })
  const { version } = JSON.parse(readFileSync(join(sourceRoot(), 'package.json'), 'utf8')) as {
    version: string
  }
  const ctx = await openCore({ dataDir: flags['data-dir'], resources: sourceResources(), version })
  const server = createBridge(ctx, join(sourceRoot(), 'out', 'renderer'))
  const port = await listen(server, flags.port)
  console.log(`bridge listening on http://127.0.0.1:${port}/`)
  const stop = () => {
    server.close()
    void closeCore(ctx).finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
})

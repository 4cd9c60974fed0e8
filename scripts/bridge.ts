import { join } from 'node:path'
import { newBridgeToken } from '../electron/bridge/guard'
import { createBridge, listen } from '../electron/bridge/server'
import { closeCore, openCore } from '../electron/main/core/app-core'
import { sourceResources, sourceRoot, sourceVersion } from '../electron/main/core/paths'
import { parseFlags, runCommand, UsageError } from './lib/cli'

const USAGE = 'npm run bridge -- --data-dir DIR [--port P]'

/**
 * The API asks for a secret made at each start (printed below; the served page carries
 * it). GROUNDSKEEPER_BRIDGE_TOKEN sets it instead, for whoever starts the bridge and
 * calls it too (the end-to-end tests).
 */
const TOKEN_ENV = 'GROUNDSKEEPER_BRIDGE_TOKEN'

await runCommand(USAGE, async () => {
  const flags = parseFlags(process.argv.slice(2), {
    'data-dir': { type: 'string', required: true, help: 'the data folder to serve' },
    port: { type: 'int', default: 5174, min: 0, max: 65535, help: 'port on 127.0.0.1' },
  })
  const token = process.env[TOKEN_ENV] || newBridgeToken()
  if (!/^[A-Za-z0-9_-]{32,}$/.test(token))
    throw new UsageError(`${TOKEN_ENV} must be at least 32 letters, digits, - or _`)
  const ctx = await openCore({
    dataDir: flags['data-dir'],
    resources: sourceResources(),
    version: sourceVersion(),
    weather: {},
  })
  const server = createBridge(ctx, join(sourceRoot(), 'out', 'renderer'), token)
  const port = await listen(server, flags.port)
  console.log(`bridge listening on http://127.0.0.1:${port}/`)
  console.log(`bridge token: ${token}`)
  const stop = () => {
    server.close()
    void closeCore(ctx).finally(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
})

/**
 * `npm start`: make sure Electron's binary is there (npm install skips its download so
 * that installing never fails offline), build, and launch the desktop app.
 */
import { spawnSync } from 'node:child_process'
import { ELECTRON_INSTALL_SCRIPT, electronBinary } from './lib/electron-binary'

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, args, { stdio: 'inherit', env, shell: false })
  return result.status ?? 1
}

if (!electronBinary()) {
  console.log('Fetching the Electron binary (first start only)…')
  const status = run(process.execPath, [ELECTRON_INSTALL_SCRIPT])
  if (status !== 0 || !electronBinary()) {
    console.error(`
Groundskeeper could not download Electron's binary (no internet access, or a proxy
blocks it). To fix it, do one of:
  - connect to the internet and run \`npm start\` again;
  - behind a proxy or mirror: set ELECTRON_MIRROR (or HTTPS_PROXY) and run
    \`node node_modules/electron/install.js\`;
  - copy an Electron 45.5.0 build into node_modules/electron/dist and its executable
    name into node_modules/electron/path.txt.
Everything else (tests, database tools) works without it: see README.md.`)
    process.exit(1)
  }
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
if (run(npm, ['run', 'db:template']) !== 0) process.exit(1)
process.exit(run(npm, ['exec', '--', 'electron-vite', 'preview']))

import { buildTemplate, templateIsCurrent } from '../electron/main/core/db/template'
import { sourceResources } from '../electron/main/core/paths'
import { parseFlags, runCommand } from './lib/cli'

await runCommand('npm run db:template [-- --force]', async () => {
  const flags = parseFlags(process.argv.slice(2), {
    force: { type: 'boolean', help: 'build it again even when it is up to date' },
  })
  const resources = sourceResources()
  if (templateIsCurrent(resources) && !flags.force) {
    console.log('database template is up to date')
    return
  }
  const started = performance.now()
  const { bytes } = await buildTemplate(resources)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`database template built: ${(bytes / 1024).toFixed(0)} KiB in ${seconds} s`)
})

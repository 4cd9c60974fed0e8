import { buildTemplate, templateIsCurrent } from '../electron/main/core/db/template'
import { sourceResources } from '../electron/main/core/paths'

const resources = sourceResources()
if (templateIsCurrent(resources) && !process.argv.includes('--force')) {
  console.log('database template is up to date')
} else {
  const started = performance.now()
  const { bytes } = await buildTemplate(resources)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`database template built: ${(bytes / 1024).toFixed(0)} KiB in ${seconds} s`)
}

import { buildTemplate, templateIsCurrent } from '../db/template'
import { sourceResources } from '../paths'

/** Tests open many databases: build the migrated template once, as `npm run build` does. */
export default async function setup() {
  const resources = sourceResources()
  if (!templateIsCurrent(resources)) await buildTemplate(resources)
}

import { z } from 'zod'
import { DEFAULT_SERVICE_PRIORITY, SERVICE_PRIORITIES } from '../domain/enums'
import {
  archiveInput,
  durationMinutes,
  id,
  idInput,
  money,
  moneyOut,
  name,
  optionalText,
  page,
  pageInput,
  search,
  storableText,
  timestamps,
} from './common'
import { serviceWeather } from './weather'

export { money as moneySchema } from './common'

export const service = z.object({
  id,
  name: z.string(),
  description: z.string(),
  priority: z.enum(SERVICE_PRIORITIES),
  basePrice: moneyOut,
  durationMinutes: z.number().int(),
  isActive: z.boolean(),
  /** The kind of work (its default weather limits); null: general outdoor work. */
  weatherKind: serviceWeather.weatherKind,
  /** Its own limits; null: its kind's. */
  weatherLimits: serviceWeather.weatherLimits,
  ...timestamps,
})
export type Service = z.infer<typeof service>

/**
 * Creating a catalog service. Priority may be left out: it is MEDIUM then, filled here
 * as well as by the column default, so no path writes NULL.
 */
export const serviceCreateInput = z.strictObject({
  name,
  description: optionalText(5000).default(''),
  priority: z.enum(SERVICE_PRIORITIES).default(DEFAULT_SERVICE_PRIORITY),
  basePrice: money,
  durationMinutes,
  isActive: z.boolean().default(true),
  weatherKind: serviceWeather.weatherKind.default(null),
  weatherLimits: serviceWeather.weatherLimits.default(null),
})
export type ServiceCreateInput = z.infer<typeof serviceCreateInput>

export const serviceUpdateInput = z.strictObject({
  id,
  name: name.optional(),
  description: optionalText(5000).optional(),
  priority: z.enum(SERVICE_PRIORITIES).optional(),
  basePrice: money.optional(),
  durationMinutes: durationMinutes.optional(),
  weatherKind: serviceWeather.weatherKind.optional(),
  weatherLimits: serviceWeather.weatherLimits.optional(),
})

export const CATALOG_ORDERINGS = [
  'name',
  '-name',
  'priority',
  '-priority',
  'price',
  '-price',
] as const

const catalogListInput = z.strictObject({
  ...pageInput,
  search: search.optional(),
  includeArchived: z.boolean().default(false),
  ordering: z.enum(CATALOG_ORDERINGS).default('name'),
})

export const product = z.object({
  id,
  name: z.string(),
  description: z.string(),
  unit: z.string(),
  unitPrice: moneyOut,
  isActive: z.boolean(),
  ...timestamps,
})
export type Product = z.infer<typeof product>

const unit = storableText().trim().min(1, 'is required').max(40, 'is too long (40 at most)')

export const productCreateInput = z.strictObject({
  name,
  description: optionalText(5000).default(''),
  unit: unit.default('each'),
  unitPrice: money,
  isActive: z.boolean().default(true),
})

export const productUpdateInput = z.strictObject({
  id,
  name: name.optional(),
  description: optionalText(5000).optional(),
  unit: unit.optional(),
  unitPrice: money.optional(),
})

export const catalogContract = {
  'catalog.services.list': { input: catalogListInput, output: page(service) },
  'catalog.services.get': { input: idInput, output: service },
  'catalog.services.create': { input: serviceCreateInput, output: service },
  'catalog.services.update': { input: serviceUpdateInput, output: service },
  /** Archived services stay on past appointments but cannot be booked. */
  'catalog.services.archive': { input: archiveInput, output: service },
  /**
   * Adds the starter catalog (shared/domain/starter-catalog.ts): the services whose names
   * the catalog does not have yet, so running it twice adds nothing twice.
   */
  'catalog.services.addStarter': {
    input: z.strictObject({}),
    output: z.object({ added: z.array(service), skipped: z.array(z.string()) }),
  },
  'catalog.products.list': { input: catalogListInput, output: page(product) },
  'catalog.products.get': { input: idInput, output: product },
  'catalog.products.create': { input: productCreateInput, output: product },
  'catalog.products.update': { input: productUpdateInput, output: product },
  'catalog.products.archive': { input: archiveInput, output: product },
} as const

import { z } from 'zod'
import { DEFAULT_SERVICE_PRIORITY, SERVICE_PRIORITIES } from '../domain/enums'
import { MONEY_PATTERN, normalizeMoney } from '../domain/money'

/** A money amount as a decimal string with at most 2 decimals, normalized to "0.00" form. */
export const moneySchema = z
  .string()
  .regex(MONEY_PATTERN, 'must be an amount such as 55 or 55.00 (at most 99,999,999.99)')
  .transform(normalizeMoney)

const name = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters')

/**
 * Creating a catalog service. Priority may be left out: it is MEDIUM then, filled here
 * as well as by the column default, so no path writes NULL.
 */
export const serviceCreateInput = z.strictObject({
  name,
  description: z.string().max(5000).default(''),
  priority: z.enum(SERVICE_PRIORITIES).default(DEFAULT_SERVICE_PRIORITY),
  basePrice: moneySchema,
  durationMinutes: z.number().int().min(1).max(1440),
  isActive: z.boolean().default(true),
})
export type ServiceCreateInput = z.infer<typeof serviceCreateInput>

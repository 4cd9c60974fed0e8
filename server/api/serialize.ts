import fastJson from 'fast-json-stringify'
import { z } from 'zod'

/**
 * How the API writes an answer: fast-json-stringify compiled from the route's response
 * schema (zod's own JSON Schema of it). Only the schema's fields leave, as with zod's
 * serializer, at a fraction of the cost of parsing every row with zod first.
 */
export function serializerFor(schema: unknown): (data: unknown) => string {
  return fastJson(z.toJSONSchema(schema as z.ZodType, { target: 'draft-7', io: 'output' }) as never)
}

import { z } from 'zod'
import { CHANNELS, LOCALES, NOTIFICATION_KINDS } from '../notifications/kinds'
import { type Override, smsNumberProblem } from '../notifications/preferences'
import {
  archiveInput,
  email,
  id,
  idInput,
  name,
  nullableText,
  optionalText,
  page,
  pageInput,
  phone,
  search,
  timestamps,
} from './common'

const coordinate = (limit: number) =>
  z
    .number()
    .min(-limit, `must be between -${limit} and ${limit}`)
    .max(limit, `must be between -${limit} and ${limit}`)

export const client = z.object({
  id,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  postalCode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  notes: z.string(),
  /** Messages by email (unless opted out), by SMS (opted in), kinds turned off, language. */
  notifyEmail: z.boolean(),
  notifySms: z.boolean(),
  notifyOff: z.array(z.string()),
  locale: z.string(),
  archived: z.boolean(),
  ...timestamps,
})
export type Client = z.infer<typeof client>

const clientFields = {
  name,
  email: email.optional(),
  phone: phone.optional(),
  address: nullableText(500).optional(),
  postalCode: nullableText(20).optional(),
  latitude: coordinate(90).nullable().optional(),
  longitude: coordinate(180).nullable().optional(),
  notes: optionalText(10_000).optional(),
  notifyEmail: z.boolean().optional(),
  notifySms: z.boolean().optional(),
  notifyOff: z
    .array(
      z.enum(
        NOTIFICATION_KINDS.flatMap((k) => CHANNELS.map((c) => `${k}:${c}` as const)) as [
          Override,
          ...Override[],
        ],
      ),
    )
    .max(10)
    .optional(),
  locale: z.enum(LOCALES).optional(),
}

/**
 * A place on the map is both coordinates or neither (then it is looked up from the
 * address): one given with the other left empty is refused, naming the empty one.
 */
function bothCoordinates(
  v: { latitude?: number | null | undefined; longitude?: number | null | undefined },
  ctx: z.core.$RefinementCtx,
) {
  const given = (x: number | null | undefined) => typeof x === 'number'
  for (const [field, other] of [
    ['longitude', 'latitude'],
    ['latitude', 'longitude'],
  ] as const)
    if (given(v[other]) && v[field] === null)
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `is needed with the ${other} (or leave both empty)`,
      })
}

export const clientsContract = {
  'clients.list': {
    input: z.strictObject({
      ...pageInput,
      search: search.optional(),
      includeArchived: z.boolean().default(false),
      ordering: z.enum(['name', '-name', 'created', '-created']).default('name'),
    }),
    output: page(client),
  },
  'clients.get': { input: idInput, output: client },
  'clients.create': {
    input: z.strictObject(clientFields).superRefine((v, ctx) => {
      bothCoordinates({ latitude: v.latitude ?? null, longitude: v.longitude ?? null }, ctx)
      const sms = smsNumberProblem(v)
      if (sms) ctx.addIssue({ code: 'custom', path: ['phone'], message: sms })
    }),
    output: client,
  },
  'clients.update': {
    input: z
      .strictObject({ id, ...clientFields, name: name.optional() })
      .superRefine(bothCoordinates),
    output: client,
  },
  'clients.archive': { input: archiveInput, output: client },
} as const

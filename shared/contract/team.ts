import { z } from 'zod'
import { parseHours } from '../notifications/timing'
import {
  archiveInput,
  email,
  id,
  idInput,
  name,
  page,
  pageInput,
  phone,
  search,
  timestamps,
} from './common'

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a color such as #2e7d32')

/** Their own daily hours ("07:00-16:00", the business's zone); null: the business's. */
const HOURS_PATTERN = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/
const workingHours = z
  .string()
  // Two messages: the screen's time pickers cannot write a malformed range, only one
  // that ends before it starts, and that is what its person needs to read.
  .regex(HOURS_PATTERN, 'must be hours such as 07:00-16:00')
  .refine((h) => !HOURS_PATTERN.test(h) || parseHours(h) !== null, 'must end after they start')
  .nullable()
/** Their own working days (0 = Sunday ... 6 = Saturday); null: the business's. */
const workingDays = z
  .array(z.number().int().min(0).max(6))
  .min(1, 'must include at least one day')
  .max(7)
  .refine((d) => new Set(d).size === d.length, 'must not repeat a day')
  .nullable()

export const teamMember = z.object({
  id,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  color: z.string(),
  /** Can take work today: marked available, and no time off covers today. */
  isAvailable: z.boolean(),
  /**
   * Marked available (the on/off flag from before time off existed), whatever the day:
   * screens showing another day read this and that day's time off.
   */
  markedAvailable: z.boolean(),
  archived: z.boolean(),
  /** The catalog services this member can do. */
  specialtyIds: z.array(id),
  /** Their own hours and days, null where they keep the business's. */
  workingHours: z.string().nullable(),
  workingDays: z.array(z.number().int()).nullable(),
  ...timestamps,
})
export type TeamMember = z.infer<typeof teamMember>

const specialtyIds = z
  .array(id)
  .max(500)
  .refine((ids) => new Set(ids).size === ids.length, {
    message: 'must not repeat a service',
  })

export const teamContract = {
  'team.list': {
    input: z.strictObject({
      ...pageInput,
      limit: pageInput.limit.default(100),
      search: search.optional(),
      includeArchived: z.boolean().default(false),
      /** Only members who have this service as a specialty. */
      serviceId: id.optional(),
      availableOnly: z.boolean().default(false),
    }),
    output: page(teamMember),
  },
  'team.get': { input: idInput, output: teamMember },
  'team.create': {
    input: z.strictObject({
      name,
      email: email.optional(),
      phone: phone.optional(),
      color: color.default('#2e7d32'),
      isAvailable: z.boolean().default(true),
      specialtyIds: specialtyIds.default([]),
      workingHours: workingHours.default(null),
      workingDays: workingDays.default(null),
    }),
    output: teamMember,
  },
  'team.update': {
    input: z.strictObject({
      id,
      name: name.optional(),
      email: email.optional(),
      phone: phone.optional(),
      color: color.optional(),
      workingHours: workingHours.optional(),
      workingDays: workingDays.optional(),
    }),
    output: teamMember,
  },
  'team.setAvailability': {
    input: z.strictObject({ id, isAvailable: z.boolean() }),
    output: teamMember,
  },
  'team.setSpecialties': {
    input: z.strictObject({ id, serviceIds: specialtyIds }),
    output: teamMember,
  },
  'team.archive': { input: archiveInput, output: teamMember },
} as const

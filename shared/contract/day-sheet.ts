import { z } from 'zod'
import { APPOINTMENT_STATUSES } from '../domain/enums'
import { UUID_PATTERN } from '../domain/ids'
import { day, id, instant, storedDay } from './common'

/** A local day in the business's time zone. */

/** One job as the crew needs it on paper: when, who, where, what to bring. */
export const daySheetJob = z.object({
  id,
  scheduledAt: instant,
  endsAt: instant,
  status: z.enum(APPOINTMENT_STATUSES),
  /** When the crew really started and finished it (null: not yet). */
  startedAt: instant.nullable(),
  completedAt: instant.nullable(),
  clientName: z.string(),
  clientPhone: z.string().nullable(),
  /** The job's own location, else the client's address (shared/domain/job-location.ts). */
  place: z.string().nullable(),
  /** The client's coordinates, only when the job is at the client's address. */
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  serviceName: z.string(),
  notes: z.string(),
  products: z.array(
    z.object({ name: z.string(), unit: z.string(), quantity: z.string().regex(/^\d+(\.\d+)?$/) }),
  ),
})
export type DaySheetJob = z.infer<typeof daySheetJob>

export const daySheetCrew = z.object({
  /** null: the jobs no one is assigned to yet. */
  teamMemberId: id.nullable(),
  name: z.string(),
  jobs: z.array(daySheetJob),
})
export type DaySheetCrew = z.infer<typeof daySheetCrew>

export const daySheet = z.object({
  date: day,
  timeZone: z.string(),
  businessName: z.string().nullable(),
  businessPhone: z.string().nullable(),
  /** One crew member's, or every crew member's with jobs that day (by name). */
  crews: z.array(daySheetCrew),
})
export type DaySheet = z.infer<typeof daySheet>

export const daySheetContract = {
  /**
   * A crew member's day on paper, or everyone's (`crew: 'all'`): the jobs that are not
   * cancelled, in time order. A crew lead may ask only for their own crew's.
   */
  'daySheet.get': {
    input: z.strictObject({
      date: storedDay,
      /** A crew member's id, or `all`. */
      crew: z
        .string()
        .refine((v) => v === 'all' || UUID_PATTERN.test(v), 'must be chosen from the list, or all'),
    }),
    output: daySheet,
  },
} as const

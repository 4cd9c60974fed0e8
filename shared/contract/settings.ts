import { z } from 'zod'
import { isValidTimeZone } from '../domain/time'

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 07:30')

/** How the business works: the calendar shows its time zone and highlights its hours. */
export const businessSettings = z.object({
  timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as America/Chicago'),
  workingHours: z
    .object({
      start: clock,
      end: clock,
      /** 0 = Sunday ... 6 = Saturday. */
      days: z.array(z.number().int().min(0).max(6)).max(7),
    })
    .refine((h) => h.start < h.end, { message: 'must end after it starts', path: ['end'] }),
})
export type BusinessSettings = z.infer<typeof businessSettings>

/** The id of the one business settings row, the same on every laptop and the server. */
export const BUSINESS_SETTINGS_ID = '00000000-0000-4000-8000-000000000001'

export const DEFAULT_SETTINGS: BusinessSettings = {
  timeZone: 'America/Chicago',
  workingHours: { start: '07:00', end: '18:00', days: [1, 2, 3, 4, 5, 6] },
}

export const settingsContract = {
  'settings.get': { input: z.strictObject({}), output: businessSettings },
  'settings.update': {
    input: z.strictObject({
      timeZone: businessSettings.shape.timeZone.optional(),
      workingHours: businessSettings.shape.workingHours.optional(),
    }),
    output: businessSettings,
  },
} as const
